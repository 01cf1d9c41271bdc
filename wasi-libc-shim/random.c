/*
 * random.c: random_get (wasi_snapshot_preview1.witx): fills a guest buffer
 * from the kernel's CSPRNG, blocking only until it is first seeded, as the
 * witx allows ("blocks when ... unable to immediately provide" the data).
 */
#include "wasi_impl.h"

#include <stddef.h>
#if defined(__linux__)
#include <sys/random.h>
#else
#include <unistd.h>
#endif

/* Fills buf with n random bytes; returns a WASI errno. */
static int32_t fill_random(uint8_t *buf, size_t n) {
    while (n > 0) {
#if defined(__linux__)
        /* getrandom may return fewer bytes than asked (at most 32 MiB - 1 per call). */
        ssize_t got = getrandom(buf, n, 0);
#else
        /* getentropy fills at most 256 bytes per call, all or nothing. */
        size_t chunk = n < 256 ? n : 256;
        ssize_t got = getentropy(buf, chunk) == 0 ? (ssize_t)chunk : -1;
#endif
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return wa_errno_from_host(errno);
        }
        buf += got;
        n -= (size_t)got;
    }
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_random_get(wa_wasi_ctx_t *ctx, int32_t buf, int32_t buf_len) {
    uint8_t *out;
    if (!wa_guest_range(ctx, (uint32_t)buf, (uint32_t)buf_len, &out))
        return WA_WASI_EFAULT;
    return fill_random(out, (uint32_t)buf_len);
}
