/*
 * fd.c: the fd_* functions of wasi_snapshot_preview1.witx that work on an
 * open fd: fd_read, fd_write, fd_seek, fd_close, fd_fdstat_get,
 * fd_fdstat_set_flags, fd_prestat_get, fd_prestat_dir_name.
 *
 * Reads and writes are one readv/writev on the host fd, so they have POSIX
 * semantics, short counts included: a guest libc already loops on short
 * writes. Only the first IOV_MAX iovecs are used, and the lengths are clipped
 * so the byte count fits the u32 result; both just make the transfer shorter,
 * which POSIX allows. A call interrupted by a signal before moving any data
 * (EINTR) is retried: the guest never sees EINTR from a signal it cannot
 * handle.
 */
#include "wasi_impl.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

/* Shared with sock.c's sock_recv and sock_send (wasi_impl.h). */
int32_t wa_fd_gather_iovs(wa_wasi_ctx_t *ctx, int32_t iovs, int32_t iovs_len, wa_fd_iovs_t *out) {
    uint32_t count = (uint32_t)iovs_len;
    uint8_t *array;
    if (!wa_guest_range(ctx, (uint32_t)iovs, (uint64_t)count * WA_WASI_CIOVEC_SIZE, &array))
        return WA_WASI_EFAULT;
    if (count > IOV_MAX)
        count = IOV_MAX;
    out->v = out->small;
    if (count > WA_FD_SMALL_IOVS && !(out->v = malloc(count * sizeof *out->v)))
        return WA_WASI_ENOMEM;
    uint64_t total = 0;
    out->n = 0;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *iov = array + (size_t)i * WA_WASI_CIOVEC_SIZE;
        uint32_t buf = wa_guest_load_u32(iov);
        uint32_t len = wa_guest_load_u32(iov + 4);
        uint8_t *host;
        if (!wa_guest_range(ctx, buf, len, &host)) {
            if (out->v != out->small)
                free(out->v);
            return WA_WASI_EFAULT;
        }
        /* The count the guest gets back is a u32 (several iovecs may alias one region). */
        if (len > UINT32_MAX - total)
            len = (uint32_t)(UINT32_MAX - total);
        out->v[out->n++] = (struct iovec){.iov_base = host, .iov_len = len};
        total += len;
    }
    return WA_WASI_ESUCCESS;
}

void wa_fd_free_iovs(wa_fd_iovs_t *iovs) {
    if (iovs->v != iovs->small)
        free(iovs->v);
}

/*
 * fd_read and fd_write: one readv/writev over the guest's iovecs (so short
 * counts behave as in POSIX), retried on EINTR; the count is stored at
 * count_out, which is checked before any data moves (data read from a pipe
 * could not be put back).
 */
static int32_t transfer(wa_wasi_ctx_t *ctx, int32_t fd, uint64_t right, int32_t iovs,
                        int32_t iovs_len, int32_t count_out,
                        ssize_t (*io)(int, const struct iovec *, int)) {
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, right, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint8_t *result = wa_guest_out(ctx, count_out, 4);
    if (!result)
        return WA_WASI_EFAULT;
    wa_fd_iovs_t v;
    err = wa_fd_gather_iovs(ctx, iovs, iovs_len, &v);
    if (err != WA_WASI_ESUCCESS)
        return err;
    ssize_t n;
    do
        n = io(e->host_fd, v.v, v.n);
    while (n < 0 && errno == EINTR);
    err = n < 0 ? wa_errno_from_host(errno) : WA_WASI_ESUCCESS;
    wa_fd_free_iovs(&v);
    if (n >= 0)
        wa_guest_store_u32(result, (uint32_t)n);
    return err;
}

int32_t wa_wasi_fd_write(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                         int32_t nwritten_out) {
    return transfer(ctx, fd, WA_WASI_RIGHT_FD_WRITE, iovs, iovs_len, nwritten_out, writev);
}

int32_t wa_wasi_fd_read(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                        int32_t nread_out) {
    return transfer(ctx, fd, WA_WASI_RIGHT_FD_READ, iovs, iovs_len, nread_out, readv);
}

int32_t wa_wasi_fd_seek(wa_wasi_ctx_t *ctx, int32_t fd, int64_t offset, int32_t whence,
                        int32_t newoffset_out) {
    /* Asking where the fd is without moving it needs only fd_tell (witx: fd_tell is fd_seek's). */
    uint64_t right =
        offset == 0 && whence == WA_WASI_WHENCE_CUR ? WA_WASI_RIGHT_FD_TELL : WA_WASI_RIGHT_FD_SEEK;
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, right, &e);
    /*
     * Streams (pipes, terminals, sockets) have no seek right because they
     * cannot seek: say ESPIPE, as the host and other WASI hosts do, so a
     * guest libc's ftell on a pipe reports what native code reports.
     */
    if (err == WA_WASI_ENOTCAPABLE && lseek(wa_fdtab_get(ctx, fd)->host_fd, 0, SEEK_CUR) < 0 &&
        errno == ESPIPE)
        return WA_WASI_ESPIPE;
    if (err != WA_WASI_ESUCCESS)
        return err;
    int host_whence;
    switch (whence) {
    case WA_WASI_WHENCE_SET:
        host_whence = SEEK_SET;
        break;
    case WA_WASI_WHENCE_CUR:
        host_whence = SEEK_CUR;
        break;
    case WA_WASI_WHENCE_END:
        host_whence = SEEK_END;
        break;
    default:
        return WA_WASI_EINVAL;
    }
    uint8_t *result = wa_guest_out(ctx, newoffset_out, 8);
    if (!result)
        return WA_WASI_EFAULT;
    /* Pipes, sockets and terminals: the host answers ESPIPE, and so do we. */
    off_t pos = lseek(e->host_fd, (off_t)offset, host_whence);
    if (pos < 0)
        return wa_errno_from_host(errno);
    wa_guest_store_u64(result, (uint64_t)pos);
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_fd_close(wa_wasi_ctx_t *ctx, int32_t fd) {
    return wa_fdtab_close(ctx, fd);
}

/*
 * The host's O_* status flags as WASI fdflags. Linux spells O_SYNC as
 * O_DSYNC plus a bit and O_RSYNC as O_SYNC, so a synchronous fd reports all
 * three: each is true of it.
 */
static uint16_t fdflags_from_host(int fl) {
    uint16_t flags = 0;
    if (fl & O_APPEND)
        flags |= WA_WASI_FDFLAG_APPEND;
    if (fl & O_NONBLOCK)
        flags |= WA_WASI_FDFLAG_NONBLOCK;
    if ((fl & O_DSYNC) == O_DSYNC)
        flags |= WA_WASI_FDFLAG_DSYNC;
    if ((fl & O_SYNC) == O_SYNC)
        flags |= WA_WASI_FDFLAG_SYNC;
#ifdef O_RSYNC
    if ((fl & O_RSYNC) == O_RSYNC)
        flags |= WA_WASI_FDFLAG_RSYNC;
#endif
    return flags;
}

int32_t wa_wasi_fd_fdstat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t fdstat_out) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    uint8_t *out = wa_guest_out(ctx, fdstat_out, WA_WASI_FDSTAT_SIZE);
    if (!out)
        return WA_WASI_EFAULT;
    int fl = fcntl(e->host_fd, F_GETFL);
    if (fl < 0)
        return wa_errno_from_host(errno);
    /* Padding bytes (1 and 4-7) are zeroed so the guest never sees stale memory as data. */
    memset(out, 0, WA_WASI_FDSTAT_SIZE);
    out[WA_WASI_FDSTAT_FILETYPE] = e->filetype;
    wa_guest_store_u16(out + WA_WASI_FDSTAT_FLAGS, fdflags_from_host(fl));
    wa_guest_store_u64(out + WA_WASI_FDSTAT_RIGHTS_BASE, e->rights_base);
    wa_guest_store_u64(out + WA_WASI_FDSTAT_RIGHTS_INHERITING, e->rights_inheriting);
    return WA_WASI_ESUCCESS;
}

/*
 * fcntl(F_SETFL) can change O_APPEND and O_NONBLOCK only; the synchronous
 * flags are fixed when a file is opened. So those must stay as they are:
 * asking to change them is NOTSUP rather than a silent no-op.
 */
int32_t wa_wasi_fd_fdstat_set_flags(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags) {
    const uint16_t settable = WA_WASI_FDFLAG_APPEND | WA_WASI_FDFLAG_NONBLOCK;
    const uint16_t sync = WA_WASI_FDFLAG_DSYNC | WA_WASI_FDFLAG_RSYNC | WA_WASI_FDFLAG_SYNC;
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    /* fdflags is a u16 with five defined bits. */
    if ((uint32_t)flags & ~(uint32_t)(settable | sync))
        return WA_WASI_EINVAL;
    int fl = fcntl(e->host_fd, F_GETFL);
    if (fl < 0)
        return wa_errno_from_host(errno);
    if ((flags & sync) != (fdflags_from_host(fl) & sync))
        return WA_WASI_ENOTSUP;
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WA_WASI_FDFLAG_APPEND)
        fl |= O_APPEND;
    if (flags & WA_WASI_FDFLAG_NONBLOCK)
        fl |= O_NONBLOCK;
    if (fcntl(e->host_fd, F_SETFL, fl) < 0)
        return wa_errno_from_host(errno);
    return WA_WASI_ESUCCESS;
}

/* The preopened directory at `fd`, or NULL: any other fd is EBADF to fd_prestat_*. */
static wa_fdtab_entry_t *get_preopen(wa_wasi_ctx_t *ctx, int32_t fd) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    return e && e->kind == WA_FDTAB_PREOPEN ? e : NULL;
}

int32_t wa_wasi_fd_prestat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t prestat_out) {
    wa_fdtab_entry_t *e = get_preopen(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    uint8_t *out = wa_guest_out(ctx, prestat_out, WA_WASI_PRESTAT_SIZE);
    if (!out)
        return WA_WASI_EFAULT;
    memset(out, 0, WA_WASI_PRESTAT_SIZE);
    out[WA_WASI_PRESTAT_TAG] = WA_WASI_PREOPENTYPE_DIR;
    wa_guest_store_u32(out + WA_WASI_PRESTAT_DIR_NAME_LEN, (uint32_t)strlen(e->preopen_name));
    return WA_WASI_ESUCCESS;
}

/* Writes the name without a NUL, as wasi-libc expects (it asks for pr_name_len bytes). */
int32_t wa_wasi_fd_prestat_dir_name(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path,
                                    int32_t path_len) {
    wa_fdtab_entry_t *e = get_preopen(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    uint8_t *out;
    if (!wa_guest_range(ctx, (uint32_t)path, (uint32_t)path_len, &out))
        return WA_WASI_EFAULT;
    size_t len = strlen(e->preopen_name);
    if ((uint32_t)path_len < len)
        return WA_WASI_ENAMETOOLONG;
    memcpy(out, e->preopen_name, len);
    return WA_WASI_ESUCCESS;
}
