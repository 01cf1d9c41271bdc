/*
 * filestat.c: host file status as WASI sees it, shared by fd_filestat_* and
 * path_filestat_*: the filetype of a mode, the filestat record
 * (typenames.witx $filestat, 64 bytes), and the fstflags of the set_times
 * functions turned into utimensat/futimens arguments.
 */
#include "wasi_impl.h"

#include <string.h>
#include <sys/stat.h>

uint8_t wa_filestat_filetype(unsigned mode) {
    switch (mode & S_IFMT) {
    case S_IFREG:
        return WA_WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR:
        return WA_WASI_FILETYPE_DIRECTORY;
    case S_IFCHR:
        return WA_WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK:
        return WA_WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFLNK:
        return WA_WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFSOCK:
        /* Stream or datagram needs the open socket (fdtab.c asks it); a path cannot tell. */
        return WA_WASI_FILETYPE_SOCKET_STREAM;
    default:
        return WA_WASI_FILETYPE_UNKNOWN;
    }
}

/* A host timestamp as WASI nanoseconds; times before 1970 clamp to 0 (timestamp is a u64). */
static uint64_t timestamp_of(const struct timespec *ts) {
    if (ts->tv_sec < 0)
        return 0;
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

void wa_filestat_store(uint8_t *out, const struct stat *st) {
    /* Padding (bytes 17-23) is zeroed: the guest never sees stale memory as data. */
    memset(out, 0, WA_WASI_FILESTAT_SIZE);
    wa_guest_store_u64(out + WA_WASI_FILESTAT_DEV, (uint64_t)st->st_dev);
    wa_guest_store_u64(out + WA_WASI_FILESTAT_INO, (uint64_t)st->st_ino);
    out[WA_WASI_FILESTAT_FILETYPE] = wa_filestat_filetype(st->st_mode);
    wa_guest_store_u64(out + WA_WASI_FILESTAT_NLINK, (uint64_t)st->st_nlink);
    wa_guest_store_u64(out + WA_WASI_FILESTAT_FILESIZE, (uint64_t)st->st_size);
    wa_guest_store_u64(out + WA_WASI_FILESTAT_ATIM, timestamp_of(&st->st_atim));
    wa_guest_store_u64(out + WA_WASI_FILESTAT_MTIM, timestamp_of(&st->st_mtim));
    wa_guest_store_u64(out + WA_WASI_FILESTAT_CTIM, timestamp_of(&st->st_ctim));
}

/* One of the two times: `set` gives the time, `now` the current time, neither leaves it. */
static struct timespec time_arg(uint64_t ns, bool set, bool now) {
    if (now)
        return (struct timespec){.tv_nsec = UTIME_NOW};
    if (!set)
        return (struct timespec){.tv_nsec = UTIME_OMIT};
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000u),
                             .tv_nsec = (long)(ns % 1000000000u)};
}

int32_t wa_filestat_times(uint64_t atim, uint64_t mtim, uint32_t fst_flags,
                          struct timespec times[2]) {
    const uint32_t all = WA_WASI_FSTFLAG_ATIM | WA_WASI_FSTFLAG_ATIM_NOW | WA_WASI_FSTFLAG_MTIM |
                         WA_WASI_FSTFLAG_MTIM_NOW;
    if (fst_flags & ~all)
        return WA_WASI_EINVAL;
    /* "X" and "X_NOW" together ask for two different times: EINVAL, as wasmtime answers. */
    if ((fst_flags & WA_WASI_FSTFLAG_ATIM) && (fst_flags & WA_WASI_FSTFLAG_ATIM_NOW))
        return WA_WASI_EINVAL;
    if ((fst_flags & WA_WASI_FSTFLAG_MTIM) && (fst_flags & WA_WASI_FSTFLAG_MTIM_NOW))
        return WA_WASI_EINVAL;
    times[0] =
        time_arg(atim, fst_flags & WA_WASI_FSTFLAG_ATIM, fst_flags & WA_WASI_FSTFLAG_ATIM_NOW);
    times[1] =
        time_arg(mtim, fst_flags & WA_WASI_FSTFLAG_MTIM, fst_flags & WA_WASI_FSTFLAG_MTIM_NOW);
    return WA_WASI_ESUCCESS;
}
