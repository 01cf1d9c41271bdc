/*
 * test_wasi_poll.c: poll_oneoff over a fake linear memory (as test_wasi.c):
 * the subscription and event layouts of typenames.witx byte by byte, the
 * errors (EINVAL, EFAULT, EBADF, NOTCAPABLE) that must come before any wait,
 * clock timing measured with CLOCK_MONOTONIC, and fd readiness on pipes and
 * regular files.
 *
 * Timing bounds: a wait must never be shorter than asked; the upper bounds
 * are loose (the machine is small and shared), e.g. a 50 ms sleep must end
 * before 200 ms.
 */
#include "wa_rt_api.h"
#include "wa_wasi.h"
#include "wasi_impl.h"

#include <criterion/criterion.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE 65536u
#define CANARY_SIZE 64u
#define CANARY 0xEE

/* Guest addresses: the subscriptions, the events (pre-filled with FILL), the count. */
#define SUBS 1024u
#define EVENTS 8192u
#define COUNT 16u
#define FILL 0xAA

#define MS UINT64_C(1000000)

static uint8_t *buf;
static wa_rt_memory_t mem;
static wa_wasi_ctx_t *ctx;

static void setup(void) {
    buf = malloc(MEM_SIZE + CANARY_SIZE);
    cr_assert_not_null(buf);
    memset(buf, 0, MEM_SIZE);
    memset(buf + EVENTS, FILL, 64 * WA_WASI_EVENT_SIZE);
    memset(buf + MEM_SIZE, CANARY, CANARY_SIZE);
    mem = (wa_rt_memory_t){.base = buf, .size = MEM_SIZE, .max_pages = 1, .reserved = MEM_SIZE};
    ctx = wa_wasi_ctx_new(0, NULL, NULL);
    cr_assert_not_null(ctx);
    wa_wasi_ctx_set_memory(ctx, &mem);
}

static void teardown(void) {
    for (uint32_t i = 0; i < CANARY_SIZE; i++)
        cr_assert_eq(buf[MEM_SIZE + i], CANARY, "write past the end of guest memory");
    wa_wasi_ctx_free(ctx);
    free(buf);
}

TestSuite(wasi_poll, .init = setup, .fini = teardown);

static uint64_t now_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t load_u64(uint32_t addr) {
    return wa_guest_load_u64(buf + addr);
}

static int32_t add_fd_masked(int host_fd, uint64_t mask) {
    uint32_t fd;
    cr_assert_eq(wa_fdtab_insert(ctx, host_fd, NULL, mask, mask, &fd), WA_WASI_ESUCCESS);
    return (int32_t)fd;
}

static int32_t add_fd(int host_fd) {
    return add_fd_masked(host_fd, WA_WASI_RIGHTS_ALL);
}

/* Writes subscription `i` of the array at `at`: a clock one. */
static void put_clock_at(uint32_t at, uint32_t i, uint64_t userdata, uint32_t id, uint64_t timeout,
                         uint16_t flags) {
    uint8_t *p = buf + at + i * WA_WASI_SUBSCRIPTION_SIZE;
    memset(p, 0x5C, WA_WASI_SUBSCRIPTION_SIZE); /* padding is garbage: it must be ignored */
    wa_guest_store_u64(p + WA_WASI_SUBSCRIPTION_USERDATA, userdata);
    p[WA_WASI_SUBSCRIPTION_TAG] = WA_WASI_EVENTTYPE_CLOCK;
    wa_guest_store_u32(p + WA_WASI_SUBSCRIPTION_CLOCK_ID, id);
    wa_guest_store_u64(p + WA_WASI_SUBSCRIPTION_CLOCK_TIMEOUT, timeout);
    wa_guest_store_u64(p + WA_WASI_SUBSCRIPTION_CLOCK_PRECISION, 0);
    wa_guest_store_u16(p + WA_WASI_SUBSCRIPTION_CLOCK_FLAGS, flags);
}

static void put_clock(uint32_t i, uint64_t userdata, uint32_t id, uint64_t timeout,
                      uint16_t flags) {
    put_clock_at(SUBS, i, userdata, id, timeout, flags);
}

/* Writes subscription `i`: fd_read or fd_write on `fd`. */
static void put_fd(uint32_t i, uint64_t userdata, uint8_t type, int32_t fd) {
    uint8_t *p = buf + SUBS + i * WA_WASI_SUBSCRIPTION_SIZE;
    memset(p, 0x5C, WA_WASI_SUBSCRIPTION_SIZE);
    wa_guest_store_u64(p + WA_WASI_SUBSCRIPTION_USERDATA, userdata);
    p[WA_WASI_SUBSCRIPTION_TAG] = type;
    wa_guest_store_u32(p + WA_WASI_SUBSCRIPTION_FD, (uint32_t)fd);
}

static int32_t poll_n(uint32_t n) {
    return wa_wasi_poll_oneoff(ctx, SUBS, EVENTS, (int32_t)n, COUNT);
}

/* Checks event `i` field by field, padding included (zero). */
static void check_event(uint32_t i, uint64_t userdata, uint16_t error, uint8_t type,
                        uint64_t nbytes, uint16_t flags) {
    const uint8_t *e = buf + EVENTS + i * WA_WASI_EVENT_SIZE;
    cr_assert_eq(wa_guest_load_u64(e + WA_WASI_EVENT_USERDATA), userdata, "event %u userdata", i);
    cr_assert_eq(wa_guest_load_u16(e + WA_WASI_EVENT_ERROR), error, "event %u error", i);
    cr_assert_eq(e[WA_WASI_EVENT_TYPE], type, "event %u type", i);
    cr_assert_eq(wa_guest_load_u64(e + WA_WASI_EVENT_NBYTES), nbytes, "event %u nbytes", i);
    cr_assert_eq(wa_guest_load_u16(e + WA_WASI_EVENT_FLAGS), flags, "event %u flags", i);
    for (uint32_t b = 11; b < 16; b++)
        cr_assert_eq(e[b], 0, "event %u padding byte %u", i, b);
    for (uint32_t b = 26; b < 32; b++)
        cr_assert_eq(e[b], 0, "event %u padding byte %u", i, b);
}

static bool untouched(uint32_t addr, uint32_t n, uint8_t value) {
    for (uint32_t i = 0; i < n; i++) {
        if (buf[addr + i] != value)
            return false;
    }
    return true;
}

/* ---- errors before any wait ---- */

Test(wasi_poll, no_subscriptions_is_einval) {
    wa_guest_store_u32(buf + COUNT, 77);
    cr_assert_eq(poll_n(0), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, -1, -1, 0, -1), WA_WASI_EINVAL,
                 "EINVAL comes first, as in wasmtime");
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 77);
}

Test(wasi_poll, bad_pointers_are_efault_before_waiting) {
    /* A 10 s sleep: each call below must fail at once instead. */
    put_clock(0, 1, WA_WASI_CLOCK_MONOTONIC, 10000 * MS, 0);
    put_clock(1, 2, WA_WASI_CLOCK_MONOTONIC, 10000 * MS, 0);
    wa_guest_store_u32(buf + COUNT, 77);
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    /* `in` runs past the end of memory. */
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, (int32_t)(MEM_SIZE - 48), EVENTS, 2, COUNT),
                 WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, -48, EVENTS, 1, COUNT), WA_WASI_EFAULT);
    /* `out` must have room for nsubscriptions events, not just the ones that occur. */
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, SUBS, (int32_t)(MEM_SIZE - 32), 2, COUNT),
                 WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, SUBS, -32, 1, COUNT), WA_WASI_EFAULT);
    /* The count slot. */
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, SUBS, EVENTS, 2, (int32_t)(MEM_SIZE - 3)),
                 WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, SUBS, EVENTS, 2, -1), WA_WASI_EFAULT);
    /* n * 48 and n * 32 overflow 32 bits: still EFAULT, never a wrapped small range. */
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, 0, 0, (int32_t)0x05555556, COUNT), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, 0, 0, -1, COUNT), WA_WASI_EFAULT);
    /* No memory at all. */
    wa_wasi_ctx_set_memory(ctx, NULL);
    cr_assert_eq(poll_n(1), WA_WASI_EFAULT);
    wa_wasi_ctx_set_memory(ctx, &mem);
    cr_assert_lt(now_ns(CLOCK_MONOTONIC) - t0, 1000 * MS, "no call may have waited");
    cr_assert(untouched(EVENTS, 2 * WA_WASI_EVENT_SIZE, FILL), "no event written");
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 77);
}

Test(wasi_poll, bad_subscriptions_are_einval_before_waiting) {
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    put_clock(0, 1, WA_WASI_CLOCK_MONOTONIC, 10000 * MS, 0);
    /* An unknown tag after a valid long sleep: the whole call is EINVAL at once. */
    put_fd(1, 2, 3, 0);
    cr_assert_eq(poll_n(2), WA_WASI_EINVAL);
    put_fd(1, 2, 0xFF, 0);
    cr_assert_eq(poll_n(2), WA_WASI_EINVAL);
    /* Clock ids: the CPU-time clocks cannot be waited on (wasmtime: EINVAL), nor unknown ones. */
    put_clock(1, 2, WA_WASI_CLOCK_PROCESS_CPUTIME_ID, 1 * MS, 0);
    cr_assert_eq(poll_n(2), WA_WASI_EINVAL);
    put_clock(1, 2, WA_WASI_CLOCK_THREAD_CPUTIME_ID, 1 * MS, 0);
    cr_assert_eq(poll_n(2), WA_WASI_EINVAL);
    put_clock(1, 2, WA_WASI_CLOCK_THREAD_CPUTIME_ID, 1 * MS, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    cr_assert_eq(poll_n(2), WA_WASI_EINVAL);
    put_clock(0, 2, 4, 1 * MS, 0);
    cr_assert_eq(poll_n(1), WA_WASI_EINVAL);
    put_clock(0, 2, 0xFFFFFFFF, 1 * MS, 0);
    cr_assert_eq(poll_n(1), WA_WASI_EINVAL);
    /* subclockflags has one flag. */
    put_clock(0, 2, WA_WASI_CLOCK_MONOTONIC, 1 * MS, 2);
    cr_assert_eq(poll_n(1), WA_WASI_EINVAL);
    put_clock(0, 2, WA_WASI_CLOCK_MONOTONIC, 1 * MS, 0x8001);
    cr_assert_eq(poll_n(1), WA_WASI_EINVAL);
    cr_assert_lt(now_ns(CLOCK_MONOTONIC) - t0, 1000 * MS, "no call may have waited");
    cr_assert(untouched(EVENTS, 2 * WA_WASI_EVENT_SIZE, FILL), "no event written");
}

Test(wasi_poll, bad_fd_fails_the_call) {
    /*
     * wasmtime's p1_poll_oneoff_files expects poll_oneoff itself to fail with
     * EBADF for an fd that is not open, and so does this shim: nothing is
     * waited for, no event is written, even with other subscriptions ready.
     */
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]);
    cr_assert_eq(write(p[1], "x", 1), 1);
    wa_guest_store_u32(buf + COUNT, 77);
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_READ, rd);
    put_fd(1, 2, WA_WASI_EVENTTYPE_FD_READ, 99);
    cr_assert_eq(poll_n(2), WA_WASI_EBADF);
    put_fd(1, 2, WA_WASI_EVENTTYPE_FD_WRITE, -1);
    cr_assert_eq(poll_n(2), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_close(ctx, rd), WA_WASI_ESUCCESS);
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_READ, rd);
    cr_assert_eq(poll_n(1), WA_WASI_EBADF, "a closed fd");
    cr_assert(untouched(EVENTS, 2 * WA_WASI_EVENT_SIZE, FILL), "no event written");
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 77);
    close(p[1]);
}

Test(wasi_poll, rights_are_checked) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    /* poll_fd_readwrite allows fd_read only together with fd_read (typenames.witx). */
    int32_t no_poll = add_fd_masked(p[0], WA_WASI_RIGHTS_ALL & ~WA_WASI_RIGHT_POLL_FD_READWRITE);
    int32_t read_only = add_fd_masked(p[1], WA_WASI_RIGHTS_ALL & ~WA_WASI_RIGHT_FD_WRITE);
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_READ, no_poll);
    cr_assert_eq(poll_n(1), WA_WASI_ENOTCAPABLE);
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_WRITE, read_only);
    cr_assert_eq(poll_n(1), WA_WASI_ENOTCAPABLE);
    /* A directory has poll_fd_readwrite but neither fd_read nor fd_write. */
    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    cr_assert_geq(dir, 0);
    int32_t dfd = add_fd(dir);
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_READ, dfd);
    cr_assert_eq(poll_n(1), WA_WASI_ENOTCAPABLE);
    /* The write end has fd_write: ready at once on an empty pipe. */
    int32_t wr = add_fd(dup(p[1]));
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_WRITE, wr);
    cr_assert_eq(poll_n(1), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 1, 0, WA_WASI_EVENTTYPE_FD_WRITE, 0, 0);
}

/* ---- clocks ---- */

/* Sleeps `timeout` ns relative on `clock` and returns how long it took. */
static uint64_t timed_sleep(uint32_t clock, uint64_t timeout) {
    put_clock(0, 0x0123456789ABCDEF, clock, timeout, 0);
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    cr_assert_eq(poll_n(1), WA_WASI_ESUCCESS);
    uint64_t took = now_ns(CLOCK_MONOTONIC) - t0;
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 0x0123456789ABCDEF, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
    return took;
}

Test(wasi_poll, relative_monotonic_sleep) {
    uint64_t took = timed_sleep(WA_WASI_CLOCK_MONOTONIC, 50 * MS);
    cr_assert_geq(took, 50 * MS, "never shorter than asked: %llu ns", (unsigned long long)took);
    cr_assert_lt(took, 200 * MS, "took %llu ns", (unsigned long long)took);
}

Test(wasi_poll, relative_realtime_sleep) {
    uint64_t took = timed_sleep(WA_WASI_CLOCK_REALTIME, 30 * MS);
    cr_assert_geq(took, 30 * MS, "took %llu ns", (unsigned long long)took);
    cr_assert_lt(took, 200 * MS, "took %llu ns", (unsigned long long)took);
}

Test(wasi_poll, zero_timeout_returns_at_once) {
    uint64_t took = timed_sleep(WA_WASI_CLOCK_MONOTONIC, 0);
    cr_assert_lt(took, 50 * MS);
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * 20 sleeps of 50 ms: each one in [50 ms, 200 ms); the distribution goes to
 * stderr (the test log; a Criterion warning would fail the run).
 */
Test(wasi_poll, sleep_distribution) {
    enum { RUNS = 20 };
    uint64_t took[RUNS];
    for (int i = 0; i < RUNS; i++) {
        took[i] = timed_sleep(WA_WASI_CLOCK_MONOTONIC, 50 * MS);
        cr_assert_geq(took[i], 50 * MS);
        cr_assert_lt(took[i], 200 * MS);
    }
    qsort(took, RUNS, sizeof took[0], compare_u64);
    fprintf(stderr, "50 ms sleep over %d runs (us): min %llu, median %llu, p90 %llu, max %llu\n",
            RUNS, (unsigned long long)took[0] / 1000, (unsigned long long)took[RUNS / 2] / 1000,
            (unsigned long long)took[RUNS * 9 / 10] / 1000,
            (unsigned long long)took[RUNS - 1] / 1000);
}

Test(wasi_poll, absolute_deadlines) {
    /* In the past (and 0, the oldest): at once. */
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    put_clock(0, 5, WA_WASI_CLOCK_MONOTONIC, t0 - 10 * MS, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    put_clock(1, 6, WA_WASI_CLOCK_REALTIME, 0, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    cr_assert_eq(poll_n(2), WA_WASI_ESUCCESS);
    cr_assert_lt(now_ns(CLOCK_MONOTONIC) - t0, 50 * MS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 2, "both have passed");
    check_event(0, 5, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
    check_event(1, 6, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);

    /* 40 ms ahead on the monotonic clock (clock_time_get's values). */
    t0 = now_ns(CLOCK_MONOTONIC);
    put_clock(0, 7, WA_WASI_CLOCK_MONOTONIC, t0 + 40 * MS, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    cr_assert_eq(poll_n(1), WA_WASI_ESUCCESS);
    uint64_t took = now_ns(CLOCK_MONOTONIC) - t0;
    cr_assert_geq(took, 40 * MS);
    cr_assert_lt(took, 200 * MS);
    check_event(0, 7, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);

    /* 40 ms ahead on the realtime clock. */
    t0 = now_ns(CLOCK_MONOTONIC);
    put_clock(0, 8, WA_WASI_CLOCK_REALTIME, now_ns(CLOCK_REALTIME) + 40 * MS,
              WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    cr_assert_eq(poll_n(1), WA_WASI_ESUCCESS);
    took = now_ns(CLOCK_MONOTONIC) - t0;
    cr_assert_geq(took, 39 * MS, "the realtime reading is a little later than t0");
    cr_assert_lt(took, 200 * MS);
    check_event(0, 8, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
}

Test(wasi_poll, earliest_clock_fires_alone) {
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    put_clock(0, 1, WA_WASI_CLOCK_MONOTONIC, 300 * MS, 0);
    put_clock(1, 2, WA_WASI_CLOCK_REALTIME, 30 * MS, 0);
    put_clock(2, 3, WA_WASI_CLOCK_MONOTONIC, t0 + 600 * MS, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    cr_assert_eq(poll_n(3), WA_WASI_ESUCCESS);
    uint64_t took = now_ns(CLOCK_MONOTONIC) - t0;
    cr_assert_geq(took, 30 * MS);
    cr_assert_lt(took, 300 * MS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 2, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
    cr_assert(untouched(EVENTS + WA_WASI_EVENT_SIZE, 2 * WA_WASI_EVENT_SIZE, FILL));

    /* Two clocks due at the same time are both reported, in subscription order. */
    t0 = now_ns(CLOCK_MONOTONIC);
    put_clock(0, 10, WA_WASI_CLOCK_MONOTONIC, 500 * MS, 0);
    put_clock(1, 11, WA_WASI_CLOCK_MONOTONIC, t0 + 20 * MS, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    put_clock(2, 12, WA_WASI_CLOCK_MONOTONIC, t0 + 20 * MS, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    cr_assert_eq(poll_n(3), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 2);
    check_event(0, 11, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
    check_event(1, 12, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
}

static void *write_after_50ms(void *arg) {
    struct timespec delay = {.tv_nsec = 50 * 1000 * 1000};
    nanosleep(&delay, NULL);
    ssize_t n = write(*(int *)arg, "hello", 5);
    (void)n;
    return NULL;
}

Test(wasi_poll, huge_timeouts_wait_without_overflow) {
    /*
     * Timeouts near UINT64_MAX (relative: now + timeout overflows; absolute:
     * 584 years away) are "forever": the call ends when the pipe gets data
     * from a thread 50 ms later, and no clock event is reported.
     */
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]);
    put_clock(0, 1, WA_WASI_CLOCK_MONOTONIC, UINT64_MAX, 0);
    put_clock(1, 2, WA_WASI_CLOCK_REALTIME, UINT64_MAX - 1, 0);
    put_clock(2, 3, WA_WASI_CLOCK_MONOTONIC, UINT64_MAX, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    put_clock(3, 4, WA_WASI_CLOCK_REALTIME, UINT64_MAX, WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME);
    put_clock(4, 5, WA_WASI_CLOCK_MONOTONIC, UINT64_C(1) << 63, 0);
    put_fd(5, 6, WA_WASI_EVENTTYPE_FD_READ, rd);
    pthread_t writer;
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    cr_assert_eq(pthread_create(&writer, NULL, write_after_50ms, &p[1]), 0);
    cr_assert_eq(poll_n(6), WA_WASI_ESUCCESS);
    uint64_t took = now_ns(CLOCK_MONOTONIC) - t0;
    pthread_join(writer, NULL);
    cr_assert_geq(took, 45 * MS, "it waited for the writer: %llu ns", (unsigned long long)took);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 6, 0, WA_WASI_EVENTTYPE_FD_READ, 5, 0);
    close(p[1]);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

Test(wasi_poll, eintr_resumes_with_the_time_left) {
    /* No SA_RESTART: the signal at 30 ms interrupts ppoll; the sleep still lasts 100 ms. */
    struct sigaction sa = {.sa_handler = on_alarm};
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
    ualarm(30 * 1000, 0);
    uint64_t took = timed_sleep(WA_WASI_CLOCK_MONOTONIC, 100 * MS);
    cr_assert_eq(alarms, 1);
    cr_assert_geq(took, 100 * MS, "took %llu ns", (unsigned long long)took);
    cr_assert_lt(took, 250 * MS, "the time left, not the whole timeout again: %llu ns",
                 (unsigned long long)took);
}

/* ---- fds ---- */

Test(wasi_poll, fd_read_on_a_pipe) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]);
    /* No data: the clock fires, the fd is not reported. */
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_READ, rd);
    put_clock(1, 2, WA_WASI_CLOCK_MONOTONIC, 30 * MS, 0);
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    cr_assert_eq(poll_n(2), WA_WASI_ESUCCESS);
    cr_assert_geq(now_ns(CLOCK_MONOTONIC) - t0, 30 * MS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 2, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);

    /* With data: at once, nbytes is what can be read, the clock is not reported. */
    cr_assert_eq(write(p[1], "abcdefg", 7), 7);
    put_clock(1, 2, WA_WASI_CLOCK_MONOTONIC, 5000 * MS, 0);
    t0 = now_ns(CLOCK_MONOTONIC);
    cr_assert_eq(poll_n(2), WA_WASI_ESUCCESS);
    cr_assert_lt(now_ns(CLOCK_MONOTONIC) - t0, 1000 * MS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 1, 0, WA_WASI_EVENTTYPE_FD_READ, 7, 0);

    /* Polling consumed nothing. */
    char got[8];
    cr_assert_eq(read(p[0], got, sizeof got), 7);
    close(p[1]);
}

Test(wasi_poll, fd_read_hangup) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]);
    cr_assert_eq(write(p[1], "xy", 2), 2);
    close(p[1]);
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_READ, rd);
    cr_assert_eq(poll_n(1), WA_WASI_ESUCCESS);
    check_event(0, 1, 0, WA_WASI_EVENTTYPE_FD_READ, 2, WA_WASI_EVENT_FD_READWRITE_HANGUP);
    char got[2];
    cr_assert_eq(read(p[0], got, 2), 2);
    cr_assert_eq(poll_n(1), WA_WASI_ESUCCESS);
    check_event(0, 1, 0, WA_WASI_EVENTTYPE_FD_READ, 0, WA_WASI_EVENT_FD_READWRITE_HANGUP);
}

Test(wasi_poll, fd_write_on_a_full_pipe) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
    int32_t wr = add_fd(p[1]);
    static char chunk[4096];
    while (write(p[1], chunk, sizeof chunk) > 0)
        ;
    cr_assert_eq(errno, EAGAIN);
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_WRITE, wr);
    put_clock(1, 2, WA_WASI_CLOCK_MONOTONIC, 30 * MS, 0);
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    cr_assert_eq(poll_n(2), WA_WASI_ESUCCESS);
    cr_assert_geq(now_ns(CLOCK_MONOTONIC) - t0, 30 * MS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 2, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);

    /* Room again: the write subscription is ready. */
    static char sink[65536];
    cr_assert_gt(read(p[0], sink, sizeof sink), 0);
    put_clock(1, 2, WA_WASI_CLOCK_MONOTONIC, 5000 * MS, 0);
    cr_assert_eq(poll_n(2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 1, 0, WA_WASI_EVENTTYPE_FD_WRITE, 0, 0);

    /* No reader left: an event with an error (POLLERR: IO, as wasmtime's poll said). */
    close(p[0]);
    cr_assert_eq(poll_n(2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 1);
    check_event(0, 1, WA_WASI_EIO, WA_WASI_EVENTTYPE_FD_WRITE, 0, 0);
}

Test(wasi_poll, regular_files_are_always_ready) {
    char path[] = "/tmp/test_wasi_poll_XXXXXX";
    int host = mkstemp(path);
    cr_assert_geq(host, 0);
    unlink(path);
    cr_assert_eq(write(host, "0123456789", 10), 10);
    cr_assert_eq(lseek(host, 3, SEEK_SET), 3);
    int32_t fd = add_fd(host);
    put_fd(0, 1, WA_WASI_EVENTTYPE_FD_READ, fd);
    put_clock(1, 2, WA_WASI_CLOCK_MONOTONIC, 5000 * MS, 0);
    put_fd(2, 3, WA_WASI_EVENTTYPE_FD_WRITE, fd);
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    cr_assert_eq(poll_n(3), WA_WASI_ESUCCESS);
    cr_assert_lt(now_ns(CLOCK_MONOTONIC) - t0, 1000 * MS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 2);
    /* nbytes: from the offset (3) to the end (10). */
    check_event(0, 1, 0, WA_WASI_EVENTTYPE_FD_READ, 7, 0);
    check_event(1, 3, 0, WA_WASI_EVENTTYPE_FD_WRITE, 0, 0);

    /* At (or past) the end: still ready, nothing to read. */
    cr_assert_eq(lseek(host, 20, SEEK_SET), 20);
    cr_assert_eq(poll_n(1), WA_WASI_ESUCCESS);
    check_event(0, 1, 0, WA_WASI_EVENTTYPE_FD_READ, 0, 0);
}

Test(wasi_poll, mixed_subscriptions_report_all_ready_events) {
    int a[2], b[2], c[2];
    cr_assert_eq(pipe(a), 0);
    cr_assert_eq(pipe(b), 0);
    cr_assert_eq(pipe(c), 0);
    int32_t ra = add_fd(a[0]), rb = add_fd(b[0]), rc = add_fd(c[0]), wc = add_fd(c[1]);
    cr_assert_eq(write(a[1], "1", 1), 1);
    cr_assert_eq(write(c[1], "333", 3), 3);
    put_clock(0, 100, WA_WASI_CLOCK_MONOTONIC, 5000 * MS, 0);
    put_fd(1, 101, WA_WASI_EVENTTYPE_FD_READ, ra);
    put_fd(2, 102, WA_WASI_EVENTTYPE_FD_READ, rb); /* no data: not reported */
    put_fd(3, 103, WA_WASI_EVENTTYPE_FD_READ, rc);
    put_fd(4, 104, WA_WASI_EVENTTYPE_FD_WRITE, wc);
    put_fd(5, 105, WA_WASI_EVENTTYPE_FD_READ, ra); /* the same fd twice: two events */
    cr_assert_eq(poll_n(6), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 4);
    check_event(0, 101, 0, WA_WASI_EVENTTYPE_FD_READ, 1, 0);
    check_event(1, 103, 0, WA_WASI_EVENTTYPE_FD_READ, 3, 0);
    check_event(2, 104, 0, WA_WASI_EVENTTYPE_FD_WRITE, 0, 0);
    check_event(3, 105, 0, WA_WASI_EVENTTYPE_FD_READ, 1, 0);
    cr_assert(untouched(EVENTS + 4 * WA_WASI_EVENT_SIZE, 2 * WA_WASI_EVENT_SIZE, FILL));
    close(a[1]);
    close(b[1]);
}

Test(wasi_poll, events_may_overwrite_subscriptions) {
    /* out == in, unaligned: every subscription is read before any event is written. */
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]);
    cr_assert_eq(write(p[1], "z", 1), 1);
    const uint32_t at = 3001;
    put_clock_at(at, 0, 1, WA_WASI_CLOCK_MONOTONIC, 0, 0);
    uint8_t *s = buf + at + WA_WASI_SUBSCRIPTION_SIZE;
    memset(s, 0, WA_WASI_SUBSCRIPTION_SIZE);
    wa_guest_store_u64(s, 2);
    s[WA_WASI_SUBSCRIPTION_TAG] = WA_WASI_EVENTTYPE_FD_READ;
    wa_guest_store_u32(s + WA_WASI_SUBSCRIPTION_FD, (uint32_t)rd);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, at, at, 2, 7), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + 7), 2);
    cr_assert_eq(load_u64(at), 1);
    cr_assert_eq(buf[at + WA_WASI_EVENT_TYPE], WA_WASI_EVENTTYPE_CLOCK);
    cr_assert_eq(load_u64(at + WA_WASI_EVENT_SIZE), 2);
    cr_assert_eq(buf[at + WA_WASI_EVENT_SIZE + WA_WASI_EVENT_TYPE], WA_WASI_EVENTTYPE_FD_READ);
    cr_assert_eq(load_u64(at + WA_WASI_EVENT_SIZE + WA_WASI_EVENT_NBYTES), 1);
    close(p[1]);
}

Test(wasi_poll, many_subscriptions) {
    /* More than fit on the stack: the heap path, 100 clocks of which 3 are due. */
    for (uint32_t i = 0; i < 100; i++)
        put_clock(i, i, WA_WASI_CLOCK_MONOTONIC, i % 40 == 7 ? 0 : 5000 * MS, 0);
    cr_assert_eq(poll_n(100), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + COUNT), 3);
    check_event(0, 7, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
    check_event(1, 47, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
    check_event(2, 87, 0, WA_WASI_EVENTTYPE_CLOCK, 0, 0);
}

/* ---- lookup ---- */

Test(wasi_poll, registered) {
    static const uint8_t i32s[] = {WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32};
    void *code = NULL;
    wa_rt_functype_t t = {4, 1, i32s};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "poll_oneoff", &t, &code), WA_WASI_FOUND);
    cr_assert_eq(code, (void *)(uintptr_t)wa_wasi_poll_oneoff);
    wa_rt_functype_t three = {3, 1, i32s};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "poll_oneoff", &three, &code),
                 WA_WASI_TYPE_MISMATCH);
}
