/*
 * poll_sleep.c: poll_oneoff as the guest sees it: wasi-libc's sleeps
 * (nanosleep, usleep, clock_nanosleep: each one poll_oneoff on a clock) last
 * at least as long as asked, measured with clock_gettime(CLOCK_MONOTONIC);
 * raw __wasi_poll_oneoff with several subscriptions: stdin (the runner's
 * pipe, holding "ready\n"), stdout, and clocks, of which only the earliest
 * fires; and the errors (EINVAL, EBADF) that come before any wait.
 *
 * wasi-stdin: ready
 * wasi-options: --dir .
 */
#include "check.h"

#include <time.h>
#include <unistd.h>

#define MS 1000000ull

static unsigned long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static __wasi_subscription_t clock_sub(__wasi_userdata_t userdata, __wasi_clockid_t id,
                                       __wasi_timestamp_t timeout, __wasi_subclockflags_t flags) {
    __wasi_subscription_t s = {.userdata = userdata};
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = flags;
    return s;
}

static __wasi_subscription_t fd_sub(__wasi_userdata_t userdata, __wasi_eventtype_t type,
                                    __wasi_fd_t fd) {
    __wasi_subscription_t s = {.userdata = userdata};
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

/* Sleeps the libc ways; each must last at least what was asked (and not absurdly more). */
static void libc_sleeps(void) {
    unsigned long long t0 = now_ns();
    struct timespec d = {.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000};
    CHECK(nanosleep(&d, NULL) == 0);
    unsigned long long took = now_ns() - t0;
    CHECK(took >= 50 * MS && took < 1000 * MS);
    printf("nanosleep(50 ms): %llu us\n", took / 1000);

    t0 = now_ns();
    CHECK(usleep(20 * 1000) == 0);
    took = now_ns() - t0;
    CHECK(took >= 20 * MS && took < 1000 * MS);
    printf("usleep(20 ms): %llu us\n", took / 1000);

    t0 = now_ns();
    d.tv_nsec = 30 * 1000 * 1000;
    CHECK(clock_nanosleep(CLOCK_REALTIME, 0, &d, NULL) == 0);
    took = now_ns() - t0;
    CHECK(took >= 30 * MS && took < 1000 * MS);

    /* An absolute deadline 40 ms ahead on the monotonic clock, then one in the past. */
    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    t0 = now_ns();
    at.tv_nsec += 40 * 1000 * 1000;
    if (at.tv_nsec >= 1000000000) {
        at.tv_nsec -= 1000000000;
        at.tv_sec++;
    }
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == 0);
    took = now_ns() - t0;
    CHECK(took >= 39 * MS && took < 1000 * MS);
    t0 = now_ns();
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == 0);
    CHECK(now_ns() - t0 < 20 * MS);
}

/* stdin (holding "ready\n"), stdout, a long clock: the fds are reported, the clock is not. */
static void fds_and_clocks(void) {
    __wasi_subscription_t in[3] = {
        fd_sub(1, __WASI_EVENTTYPE_FD_READ, 0),
        clock_sub(2, __WASI_CLOCKID_MONOTONIC, 10000 * MS, 0),
        fd_sub(3, __WASI_EVENTTYPE_FD_WRITE, 1),
    };
    __wasi_event_t out[3];
    memset(out, 0xAA, sizeof out);
    __wasi_size_t n = 0;
    unsigned long long t0 = now_ns();
    CHECK_OK(__wasi_poll_oneoff(in, out, 3, &n));
    CHECK(now_ns() - t0 < 5000 * MS);
    /* stdout is surely writable; stdin has its text as soon as the runner has written it. */
    CHECK(n == 2 || n == 1);
    int saw_stdin = 0, saw_stdout = 0;
    for (__wasi_size_t i = 0; i < n; i++) {
        CHECK(out[i].error == 0);
        if (out[i].userdata == 1) {
            saw_stdin = 1;
            CHECK(out[i].type == __WASI_EVENTTYPE_FD_READ);
            CHECK(out[i].fd_readwrite.nbytes == 6);
        } else {
            saw_stdout = 1;
            CHECK(out[i].userdata == 3 && out[i].type == __WASI_EVENTTYPE_FD_WRITE);
        }
    }
    CHECK(saw_stdout);
    if (!saw_stdin) {
        /* Wait for stdin alone. */
        CHECK_OK(__wasi_poll_oneoff(in, out, 2, &n));
        CHECK(n == 1 && out[0].userdata == 1 && out[0].fd_readwrite.nbytes == 6);
    }

    /* Polling consumed nothing: the text is all there. */
    char text[16] = "";
    __wasi_iovec_t iov = {(uint8_t *)text, sizeof text};
    __wasi_size_t got = 0;
    CHECK_OK(__wasi_fd_read(0, &iov, 1, &got));
    CHECK(got == 6 && memcmp(text, "ready\n", 6) == 0);

    /* Once the runner closes its end: readable with nothing left, and a hangup. */
    CHECK_OK(__wasi_poll_oneoff(in, out, 2, &n));
    CHECK(n == 1 && out[0].userdata == 1);
    CHECK(out[0].fd_readwrite.nbytes == 0);
    CHECK(out[0].fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP);
}

/* Three clocks at 30, 300 and 600 ms: the first one alone is reported. */
static void earliest_clock(void) {
    __wasi_timestamp_t mono = 0;
    CHECK_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &mono));
    __wasi_subscription_t in[3] = {
        clock_sub(10, __WASI_CLOCKID_REALTIME, 300 * MS, 0),
        clock_sub(11, __WASI_CLOCKID_MONOTONIC, mono + 600 * MS,
                  __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME),
        clock_sub(12, __WASI_CLOCKID_MONOTONIC, 30 * MS, 0),
    };
    __wasi_event_t out[3];
    __wasi_size_t n = 0;
    unsigned long long t0 = now_ns();
    CHECK_OK(__wasi_poll_oneoff(in, out, 3, &n));
    unsigned long long took = now_ns() - t0;
    CHECK(took >= 30 * MS && took < 300 * MS);
    CHECK(n == 1);
    CHECK(out[0].userdata == 12 && out[0].type == __WASI_EVENTTYPE_CLOCK && out[0].error == 0);
    printf("earliest of 3 clocks (30 ms): %llu us\n", took / 1000);
}

static void errors(void) {
    __wasi_subscription_t in[2] = {
        clock_sub(1, __WASI_CLOCKID_MONOTONIC, 10000 * MS, 0),
        fd_sub(2, __WASI_EVENTTYPE_FD_READ, 99),
    };
    __wasi_event_t out[2];
    __wasi_size_t n = 77;
    unsigned long long t0 = now_ns();
    CHECK_ERRNO(__wasi_poll_oneoff(in, out, 0, &n), __WASI_ERRNO_INVAL);
    /* An fd that is not open fails the call, as in wasmtime. */
    CHECK_ERRNO(__wasi_poll_oneoff(in, out, 2, &n), __WASI_ERRNO_BADF);
    /* The CPU-time clocks cannot be waited on; nor an unknown clock or tag. */
    in[1] = clock_sub(2, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 1 * MS, 0);
    CHECK_ERRNO(__wasi_poll_oneoff(in, out, 2, &n), __WASI_ERRNO_INVAL);
    in[1] = clock_sub(2, __WASI_CLOCKID_THREAD_CPUTIME_ID, 1 * MS, 0);
    CHECK_ERRNO(__wasi_poll_oneoff(in, out, 2, &n), __WASI_ERRNO_INVAL);
    in[1] = clock_sub(2, 9, 1 * MS, 0);
    CHECK_ERRNO(__wasi_poll_oneoff(in, out, 2, &n), __WASI_ERRNO_INVAL);
    in[1] = fd_sub(2, 7, 0);
    CHECK_ERRNO(__wasi_poll_oneoff(in, out, 2, &n), __WASI_ERRNO_INVAL);
    /* The preopen is a directory: no fd_read right to poll with. */
    in[1] = fd_sub(2, __WASI_EVENTTYPE_FD_READ, 3);
    CHECK_ERRNO(__wasi_poll_oneoff(in, out, 2, &n), __WASI_ERRNO_NOTCAPABLE);
    /* Events past the end of memory: EFAULT before waiting. */
    CHECK_ERRNO(__wasi_poll_oneoff(in, (__wasi_event_t *)0xFFFFFFF0u, 1, &n), __WASI_ERRNO_FAULT);
    CHECK(n == 77);
    CHECK(now_ns() - t0 < 5000 * MS);
}

int main(void) {
    libc_sleeps();
    fds_and_clocks();
    earliest_clock();
    errors();
    return check_done();
}
