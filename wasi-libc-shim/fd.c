/*
 * fd.c: the fd_* functions of wasi_snapshot_preview1.witx that work on an
 * open fd (fd_readdir is in dir.c): I/O (fd_read, fd_write, fd_pread,
 * fd_pwrite, fd_seek, fd_tell), file data (fd_advise, fd_allocate,
 * fd_datasync, fd_sync), status (fd_fdstat_get, fd_fdstat_set_flags,
 * fd_fdstat_set_rights, fd_filestat_get, fd_filestat_set_size,
 * fd_filestat_set_times), the table (fd_close, fd_renumber) and preopens
 * (fd_prestat_get, fd_prestat_dir_name).
 *
 * Order of checks, as wasmtime does it: argument values first (an advice,
 * whence or flag outside its witx type is EINVAL, even on a bad fd), then
 * the fd with the rights the witx ties to the function (EBADF, NOTCAPABLE),
 * then guest memory (EFAULT), then the host call. Directories have no
 * read, write, seek or size rights, so those are NOTCAPABLE on them, one of
 * the answers wasi-testsuite accepts (wasmtime says EBADF).
 *
 * Reads and writes are one readv/writev (preadv/pwritev) on the host fd, so
 * they have POSIX semantics, short counts included: a guest libc already
 * loops on short transfers. Every iovec is checked against the memory, but
 * empty ones are left out and only the first IOV_MAX others are used, with
 * lengths clipped so the count fits the u32 result: both just make the
 * transfer shorter, which POSIX allows (a native writev would fail EINVAL
 * past IOV_MAX). Calls interrupted by a signal before moving any data
 * (EINTR) are retried: the guest never sees EINTR from a signal it cannot
 * handle.
 *
 * Positioned calls (fd_pread, fd_pwrite, fd_seek, fd_tell) need FD_SEEK
 * (fd_tell and a (0, cur) seek only FD_TELL, which FD_SEEK implies). A
 * stream lacks those rights because it cannot seek, so there the answer is
 * ESPIPE, as the host's and wasmtime's (ftell on a pipe then reports what
 * native code reports). fd_pwrite on an O_APPEND file appends, ignoring the
 * offset: Linux pwrite does, and wasmtime copies that on purpose.
 */
#include "wasi_impl.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

/* Shared with sock.c's sock_recv and sock_send (wasi_impl.h). */
void wa_fd_free_iovs(wa_fd_iovs_t *iovs) {
    if (iovs->v != iovs->small)
        free(iovs->v);
}

/*
 * Translates the guest array of `iovs_len` (c)iovecs at `iovs` into `out`,
 * checking the array and every buffer against the memory first (nothing is
 * allocated for an array that does not fit, however long it claims to be).
 * Returns a WASI errno; on success the caller frees with wa_fd_free_iovs.
 */
int32_t wa_fd_gather_iovs(wa_wasi_ctx_t *ctx, int32_t iovs, int32_t iovs_len, wa_fd_iovs_t *out) {
    uint32_t count = (uint32_t)iovs_len;
    uint8_t *array;
    if (!wa_guest_range(ctx, (uint32_t)iovs, (uint64_t)count * WA_WASI_CIOVEC_SIZE, &array))
        return WA_WASI_EFAULT;
    uint32_t used = 0;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *iov = array + (size_t)i * WA_WASI_CIOVEC_SIZE;
        uint8_t *host;
        uint32_t len = wa_guest_load_u32(iov + 4);
        if (!wa_guest_range(ctx, wa_guest_load_u32(iov), len, &host))
            return WA_WASI_EFAULT;
        if (len > 0 && used < IOV_MAX)
            used++;
    }
    out->v = out->small;
    if (used > WA_FD_SMALL_IOVS && !(out->v = malloc(used * sizeof *out->v)))
        return WA_WASI_ENOMEM;
    uint64_t total = 0;
    out->n = 0;
    for (uint32_t i = 0; i < count && (uint32_t)out->n < used; i++) {
        const uint8_t *iov = array + (size_t)i * WA_WASI_CIOVEC_SIZE;
        uint32_t len = wa_guest_load_u32(iov + 4);
        /* The count the guest gets back is a u32 (several iovecs may alias one region). */
        if (len > UINT32_MAX - total)
            len = (uint32_t)(UINT32_MAX - total);
        if (len == 0)
            continue;
        out->v[out->n++] =
            (struct iovec){.iov_base = ctx->memory->base + wa_guest_load_u32(iov), .iov_len = len};
        total += len;
    }
    return WA_WASI_ESUCCESS;
}

/*
 * wa_fdtab_lookup for the positioned calls: FD_SEEK stands in for FD_TELL
 * (witx: fd_seek implies fd_tell), and when only FD_SEEK/FD_TELL are
 * missing and the host fd cannot seek either, the answer is ESPIPE.
 */
static int32_t lookup_positioned(wa_wasi_ctx_t *ctx, int32_t fd, uint64_t rights,
                                 wa_fdtab_entry_t **out) {
    const uint64_t positioning = WA_WASI_RIGHT_FD_SEEK | WA_WASI_RIGHT_FD_TELL;
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    if ((rights & WA_WASI_RIGHT_FD_TELL) && (e->rights_base & WA_WASI_RIGHT_FD_SEEK))
        rights &= ~WA_WASI_RIGHT_FD_TELL;
    int32_t err = wa_fdtab_lookup(ctx, fd, rights, out);
    uint64_t missing = rights & ~e->rights_base;
    if (err == WA_WASI_ENOTCAPABLE && !(missing & ~positioning) &&
        lseek(e->host_fd, 0, SEEK_CUR) < 0 && errno == ESPIPE)
        return WA_WASI_ESPIPE;
    return err;
}

/* How one transfer moves data: the four host calls behind fd_read/write/pread/pwrite. */
typedef enum transfer_kind { READ, WRITE, PREAD, PWRITE } transfer_kind_t;

static ssize_t host_transfer(transfer_kind_t kind, int fd, const struct iovec *v, int n,
                             off_t offset) {
    switch (kind) {
    case READ:
        return readv(fd, v, n);
    case WRITE:
        return writev(fd, v, n);
    case PREAD:
        return preadv(fd, v, n, offset);
    default:
        return pwritev(fd, v, n, offset);
    }
}

/*
 * fd_read, fd_write, fd_pread, fd_pwrite: one host call over the guest's
 * iovecs, retried on EINTR; the count is stored at count_out, which is
 * checked before any data moves (data read from a pipe could not be put
 * back). `offset` is only used by the positioned kinds.
 */
static int32_t transfer(wa_wasi_ctx_t *ctx, transfer_kind_t kind, int32_t fd, int32_t iovs,
                        int32_t iovs_len, uint64_t offset, int32_t count_out) {
    static const uint64_t rights[] = {
        [READ] = WA_WASI_RIGHT_FD_READ,
        [WRITE] = WA_WASI_RIGHT_FD_WRITE,
        [PREAD] = WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_SEEK,
        [PWRITE] = WA_WASI_RIGHT_FD_WRITE | WA_WASI_RIGHT_FD_SEEK,
    };
    bool positioned = kind == PREAD || kind == PWRITE;
    wa_fdtab_entry_t *e;
    int32_t err = positioned ? lookup_positioned(ctx, fd, rights[kind], &e)
                             : wa_fdtab_lookup(ctx, fd, rights[kind], &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint8_t *result = wa_guest_out(ctx, count_out, 4);
    if (!result)
        return WA_WASI_EFAULT;
    wa_fd_iovs_t v;
    if ((err = wa_fd_gather_iovs(ctx, iovs, iovs_len, &v)) != WA_WASI_ESUCCESS)
        return err;
    /* An offset off_t cannot hold is past any file's end: the host's EINVAL for a negative one. */
    if (positioned && offset > INT64_MAX) {
        wa_fd_free_iovs(&v);
        return WA_WASI_EINVAL;
    }
    ssize_t n = 0;
    /* Nothing to move (no iovecs, or only empty ones): zero, without blocking on a pipe. */
    if (v.n > 0) {
        do
            n = host_transfer(kind, e->host_fd, v.v, v.n, (off_t)offset);
        while (n < 0 && errno == EINTR);
    }
    err = n < 0 ? wa_errno_from_host(errno) : WA_WASI_ESUCCESS;
    wa_fd_free_iovs(&v);
    if (n >= 0)
        wa_guest_store_u32(result, (uint32_t)n);
    return err;
}

int32_t wa_wasi_fd_read(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                        int32_t nread_out) {
    return transfer(ctx, READ, fd, iovs, iovs_len, 0, nread_out);
}

int32_t wa_wasi_fd_write(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                         int32_t nwritten_out) {
    return transfer(ctx, WRITE, fd, iovs, iovs_len, 0, nwritten_out);
}

int32_t wa_wasi_fd_pread(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                         int64_t offset, int32_t nread_out) {
    return transfer(ctx, PREAD, fd, iovs, iovs_len, (uint64_t)offset, nread_out);
}

int32_t wa_wasi_fd_pwrite(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                          int64_t offset, int32_t nwritten_out) {
    return transfer(ctx, PWRITE, fd, iovs, iovs_len, (uint64_t)offset, nwritten_out);
}

int32_t wa_wasi_fd_seek(wa_wasi_ctx_t *ctx, int32_t fd, int64_t offset, int32_t whence,
                        int32_t newoffset_out) {
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
    /* Asking where the fd is without moving it needs only fd_tell (witx). */
    uint64_t right =
        offset == 0 && whence == WA_WASI_WHENCE_CUR ? WA_WASI_RIGHT_FD_TELL : WA_WASI_RIGHT_FD_SEEK;
    wa_fdtab_entry_t *e;
    int32_t err = lookup_positioned(ctx, fd, right, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint8_t *result = wa_guest_out(ctx, newoffset_out, 8);
    if (!result)
        return WA_WASI_EFAULT;
    /* A position before the start is the host's EINVAL. */
    off_t pos = lseek(e->host_fd, (off_t)offset, host_whence);
    if (pos < 0)
        return wa_errno_from_host(errno);
    wa_guest_store_u64(result, (uint64_t)pos);
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_fd_tell(wa_wasi_ctx_t *ctx, int32_t fd, int32_t offset_out) {
    wa_fdtab_entry_t *e;
    int32_t err = lookup_positioned(ctx, fd, WA_WASI_RIGHT_FD_TELL, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint8_t *result = wa_guest_out(ctx, offset_out, 8);
    if (!result)
        return WA_WASI_EFAULT;
    off_t pos = lseek(e->host_fd, 0, SEEK_CUR);
    if (pos < 0)
        return wa_errno_from_host(errno);
    wa_guest_store_u64(result, (uint64_t)pos);
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_fd_close(wa_wasi_ctx_t *ctx, int32_t fd) {
    return wa_fdtab_close(ctx, fd);
}

/* fd_renumber needs no right (witx): it only moves what the guest already holds. */
int32_t wa_wasi_fd_renumber(wa_wasi_ctx_t *ctx, int32_t fd, int32_t to) {
    return wa_fdtab_renumber(ctx, fd, to);
}

/* ---- File data. ---- */

/* A filesize argument as off_t; false when off_t cannot hold it. */
static bool to_off(uint64_t size, off_t *out) {
    if (size > INT64_MAX)
        return false;
    *out = (off_t)size;
    return true;
}

/*
 * posix_fadvise's advice is only a hint, but an advice outside the witx enum
 * is EINVAL (the host would say the same of an unknown value).
 */
int32_t wa_wasi_fd_advise(wa_wasi_ctx_t *ctx, int32_t fd, int64_t offset, int64_t len,
                          int32_t advice) {
    // clang-format off
    static const int host_advice[] = {
        [WA_WASI_ADVICE_NORMAL] = POSIX_FADV_NORMAL,     [WA_WASI_ADVICE_SEQUENTIAL] = POSIX_FADV_SEQUENTIAL,
        [WA_WASI_ADVICE_RANDOM] = POSIX_FADV_RANDOM,     [WA_WASI_ADVICE_WILLNEED] = POSIX_FADV_WILLNEED,
        [WA_WASI_ADVICE_DONTNEED] = POSIX_FADV_DONTNEED, [WA_WASI_ADVICE_NOREUSE] = POSIX_FADV_NOREUSE,
    };
    // clang-format on
    if ((uint32_t)advice >= sizeof host_advice / sizeof host_advice[0])
        return WA_WASI_EINVAL;
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_FD_ADVISE, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    off_t host_offset, host_len;
    if (!to_off((uint64_t)offset, &host_offset) || !to_off((uint64_t)len, &host_len))
        return WA_WASI_EINVAL;
    /* posix_fadvise returns the error number instead of setting errno. */
    int rc = posix_fadvise(e->host_fd, host_offset, host_len, host_advice[advice]);
    return wa_errno_from_host(rc);
}

/*
 * The witx describes posix_fallocate, and that is what this does: the file
 * grows to offset + len if it is shorter, with the space reserved. wasmtime
 * answers NOTSUP instead (its preview1 sits on preview2, which has no
 * allocate); wasi-testsuite accepts either, and checks the sizes when the
 * call succeeds. A range beyond off_t is EFBIG, as posix_fallocate says of
 * offset + len too large; len 0 is the host's EINVAL.
 */
int32_t wa_wasi_fd_allocate(wa_wasi_ctx_t *ctx, int32_t fd, int64_t offset, int64_t len) {
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_FD_ALLOCATE, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    off_t host_offset, host_len;
    if (!to_off((uint64_t)offset, &host_offset) || !to_off((uint64_t)len, &host_len) ||
        host_len > INT64_MAX - host_offset)
        return WA_WASI_EFBIG;
    int rc;
    do
        rc = posix_fallocate(e->host_fd, host_offset, host_len);
    while (rc == EINTR);
    return wa_errno_from_host(rc);
}

/* fd_datasync and fd_sync: fdatasync/fsync, retried on EINTR. */
static int32_t sync_fd(wa_wasi_ctx_t *ctx, int32_t fd, uint64_t right, int (*sync)(int)) {
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, right, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    int rc;
    do
        rc = sync(e->host_fd);
    while (rc != 0 && errno == EINTR);
    return rc == 0 ? WA_WASI_ESUCCESS : wa_errno_from_host(errno);
}

int32_t wa_wasi_fd_datasync(wa_wasi_ctx_t *ctx, int32_t fd) {
    return sync_fd(ctx, fd, WA_WASI_RIGHT_FD_DATASYNC, fdatasync);
}

int32_t wa_wasi_fd_sync(wa_wasi_ctx_t *ctx, int32_t fd) {
    return sync_fd(ctx, fd, WA_WASI_RIGHT_FD_SYNC, fsync);
}

/* ---- Status. ---- */

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

/* fd_fdstat_get needs no right (witx): any open fd can be asked what it is. */
int32_t wa_wasi_fd_fdstat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t fdstat_out) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    uint8_t *out = wa_guest_out(ctx, fdstat_out, WA_WASI_FDSTAT_SIZE);
    if (!out)
        return WA_WASI_EFAULT;
    int fl = e->host_fd > STDERR_FILENO && e->status_flags >= 0 ? e->status_flags
                                                                : fcntl(e->host_fd, F_GETFL);
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
 * flags are fixed when a file is opened. Asking to change those is EINVAL,
 * wasmtime's answer (it refuses any sync flag; here the ones the fd already
 * has may be passed back, so fcntl(F_SETFL, fcntl(F_GETFL) | O_NONBLOCK)
 * works on a synchronous fd too).
 */
int32_t wa_wasi_fd_fdstat_set_flags(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags) {
    const uint16_t settable = WA_WASI_FDFLAG_APPEND | WA_WASI_FDFLAG_NONBLOCK;
    const uint16_t sync = WA_WASI_FDFLAG_DSYNC | WA_WASI_FDFLAG_RSYNC | WA_WASI_FDFLAG_SYNC;
    /* fdflags is a u16 with five defined bits. */
    if ((uint32_t)flags & ~(uint32_t)(settable | sync))
        return WA_WASI_EINVAL;
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    int fl = fcntl(e->host_fd, F_GETFL);
    if (fl < 0)
        return wa_errno_from_host(errno);
    if ((flags & sync) != (fdflags_from_host(fl) & sync))
        return WA_WASI_EINVAL;
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WA_WASI_FDFLAG_APPEND)
        fl |= O_APPEND;
    if (flags & WA_WASI_FDFLAG_NONBLOCK)
        fl |= O_NONBLOCK;
    if (fcntl(e->host_fd, F_SETFL, fl) < 0)
        return wa_errno_from_host(errno);
    e->status_flags = fcntl(e->host_fd, F_GETFL);
    return WA_WASI_ESUCCESS;
}

/*
 * Rights only shrink (witx): asking for any right the fd lacks, base or
 * inheriting, is NOTCAPABLE and changes nothing. (wasmtime answers NOTSUP
 * to every call, as its preview1 has no rights to narrow.)
 */
int32_t wa_wasi_fd_fdstat_set_rights(wa_wasi_ctx_t *ctx, int32_t fd, int64_t rights_base,
                                     int64_t rights_inheriting) {
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, 0, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint64_t base = (uint64_t)rights_base, inheriting = (uint64_t)rights_inheriting;
    if ((base & ~e->rights_base) || (inheriting & ~e->rights_inheriting))
        return WA_WASI_ENOTCAPABLE;
    e->rights_base = base;
    e->rights_inheriting = inheriting;
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_fd_filestat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t filestat_out) {
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_FD_FILESTAT_GET, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint8_t *out = wa_guest_out(ctx, filestat_out, WA_WASI_FILESTAT_SIZE);
    if (!out)
        return WA_WASI_EFAULT;
    struct stat st;
    if (fstat(e->host_fd, &st) != 0)
        return wa_errno_from_host(errno);
    wa_filestat_store(out, &st);
    /* The fd knows more than st_mode (a datagram socket): say what fd_fdstat_get says. */
    out[WA_WASI_FILESTAT_FILETYPE] = e->filetype;
    return WA_WASI_ESUCCESS;
}

/* ftruncate: growing fills with zeros (witx); a size beyond off_t is EINVAL, as a negative one. */
int32_t wa_wasi_fd_filestat_set_size(wa_wasi_ctx_t *ctx, int32_t fd, int64_t size) {
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_FD_FILESTAT_SET_SIZE, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    off_t host_size;
    if (!to_off((uint64_t)size, &host_size))
        return WA_WASI_EINVAL;
    int rc;
    do
        rc = ftruncate(e->host_fd, host_size);
    while (rc != 0 && errno == EINTR);
    return rc == 0 ? WA_WASI_ESUCCESS : wa_errno_from_host(errno);
}

int32_t wa_wasi_fd_filestat_set_times(wa_wasi_ctx_t *ctx, int32_t fd, int64_t atim, int64_t mtim,
                                      int32_t fst_flags) {
    struct timespec times[2];
    int32_t err = wa_filestat_times((uint64_t)atim, (uint64_t)mtim, (uint32_t)fst_flags, times);
    if (err != WA_WASI_ESUCCESS)
        return err;
    wa_fdtab_entry_t *e;
    if ((err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_FD_FILESTAT_SET_TIMES, &e)) !=
        WA_WASI_ESUCCESS)
        return err;
    if (futimens(e->host_fd, times) != 0)
        return wa_errno_from_host(errno);
    return WA_WASI_ESUCCESS;
}

/* ---- Preopens. ---- */

int32_t wa_wasi_fd_prestat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t prestat_out) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    /* Any fd that is not a preopen is EBADF: wasi-libc's preopen scan stops at it. */
    if (!e || e->kind != WA_FDTAB_PREOPEN)
        return WA_WASI_EBADF;
    uint8_t *out = wa_guest_out(ctx, prestat_out, WA_WASI_PRESTAT_SIZE);
    if (!out)
        return WA_WASI_EFAULT;
    memset(out, 0, WA_WASI_PRESTAT_SIZE);
    out[WA_WASI_PRESTAT_TAG] = WA_WASI_PREOPENTYPE_DIR;
    wa_guest_store_u32(out + WA_WASI_PRESTAT_DIR_NAME_LEN, (uint32_t)strlen(e->preopen_name));
    return WA_WASI_ESUCCESS;
}

/*
 * Writes the name without a NUL, as wasi-libc expects (it asks for
 * pr_name_len bytes). An open fd that is not a preopen is NOTDIR, as
 * wasmtime answers; a closed one EBADF.
 */
int32_t wa_wasi_fd_prestat_dir_name(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path,
                                    int32_t path_len) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    if (e->kind != WA_FDTAB_PREOPEN)
        return WA_WASI_ENOTDIR;
    uint8_t *out;
    if (!wa_guest_range(ctx, (uint32_t)path, (uint32_t)path_len, &out))
        return WA_WASI_EFAULT;
    size_t len = strlen(e->preopen_name);
    if ((uint32_t)path_len < len)
        return WA_WASI_ENAMETOOLONG;
    memcpy(out, e->preopen_name, len);
    return WA_WASI_ESUCCESS;
}
