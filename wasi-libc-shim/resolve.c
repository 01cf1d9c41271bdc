/*
 * resolve.c: the sandbox. Every path a guest passes to a path_* function is
 * resolved here, relative to a directory fd, and never reaches anything
 * outside that directory: not through "..", absolute paths, symlinks
 * (relative, absolute, dangling, loops, chains that step out and back in),
 * nor a final component "." or "..".
 *
 * Two resolvers, which must give the same answers:
 *  - openat2(dirfd, path, {flags, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}):
 *    the kernel walks the path and refuses every escape with EXDEV;
 *  - a component-by-component walk (walk_open), used when openat2 is missing
 *    (ENOSYS: kernels before 5.6), refused by a seccomp filter (EPERM, as
 *    cap-std also assumes) or keeps failing with EAGAIN (a rename somewhere
 *    on the host during the walk), and always when ctx->resolve_by_walk is
 *    set (tests run every sandbox case under both). Each directory it enters
 *    is held as an O_PATH fd on a stack, so ".." is a pop, never the
 *    kernel's "..": it cannot climb above the start, even if a directory is
 *    moved away meanwhile. Each component is opened with O_NOFOLLOW; a
 *    symlink is read (readlinkat on the O_PATH fd of the link itself, so
 *    what is read is what was looked at) and its target spliced in front of
 *    the rest of the path; an absolute target is an escape; after 40 links
 *    (Linux's MAXSYMLINKS) the walk gives ELOOP. A trailing slash makes the
 *    final component a directory that is followed ("file/" is ENOTDIR), as
 *    the kernel does.
 *
 * Escape errno: PERM. wasmtime resolves through cap-std, whose escape error
 * is io::ErrorKind::PermissionDenied with no OS error (cap-primitives
 * fs/errors.rs escape_attempt, also what it makes of openat2's EXDEV), and
 * wasmtime maps that kind to ErrorCode::NotPermitted, i.e. ERRNO_PERM
 * (crates/wasi/src/filesystem.rs, p1.rs). The wasi-testsuite accepts PERM
 * (or NOTCAPABLE) for absolute paths and too many "..". An absolute path is
 * refused here before any system call, by both resolvers.
 *
 * Operations on the final component itself (unlink, mkdir, rename, ...) use
 * wa_resolve_parent: the directory part is opened beneath, and the *at()
 * call gets one component, which the kernel does not follow for those calls
 * even with a trailing slash. Calls that would follow it (stat, utimensat,
 * readlinkat, linkat's old path) ask for a final "."/".." or trailing slash
 * to be resolved as a whole directory first, and get "." in it.
 *
 * Guest path strings are (pointer, length) without a NUL. They are copied
 * (wa_resolve_copy_path) and checked as wasmtime checks them: a NUL inside is
 * EINVAL (cap-std cannot make a C string: InvalidInput), bytes that are not
 * UTF-8 are EILSEQ (wiggle's InvalidUtf8); PATH_MAX bytes or more are
 * NAMETOOLONG before anything is copied.
 */
#include "wasi_impl.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Linux's MAXSYMLINKS: symlinks followed in one resolution before ELOOP. */
#define MAX_SYMLINKS 40

/* openat2 answers EAGAIN when a rename races the walk; tries before using walk_open. */
#define OPENAT2_TRIES 4

/* Set once openat2 has answered ENOSYS: it will not appear later in the process. */
static bool openat2_missing;

/* ---- Guest path strings. ---- */

/* Is s[0..n) well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF)? */
static bool is_utf8(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t extra;
        uint32_t min, cp;
        if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i <= extra)
            return false;
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

int32_t wa_resolve_copy_path(wa_wasi_ctx_t *ctx, int32_t ptr, int32_t len, char **out) {
    uint8_t *host;
    if (!wa_guest_range(ctx, (uint32_t)ptr, (uint32_t)len, &host))
        return WA_WASI_EFAULT;
    size_t n = (uint32_t)len;
    /*
     * No host path is that long (the kernel would answer ENAMETOOLONG, and
     * so does the walk): refuse before copying, so a guest cannot make the
     * host allocate and scan gigabytes for one call.
     */
    if (n >= PATH_MAX)
        return WA_WASI_ENAMETOOLONG;
    if (memchr(host, '\0', n))
        return WA_WASI_EINVAL;
    if (!is_utf8(host, n))
        return WA_WASI_EILSEQ;
    char *copy = malloc(n + 1);
    if (!copy)
        return WA_WASI_ENOMEM;
    memcpy(copy, host, n);
    copy[n] = '\0';
    *out = copy;
    return WA_WASI_ESUCCESS;
}

/* ---- The walk. ---- */

/* Retries openat on EINTR (opening a FIFO can block and be interrupted). */
static int openat_retry(int dirfd, const char *name, int flags, mode_t mode) {
    int fd;
    do
        fd = openat(dirfd, name, flags, mode);
    while (fd < 0 && errno == EINTR);
    return fd;
}

/* The directories entered so far: fds[0] is the start (not owned), the rest O_PATH fds. */
typedef struct dir_stack {
    int *fds;
    size_t depth; /* index of the current directory */
    size_t cap;
} dir_stack_t;

static bool push_dir(dir_stack_t *s, int fd) {
    if (s->depth + 1 == s->cap) {
        size_t cap = s->cap * 2;
        int *fds = realloc(s->fds, cap * sizeof *fds);
        if (!fds)
            return false;
        s->fds = fds;
        s->cap = cap;
    }
    s->fds[++s->depth] = fd;
    return true;
}

/*
 * Replaces *path up to `end` (the walked components, which the directory
 * stack now stands for, and the link's own name) by the target of the
 * symlink `link_fd` (an O_PATH fd of the link itself), keeping what follows:
 * the walk then starts over at the beginning of *path, from the directory
 * holding the link. Returns 0 or a host errno (EXDEV for an absolute target:
 * it would leave the directory).
 */
static int splice_link(int link_fd, char **path, size_t end) {
    char target[PATH_MAX];
    ssize_t n = readlinkat(link_fd, "", target, sizeof target);
    if (n < 0)
        return errno;
    if ((size_t)n == sizeof target)
        return ENAMETOOLONG;
    if (n == 0)
        return ENOENT; /* an empty target names nothing, as on Linux */
    if (target[0] == '/')
        return EXDEV;
    size_t rest = strlen(*path + end);
    if ((size_t)n + rest >= PATH_MAX)
        return ENAMETOOLONG;
    char *spliced = malloc((size_t)n + rest + 1);
    if (!spliced)
        return ENOMEM;
    memcpy(spliced, target, (size_t)n);
    memcpy(spliced + n, *path + end, rest + 1);
    free(*path);
    *path = spliced;
    return 0;
}

/*
 * The fallback resolver: opens `path` beneath `dirfd` with open(2) `flags`
 * and `mode`, component by component (see the opening comment). O_NOFOLLOW
 * in `flags` means the final component is not followed. Returns 0 with the
 * fd in *out, or a host errno, EXDEV for an escape.
 */
static int walk_open(int dirfd, const char *path_in, int flags, mode_t mode, int *out) {
    const bool follow_final = !(flags & O_NOFOLLOW);
    char *path = strdup(path_in);
    dir_stack_t s = {.fds = malloc(8 * sizeof(int)), .cap = 8};
    int err = 0, links = 0;
    if (!path || !s.fds) {
        err = ENOMEM;
        goto done;
    }
    s.fds[0] = dirfd;
    if (path[0] == '\0') {
        err = ENOENT;
        goto done;
    }
    size_t pos = 0;
    for (;;) {
        if (path[pos] == '/') {
            /* Only at the very start (an absolute path or target), never after a component. */
            err = EXDEV;
            goto done;
        }
        size_t start = pos, end = pos;
        while (path[end] && path[end] != '/')
            end++;
        size_t next = end;
        while (path[next] == '/')
            next++;
        const bool last = path[next] == '\0';
        const bool trailing = last && next != end;
        const size_t len = end - start;
        const char *comp = path + start;
        int cur = s.fds[s.depth];

        if ((len == 1 && comp[0] == '.') || (len == 2 && comp[0] == '.' && comp[1] == '.')) {
            if (len == 2) {
                if (s.depth == 0) {
                    err = EXDEV;
                    goto done;
                }
                close(s.fds[s.depth--]);
                cur = s.fds[s.depth];
            }
            if (last) {
                /* The kernel gives "." its own answers (EISDIR for O_CREAT or writing). */
                int fd = openat_retry(cur, ".", flags, mode);
                if (fd < 0)
                    err = errno;
                else
                    *out = fd;
                goto done;
            }
            pos = next;
            continue;
        }

        /* One component, NUL-terminated in place (the byte was '/' or already NUL). */
        char saved = path[end];
        path[end] = '\0';
        if (last && trailing && (flags & O_CREAT)) {
            /* Linux: O_CREAT with a trailing slash is EISDIR, whatever is there. */
            err = EISDIR;
            goto done;
        }
        if (last && !trailing && (!follow_final || (flags & O_CREAT))) {
            /*
             * Not followed (or about to be created): one open with O_NOFOLLOW,
             * whose answer for a symlink (ELOOP, or ENOTDIR with O_DIRECTORY,
             * or the link itself with O_PATH) is the kernel's own.
             */
            int fd = openat_retry(cur, comp, flags | O_NOFOLLOW, mode);
            if (fd >= 0) {
                *out = fd;
                goto done;
            }
            err = errno;
            if (!(follow_final && err == ELOOP))
                goto done;
            /* O_CREAT through a symlink: follow it as below (it may be dangling). */
            int link = openat_retry(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
            struct stat st;
            if (link < 0 || fstat(link, &st) != 0 || !S_ISLNK(st.st_mode)) {
                if (link >= 0)
                    close(link);
                goto done; /* ELOOP stands */
            }
            if (++links > MAX_SYMLINKS) {
                close(link);
                goto done;
            }
            path[end] = saved;
            err = splice_link(link, &path, end);
            close(link);
            if (err)
                goto done;
            pos = 0;
            continue;
        }

        /* An intermediate component, or a final one to follow: look at it without following. */
        int fd = openat_retry(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0) {
            err = errno;
            goto done;
        }
        struct stat st;
        if (fstat(fd, &st) != 0) {
            err = errno;
            close(fd);
            goto done;
        }
        path[end] = saved;
        if (S_ISLNK(st.st_mode)) {
            if (++links > MAX_SYMLINKS) {
                err = ELOOP;
                close(fd);
                goto done;
            }
            err = splice_link(fd, &path, end);
            close(fd);
            if (err)
                goto done;
            pos = 0;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            close(fd);
            if (!last || trailing) {
                err = ENOTDIR;
                goto done;
            }
            /* A final file to follow that is no symlink: open it, still never following. */
            path[end] = '\0';
            int file = openat_retry(cur, comp, flags | O_NOFOLLOW, mode);
            if (file < 0)
                err = errno;
            else
                *out = file;
            goto done;
        }
        if (last) {
            /* The directory itself, opened as asked (O_PATH fd "." reopens it). */
            int dir = openat_retry(fd, ".", flags, mode);
            if (dir < 0)
                err = errno;
            else
                *out = dir;
            close(fd);
            goto done;
        }
        if (!push_dir(&s, fd)) {
            close(fd);
            err = ENOMEM;
            goto done;
        }
        pos = next;
    }
done:
    if (s.fds) {
        while (s.depth > 0)
            close(s.fds[s.depth--]);
    }
    free(s.fds);
    free(path);
    return err;
}

/* ---- Opening beneath a directory. ---- */

/* openat2 beneath `dirfd`; 0 with *out, a host errno, or ENOSYS to say "use the walk". */
static int openat2_beneath(int dirfd, const char *path, int flags, mode_t mode, int *out) {
    if (openat2_missing)
        return ENOSYS;
    struct open_how how = {
        .flags = (uint64_t)(unsigned)flags,
        .mode = (flags & O_CREAT) ? mode : 0, /* openat2 refuses a mode without O_CREAT */
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    for (int i = 0; i < OPENAT2_TRIES; i++) {
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        if (fd >= 0) {
            *out = (int)fd;
            return 0;
        }
        switch (errno) {
        case EINTR:
        case EAGAIN:
            continue;
        case ENOSYS:
            openat2_missing = true;
            return ENOSYS;
        case EPERM:
            /* A seccomp filter's "not here"; the walk gives the real answer if there is one. */
            return ENOSYS;
        default:
            return errno;
        }
    }
    return ENOSYS;
}

/* A host errno from resolving (EXDEV = escape) as the WASI errno the guest sees. */
static int32_t resolve_errno(int err) {
    return err == EXDEV ? WA_WASI_EPERM : wa_errno_from_host(err);
}

int32_t wa_resolve_open(wa_wasi_ctx_t *ctx, int dirfd, const char *path, int flags, mode_t mode,
                        int *out) {
    flags |= O_CLOEXEC;
    if (path[0] == '/')
        return WA_WASI_EPERM;
    int err = ENOSYS;
    if (!ctx->resolve_by_walk)
        err = openat2_beneath(dirfd, path, flags, mode, out);
    if (err == ENOSYS)
        err = walk_open(dirfd, path, flags, mode, out);
    return resolve_errno(err);
}

/* ---- The parent of the final component. ---- */

/* Is s[0..n) "." or ".."? */
static bool is_dots(const char *s, size_t n) {
    return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

/* Closes the parent's fd unless it is the caller's directory fd. */
static void release_fd(wa_resolve_parent_t *parent) {
    if (parent->fd >= 0 && !parent->borrowed)
        close(parent->fd);
    parent->fd = -1;
    parent->borrowed = false;
}

int32_t wa_resolve_parent(wa_wasi_ctx_t *ctx, int dirfd, const char *path, unsigned how,
                          wa_resolve_parent_t *out) {
    out->borrowed = false;
    out->fd = -1;
    out->name = NULL;
    out->buf = strdup(path);
    if (!out->buf)
        return WA_WASI_ENOMEM;
    int links = 0;
    for (;;) {
        char *p = out->buf;
        size_t len = strlen(p);
        if (len == 0) {
            wa_resolve_parent_free(out);
            return WA_WASI_ENOENT;
        }
        if (p[0] == '/') {
            wa_resolve_parent_free(out);
            return WA_WASI_EPERM;
        }
        size_t end = len;
        while (end > 0 && p[end - 1] == '/')
            end--;
        const bool trailing = end < len;
        size_t base = end;
        while (base > 0 && p[base - 1] != '/')
            base--;
        int32_t err;
        if (is_dots(p + base, end - base) || (trailing && (how & WA_RESOLVE_FOLLOW_TRAILING))) {
            /* The whole path is a directory (or nothing): "." in it names it, beneath. */
            err = wa_resolve_open(ctx, dirfd, p, O_PATH | O_DIRECTORY, 0, &out->fd);
            if (err != WA_WASI_ESUCCESS) {
                wa_resolve_parent_free(out);
                return err;
            }
            out->name = ".";
            return WA_WASI_ESUCCESS;
        }
        if (base == 0) {
            /* One component: its directory is dirfd itself, no need to open "." beneath it. */
            out->fd = dirfd;
            out->borrowed = true;
        } else {
            char saved = p[base];
            p[base] = '\0';
            err = wa_resolve_open(ctx, dirfd, p, O_PATH | O_DIRECTORY, 0, &out->fd);
            p[base] = saved;
            if (err != WA_WASI_ESUCCESS) {
                wa_resolve_parent_free(out);
                return err;
            }
        }
        out->name = p + base;
        if (!(how & WA_RESOLVE_FOLLOW_FINAL) || trailing)
            return WA_WASI_ESUCCESS;
        char target[PATH_MAX];
        ssize_t n = readlinkat(out->fd, out->name, target, sizeof target);
        if (n < 0)
            return WA_WASI_ESUCCESS; /* not a symlink (or nothing): the caller's call says */
        if ((size_t)n == sizeof target || base + (size_t)n >= PATH_MAX) {
            wa_resolve_parent_free(out);
            return WA_WASI_ENAMETOOLONG;
        }
        if (++links > MAX_SYMLINKS) {
            wa_resolve_parent_free(out);
            return WA_WASI_ELOOP;
        }
        if (n == 0 || target[0] == '/') {
            wa_resolve_parent_free(out);
            return n == 0 ? WA_WASI_ENOENT : WA_WASI_EPERM;
        }
        /* The target, relative to the link's directory: the directory part, then it. */
        char *spliced = malloc(base + (size_t)n + 1);
        if (!spliced) {
            wa_resolve_parent_free(out);
            return WA_WASI_ENOMEM;
        }
        memcpy(spliced, p, base);
        memcpy(spliced + base, target, (size_t)n);
        spliced[base + (size_t)n] = '\0';
        release_fd(out);
        free(out->buf);
        out->buf = spliced;
    }
}

void wa_resolve_parent_free(wa_resolve_parent_t *parent) {
    release_fd(parent);
    free(parent->buf);
    parent->buf = NULL;
    parent->name = NULL;
}
