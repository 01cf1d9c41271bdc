/*
 * dir.c: fd_readdir (wasi_snapshot_preview1.witx), the directory entries of
 * a directory fd as a sequence of dirent records (typenames.witx $dirent:
 * d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20, 24 bytes),
 * each followed by its d_namlen name bytes without a NUL.
 *
 * Cookies: entries are numbered in the order the host's readdir returns
 * them, "." and ".." included where the host puts them (the witx says they
 * are in the sequence; wasmtime makes up its own "." and ".." in front, at
 * cookies 0 and 1). Cookie 0 is the start, and an entry's d_next is its
 * number plus one: the cookie of the entry after it. That is also how
 * wasmtime counts, and it needs nothing from the host: telldir values and
 * getdents offsets are opaque 64-bit values, and nothing keeps one from
 * being 0, which WASI reserves for the start.
 *
 * The buffer is filled completely, the last entry truncated if it does not
 * fit (witx): the guest sees bufused == buf_len, keeps the whole entries and
 * asks again from the cookie after the last whole one, with a bigger buffer
 * if that entry alone did not fit. So reading a directory in chunks asks
 * again, each time, at exactly the cookie where the previous call stopped.
 * To keep that O(n) overall, each fd keeps its own stream (a DIR on a new
 * open file description of the directory) and the cookie it stands at; the
 * entry that did not fit stays pending in it. A call at that cookie goes on
 * from there (a later cookie skips forward from there); an earlier cookie
 * rewinds and skips (O(cookie)), and cookie 0 always rewinds, so a guest's
 * rewinddir sees entries created since. The stream belongs to the fd
 * entry: fd_close frees it, fd_renumber moves it with the entry.
 */
#include "wasi_impl.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void wa_dir_free(wa_dir_stream_t *stream) {
    if (!stream)
        return;
    closedir(stream->dir);
    free(stream);
}

/*
 * A stream on directory host fd `host_fd`, or NULL with errno set. The DIR
 * gets its own open file description (openat "."), so reading it moves no
 * offset another holder of `host_fd` sees; a directory without search
 * permission cannot be opened that way, and falls back to a dup.
 */
static wa_dir_stream_t *open_stream(int host_fd) {
    wa_dir_stream_t *stream = calloc(1, sizeof *stream);
    if (!stream)
        return NULL;
    int fd = openat(host_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 && errno == EACCES)
        fd = fcntl(host_fd, F_DUPFD_CLOEXEC, 0);
    if (fd >= 0 && !(stream->dir = fdopendir(fd))) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    if (!stream->dir) {
        free(stream);
        return NULL;
    }
    return stream;
}

/*
 * The entry at the stream's cookie (left pending: the caller consumes it),
 * or NULL at the end of the directory (errno 0) or on error (errno set).
 */
static struct dirent *peek_entry(wa_dir_stream_t *stream) {
    if (!stream->pending) {
        errno = 0;
        if ((stream->pending = readdir(stream->dir)))
            stream->host_reads++;
    }
    return stream->pending;
}

static void consume_entry(wa_dir_stream_t *stream) {
    stream->pending = NULL;
    stream->cookie++;
}

/* Positions the stream at `cookie`: goes on if it is there or before, else rewinds and skips. */
static int32_t seek_stream(wa_dir_stream_t *stream, uint64_t cookie) {
    /* Forward from where it stands; back (or to 0, to see new entries) from the start. */
    if (cookie < stream->cookie || cookie == 0) {
        rewinddir(stream->dir);
        stream->pending = NULL;
        stream->cookie = 0;
    }
    while (stream->cookie < cookie) {
        if (!peek_entry(stream))
            return errno ? wa_errno_from_host(errno) : WA_WASI_ESUCCESS; /* past the end */
        consume_entry(stream);
    }
    return WA_WASI_ESUCCESS;
}

/* The WASI filetype of an entry: from d_type when the filesystem fills it in, else lstat. */
static uint8_t entry_filetype(wa_dir_stream_t *stream, const struct dirent *d) {
    switch (d->d_type) {
    case DT_REG:
        return WA_WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR:
        return WA_WASI_FILETYPE_DIRECTORY;
    case DT_CHR:
        return WA_WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK:
        return WA_WASI_FILETYPE_BLOCK_DEVICE;
    case DT_LNK:
        return WA_WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_SOCK:
        return WA_WASI_FILETYPE_SOCKET_STREAM;
    case DT_FIFO:
        return WA_WASI_FILETYPE_UNKNOWN;
    default: {
        /* DT_UNKNOWN: the entry may vanish meanwhile, and then its type is unknown. */
        struct stat st;
        if (fstatat(dirfd(stream->dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            return WA_WASI_FILETYPE_UNKNOWN;
        return wa_filestat_filetype(st.st_mode);
    }
    }
}

/* Copies up to `*room` bytes of `src` to `*out`, advancing both; true if all `n` fitted. */
static bool put_bytes(uint8_t **out, uint32_t *room, const void *src, uint32_t n) {
    uint32_t k = n < *room ? n : *room;
    memcpy(*out, src, k);
    *out += k;
    *room -= k;
    return k == n;
}

int32_t wa_wasi_fd_readdir(wa_wasi_ctx_t *ctx, int32_t fd, int32_t buf, int32_t buf_len,
                           int64_t cookie, int32_t bufused_out) {
    wa_fdtab_entry_t *e;
    int32_t err = wa_fdtab_lookup(ctx, fd, WA_WASI_RIGHT_FD_READDIR, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    uint8_t *out;
    uint8_t *result = wa_guest_out(ctx, bufused_out, 4);
    if (!result || !wa_guest_range(ctx, (uint32_t)buf, (uint32_t)buf_len, &out))
        return WA_WASI_EFAULT;
    if (!e->dir_stream && !(e->dir_stream = open_stream(e->host_fd)))
        return wa_errno_from_host(errno);
    wa_dir_stream_t *stream = e->dir_stream;
    uint32_t room = (uint32_t)buf_len;
    if (room > 0 && (err = seek_stream(stream, (uint64_t)cookie)) != WA_WASI_ESUCCESS)
        return err;
    while (room > 0) {
        const struct dirent *d = peek_entry(stream);
        if (!d) {
            if (errno != 0)
                return wa_errno_from_host(errno);
            break;
        }
        uint8_t header[WA_WASI_DIRENT_SIZE] = {0};
        uint32_t namlen = (uint32_t)strlen(d->d_name);
        wa_guest_store_u64(header + WA_WASI_DIRENT_D_NEXT, stream->cookie + 1);
        wa_guest_store_u64(header + WA_WASI_DIRENT_D_INO, (uint64_t)d->d_ino);
        wa_guest_store_u32(header + WA_WASI_DIRENT_D_NAMLEN, namlen);
        header[WA_WASI_DIRENT_D_TYPE] = entry_filetype(stream, d);
        /* A truncated entry stays pending: the guest asks for it again at this cookie. */
        if (!put_bytes(&out, &room, header, sizeof header) ||
            !put_bytes(&out, &room, d->d_name, namlen))
            break;
        consume_entry(stream);
    }
    wa_guest_store_u32(result, (uint32_t)buf_len - room);
    return WA_WASI_ESUCCESS;
}
