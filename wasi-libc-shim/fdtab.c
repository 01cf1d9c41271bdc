/*
 * fdtab.c: the per-context table from WASI fds to host fds.
 *
 * Invariants:
 *  - wa_fdtab_init puts the host's stdin, stdout and stderr at WASI fds 0, 1,
 *    2; every fd added later (preopens, path_open results) is the lowest free
 *    slot from 3 up, as wasi-libc expects when it scans for preopens from fd
 *    3. Only fd_renumber moves an entry to another number, so after it a WASI
 *    number says nothing about the host fd: whatever depends on "is this the
 *    host's stdio" looks at the host fd number (is_host_stdio).
 *  - A closed fd is a FREE slot: every function then answers EBADF for it.
 *  - Each host fd is in at most one slot (nothing duplicates an entry).
 *  - Host fds 0-2 stay occupied for the whole run: closing the entry that
 *    holds one points the host fd at /dev/null instead of closing it (the
 *    reader of a pipe still sees end of file), and a host stdio fd that is
 *    closed at start-up is reserved the same way, so no file the guest opens
 *    later can land on a host fd the runtime itself writes messages to.
 *  - The status flags the guest can set (O_APPEND, O_NONBLOCK) on host fds
 *    0-2 are put back as they were at start-up before such an fd is parked
 *    and when the table is freed: the parent process shares those open file
 *    descriptions.
 *
 * Rights: an fd's rights are those that make sense for its filetype
 * (wasi-libc's isatty() is "character device without seek and tell
 * rights"), narrowed by what it was opened with (path_open's requested
 * rights within the directory's inheriting rights; a read-only grant's
 * rights without WA_WASI_RIGHTS_WRITING). They are enforced: every function
 * looks its fd up with the rights it needs (wa_fdtab_lookup), and a missing
 * right is NOTCAPABLE. The host fd's access mode takes away FD_READ or
 * FD_WRITE (a pipe's read end cannot be written). Operations a filetype
 * cannot do although the right is there fail with the host's errno.
 */
#include "wasi_impl.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Rights of a regular file (also seekable devices): all fd_* I/O, no path_*. */
#define RIGHTS_FILE                                                                                \
    (WA_WASI_RIGHT_FD_DATASYNC | WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_SEEK |                   \
     WA_WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WA_WASI_RIGHT_FD_SYNC | WA_WASI_RIGHT_FD_TELL |           \
     WA_WASI_RIGHT_FD_WRITE | WA_WASI_RIGHT_FD_ADVISE | WA_WASI_RIGHT_FD_ALLOCATE |                \
     WA_WASI_RIGHT_FD_FILESTAT_GET | WA_WASI_RIGHT_FD_FILESTAT_SET_SIZE |                          \
     WA_WASI_RIGHT_FD_FILESTAT_SET_TIMES | WA_WASI_RIGHT_POLL_FD_READWRITE)

/* The rights of a file's own fd that change the file: not on a read-only host fd. */
#define RIGHTS_FD_MODIFYING                                                                        \
    (WA_WASI_RIGHT_FD_DATASYNC | WA_WASI_RIGHT_FD_ALLOCATE | WA_WASI_RIGHT_FD_FILESTAT_SET_SIZE |  \
     WA_WASI_RIGHT_FD_FILESTAT_SET_TIMES)

/* Rights of a directory: the path_* operations beneath it, readdir, no read/write. */
#define RIGHTS_DIRECTORY                                                                           \
    (WA_WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WA_WASI_RIGHT_FD_SYNC | WA_WASI_RIGHT_FD_ADVISE |         \
     WA_WASI_RIGHT_PATH_CREATE_DIRECTORY | WA_WASI_RIGHT_PATH_CREATE_FILE |                        \
     WA_WASI_RIGHT_PATH_LINK_SOURCE | WA_WASI_RIGHT_PATH_LINK_TARGET | WA_WASI_RIGHT_PATH_OPEN |   \
     WA_WASI_RIGHT_FD_READDIR | WA_WASI_RIGHT_PATH_READLINK | WA_WASI_RIGHT_PATH_RENAME_SOURCE |   \
     WA_WASI_RIGHT_PATH_RENAME_TARGET | WA_WASI_RIGHT_PATH_FILESTAT_GET |                          \
     WA_WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WA_WASI_RIGHT_PATH_FILESTAT_SET_TIMES |                \
     WA_WASI_RIGHT_FD_FILESTAT_GET | WA_WASI_RIGHT_FD_FILESTAT_SET_TIMES |                         \
     WA_WASI_RIGHT_PATH_SYMLINK | WA_WASI_RIGHT_PATH_REMOVE_DIRECTORY |                            \
     WA_WASI_RIGHT_PATH_UNLINK_FILE | WA_WASI_RIGHT_POLL_FD_READWRITE)

/* Rights of a stream (tty, pipe): read and write, no seek or tell. */
#define RIGHTS_STREAM                                                                              \
    (WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_WRITE | WA_WASI_RIGHT_FD_FDSTAT_SET_FLAGS |          \
     WA_WASI_RIGHT_FD_FILESTAT_GET | WA_WASI_RIGHT_POLL_FD_READWRITE)

#define RIGHTS_SOCKET (RIGHTS_STREAM | WA_WASI_RIGHT_SOCK_SHUTDOWN | WA_WASI_RIGHT_SOCK_ACCEPT)

/* The first WASI fd that is not stdio. */
#define FIRST_NON_STDIO 3u

/*
 * The WASI filetype of an open host fd. WASI has no FIFO type: a pipe is
 * "unknown ... or different from any of the other types" (typenames.witx).
 */
static uint8_t filetype_of(int host_fd, const struct stat *st) {
    if (S_ISSOCK(st->st_mode)) {
        int type = 0;
        socklen_t len = sizeof type;
        if (getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0) {
            if (type == SOCK_STREAM)
                return WA_WASI_FILETYPE_SOCKET_STREAM;
            if (type == SOCK_DGRAM)
                return WA_WASI_FILETYPE_SOCKET_DGRAM;
        }
        return WA_WASI_FILETYPE_UNKNOWN;
    }
    return wa_filestat_filetype(st->st_mode);
}

/* Fills filetype and rights of `e` from its host fd; returns a WASI errno. */
static int32_t describe(wa_fdtab_entry_t *e) {
    struct stat st;
    if (fstat(e->host_fd, &st) != 0)
        return wa_errno_from_host(errno);
    e->filetype = filetype_of(e->host_fd, &st);
    e->rights_inheriting = 0;
    switch (e->filetype) {
    case WA_WASI_FILETYPE_REGULAR_FILE:
    case WA_WASI_FILETYPE_BLOCK_DEVICE:
        e->rights_base = RIGHTS_FILE;
        break;
    case WA_WASI_FILETYPE_CHARACTER_DEVICE:
        /* A terminal cannot seek; /dev/null and friends can. */
        e->rights_base = isatty(e->host_fd) ? RIGHTS_STREAM : RIGHTS_FILE;
        break;
    case WA_WASI_FILETYPE_DIRECTORY:
        e->rights_base = RIGHTS_DIRECTORY;
        e->rights_inheriting = RIGHTS_DIRECTORY | RIGHTS_FILE;
        break;
    case WA_WASI_FILETYPE_SOCKET_STREAM:
    case WA_WASI_FILETYPE_SOCKET_DGRAM:
        e->rights_base = RIGHTS_SOCKET;
        break;
    default:
        e->rights_base = RIGHTS_STREAM;
        break;
    }
    /*
     * What the host fd was opened for: no write right on a read-only fd (a
     * pipe's read end, stdin redirected from a file), no read right on a
     * write-only one, as wasmtime reports them. Otherwise writing would be
     * the host's EBADF, which to the guest reads as "not open". A read-only
     * file also cannot change its size, allocation or times (futimens would
     * work on it: `prog < file` must not touch the file); directories are
     * always open read-only and keep theirs.
     */
    int fl = fcntl(e->host_fd, F_GETFL);
    e->status_flags = fl;
    if (fl >= 0 && (fl & O_ACCMODE) == O_RDONLY)
        e->rights_base &= e->filetype == WA_WASI_FILETYPE_DIRECTORY
                              ? ~WA_WASI_RIGHT_FD_WRITE
                              : ~(WA_WASI_RIGHT_FD_WRITE | RIGHTS_FD_MODIFYING);
    if (fl >= 0 && (fl & O_ACCMODE) == O_WRONLY)
        e->rights_base &= ~(WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_READDIR);
    return WA_WASI_ESUCCESS;
}

/* Makes slot `fd` exist (FREE if new), growing the array. */
static bool reserve_slot(wa_wasi_ctx_t *ctx, uint32_t fd) {
    if (fd < ctx->nfds)
        return true;
    if (fd >= ctx->cap_fds) {
        uint32_t cap = ctx->cap_fds ? ctx->cap_fds : 8;
        while (cap <= fd)
            cap *= 2;
        wa_fdtab_entry_t *fds = realloc(ctx->fds, cap * sizeof *fds);
        if (!fds)
            return false;
        ctx->fds = fds;
        ctx->cap_fds = cap;
    }
    memset(ctx->fds + ctx->nfds, 0, (fd + 1 - ctx->nfds) * sizeof *ctx->fds);
    ctx->nfds = fd + 1;
    return true;
}

/* Points host fd `host_fd` at /dev/null, keeping the number taken. */
static void park_on_dev_null(int host_fd) {
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0)
        return;
    if (null_fd != host_fd) {
        dup2(null_fd, host_fd);
        close(null_fd);
    }
}

/* Is `host_fd` one of the host's standard streams, which are never closed? */
static bool is_host_stdio(int host_fd) {
    return host_fd >= 0 && host_fd < (int)FIRST_NON_STDIO;
}

/*
 * Puts back the O_APPEND and O_NONBLOCK of host stdio fd `host_fd` as they
 * were at start-up, if the guest changed them: only those two, the flags
 * fd_fdstat_set_flags can change.
 */
static void restore_stdio_flags(const wa_wasi_ctx_t *ctx, int host_fd) {
    const int settable = O_APPEND | O_NONBLOCK;
    int was = ctx->stdio_flags[host_fd];
    int now = fcntl(host_fd, F_GETFL);
    if (was >= 0 && now >= 0 && (now & settable) != (was & settable))
        fcntl(host_fd, F_SETFL, (now & ~settable) | (was & settable));
}

bool wa_fdtab_init(wa_wasi_ctx_t *ctx) {
    if (!reserve_slot(ctx, FIRST_NON_STDIO - 1))
        return false;
    for (int fd = 0; fd < (int)FIRST_NON_STDIO; fd++) {
        wa_fdtab_entry_t *e = &ctx->fds[fd];
        ctx->stdio_flags[fd] = fcntl(fd, F_GETFL);
        if (ctx->stdio_flags[fd] < 0) {
            /* Closed on the host: closed for the guest too, and the number reserved. */
            park_on_dev_null(fd);
            continue;
        }
        e->host_fd = fd;
        if (describe(e) == WA_WASI_ESUCCESS)
            e->kind = WA_FDTAB_FILE;
    }
    return true;
}

bool wa_wasi_ctx_set_stdio(wa_wasi_ctx_t *ctx, uint32_t wasi_fd, int host_fd) {
    if (wasi_fd >= FIRST_NON_STDIO || ctx->nfds < FIRST_NON_STDIO) {
        errno = EINVAL;
        return false;
    }
    /* At or above FIRST_NON_STDIO, so it is closed, never parked, when released. */
    int dup_fd = fcntl(host_fd, F_DUPFD_CLOEXEC, (int)FIRST_NON_STDIO);
    if (dup_fd < 0)
        return false;
    wa_fdtab_entry_t *e = &ctx->fds[wasi_fd];
    /* The host's own stdio fd stays open and as it was: only the guest's slot changes. */
    if (e->kind != WA_FDTAB_FREE && is_host_stdio(e->host_fd))
        restore_stdio_flags(ctx, e->host_fd);
    else if (e->kind != WA_FDTAB_FREE)
        close(e->host_fd);
    wa_dir_free(e->dir_stream);
    free(e->preopen_name);
    memset(e, 0, sizeof *e);
    e->host_fd = dup_fd;
    if (describe(e) != WA_WASI_ESUCCESS) {
        close(dup_fd);
        memset(e, 0, sizeof *e);
        errno = EBADF;
        return false;
    }
    e->kind = WA_FDTAB_FILE;
    return true;
}

/*
 * Releases what entry `e` holds and makes it FREE. Host stdio fds are parked
 * (with their flags restored first, or the restoring would later act on
 * /dev/null and leave the parent's description changed); others are closed.
 */
static int32_t release_entry(wa_wasi_ctx_t *ctx, wa_fdtab_entry_t *e) {
    int32_t err = WA_WASI_ESUCCESS;
    wa_dir_free(e->dir_stream);
    if (is_host_stdio(e->host_fd)) {
        restore_stdio_flags(ctx, e->host_fd);
        park_on_dev_null(e->host_fd);
    } else if (close(e->host_fd) != 0 && errno != EINTR) {
        /* After EINTR Linux has released the fd anyway; retrying could close another one. */
        err = wa_errno_from_host(errno);
    }
    free(e->preopen_name);
    memset(e, 0, sizeof *e);
    return err;
}

void wa_fdtab_free(wa_wasi_ctx_t *ctx) {
    for (uint32_t fd = 0; fd < ctx->nfds; fd++) {
        wa_fdtab_entry_t *e = &ctx->fds[fd];
        if (e->kind != WA_FDTAB_FREE) {
            wa_dir_free(e->dir_stream);
            if (!is_host_stdio(e->host_fd))
                close(e->host_fd);
        }
        free(e->preopen_name);
    }
    /*
     * Whichever slot holds them now (or none, once parked): the host numbers
     * count. stdio_flags is only filled once wa_fdtab_init has made the
     * stdio slots; a context that failed before that has nothing to restore.
     */
    for (int host_fd = 0; host_fd < (int)FIRST_NON_STDIO && ctx->nfds >= FIRST_NON_STDIO; host_fd++)
        restore_stdio_flags(ctx, host_fd);
    free(ctx->fds);
    ctx->fds = NULL;
    ctx->nfds = ctx->cap_fds = 0;
}

int32_t wa_fdtab_insert(wa_wasi_ctx_t *ctx, int host_fd, const char *preopen_name,
                        uint64_t base_mask, uint64_t inheriting_mask, uint32_t *fd) {
    uint32_t slot = FIRST_NON_STDIO;
    while (slot < ctx->nfds && ctx->fds[slot].kind != WA_FDTAB_FREE)
        slot++;
    /* WASI promises fds below 2^31 (path_open in the witx). */
    if (slot > INT32_MAX)
        return WA_WASI_EMFILE;
    wa_fdtab_entry_t e = {.kind = preopen_name ? WA_FDTAB_PREOPEN : WA_FDTAB_FILE,
                          .host_fd = host_fd};
    int32_t err = describe(&e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    e.rights_base &= base_mask;
    e.rights_inheriting &= inheriting_mask;
    if (preopen_name && !(e.preopen_name = strdup(preopen_name)))
        return WA_WASI_ENOMEM;
    if (!reserve_slot(ctx, slot)) {
        free(e.preopen_name);
        return WA_WASI_ENOMEM;
    }
    ctx->fds[slot] = e;
    *fd = slot;
    return WA_WASI_ESUCCESS;
}

wa_fdtab_entry_t *wa_fdtab_get(wa_wasi_ctx_t *ctx, int32_t fd) {
    /* The witx fd is a u32 handle: negative i32 values are huge fds, never open. */
    uint32_t index = (uint32_t)fd;
    if (index >= ctx->nfds || ctx->fds[index].kind == WA_FDTAB_FREE)
        return NULL;
    return &ctx->fds[index];
}

int32_t wa_fdtab_lookup(wa_wasi_ctx_t *ctx, int32_t fd, uint64_t rights, wa_fdtab_entry_t **out) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    if ((e->rights_base & rights) != rights)
        return WA_WASI_ENOTCAPABLE;
    *out = e;
    return WA_WASI_ESUCCESS;
}

int32_t wa_fdtab_close(wa_wasi_ctx_t *ctx, int32_t fd) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    return release_entry(ctx, e);
}

int32_t wa_fdtab_renumber(wa_wasi_ctx_t *ctx, int32_t from, int32_t to) {
    wa_fdtab_entry_t *src = wa_fdtab_get(ctx, from);
    wa_fdtab_entry_t *dst = wa_fdtab_get(ctx, to);
    if (!src || !dst)
        return WA_WASI_EBADF;
    if (src == dst)
        return WA_WASI_ESUCCESS;
    /*
     * The old `to` is gone even if closing it reports an error (Linux
     * releases the fd regardless), so the renumbering goes ahead and
     * succeeds: failing here would leave `to` closed and `from` unmoved.
     */
    release_entry(ctx, dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
    return WA_WASI_ESUCCESS;
}
