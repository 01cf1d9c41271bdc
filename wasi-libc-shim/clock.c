/*
 * clock.c: clock_res_get and clock_time_get (wasi_snapshot_preview1.witx).
 *
 * The four WASI clocks are the POSIX clocks of the same meaning; times are
 * u64 nanoseconds. The precision argument of clock_time_get is a permission
 * to be late, so reading the clock exactly always satisfies it.
 */
#include "wasi_impl.h"

#include <time.h>

/* The host clock for a WASI clockid; false for ids the witx does not define (EINVAL). */
static bool host_clock(int32_t id, clockid_t *out) {
    switch (id) {
    case WA_WASI_CLOCK_REALTIME:
        *out = CLOCK_REALTIME;
        return true;
    case WA_WASI_CLOCK_MONOTONIC:
        *out = CLOCK_MONOTONIC;
        return true;
    case WA_WASI_CLOCK_PROCESS_CPUTIME_ID:
        *out = CLOCK_PROCESS_CPUTIME_ID;
        return true;
    case WA_WASI_CLOCK_THREAD_CPUTIME_ID:
        *out = CLOCK_THREAD_CPUTIME_ID;
        return true;
    default:
        return false;
    }
}

/* A timespec as u64 nanoseconds; false if it is negative or past 2554 (EOVERFLOW). */
static bool to_nanoseconds(const struct timespec *ts, uint64_t *ns) {
    const uint64_t billion = 1000000000u;
    if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
        (uint64_t)ts->tv_sec > (UINT64_MAX - billion) / billion)
        return false;
    *ns = (uint64_t)ts->tv_sec * billion + (uint64_t)ts->tv_nsec;
    return true;
}

int32_t wa_wasi_clock_res_get(wa_wasi_ctx_t *ctx, int32_t id, int32_t res_out) {
    clockid_t clock;
    if (!host_clock(id, &clock))
        return WA_WASI_EINVAL;
    uint8_t *out = wa_guest_out(ctx, res_out, 8);
    if (!out)
        return WA_WASI_EFAULT;
    struct timespec ts;
    uint64_t ns;
    if (clock_getres(clock, &ts) != 0)
        return wa_errno_from_host(errno);
    if (!to_nanoseconds(&ts, &ns))
        return WA_WASI_EOVERFLOW;
    /* The witx requires a non-zero resolution for a supported clock. */
    wa_guest_store_u64(out, ns ? ns : 1);
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_clock_time_get(wa_wasi_ctx_t *ctx, int32_t id, int64_t precision,
                               int32_t time_out) {
    (void)precision;
    clockid_t clock;
    if (!host_clock(id, &clock))
        return WA_WASI_EINVAL;
    uint8_t *out = wa_guest_out(ctx, time_out, 8);
    if (!out)
        return WA_WASI_EFAULT;
    struct timespec ts;
    uint64_t ns;
    if (clock_gettime(clock, &ts) != 0)
        return wa_errno_from_host(errno);
    if (!to_nanoseconds(&ts, &ns))
        return WA_WASI_EOVERFLOW;
    wa_guest_store_u64(out, ns);
    return WA_WASI_ESUCCESS;
}
