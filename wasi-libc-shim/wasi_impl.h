/*
 * wasi_impl.h: what the files of the WASI shim share: the WASI preview1
 * constants (values from typenames.witx), the errno table, the context with
 * its fd table, and checked access to guest memory.
 *
 * Naming: the WASI functions themselves are wa_wasi_<witx name> (wa_wasi.h);
 * helpers shared between files are wa_<file>_<verb> (wa_fdtab_insert in
 * fdtab.c, wa_errno_from_host in errno.c); guest-memory accessors are the
 * static inline wa_guest_* below.
 *
 * Guest memory rule: every guest (pointer, length) goes through
 * wa_guest_range before any byte is touched, with 64-bit arithmetic that
 * cannot overflow; a bad range is EFAULT, never a trap. Values are stored
 * little-endian byte by byte, so unaligned guest pointers are fine and the
 * layout does not depend on the host's byte order.
 */
#ifndef WA_WASI_IMPL_H
#define WA_WASI_IMPL_H

#include "wa_wasi.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

/*
 * The WASI errno enum, one row per value in typenames.witx order:
 * X(NAME, wasi value, host errno). The host column maps host errno values to
 * WASI ones (errno.c); 0 means "no host counterpart" (NOTCAPABLE is WASI's
 * own). The explicit value column lets a reader check each row against the
 * witx without counting.
 */
// clang-format off
#define WA_WASI_ERRNO_LIST(X)                                                                      \
    X(SUCCESS, 0, 0)              X(2BIG, 1, E2BIG)                X(ACCES, 2, EACCES)             \
    X(ADDRINUSE, 3, EADDRINUSE)   X(ADDRNOTAVAIL, 4, EADDRNOTAVAIL)                                \
    X(AFNOSUPPORT, 5, EAFNOSUPPORT)                                X(AGAIN, 6, EAGAIN)             \
    X(ALREADY, 7, EALREADY)       X(BADF, 8, EBADF)                X(BADMSG, 9, EBADMSG)           \
    X(BUSY, 10, EBUSY)            X(CANCELED, 11, ECANCELED)       X(CHILD, 12, ECHILD)            \
    X(CONNABORTED, 13, ECONNABORTED)                               X(CONNREFUSED, 14, ECONNREFUSED)\
    X(CONNRESET, 15, ECONNRESET)  X(DEADLK, 16, EDEADLK)           X(DESTADDRREQ, 17, EDESTADDRREQ)\
    X(DOM, 18, EDOM)              X(DQUOT, 19, EDQUOT)             X(EXIST, 20, EEXIST)            \
    X(FAULT, 21, EFAULT)          X(FBIG, 22, EFBIG)               X(HOSTUNREACH, 23, EHOSTUNREACH)\
    X(IDRM, 24, EIDRM)            X(ILSEQ, 25, EILSEQ)             X(INPROGRESS, 26, EINPROGRESS)  \
    X(INTR, 27, EINTR)            X(INVAL, 28, EINVAL)             X(IO, 29, EIO)                  \
    X(ISCONN, 30, EISCONN)        X(ISDIR, 31, EISDIR)             X(LOOP, 32, ELOOP)              \
    X(MFILE, 33, EMFILE)          X(MLINK, 34, EMLINK)             X(MSGSIZE, 35, EMSGSIZE)        \
    X(MULTIHOP, 36, EMULTIHOP)    X(NAMETOOLONG, 37, ENAMETOOLONG) X(NETDOWN, 38, ENETDOWN)        \
    X(NETRESET, 39, ENETRESET)    X(NETUNREACH, 40, ENETUNREACH)   X(NFILE, 41, ENFILE)            \
    X(NOBUFS, 42, ENOBUFS)        X(NODEV, 43, ENODEV)             X(NOENT, 44, ENOENT)            \
    X(NOEXEC, 45, ENOEXEC)        X(NOLCK, 46, ENOLCK)             X(NOLINK, 47, ENOLINK)          \
    X(NOMEM, 48, ENOMEM)          X(NOMSG, 49, ENOMSG)             X(NOPROTOOPT, 50, ENOPROTOOPT)  \
    X(NOSPC, 51, ENOSPC)          X(NOSYS, 52, ENOSYS)             X(NOTCONN, 53, ENOTCONN)        \
    X(NOTDIR, 54, ENOTDIR)        X(NOTEMPTY, 55, ENOTEMPTY)                                       \
    X(NOTRECOVERABLE, 56, ENOTRECOVERABLE)                         X(NOTSOCK, 57, ENOTSOCK)        \
    X(NOTSUP, 58, ENOTSUP)        X(NOTTY, 59, ENOTTY)             X(NXIO, 60, ENXIO)              \
    X(OVERFLOW, 61, EOVERFLOW)    X(OWNERDEAD, 62, EOWNERDEAD)     X(PERM, 63, EPERM)              \
    X(PIPE, 64, EPIPE)            X(PROTO, 65, EPROTO)                                             \
    X(PROTONOSUPPORT, 66, EPROTONOSUPPORT)                         X(PROTOTYPE, 67, EPROTOTYPE)    \
    X(RANGE, 68, ERANGE)          X(ROFS, 69, EROFS)               X(SPIPE, 70, ESPIPE)            \
    X(SRCH, 71, ESRCH)            X(STALE, 72, ESTALE)             X(TIMEDOUT, 73, ETIMEDOUT)      \
    X(TXTBSY, 74, ETXTBSY)        X(XDEV, 75, EXDEV)               X(NOTCAPABLE, 76, 0)
// clang-format on

typedef enum wa_wasi_errno {
#define WA_WASI_X(name, value, host) WA_WASI_E##name = value,
    WA_WASI_ERRNO_LIST(WA_WASI_X)
#undef WA_WASI_X
        WA_WASI_ERRNO_COUNT
} wa_wasi_errno_t;

/* The WASI errno for host errno `host_errno` (EIO for host values WASI has no name for). */
int32_t wa_errno_from_host(int host_errno);

/* filetype (u8). */
enum {
    WA_WASI_FILETYPE_UNKNOWN = 0,
    WA_WASI_FILETYPE_BLOCK_DEVICE = 1,
    WA_WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WA_WASI_FILETYPE_DIRECTORY = 3,
    WA_WASI_FILETYPE_REGULAR_FILE = 4,
    WA_WASI_FILETYPE_SOCKET_DGRAM = 5,
    WA_WASI_FILETYPE_SOCKET_STREAM = 6,
    WA_WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

/* fdflags (u16). */
enum {
    WA_WASI_FDFLAG_APPEND = 1 << 0,
    WA_WASI_FDFLAG_DSYNC = 1 << 1,
    WA_WASI_FDFLAG_NONBLOCK = 1 << 2,
    WA_WASI_FDFLAG_RSYNC = 1 << 3,
    WA_WASI_FDFLAG_SYNC = 1 << 4,
};

/* rights (u64): bit n is the n-th flag of typenames.witx's $rights. */
#define WA_WASI_RIGHT_FD_DATASYNC (UINT64_C(1) << 0)
#define WA_WASI_RIGHT_FD_READ (UINT64_C(1) << 1)
#define WA_WASI_RIGHT_FD_SEEK (UINT64_C(1) << 2)
#define WA_WASI_RIGHT_FD_FDSTAT_SET_FLAGS (UINT64_C(1) << 3)
#define WA_WASI_RIGHT_FD_SYNC (UINT64_C(1) << 4)
#define WA_WASI_RIGHT_FD_TELL (UINT64_C(1) << 5)
#define WA_WASI_RIGHT_FD_WRITE (UINT64_C(1) << 6)
#define WA_WASI_RIGHT_FD_ADVISE (UINT64_C(1) << 7)
#define WA_WASI_RIGHT_FD_ALLOCATE (UINT64_C(1) << 8)
#define WA_WASI_RIGHT_PATH_CREATE_DIRECTORY (UINT64_C(1) << 9)
#define WA_WASI_RIGHT_PATH_CREATE_FILE (UINT64_C(1) << 10)
#define WA_WASI_RIGHT_PATH_LINK_SOURCE (UINT64_C(1) << 11)
#define WA_WASI_RIGHT_PATH_LINK_TARGET (UINT64_C(1) << 12)
#define WA_WASI_RIGHT_PATH_OPEN (UINT64_C(1) << 13)
#define WA_WASI_RIGHT_FD_READDIR (UINT64_C(1) << 14)
#define WA_WASI_RIGHT_PATH_READLINK (UINT64_C(1) << 15)
#define WA_WASI_RIGHT_PATH_RENAME_SOURCE (UINT64_C(1) << 16)
#define WA_WASI_RIGHT_PATH_RENAME_TARGET (UINT64_C(1) << 17)
#define WA_WASI_RIGHT_PATH_FILESTAT_GET (UINT64_C(1) << 18)
#define WA_WASI_RIGHT_PATH_FILESTAT_SET_SIZE (UINT64_C(1) << 19)
#define WA_WASI_RIGHT_PATH_FILESTAT_SET_TIMES (UINT64_C(1) << 20)
#define WA_WASI_RIGHT_FD_FILESTAT_GET (UINT64_C(1) << 21)
#define WA_WASI_RIGHT_FD_FILESTAT_SET_SIZE (UINT64_C(1) << 22)
#define WA_WASI_RIGHT_FD_FILESTAT_SET_TIMES (UINT64_C(1) << 23)
#define WA_WASI_RIGHT_PATH_SYMLINK (UINT64_C(1) << 24)
#define WA_WASI_RIGHT_PATH_REMOVE_DIRECTORY (UINT64_C(1) << 25)
#define WA_WASI_RIGHT_PATH_UNLINK_FILE (UINT64_C(1) << 26)
#define WA_WASI_RIGHT_POLL_FD_READWRITE (UINT64_C(1) << 27)
#define WA_WASI_RIGHT_SOCK_SHUTDOWN (UINT64_C(1) << 28)
#define WA_WASI_RIGHT_SOCK_ACCEPT (UINT64_C(1) << 29)
#define WA_WASI_RIGHTS_ALL ((UINT64_C(1) << 30) - 1)

/* Rights a read-only grant (--dir HOST::GUEST:ro) removes from base and inheriting rights. */
#define WA_WASI_RIGHTS_WRITING                                                                     \
    (WA_WASI_RIGHT_FD_DATASYNC | WA_WASI_RIGHT_FD_WRITE | WA_WASI_RIGHT_FD_ALLOCATE |              \
     WA_WASI_RIGHT_PATH_CREATE_DIRECTORY | WA_WASI_RIGHT_PATH_CREATE_FILE |                        \
     WA_WASI_RIGHT_PATH_LINK_SOURCE | WA_WASI_RIGHT_PATH_LINK_TARGET |                             \
     WA_WASI_RIGHT_PATH_RENAME_SOURCE | WA_WASI_RIGHT_PATH_RENAME_TARGET |                         \
     WA_WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WA_WASI_RIGHT_PATH_FILESTAT_SET_TIMES |                \
     WA_WASI_RIGHT_FD_FILESTAT_SET_SIZE | WA_WASI_RIGHT_FD_FILESTAT_SET_TIMES |                    \
     WA_WASI_RIGHT_PATH_SYMLINK | WA_WASI_RIGHT_PATH_REMOVE_DIRECTORY |                            \
     WA_WASI_RIGHT_PATH_UNLINK_FILE)

/* clockid (u32), whence (u8), preopentype (u8). */
enum {
    WA_WASI_CLOCK_REALTIME = 0,
    WA_WASI_CLOCK_MONOTONIC = 1,
    WA_WASI_CLOCK_PROCESS_CPUTIME_ID = 2,
    WA_WASI_CLOCK_THREAD_CPUTIME_ID = 3,
};
enum { WA_WASI_WHENCE_SET = 0, WA_WASI_WHENCE_CUR = 1, WA_WASI_WHENCE_END = 2 };
enum { WA_WASI_PREOPENTYPE_DIR = 0 };

/* oflags (u16), lookupflags (u32), fstflags (u16). */
enum {
    WA_WASI_OFLAG_CREAT = 1 << 0,
    WA_WASI_OFLAG_DIRECTORY = 1 << 1,
    WA_WASI_OFLAG_EXCL = 1 << 2,
    WA_WASI_OFLAG_TRUNC = 1 << 3,
    WA_WASI_LOOKUP_SYMLINK_FOLLOW = 1 << 0,
    WA_WASI_FSTFLAG_ATIM = 1 << 0,
    WA_WASI_FSTFLAG_ATIM_NOW = 1 << 1,
    WA_WASI_FSTFLAG_MTIM = 1 << 2,
    WA_WASI_FSTFLAG_MTIM_NOW = 1 << 3,
};

/* advice (u8). */
enum {
    WA_WASI_ADVICE_NORMAL = 0,
    WA_WASI_ADVICE_SEQUENTIAL = 1,
    WA_WASI_ADVICE_RANDOM = 2,
    WA_WASI_ADVICE_WILLNEED = 3,
    WA_WASI_ADVICE_DONTNEED = 4,
    WA_WASI_ADVICE_NOREUSE = 5,
};

/* eventtype (u8), eventrwflags (u16), subclockflags (u16). */
enum {
    WA_WASI_EVENTTYPE_CLOCK = 0,
    WA_WASI_EVENTTYPE_FD_READ = 1,
    WA_WASI_EVENTTYPE_FD_WRITE = 2,
    WA_WASI_EVENT_FD_READWRITE_HANGUP = 1 << 0,
    WA_WASI_SUBSCRIPTION_CLOCK_ABSTIME = 1 << 0,
};

/* riflags (u16), roflags (u16), sdflags (u8); siflags has no flags. */
enum {
    WA_WASI_RIFLAG_RECV_PEEK = 1 << 0,
    WA_WASI_RIFLAG_RECV_WAITALL = 1 << 1,
    WA_WASI_ROFLAG_RECV_DATA_TRUNCATED = 1 << 0,
    WA_WASI_SDFLAG_RD = 1 << 0,
    WA_WASI_SDFLAG_WR = 1 << 1,
};

/* Guest struct sizes and field offsets (docs.md "Size"/"Offset"). */
enum {
    WA_WASI_CIOVEC_SIZE = 8, /* buf u32 @0, buf_len u32 @4; iovec is the same */
    WA_WASI_FDSTAT_SIZE = 24,
    WA_WASI_FDSTAT_FILETYPE = 0,
    WA_WASI_FDSTAT_FLAGS = 2,
    WA_WASI_FDSTAT_RIGHTS_BASE = 8,
    WA_WASI_FDSTAT_RIGHTS_INHERITING = 16,
    WA_WASI_PRESTAT_SIZE = 8, /* tag u8 @0, prestat_dir.pr_name_len u32 @4 */
    WA_WASI_PRESTAT_TAG = 0,
    WA_WASI_PRESTAT_DIR_NAME_LEN = 4,
    WA_WASI_FILESTAT_SIZE = 64,
    WA_WASI_FILESTAT_DEV = 0,
    WA_WASI_FILESTAT_INO = 8,
    WA_WASI_FILESTAT_FILETYPE = 16,
    WA_WASI_FILESTAT_NLINK = 24,
    WA_WASI_FILESTAT_FILESIZE = 32,
    WA_WASI_FILESTAT_ATIM = 40,
    WA_WASI_FILESTAT_MTIM = 48,
    WA_WASI_FILESTAT_CTIM = 56,
    WA_WASI_DIRENT_SIZE = 24, /* the header; d_namlen name bytes follow, no NUL */
    WA_WASI_DIRENT_D_NEXT = 0,
    WA_WASI_DIRENT_D_INO = 8,
    WA_WASI_DIRENT_D_NAMLEN = 16,
    WA_WASI_DIRENT_D_TYPE = 20,
    /* subscription: userdata @0, then the subscription_u variant (tag @8, payload @16). */
    WA_WASI_SUBSCRIPTION_SIZE = 48,
    WA_WASI_SUBSCRIPTION_USERDATA = 0,
    WA_WASI_SUBSCRIPTION_TAG = 8,
    WA_WASI_SUBSCRIPTION_CLOCK_ID = 16,
    WA_WASI_SUBSCRIPTION_CLOCK_TIMEOUT = 24,
    WA_WASI_SUBSCRIPTION_CLOCK_PRECISION = 32,
    WA_WASI_SUBSCRIPTION_CLOCK_FLAGS = 40,
    WA_WASI_SUBSCRIPTION_FD = 16,
    WA_WASI_EVENT_SIZE = 32,
    WA_WASI_EVENT_USERDATA = 0,
    WA_WASI_EVENT_ERROR = 8,
    WA_WASI_EVENT_TYPE = 10,
    WA_WASI_EVENT_NBYTES = 16,
    WA_WASI_EVENT_FLAGS = 24,
};

/* ---- The context. ---- */

/* A list of NUL-terminated strings as args_get/environ_get lay them out. */
typedef struct wa_wasi_strings {
    uint32_t count;
    char **items;      /* count copies, each NUL-terminated */
    uint64_t buf_size; /* sum of (strlen + 1): the guest buffer args_get needs */
} wa_wasi_strings_t;

/*
 * What a WASI fd stands for. FREE slots are closed fds (EBADF). A FILE is any
 * host fd used for I/O (stdio, and files path_open will open); a PREOPEN is a
 * directory capability the guest finds through fd_prestat_get: path_*
 * functions resolve paths beneath one and never above it.
 */
typedef enum wa_fdtab_kind {
    WA_FDTAB_FREE = 0,
    WA_FDTAB_FILE,
    WA_FDTAB_PREOPEN,
} wa_fdtab_kind_t;

/*
 * The stream fd_readdir reads a directory fd with (dir.c explains the
 * cookies): a DIR on its own open file description of the directory, and
 * where it stands.
 */
typedef struct wa_dir_stream {
    DIR *dir;
    /* The cookie (entry number) of `pending` if set, else of the entry readdir returns next. */
    uint64_t cookie;
    /* The entry at `cookie`, read but not wholly delivered (valid until the next readdir). */
    struct dirent *pending;
    /* Entries readdir has returned: what reading in chunks costs (the tests check it is O(n)). */
    uint64_t host_reads;
} wa_dir_stream_t;

typedef struct wa_fdtab_entry {
    wa_fdtab_kind_t kind;
    int host_fd;
    uint8_t filetype;     /* WA_WASI_FILETYPE_*, from fstat when the fd was added */
    uint64_t rights_base; /* rights reported by fd_fdstat_get */
    uint64_t rights_inheriting;
    /*
     * The host fd's status flags (F_GETFL) when it was added or last changed
     * by fd_fdstat_set_flags. Only this process changes them for fds it
     * opened itself, so fd_fdstat_get (which wasi-libc calls on the
     * directory before every open) reads them from here; host stdio fds,
     * shared with the parent, are always asked.
     */
    int status_flags;
    char *preopen_name;          /* PREOPEN: the name fd_prestat_dir_name reports (owned) */
    wa_dir_stream_t *dir_stream; /* NULL until the first fd_readdir; owned, freed with the fd */
} wa_fdtab_entry_t;

struct wa_wasi_ctx {
    wa_rt_memory_t *memory; /* NULL until set: every guest pointer is then EFAULT */
    wa_wasi_strings_t args;
    wa_wasi_strings_t env;
    wa_fdtab_entry_t *fds; /* indexed by WASI fd; nfds slots, FREE ones included */
    uint32_t nfds;
    uint32_t cap_fds;
    /*
     * The host's stdio status flags (F_GETFL) at start-up, -1 for a closed
     * one. Stdio fds share their open file description with the parent
     * process, so flags the guest sets (O_NONBLOCK, O_APPEND) would outlive
     * the program: wa_fdtab_free puts these back.
     */
    int stdio_flags[3];
    /*
     * Resolve every path with the component-by-component walk, never
     * openat2 (resolve.c). Off in programs; tests set it to run each sandbox
     * case under both resolvers.
     */
    bool resolve_by_walk;
    /* wasi.thread-spawn's implementation (wa_wasi_ctx_set_thread_spawn), or NULL. */
    wa_wasi_spawn_fn spawn;
    void *spawn_data;
};

/* ---- The fd table (fdtab.c). ---- */

/* Makes the table with WASI fds 0, 1, 2 for whichever host stdio fds are open. */
bool wa_fdtab_init(wa_wasi_ctx_t *ctx);

/*
 * Closes every host fd the table holds (the host's stdio fds 0-2 are left
 * open, whichever WASI number holds them), puts back the O_APPEND and
 * O_NONBLOCK the host stdio fds had at start-up, and frees the table.
 */
void wa_fdtab_free(wa_wasi_ctx_t *ctx);

/*
 * Adds the host fd `host_fd` (the table owns it from now on) at the lowest
 * free WASI fd, stored in *fd. The filetype comes from the host fd; the
 * rights are those that make sense for the filetype, intersected with
 * `base_mask` and `inheriting_mask` (WA_WASI_RIGHTS_ALL for no limit).
 * `preopen_name` is NULL for a FILE, else the name of a PREOPEN (copied).
 * Returns a WASI errno; on failure the host fd is left open for the caller.
 */
int32_t wa_fdtab_insert(wa_wasi_ctx_t *ctx, int host_fd, const char *preopen_name,
                        uint64_t base_mask, uint64_t inheriting_mask, uint32_t *fd);

/* The entry for WASI fd `fd`, or NULL if it is not open (EBADF). */
wa_fdtab_entry_t *wa_fdtab_get(wa_wasi_ctx_t *ctx, int32_t fd);

/*
 * The entry for WASI fd `fd` in *out, if it is open (else EBADF) and its base
 * rights include every right in `rights` (else NOTCAPABLE, as the witx
 * says). Returns a WASI errno. Every fd_* and path_* function starts here.
 */
int32_t wa_fdtab_lookup(wa_wasi_ctx_t *ctx, int32_t fd, uint64_t rights, wa_fdtab_entry_t **out);

/* Closes WASI fd `fd`: its slot becomes FREE. Returns a WASI errno. */
int32_t wa_fdtab_close(wa_wasi_ctx_t *ctx, int32_t fd);

/*
 * fd_renumber: closes WASI fd `to` and moves the entry of `from` (kind,
 * rights, preopen name, readdir stream) to its number; `from` becomes FREE.
 * Both must be open (else EBADF, as wasmtime answers); from == to does
 * nothing. Returns a WASI errno.
 */
int32_t wa_fdtab_renumber(wa_wasi_ctx_t *ctx, int32_t from, int32_t to);

/* ---- Directory streams (dir.c). ---- */

/* Closes the stream and frees it; NULL is fine. */
void wa_dir_free(wa_dir_stream_t *stream);

/* ---- File status (filestat.c), shared by the fd_* and path_* functions. ---- */

/* The WASI filetype of a host st_mode (a FIFO is UNKNOWN: WASI has no such type). */
uint8_t wa_filestat_filetype(unsigned mode);

/* Writes `st` as a WASI filestat (WA_WASI_FILESTAT_SIZE bytes) at `out`. */
void wa_filestat_store(uint8_t *out, const struct stat *st);

/*
 * Turns fd/path_filestat_set_times arguments into the `times` array of
 * futimens/utimensat (UTIME_NOW, UTIME_OMIT or the given time). Returns
 * EINVAL for a flag outside fstflags or for both X and X_NOW set.
 */
int32_t wa_filestat_times(uint64_t atim, uint64_t mtim, uint32_t fst_flags,
                          struct timespec times[2]);

/* ---- Paths resolved beneath a directory (resolve.c), for the path_* functions (path.c). ---- */

/*
 * Copies the guest string of `len` bytes at `ptr` (no NUL terminator) into a
 * new NUL-terminated string *out, which the caller frees. Returns EFAULT for
 * a bad range, EINVAL if it holds a NUL byte, EILSEQ if it is not UTF-8, as
 * wasmtime answers.
 */
int32_t wa_resolve_copy_path(wa_wasi_ctx_t *ctx, int32_t ptr, int32_t len, char **out);

/*
 * Opens `path` beneath the host directory fd `dirfd` with open(2) `flags`
 * (O_CLOEXEC is added; O_NOFOLLOW means the final component is not
 * followed) and `mode`, the new host fd in *out. Nothing outside `dirfd` is
 * reached: an escape ("..", absolute path or symlink target) is PERM, a
 * symlink loop ELOOP, a dangling one ENOENT. Returns a WASI errno.
 */
int32_t wa_resolve_open(wa_wasi_ctx_t *ctx, int dirfd, const char *path, int flags, mode_t mode,
                        int *out);

/* How wa_resolve_parent treats the final component. */
enum {
    /* Follow symlinks in the final component (beneath, like the rest). */
    WA_RESOLVE_FOLLOW_FINAL = 1 << 0,
    /*
     * With a trailing slash the final component must be a directory, which
     * is followed: for calls the kernel would make follow it (stat,
     * utimensat, readlinkat, linkat's old path), so it is resolved here.
     */
    WA_RESOLVE_FOLLOW_TRAILING = 1 << 1,
};

/*
 * A path split for an *at() call on its final component: `fd` is a host
 * O_PATH fd of the directory holding it, beneath the start, and `name` one
 * component (no '/' but maybe trailing ones, never "" or ".."): "." when
 * the path names a directory as a whole (a final "." or "..", or a trailing
 * slash with WA_RESOLVE_FOLLOW_TRAILING), then `fd` is that directory.
 */
typedef struct wa_resolve_parent {
    int fd;           /* the directory; for a one-component path, the caller's dirfd itself */
    bool borrowed;    /* fd is the caller's dirfd: wa_resolve_parent_free leaves it open */
    const char *name; /* points into buf, or is "." */
    char *buf;
} wa_resolve_parent_t;

/*
 * Resolves the directory part of `path` beneath host directory fd `dirfd`
 * into *out (`how`: WA_RESOLVE_* flags). Returns a WASI errno (escapes are
 * PERM); on success the caller releases *out with wa_resolve_parent_free.
 */
int32_t wa_resolve_parent(wa_wasi_ctx_t *ctx, int dirfd, const char *path, unsigned how,
                          wa_resolve_parent_t *out);

void wa_resolve_parent_free(wa_resolve_parent_t *parent);

/* ---- Guest iovec arrays (fd.c), shared by fd_read/fd_write and sock_recv/sock_send. ---- */

/* Iovec arrays up to this length live in the struct; longer ones are malloc'ed. */
#define WA_FD_SMALL_IOVS 16

/* A guest (c)iovec array translated to host iovecs. */
typedef struct wa_fd_iovs {
    struct iovec small[WA_FD_SMALL_IOVS];
    struct iovec *v; /* small, or a malloc'ed array */
    int n;
} wa_fd_iovs_t;

/*
 * Translates the guest array of `iovs_len` (c)iovecs at `iovs` into `out`,
 * checking the array and every buffer against the memory (EFAULT). At most
 * IOV_MAX iovecs are used and the lengths are clipped so the total fits a
 * u32 result: both only make a transfer shorter. Returns a WASI errno; on
 * success the caller frees with wa_fd_free_iovs.
 */
int32_t wa_fd_gather_iovs(wa_wasi_ctx_t *ctx, int32_t iovs, int32_t iovs_len, wa_fd_iovs_t *out);

void wa_fd_free_iovs(wa_fd_iovs_t *iovs);

/* ---- Guest memory. ---- */

/*
 * Checks that the `len` bytes at guest address `ptr` lie inside the memory's
 * current size and sets *host to them. `len` is 64-bit so callers can pass
 * count * element size of u32 operands without overflow; the comparison is
 * written so that it cannot overflow either.
 */
static inline bool wa_guest_range(const wa_wasi_ctx_t *ctx, uint32_t ptr, uint64_t len,
                                  uint8_t **host) {
    const wa_rt_memory_t *mem = ctx->memory;
    if (!mem || len > mem->size || ptr > mem->size - len)
        return false;
    *host = mem->base + ptr;
    return true;
}

static inline uint32_t wa_guest_load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint16_t wa_guest_load_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint64_t wa_guest_load_u64(const uint8_t *p) {
    return (uint64_t)wa_guest_load_u32(p) | (uint64_t)wa_guest_load_u32(p + 4) << 32;
}

static inline void wa_guest_store_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void wa_guest_store_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void wa_guest_store_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * Checks a guest result slot of `size` bytes at `ptr` (as u32 from the i32
 * parameter): the common "result written through a pointer" case. Returns
 * NULL when out of range (the caller returns EFAULT).
 */
static inline uint8_t *wa_guest_out(const wa_wasi_ctx_t *ctx, int32_t ptr, uint32_t size) {
    uint8_t *host;
    return wa_guest_range(ctx, (uint32_t)ptr, size, &host) ? host : NULL;
}

#endif
