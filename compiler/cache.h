/*
 * cache.h: the cache of compiled executables behind `wasmaot run`.
 *
 * One directory, $XDG_CACHE_HOME/wasmaot (default ~/.cache/wasmaot), one file
 * per entry: the executable, named by the 32 hex digits of its key (see
 * wa_cache_key) and followed by a trailer that lets every run check the entry
 * before executing it. Entries are written to temporary files in the same
 * directory ("tmp-" + key + "-" + pid + "-" + random) and renamed into place,
 * so readers never see a partial entry and concurrent writers of one entry all
 * succeed (the last rename wins; every writer produced the same program).
 * The directory is opened once and every entry is reached through that
 * descriptor (openat, renameat, and /proc/self/fd/N for the linker), so the
 * directory whose owner and mode were checked is the one used.
 */
#ifndef WA_CACHE_H
#define WA_CACHE_H

#include "base/diag.h"
#include "driver.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The key of an entry: XXH3-128 of everything that decides its bytes. */
typedef struct WaCacheKey {
    uint8_t bytes[16];
} WaCacheKey;

/* Why wa_cache_open_entry found no usable entry. */
typedef enum WaCacheLookup {
    WA_CACHE_HIT,     /* verified: the fd is the entry */
    WA_CACHE_MISSING, /* no such entry */
    WA_CACHE_DAMAGED, /* present but truncated, corrupted or not an entry: recompile */
} WaCacheLookup;

/*
 * Hashes what decides the executable compiled from `module` with `o`: the
 * cache format, the wasmaot version and executable, the LLVM version, the
 * options that change code (opt level, CPU and, for "native", the host CPU
 * name and features, --allow-unknown-imports), the contents of the runtime
 * libraries the executable links, and the module bytes. Fails (one line in d)
 * only if the runtime libraries cannot be found or read.
 */
bool wa_cache_key(const WaCompileOptions *o, const uint8_t *module, size_t size, WaCacheKey *key,
                  WaDiag *d);

/*
 * The cache directory into dir (PATH_MAX bytes): $XDG_CACHE_HOME/wasmaot if
 * XDG_CACHE_HOME is an absolute path, else $HOME/.cache/wasmaot. Does not
 * create it. False with the reason in why if neither variable is usable.
 */
bool wa_cache_dir(char *dir, char *why, size_t why_size);

/*
 * Creates the cache directory (and missing parents) with mode 0700, opens it
 * (O_DIRECTORY, O_NOFOLLOW, close-on-exec) and checks through that descriptor
 * that it is a directory owned by the user and writable by nobody else: its
 * files are executed. Every later access goes through the descriptor, so
 * whatever is renamed over the path meanwhile is not used. Returns the
 * descriptor (the caller closes it), or -1 with the reason in why.
 */
int wa_cache_open_dir(const char *dir, char *why, size_t why_size);

/* The entry path for key in dir, into path (PATH_MAX bytes): for messages. */
void wa_cache_entry_path(const char *dir, const WaCacheKey *key, char *path);

/*
 * A fresh temporary file path for key in the cache directory dirfd, into path
 * (PATH_MAX bytes): "/proc/self/fd/DIRFD/tmp-...", so the driver and the
 * linker it spawns write into the directory that was checked (the linker
 * inherits dirfd only if the caller clears its close-on-exec flag while
 * compiling). The file is not created; the driver writes it.
 */
void wa_cache_temp_path(int dirfd, const WaCacheKey *key, char *path);

/*
 * Opens key's entry in the cache directory dirfd read-only and close-on-exec, after checking its
 * trailer against key and the XXH3 digest of its bytes, and that the user
 * owns it and group and others cannot write it (else it is damaged). Returns the fd with
 * *how = WA_CACHE_HIT, or -1 with *how = WA_CACHE_MISSING or WA_CACHE_DAMAGED.
 * The bytes checked are the bytes of the open file, so executing the fd runs
 * exactly what was checked, whatever is renamed over path meanwhile.
 */
int wa_cache_open_entry(int dirfd, const WaCacheKey *key, WaCacheLookup *how);

/*
 * Turns the finished executable at temp (from wa_cache_temp_path for dirfd)
 * into key's entry in dirfd: appends the trailer, sets mode 0500, then
 * renames. Returns a read-only, close-on-exec fd of the entry,
 * opened before the rename, so it stays the program just compiled even if
 * another process replaces or removes the entry meanwhile. Returns -1 with
 * one line in d, leaving temp (still a working executable) to the caller.
 */
int wa_cache_commit(int dirfd, const char *temp, const WaCacheKey *key, WaDiag *d);

/* `wasmaot cache info|clean`: argv[0] is "cache". Returns the exit status. */
int wa_cache_main(int argc, char **argv);

#endif
