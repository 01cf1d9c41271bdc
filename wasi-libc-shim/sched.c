/*
 * sched.c: sched_yield (wasi_snapshot_preview1.witx): gives up the CPU to
 * other host threads and processes. poll_oneoff, the other waiting function,
 * goes in poll.c.
 */
#include "wasi_impl.h"

#include <sched.h>

int32_t wa_wasi_sched_yield(wa_wasi_ctx_t *ctx) {
    (void)ctx;
    /* POSIX sched_yield cannot fail on Linux; map an error anyway should a host report one. */
    return sched_yield() == 0 ? WA_WASI_ESUCCESS : wa_errno_from_host(errno);
}
