/*
 * path.c: the path_* functions of wasi_snapshot_preview1.witx:
 * path_create_directory, path_filestat_get, path_filestat_set_times,
 * path_link, path_open, path_readlink, path_remove_directory, path_rename,
 * path_symlink, path_unlink_file.
 *
 * Every one takes a directory fd (a preopen or a directory path_open
 * opened), looked up with the rights the witx names for it, and paths that
 * resolve.c keeps beneath that directory: path_open opens through
 * wa_resolve_open; the others act on the final component with an *at() call
 * on the parent that wa_resolve_parent opened beneath, never following it
 * unless the lookup flags say so.
 *
 * Where the witx is silent, the answers are wasmtime's: unknown flag bits
 * are EINVAL (wiggle refuses them); an escape is PERM (resolve.c);
 * path_open with oflags::directory and creat, excl or trunc is EINVAL; a
 * directory opened with fd_write is EISDIR (the host's answer); creating a
 * symlink with an absolute target, or reading one, is PERM (cap-std refuses
 * both: such a link could only point outside); path_readlink truncates to
 * buf_len and returns the truncated length. Two choices differ from
 * wasmtime: path_link with lookupflags::symlink_follow follows the old path
 * (beneath, like every path) where wasmtime answers EINVAL, and the
 * synchronous fdflags are honoured (O_DSYNC, O_SYNC, O_RSYNC) where
 * wasmtime answers NOTSUP.
 *
 * Rights: path_open gives the new fd the requested rights within the
 * directory's inheriting rights (and those that fit its filetype,
 * fdtab.c), without failing when more was asked, as wasmtime does and as
 * wasi-libc expects (it asks for every right). The host file is opened for
 * reading and/or writing as those rights say, so a file opened through a
 * read-only grant cannot be written even by another route.
 */
#include "wasi_impl.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOOKUPFLAGS_ALL WA_WASI_LOOKUP_SYMLINK_FOLLOW
#define OFLAGS_ALL                                                                                 \
    (WA_WASI_OFLAG_CREAT | WA_WASI_OFLAG_DIRECTORY | WA_WASI_OFLAG_EXCL | WA_WASI_OFLAG_TRUNC)
#define FDFLAGS_ALL                                                                                \
    (WA_WASI_FDFLAG_APPEND | WA_WASI_FDFLAG_DSYNC | WA_WASI_FDFLAG_NONBLOCK |                      \
     WA_WASI_FDFLAG_RSYNC | WA_WASI_FDFLAG_SYNC)

/* Permissions of what the guest creates, before the umask (as open and mkdir in C). */
#define CREATE_MODE 0666
#define MKDIR_MODE 0777

/*
 * Looks up directory fd `fd` with `rights` into *dir and copies the guest
 * path (path, path_len) into *host_path (the caller frees it). Returns a
 * WASI errno: EBADF, NOTCAPABLE, ENOTDIR for an fd that is no directory,
 * then the path's own errors (wa_resolve_copy_path).
 */
static int32_t open_dir_path(wa_wasi_ctx_t *ctx, int32_t fd, uint64_t rights, int32_t path,
                             int32_t path_len, wa_fdtab_entry_t **dir, char **host_path) {
    int32_t err = wa_fdtab_lookup(ctx, fd, rights, dir);
    if (err != WA_WASI_ESUCCESS)
        return err;
    if ((*dir)->filetype != WA_WASI_FILETYPE_DIRECTORY)
        return WA_WASI_ENOTDIR;
    return wa_resolve_copy_path(ctx, path, path_len, host_path);
}

/*
 * The common shape of the functions acting on one final component: looks up
 * the fd, copies the path, resolves its parent with `how`. On success the
 * caller releases *parent.
 */
static int32_t open_parent(wa_wasi_ctx_t *ctx, int32_t fd, uint64_t rights, int32_t path,
                           int32_t path_len, unsigned how, wa_resolve_parent_t *parent) {
    wa_fdtab_entry_t *dir;
    char *host_path;
    int32_t err = open_dir_path(ctx, fd, rights, path, path_len, &dir, &host_path);
    if (err != WA_WASI_ESUCCESS)
        return err;
    err = wa_resolve_parent(ctx, dir->host_fd, host_path, how, parent);
    free(host_path);
    return err;
}

/*
 * Runs `call` (a host call returning 0 or -1 with errno) again while it is
 * interrupted by a signal, and sets `err` to its WASI errno. Linux answers EINTR only
 * when nothing was done, so the retry cannot do anything twice.
 */
#define HOST_CALL(err, call)                                                                       \
    do {                                                                                           \
        int rc_;                                                                                   \
        do                                                                                         \
            rc_ = (call);                                                                          \
        while (rc_ < 0 && errno == EINTR);                                                         \
        (err) = rc_ == 0 ? WA_WASI_ESUCCESS : wa_errno_from_host(errno);                           \
    } while (0)

int32_t wa_wasi_path_create_directory(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path,
                                      int32_t path_len) {
    wa_resolve_parent_t p;
    int32_t err = open_parent(ctx, fd, WA_WASI_RIGHT_PATH_CREATE_DIRECTORY, path, path_len, 0, &p);
    if (err != WA_WASI_ESUCCESS)
        return err;
    HOST_CALL(err, mkdirat(p.fd, p.name, MKDIR_MODE));
    wa_resolve_parent_free(&p);
    return err;
}

/* How a path_filestat_* lookup resolves: flags::symlink_follow follows the final component. */
static unsigned stat_how(int32_t flags) {
    return WA_RESOLVE_FOLLOW_TRAILING |
           ((flags & WA_WASI_LOOKUP_SYMLINK_FOLLOW) ? WA_RESOLVE_FOLLOW_FINAL : 0);
}

int32_t wa_wasi_path_filestat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags, int32_t path,
                                  int32_t path_len, int32_t filestat_out) {
    if ((uint32_t)flags & ~(uint32_t)LOOKUPFLAGS_ALL)
        return WA_WASI_EINVAL;
    wa_fdtab_entry_t *dir;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_PATH_FILESTAT_GET, &dir);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint8_t *out = wa_guest_out(ctx, filestat_out, WA_WASI_FILESTAT_SIZE);
    if (!out)
        return WA_WASI_EFAULT;
    struct stat st;
    if (flags & WA_WASI_LOOKUP_SYMLINK_FOLLOW) {
        /*
         * Following the final component: the file itself, opened O_PATH beneath
         * (one open and an fstat, where the parent route needs a readlinkat
         * more), with stat's own answers for trailing slashes and "."/"..".
         */
        char *host_path;
        err = open_dir_path(ctx, fd, WA_WASI_RIGHT_PATH_FILESTAT_GET, path, path_len, &dir,
                            &host_path);
        if (err != WA_WASI_ESUCCESS)
            return err;
        int file;
        err = wa_resolve_open(ctx, dir->host_fd, host_path, O_PATH, 0, &file);
        free(host_path);
        if (err != WA_WASI_ESUCCESS)
            return err;
        HOST_CALL(err, fstat(file, &st));
        close(file);
    } else {
        wa_resolve_parent_t p;
        err = open_parent(ctx, fd, WA_WASI_RIGHT_PATH_FILESTAT_GET, path, path_len, stat_how(flags),
                          &p);
        if (err != WA_WASI_ESUCCESS)
            return err;
        HOST_CALL(err, fstatat(p.fd, p.name, &st, AT_SYMLINK_NOFOLLOW));
        wa_resolve_parent_free(&p);
    }
    if (err == WA_WASI_ESUCCESS)
        wa_filestat_store(out, &st);
    return err;
}

int32_t wa_wasi_path_filestat_set_times(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags, int32_t path,
                                        int32_t path_len, int64_t atim, int64_t mtim,
                                        int32_t fst_flags) {
    if ((uint32_t)flags & ~(uint32_t)LOOKUPFLAGS_ALL)
        return WA_WASI_EINVAL;
    struct timespec times[2];
    int32_t err = wa_filestat_times((uint64_t)atim, (uint64_t)mtim, (uint32_t)fst_flags, times);
    if (err != WA_WASI_ESUCCESS)
        return err;
    wa_resolve_parent_t p;
    err = open_parent(ctx, fd, WA_WASI_RIGHT_PATH_FILESTAT_SET_TIMES, path, path_len,
                      stat_how(flags), &p);
    if (err != WA_WASI_ESUCCESS)
        return err;
    HOST_CALL(err, utimensat(p.fd, p.name, times, AT_SYMLINK_NOFOLLOW));
    wa_resolve_parent_free(&p);
    return err;
}

int32_t wa_wasi_path_link(wa_wasi_ctx_t *ctx, int32_t old_fd, int32_t old_flags, int32_t old_path,
                          int32_t old_path_len, int32_t new_fd, int32_t new_path,
                          int32_t new_path_len) {
    if ((uint32_t)old_flags & ~(uint32_t)LOOKUPFLAGS_ALL)
        return WA_WASI_EINVAL;
    /* Both fds first, old then new, so a bad one is reported before any path is looked at. */
    wa_fdtab_entry_t *dir;
    int32_t err = wa_fdtab_lookup(ctx, old_fd, WA_WASI_RIGHT_PATH_LINK_SOURCE, &dir);
    if (err == WA_WASI_ESUCCESS)
        err = wa_fdtab_lookup(ctx, new_fd, WA_WASI_RIGHT_PATH_LINK_TARGET, &dir);
    if (err != WA_WASI_ESUCCESS)
        return err;
    wa_resolve_parent_t from, to;
    /*
     * linkat(2) without AT_SYMLINK_FOLLOW links a final symlink itself; with
     * symlink_follow the link is resolved here, beneath the directory, and
     * what it names is linked (wasmtime answers EINVAL instead).
     */
    err = open_parent(ctx, old_fd, WA_WASI_RIGHT_PATH_LINK_SOURCE, old_path, old_path_len,
                      stat_how(old_flags), &from);
    if (err != WA_WASI_ESUCCESS)
        return err;
    err = open_parent(ctx, new_fd, WA_WASI_RIGHT_PATH_LINK_TARGET, new_path, new_path_len, 0, &to);
    if (err == WA_WASI_ESUCCESS) {
        HOST_CALL(err, linkat(from.fd, from.name, to.fd, to.name, 0));
        wa_resolve_parent_free(&to);
    }
    wa_resolve_parent_free(&from);
    return err;
}

/* The host open(2) flags for path_open's arguments (rights: what the new fd will have). */
static int host_open_flags(int32_t dirflags, int32_t oflags, uint64_t rights, int32_t fdflags) {
    const bool read = rights & (WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_READDIR);
    const bool write = rights & WA_WASI_RIGHT_FD_WRITE;
    /* Neither: O_RDONLY, as wasmtime; the fd's rights forbid reading all the same. */
    int flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & WA_WASI_OFLAG_CREAT)
        flags |= O_CREAT;
    if (oflags & WA_WASI_OFLAG_DIRECTORY)
        flags |= O_DIRECTORY;
    if (oflags & WA_WASI_OFLAG_EXCL)
        flags |= O_EXCL;
    /* Linux truncates even with O_RDONLY; the path_filestat_set_size right was checked. */
    if (oflags & WA_WASI_OFLAG_TRUNC)
        flags |= O_TRUNC;
    if (!(dirflags & WA_WASI_LOOKUP_SYMLINK_FOLLOW))
        flags |= O_NOFOLLOW;
    if (fdflags & WA_WASI_FDFLAG_APPEND)
        flags |= O_APPEND;
    if (fdflags & WA_WASI_FDFLAG_NONBLOCK)
        flags |= O_NONBLOCK;
    if (fdflags & WA_WASI_FDFLAG_DSYNC)
        flags |= O_DSYNC;
    if (fdflags & WA_WASI_FDFLAG_SYNC)
        flags |= O_SYNC;
#ifdef O_RSYNC
    if (fdflags & WA_WASI_FDFLAG_RSYNC)
        flags |= O_RSYNC;
#endif
    return flags;
}

int32_t wa_wasi_path_open(wa_wasi_ctx_t *ctx, int32_t fd, int32_t dirflags, int32_t path,
                          int32_t path_len, int32_t oflags, int64_t fs_rights_base,
                          int64_t fs_rights_inheriting, int32_t fdflags, int32_t fd_out) {
    if (((uint32_t)dirflags & ~(uint32_t)LOOKUPFLAGS_ALL) ||
        ((uint32_t)oflags & ~(uint32_t)OFLAGS_ALL) || ((uint32_t)fdflags & ~(uint32_t)FDFLAGS_ALL))
        return WA_WASI_EINVAL;
    /* A directory cannot be created, truncated or exclusively made by path_open (wasmtime). */
    if ((oflags & WA_WASI_OFLAG_DIRECTORY) &&
        (oflags & (WA_WASI_OFLAG_CREAT | WA_WASI_OFLAG_EXCL | WA_WASI_OFLAG_TRUNC)))
        return WA_WASI_EINVAL;
    uint64_t needed = WA_WASI_RIGHT_PATH_OPEN;
    if (oflags & WA_WASI_OFLAG_CREAT)
        needed |= WA_WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WA_WASI_OFLAG_TRUNC)
        needed |= WA_WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    wa_fdtab_entry_t *dir;
    int32_t err = wa_fdtab_lookup(ctx, fd, needed, &dir);
    if (err != WA_WASI_ESUCCESS)
        return err;
    if (dir->filetype != WA_WASI_FILETYPE_DIRECTORY)
        return WA_WASI_ENOTDIR;
    /*
     * Synchronous writes are rights of the new fd (typenames.witx: fd_datasync
     * allows dsync, fd_sync allows rsync and dsync): the directory must be
     * able to pass them on.
     */
    uint64_t sync_needed = 0;
    if (fdflags & (WA_WASI_FDFLAG_RSYNC | WA_WASI_FDFLAG_SYNC))
        sync_needed |= WA_WASI_RIGHT_FD_SYNC;
    if ((fdflags & WA_WASI_FDFLAG_DSYNC) &&
        !(dir->rights_inheriting & (WA_WASI_RIGHT_FD_DATASYNC | WA_WASI_RIGHT_FD_SYNC)))
        return WA_WASI_ENOTCAPABLE;
    if ((dir->rights_inheriting & sync_needed) != sync_needed)
        return WA_WASI_ENOTCAPABLE;
    uint8_t *out = wa_guest_out(ctx, fd_out, 4);
    if (!out)
        return WA_WASI_EFAULT;
    char *host_path;
    err = wa_resolve_copy_path(ctx, path, path_len, &host_path);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint64_t base = (uint64_t)fs_rights_base & dir->rights_inheriting;
    uint64_t inheriting = (uint64_t)fs_rights_inheriting & dir->rights_inheriting;
    int flags = host_open_flags(dirflags, oflags, base, fdflags);
    int host_fd;
    err = wa_resolve_open(ctx, dir->host_fd, host_path, flags, (flags & O_CREAT) ? CREATE_MODE : 0,
                          &host_fd);
    free(host_path);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint32_t new_fd;
    /* The table may move when it grows: `dir` is not used past this point. */
    err = wa_fdtab_insert(ctx, host_fd, NULL, base, inheriting, &new_fd);
    if (err != WA_WASI_ESUCCESS) {
        close(host_fd);
        return err;
    }
    wa_guest_store_u32(out, new_fd);
    return WA_WASI_ESUCCESS;
}

/*
 * Reads the target of the symlink `name` in host directory `dirfd` into a
 * new string *target of *len bytes (the caller frees it). Returns a WASI
 * errno.
 */
static int32_t read_link(int dirfd, const char *name, char **target, size_t *len) {
    size_t size = 256;
    for (;;) {
        char *buf = malloc(size);
        if (!buf)
            return WA_WASI_ENOMEM;
        ssize_t n = readlinkat(dirfd, name, buf, size);
        if (n < 0) {
            free(buf);
            return wa_errno_from_host(errno);
        }
        if ((size_t)n < size) {
            *target = buf;
            *len = (size_t)n;
            return WA_WASI_ESUCCESS;
        }
        /* Filled the buffer: the target may be longer. */
        free(buf);
        if (size > PATH_MAX)
            return WA_WASI_ENAMETOOLONG;
        size *= 2;
    }
}

int32_t wa_wasi_path_readlink(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path, int32_t path_len,
                              int32_t buf, int32_t buf_len, int32_t bufused_out) {
    wa_fdtab_entry_t *dir;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_PATH_READLINK, &dir);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint8_t *dest, *result = wa_guest_out(ctx, bufused_out, 4);
    if (!result || !wa_guest_range(ctx, (uint32_t)buf, (uint32_t)buf_len, &dest))
        return WA_WASI_EFAULT;
    wa_resolve_parent_t p;
    err = open_parent(ctx, fd, WA_WASI_RIGHT_PATH_READLINK, path, path_len,
                      WA_RESOLVE_FOLLOW_TRAILING, &p);
    if (err != WA_WASI_ESUCCESS)
        return err;
    char *target = NULL;
    size_t len = 0;
    err = read_link(p.fd, p.name, &target, &len);
    wa_resolve_parent_free(&p);
    if (err != WA_WASI_ESUCCESS)
        return err;
    /* An absolute target names the host's tree: cap-std does not tell it (an escape). */
    if (len > 0 && target[0] == '/') {
        free(target);
        return WA_WASI_EPERM;
    }
    /* Truncated as POSIX readlink truncates; the result is what was stored. */
    if (len > (uint32_t)buf_len)
        len = (uint32_t)buf_len;
    memcpy(dest, target, len);
    free(target);
    wa_guest_store_u32(result, (uint32_t)len);
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_path_remove_directory(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path,
                                      int32_t path_len) {
    wa_resolve_parent_t p;
    int32_t err = open_parent(ctx, fd, WA_WASI_RIGHT_PATH_REMOVE_DIRECTORY, path, path_len, 0, &p);
    if (err != WA_WASI_ESUCCESS)
        return err;
    HOST_CALL(err, unlinkat(p.fd, p.name, AT_REMOVEDIR));
    wa_resolve_parent_free(&p);
    return err;
}

int32_t wa_wasi_path_rename(wa_wasi_ctx_t *ctx, int32_t fd, int32_t old_path, int32_t old_path_len,
                            int32_t new_fd, int32_t new_path, int32_t new_path_len) {
    wa_fdtab_entry_t *dir;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_PATH_RENAME_SOURCE, &dir);
    if (err == WA_WASI_ESUCCESS)
        err = wa_fdtab_lookup(ctx, new_fd, WA_WASI_RIGHT_PATH_RENAME_TARGET, &dir);
    if (err != WA_WASI_ESUCCESS)
        return err;
    wa_resolve_parent_t from, to;
    err = open_parent(ctx, fd, WA_WASI_RIGHT_PATH_RENAME_SOURCE, old_path, old_path_len, 0, &from);
    if (err != WA_WASI_ESUCCESS)
        return err;
    err =
        open_parent(ctx, new_fd, WA_WASI_RIGHT_PATH_RENAME_TARGET, new_path, new_path_len, 0, &to);
    if (err == WA_WASI_ESUCCESS) {
        HOST_CALL(err, renameat(from.fd, from.name, to.fd, to.name));
        wa_resolve_parent_free(&to);
    }
    wa_resolve_parent_free(&from);
    return err;
}

int32_t wa_wasi_path_symlink(wa_wasi_ctx_t *ctx, int32_t old_path, int32_t old_path_len, int32_t fd,
                             int32_t new_path, int32_t new_path_len) {
    wa_fdtab_entry_t *dir;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_PATH_SYMLINK, &dir);
    if (err != WA_WASI_ESUCCESS)
        return err;
    char *target;
    err = wa_resolve_copy_path(ctx, old_path, old_path_len, &target);
    if (err != WA_WASI_ESUCCESS)
        return err;
    /*
     * The target is stored as given; following it later stays beneath
     * (resolve.c). An absolute one could only point outside and would
     * mislead programs outside the sandbox: PERM, as cap-std refuses it.
     */
    if (target[0] == '/') {
        free(target);
        return WA_WASI_EPERM;
    }
    wa_resolve_parent_t p;
    err = open_parent(ctx, fd, WA_WASI_RIGHT_PATH_SYMLINK, new_path, new_path_len, 0, &p);
    if (err == WA_WASI_ESUCCESS) {
        HOST_CALL(err, symlinkat(target, p.fd, p.name));
        wa_resolve_parent_free(&p);
    }
    free(target);
    return err;
}

int32_t wa_wasi_path_unlink_file(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path, int32_t path_len) {
    wa_resolve_parent_t p;
    int32_t err = open_parent(ctx, fd, WA_WASI_RIGHT_PATH_UNLINK_FILE, path, path_len, 0, &p);
    if (err != WA_WASI_ESUCCESS)
        return err;
    HOST_CALL(err, unlinkat(p.fd, p.name, 0));
    wa_resolve_parent_free(&p);
    return err;
}
