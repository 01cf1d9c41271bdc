/*
 * poll.c: poll_oneoff (wasi_snapshot_preview1.witx): waits until at least one
 * of a set of subscriptions (clock deadlines, fds ready to read or write) has
 * an event, then reports every event that has occurred.
 *
 * The call runs in three steps, so nothing blocks before the whole request is
 * known to be valid:
 *  1. read: nsubscriptions == 0 is EINVAL (the witx); `in`, `out` (room for
 *     nsubscriptions events, as the witx's "both the number of subscriptions
 *     and events" requires) and the count slot are checked (EFAULT); every
 *     subscription is decoded into a host array (so `out` may overlap `in`):
 *     an unknown tag, clock id or subclockflags bit is EINVAL, and an fd that
 *     is not open or lacks the rights is the call's EBADF or NOTCAPABLE, as
 *     in wasmtime (its p1_poll_oneoff_files test expects the call to fail).
 *  2. wait: one ppoll(2) over the non-regular fds, its timeout the earliest
 *     clock deadline (none: no timeout). Regular files are always ready
 *     (typenames.witx: "always triggers for regular files") and make the wait
 *     zero. EINTR and any early return go round again with the time that is
 *     left, so the wait is never shorter than asked.
 *  3. report: every clock whose deadline has passed and every fd that is
 *     ready, in subscription order, is written to `out`; the count goes to
 *     nevents_out.
 *
 * Clocks (what wasmtime's preview1 does where the witx is silent): every
 * deadline is kept on CLOCK_MONOTONIC, in nanoseconds. A relative timeout on
 * MONOTONIC or REALTIME starts from now (POSIX: clock_settime does not change
 * relative sleeps); an absolute MONOTONIC timeout is a clock_time_get value;
 * an absolute REALTIME one is turned into "that much later than now" when
 * the call starts. The CPU-time clocks are EINVAL: they cannot be waited on
 * by a timer, and wasmtime rejects them the same way. A deadline past
 * UINT64_MAX saturates, and one more than WAIT_FOREVER_S away is waited for
 * with no timeout at all: "forever" never overflows a timespec.
 *
 * Events: error is 0 unless poll(2) reports POLLNVAL (BADF) or POLLERR (IO,
 * as wasmtime's poll did: a socket's own error, SO_ERROR, is not fetched,
 * because reading it clears it, and the guest's next sock_recv or sock_send
 * is where it belongs); POLLHUP sets FD_READWRITE_HANGUP. nbytes of an fd_read event is what is
 * left to read: for a regular file the bytes from the current offset to the end, for pipes, sockets
 * and terminals what FIONREAD says; fd_write events say 0 (the host gives no capacity).
 */
#include "wasi_impl.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Subscriptions up to this many are decoded on the stack; more are malloc'ed. */
#define SMALL_SUBS 16

/* A deadline further away than this (about 68 years) is waited for without a timeout. */
#define WAIT_FOREVER_S INT32_MAX

#define NS_PER_S UINT64_C(1000000000)

/* One decoded subscription. */
typedef struct sub {
    uint64_t userdata;
    uint8_t type;      /* WA_WASI_EVENTTYPE_* */
    uint64_t deadline; /* CLOCK: CLOCK_MONOTONIC nanoseconds at which it fires */
    int host_fd;       /* FD_READ, FD_WRITE */
    int pollfd;        /* index of its entry in the pollfd array; -1 for a regular file */
} sub_t;

/* The host clock as u64 nanoseconds (0 before the epoch, which only REALTIME could be). */
static uint64_t now_ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0 || ts.tv_sec < 0)
        return 0;
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint64_t add_saturating(uint64_t a, uint64_t b) {
    return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/*
 * Decodes the clock subscription at `p` (a whole subscription) into a
 * CLOCK_MONOTONIC deadline, relative timeouts counted from `mono`.
 */
static int32_t read_clock(const uint8_t *p, uint64_t mono, uint64_t *deadline) {
    uint32_t id = wa_guest_load_u32(p + WA_WASI_SUBSCRIPTION_CLOCK_ID);
    uint64_t timeout = wa_guest_load_u64(p + WA_WASI_SUBSCRIPTION_CLOCK_TIMEOUT);
    uint16_t flags = wa_guest_load_u16(p + WA_WASI_SUBSCRIPTION_CLOCK_FLAGS);
    if (flags & ~WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME)
        return WA_WASI_EINVAL;
    bool absolute = flags & WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME;
    switch (id) {
    case WA_WASI_CLOCK_MONOTONIC:
        *deadline = absolute ? timeout : add_saturating(mono, timeout);
        return WA_WASI_ESUCCESS;
    case WA_WASI_CLOCK_REALTIME:
        if (absolute) {
            uint64_t real = now_ns(CLOCK_REALTIME);
            timeout = timeout > real ? timeout - real : 0;
        }
        *deadline = add_saturating(mono, timeout);
        return WA_WASI_ESUCCESS;
    default:
        /* The CPU-time clocks and ids the witx does not define. */
        return WA_WASI_EINVAL;
    }
}

/*
 * Decodes the `n` subscriptions at `in` into `subs` and the pollfd entries of
 * the fds that poll(2) has to wait for into `pfds` (*npfds of them). Clock
 * deadlines count from `mono`; *earliest is the first one (UINT64_MAX if
 * none) and *always_ready tells if some subscription is a regular file.
 */
static int32_t read_subscriptions(wa_wasi_ctx_t *ctx, const uint8_t *in, uint32_t n, uint64_t mono,
                                  sub_t *subs, struct pollfd *pfds, uint32_t *npfds,
                                  uint64_t *earliest, bool *always_ready) {
    *npfds = 0;
    *earliest = UINT64_MAX;
    *always_ready = false;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *p = in + (size_t)i * WA_WASI_SUBSCRIPTION_SIZE;
        sub_t *s = &subs[i];
        s->userdata = wa_guest_load_u64(p + WA_WASI_SUBSCRIPTION_USERDATA);
        s->type = p[WA_WASI_SUBSCRIPTION_TAG];
        s->pollfd = -1;
        if (s->type == WA_WASI_EVENTTYPE_CLOCK) {
            int32_t err = read_clock(p, mono, &s->deadline);
            if (err != WA_WASI_ESUCCESS)
                return err;
            if (s->deadline < *earliest)
                *earliest = s->deadline;
            continue;
        }
        if (s->type != WA_WASI_EVENTTYPE_FD_READ && s->type != WA_WASI_EVENTTYPE_FD_WRITE)
            return WA_WASI_EINVAL;
        /* typenames.witx, poll_fd_readwrite: it allows fd_read with fd_read, fd_write with
         * fd_write. */
        bool reading = s->type == WA_WASI_EVENTTYPE_FD_READ;
        uint64_t rights = WA_WASI_RIGHT_POLL_FD_READWRITE |
                          (reading ? WA_WASI_RIGHT_FD_READ : WA_WASI_RIGHT_FD_WRITE);
        wa_fdtab_entry_t *e;
        int32_t err = wa_fdtab_lookup(ctx, (int32_t)wa_guest_load_u32(p + WA_WASI_SUBSCRIPTION_FD),
                                      rights, &e);
        if (err != WA_WASI_ESUCCESS)
            return err;
        s->host_fd = e->host_fd;
        if (e->filetype == WA_WASI_FILETYPE_REGULAR_FILE) {
            *always_ready = true;
            continue;
        }
        s->pollfd = (int)*npfds;
        pfds[(*npfds)++] = (struct pollfd){.fd = e->host_fd, .events = reading ? POLLIN : POLLOUT};
    }
    return WA_WASI_ESUCCESS;
}

/* Bytes left to read on `host_fd`: to the end of a regular file, else FIONREAD's count. */
static uint64_t count_readable(int host_fd, bool regular) {
    if (regular) {
        struct stat st;
        off_t pos = lseek(host_fd, 0, SEEK_CUR);
        if (pos < 0 || fstat(host_fd, &st) != 0 || st.st_size <= pos)
            return 0;
        return (uint64_t)(st.st_size - pos);
    }
    int n = 0;
    return ioctl(host_fd, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

/*
 * Writes the event of subscription `s` at `out` if it has occurred at `now`
 * (with poll(2)'s results in `pfds`); returns whether it has.
 */
static bool store_event(const sub_t *s, const struct pollfd *pfds, uint64_t now, uint8_t *out) {
    uint16_t error = 0, flags = 0;
    uint64_t nbytes = 0;
    if (s->type == WA_WASI_EVENTTYPE_CLOCK) {
        if (s->deadline > now)
            return false;
    } else {
        short revents = s->pollfd < 0 ? (s->type == WA_WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT)
                                      : pfds[s->pollfd].revents;
        if (!revents)
            return false;
        if (revents & POLLNVAL)
            error = WA_WASI_EBADF;
        else if (revents & POLLERR)
            error = WA_WASI_EIO;
        if (revents & POLLHUP)
            flags = WA_WASI_EVENT_FD_READWRITE_HANGUP;
        if (!error && s->type == WA_WASI_EVENTTYPE_FD_READ)
            nbytes = count_readable(s->host_fd, s->pollfd < 0);
    }
    /* Padding (bytes 11-15 and 26-31) is zeroed: the guest never sees stale memory. */
    memset(out, 0, WA_WASI_EVENT_SIZE);
    wa_guest_store_u64(out + WA_WASI_EVENT_USERDATA, s->userdata);
    wa_guest_store_u16(out + WA_WASI_EVENT_ERROR, error);
    out[WA_WASI_EVENT_TYPE] = s->type;
    wa_guest_store_u64(out + WA_WASI_EVENT_NBYTES, nbytes);
    wa_guest_store_u16(out + WA_WASI_EVENT_FLAGS, flags);
    return true;
}

/*
 * Waits until a subscription has an event and writes the events to `out`
 * (*count of them). A wait with nothing ready and no deadline (only fds that
 * never become ready) lasts until a signal ends the process.
 */
static int32_t wait_and_report(const sub_t *subs, uint32_t n, struct pollfd *pfds, uint32_t npfds,
                               uint64_t earliest, bool always_ready, uint8_t *out,
                               uint32_t *count) {
    for (;;) {
        uint64_t now = now_ns(CLOCK_MONOTONIC);
        struct timespec ts = {0, 0};
        const struct timespec *timeout = &ts;
        if (!always_ready && earliest > now) {
            uint64_t left = earliest - now;
            if (earliest == UINT64_MAX || left / NS_PER_S > WAIT_FOREVER_S) {
                timeout = NULL;
            } else {
                ts.tv_sec = (time_t)(left / NS_PER_S);
                ts.tv_nsec = (long)(left % NS_PER_S);
            }
        }
        if (ppoll(pfds, npfds, timeout, NULL) < 0) {
            if (errno == EINTR)
                continue;
            return wa_errno_from_host(errno);
        }
        now = now_ns(CLOCK_MONOTONIC);
        *count = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (store_event(&subs[i], pfds, now, out + (size_t)*count * WA_WASI_EVENT_SIZE))
                (*count)++;
        }
        /* Nothing yet: ppoll returned early (or a clock it waited for is a hair short). */
        if (*count)
            return WA_WASI_ESUCCESS;
    }
}

int32_t wa_wasi_poll_oneoff(wa_wasi_ctx_t *ctx, int32_t in, int32_t out, int32_t nsubscriptions,
                            int32_t nevents_out) {
    uint32_t n = (uint32_t)nsubscriptions;
    if (n == 0)
        return WA_WASI_EINVAL;
    uint8_t *in_host, *out_host;
    /* 64-bit products: n * 48 cannot overflow, and a huge n is simply out of range. */
    if (!wa_guest_range(ctx, (uint32_t)in, (uint64_t)n * WA_WASI_SUBSCRIPTION_SIZE, &in_host) ||
        !wa_guest_range(ctx, (uint32_t)out, (uint64_t)n * WA_WASI_EVENT_SIZE, &out_host))
        return WA_WASI_EFAULT;
    uint8_t *count_out = wa_guest_out(ctx, nevents_out, 4);
    if (!count_out)
        return WA_WASI_EFAULT;

    sub_t small_subs[SMALL_SUBS];
    struct pollfd small_pfds[SMALL_SUBS];
    sub_t *subs = small_subs;
    struct pollfd *pfds = small_pfds;
    if (n > SMALL_SUBS) {
        subs = malloc(n * sizeof *subs);
        pfds = malloc(n * sizeof *pfds);
        if (!subs || !pfds) {
            free(subs);
            free(pfds);
            return WA_WASI_ENOMEM;
        }
    }
    uint32_t npfds, count = 0;
    uint64_t earliest;
    bool always_ready;
    int32_t err = read_subscriptions(ctx, in_host, n, now_ns(CLOCK_MONOTONIC), subs, pfds, &npfds,
                                     &earliest, &always_ready);
    if (err == WA_WASI_ESUCCESS)
        err = wait_and_report(subs, n, pfds, npfds, earliest, always_ready, out_host, &count);
    if (subs != small_subs) {
        free(subs);
        free(pfds);
    }
    if (err == WA_WASI_ESUCCESS)
        wa_guest_store_u32(count_out, count);
    return err;
}
