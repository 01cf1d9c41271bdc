/*
 * errno.c: host errno -> WASI errno, through the one table WA_WASI_ERRNO_LIST
 * (wasi_impl.h), whose rows are the witx's $errno values in order.
 *
 * Host values WASI has no name for become EIO: the call did fail, and EIO
 * ("I/O error") is the least specific error a guest's libc knows.
 */
#include "wasi_impl.h"

/* The host column of the table, indexed by WASI errno. */
static const int host_errnos[WA_WASI_ERRNO_COUNT] = {
#define WA_WASI_X(name, value, host) [value] = host,
    WA_WASI_ERRNO_LIST(WA_WASI_X)
#undef WA_WASI_X
};

int32_t wa_errno_from_host(int host_errno) {
    if (host_errno == 0)
        return WA_WASI_ESUCCESS;
    /*
     * Aliases: POSIX lets EWOULDBLOCK and EOPNOTSUPP differ from EAGAIN and
     * ENOTSUP (on Linux they are equal, and these branches fold away).
     */
    if (host_errno == EWOULDBLOCK)
        return WA_WASI_EAGAIN;
    if (host_errno == EOPNOTSUPP)
        return WA_WASI_ENOTSUP;
    for (int32_t e = 1; e < WA_WASI_ERRNO_COUNT; e++) {
        if (host_errnos[e] == host_errno)
            return e;
    }
    return WA_WASI_EIO;
}
