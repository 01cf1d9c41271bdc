/*
 * cache.c: the cache of compiled executables behind `wasmaot run`, and the
 * `wasmaot cache info|clean` command.
 *
 * An entry is the executable's bytes followed by a 48-byte trailer:
 *
 *     offset  size  field
 *     0       8     magic "WAOTEXE1"
 *     8       8     length of the executable before the trailer, little-endian
 *     16      16    the entry's key (so a file renamed to another name fails)
 *     32      16    XXH3-128 of the executable's bytes (canonical, big-endian)
 *
 * ELF loaders read only what the headers point at, so the trailer does not
 * change the program. A sealed entry has mode 0500, and an entry that is not
 * the user's or that group or others may write is damaged: the digest only
 * detects accidents, it does not authenticate. Every run checks the whole trailer and digest on the
 * open file before executing it: a truncated entry (a crash or a full disk
 * while writing, a file system that lost the data after the rename) or a
 * corrupted one is recompiled, never executed. That is also why nothing is
 * fsync'ed: losing an entry costs one compilation.
 *
 * Keys hash tagged, length-prefixed fields (tag, u64 length, bytes), so no two
 * different inputs can produce the same stream.
 */
#include "cache.h"

#include "link/link.h"

#include "wa_config.h"

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/* Changes whenever the entry layout or the key's fields change. */
#define CACHE_FORMAT "wasmaot-cache 2" /* 2: the feature set is part of the key */

#define TRAILER_MAGIC "WAOTEXE1"
#define TRAILER_SIZE 48
#define TEMP_PREFIX "tmp-"
/* A sealed entry: its owner reads and executes it; nobody writes it. */
#define ENTRY_MODE 0500
/* `cache clean` leaves younger temporaries of live processes alone (a compile in progress). */
#define STRAY_AGE_SECONDS (24 * 60 * 60)

static void add_field(XXH3_state_t *st, const char *tag, const void *data, size_t len) {
    uint64_t n = len;
    XXH3_128bits_update(st, tag, strlen(tag) + 1);
    XXH3_128bits_update(st, &n, sizeof n);
    XXH3_128bits_update(st, data, len);
}

static void add_string(XXH3_state_t *st, const char *tag, const char *s) {
    add_field(st, tag, s, strlen(s));
}

/* Hashes the first len bytes of the open file fd; false if they cannot be read. */
static bool hash_fd(XXH3_state_t *st, int fd, uint64_t len) {
    uint8_t buf[1 << 14];
    uint64_t done = 0;
    while (done < len) {
        size_t want = len - done < sizeof buf ? (size_t)(len - done) : sizeof buf;
        ssize_t n = pread(fd, buf, want, (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        XXH3_128bits_update(st, buf, (size_t)n);
        done += (uint64_t)n;
    }
    return true;
}

/* Adds a file's contents as one field; false with one line in d if it cannot be read. */
static bool add_file(XXH3_state_t *st, const char *tag, const char *path, WaDiag *d) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return wa_diag_error_no_offset(d, "cannot read %s: %s", path, strerror(e));
    }
    uint64_t n = (uint64_t)sb.st_size;
    XXH3_128bits_update(st, tag, strlen(tag) + 1);
    XXH3_128bits_update(st, &n, sizeof n);
    bool ok = hash_fd(st, fd, n);
    close(fd);
    if (!ok)
        return wa_diag_error_no_offset(d, "cannot read %s", path);
    return true;
}

/*
 * Every WaCompileOptions field that changes the executable must be hashed
 * below (input and output name files, emit is always exe here). This fires
 * when the struct changes, so whoever adds a field decides, and updates the
 * size here; CACHE_FORMAT changes if the key changes.
 */
/*
 * Not hashed: jobs (-j), because the output is the same for any number of
 * threads (driver.c), and the test_* fields, which `wasmaot run` never sets.
 * Nor verbose (-v) and test_progress_after, which `run` sets: they change
 * what stderr shows while compiling, never the output. Nor header
 * (--header), which is for --emit=shared only, never an executable.
 */
/* target: `run` compiles for the host only (NULL); a target would be hashed by name. */
_Static_assert(sizeof(WaCompileOptions) == 112,
               "WaCompileOptions changed: hash its new fields in wa_cache_key if they change code");

bool wa_cache_key(const WaCompileOptions *o, const uint8_t *module, size_t size, WaCacheKey *key,
                  WaDiag *d) {
    char runtime[WA_LINK_NRUNTIME][PATH_MAX];
    WA_TRY(wa_link_runtime_paths(runtime, o->static_exe, d));
    XXH3_state_t *st = XXH3_createState();
    if (st == NULL)
        return wa_diag_error_no_offset(d, "out of memory");
    XXH3_128bits_reset(st);
    add_string(st, "format", CACHE_FORMAT);
    add_string(st, "version", WA_VERSION);
    unsigned major, minor, patch;
    LLVMGetVersion(&major, &minor, &patch);
    char llvm[64];
    snprintf(llvm, sizeof llvm, "%u.%u.%u", major, minor, patch);
    add_string(st, "llvm", llvm);
    /*
     * The compiler itself: a rebuilt wasmaot may generate different code
     * under the same version number (every development build does).
     */
    bool ok = add_file(st, "compiler", "/proc/self/exe", d);
    char opt[8];
    snprintf(opt, sizeof opt, "%d", o->opt_level);
    add_string(st, "opt", opt);
    /* NULL is the compiler's default CPU, whatever that is: the compiler's hash covers it. */
    add_string(st, "cpu", o->cpu ? o->cpu : "(default)");
    if (o->cpu != NULL && strcmp(o->cpu, "native") == 0) {
        /* What codegen asks LLVM for "native" (codegen/emit.c): the same two strings. */
        char *name = LLVMGetHostCPUName();
        char *features = LLVMGetHostCPUFeatures();
        add_string(st, "host-cpu", name);
        add_string(st, "host-features", features);
        LLVMDisposeMessage(name);
        LLVMDisposeMessage(features);
    }
    add_string(st, "unknown-imports", o->allow_unknown_imports ? "allow" : "refuse");
    add_string(st, "nans", o->canonical_nans ? "canonical" : "as computed");
    /* Only when set, so that the keys of modules compiled without them stay as they were. */
    if (o->fuel)
        add_string(st, "limits", "fuel");
    if (o->timeout)
        add_string(st, "limits", "timeout");
    if (o->static_exe)
        add_string(st, "link", "static");
    if (o->debug_info)
        add_string(st, "debug", "-g");
    if (o->target != NULL)
        add_string(st, "target", o->target->name);
    /* A module refused under one feature set may compile under another. */
    char features[512];
    wa_features_format(o->features, features, sizeof features);
    add_string(st, "features", features);
    add_string(st, "emit", "exe");
    for (int i = 0; ok && i < WA_LINK_NRUNTIME; i++)
        ok = add_file(st, "runtime", runtime[i], d);
    add_field(st, "module", module, size);
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits_digest(st));
    XXH3_freeState(st);
    memcpy(key->bytes, c.digest, sizeof key->bytes);
    return ok;
}

/* Is path absolute (XDG: relative values are invalid and ignored)? */
static bool is_absolute(const char *path) {
    return path != NULL && path[0] == '/';
}

bool wa_cache_dir(char *dir, char *why, size_t why_size) {
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (is_absolute(xdg)) {
        n = snprintf(dir, PATH_MAX, "%s/wasmaot", xdg);
    } else if (is_absolute(home)) {
        n = snprintf(dir, PATH_MAX, "%s/.cache/wasmaot", home);
    } else {
        snprintf(why, why_size, "neither XDG_CACHE_HOME nor HOME is set to an absolute path");
        return false;
    }
    if (n < 0 || n >= PATH_MAX) {
        snprintf(why, why_size, "the cache directory's path is too long");
        return false;
    }
    return true;
}

int wa_cache_open_dir(const char *dir, char *why, size_t why_size) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", dir);
    /* mkdir -p, each missing component with mode 0700 (as XDG asks). */
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            snprintf(why, why_size, "cannot create %s: %s", path, strerror(errno));
            return -1;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    /*
     * Checked and used through one descriptor: renaming another directory
     * over the path afterwards (by whoever may write a parent) changes
     * neither what was checked nor where entries are read and written.
     */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        struct stat lsb;
        /* Linux says ENOTDIR, not ELOOP, for a symbolic link opened O_DIRECTORY | O_NOFOLLOW. */
        if ((e == ENOTDIR || e == ELOOP) && lstat(dir, &lsb) == 0 && S_ISLNK(lsb.st_mode))
            snprintf(why, why_size, "%s is a symbolic link", dir);
        else if (e == ENOTDIR)
            snprintf(why, why_size, "%s is not a directory", dir);
        else
            snprintf(why, why_size, "cannot use %s: %s", dir, strerror(e));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        snprintf(why, why_size, "cannot use %s: %s", dir, strerror(errno));
        close(fd);
        return -1;
    }
    /* Anyone who can write here can choose what `wasmaot run` executes. */
    if (sb.st_uid != geteuid() || (sb.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        snprintf(why, why_size, "%s is not owned by you or is writable by others", dir);
        close(fd);
        return -1;
    }
    return fd;
}

static void format_key(const WaCacheKey *key, char hex[33]) {
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", key->bytes[i]);
}

void wa_cache_entry_path(const char *dir, const WaCacheKey *key, char *path) {
    char hex[33];
    format_key(key, hex);
    snprintf(path, PATH_MAX, "%s/%s", dir, hex);
}

void wa_cache_temp_path(int dirfd, const WaCacheKey *key, char *path) {
    /* The pid makes it unique on this host; the clock, across hosts sharing the directory. */
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char hex[33];
    format_key(key, hex);
    snprintf(path, PATH_MAX, "/proc/self/fd/%d/" TEMP_PREFIX "%s-%ld-%lx%x", dirfd, hex,
             (long)getpid(), (unsigned long)ts.tv_nsec ^ (unsigned long)ts.tv_sec, counter++);
}

/* The trailer for a payload of `len` bytes with digest `digest`. */
static void make_trailer(uint8_t t[TRAILER_SIZE], uint64_t len, const WaCacheKey *key,
                         const XXH128_canonical_t *digest) {
    memcpy(t, TRAILER_MAGIC, 8);
    for (int i = 0; i < 8; i++)
        t[8 + i] = (uint8_t)(len >> (8 * i));
    memcpy(t + 16, key->bytes, 16);
    memcpy(t + 32, digest->digest, 16);
}

/* The digest of the first len bytes of fd; false if they cannot be read. */
static bool digest_fd(int fd, uint64_t len, XXH128_canonical_t *out) {
    XXH3_state_t *st = XXH3_createState();
    if (st == NULL)
        return false;
    XXH3_128bits_reset(st);
    bool ok = hash_fd(st, fd, len);
    XXH128_canonicalFromHash(out, XXH3_128bits_digest(st));
    XXH3_freeState(st);
    return ok;
}

static bool read_at(int fd, void *buf, size_t len, off_t offset) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (uint8_t *)buf + done, len - done, offset + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

/*
 * Does the open file carry a valid trailer for key over intact bytes, and
 * could only the user have written it? XXH3 is not a MAC: whoever can write
 * the file can also write a valid trailer, so an entry another user owns or
 * that group or others may write is damaged, whatever its trailer says.
 */
static bool verify_fd(int fd, const WaCacheKey *key) {
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (sb.st_mode & S_IXUSR) == 0 ||
        sb.st_uid != geteuid() || (sb.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
        sb.st_size < TRAILER_SIZE)
        return false;
    uint64_t len = (uint64_t)sb.st_size - TRAILER_SIZE;
    uint8_t found[TRAILER_SIZE], expected[TRAILER_SIZE];
    XXH128_canonical_t digest;
    if (!read_at(fd, found, sizeof found, (off_t)len) || !digest_fd(fd, len, &digest))
        return false;
    make_trailer(expected, len, key, &digest);
    return memcmp(found, expected, TRAILER_SIZE) == 0;
}

int wa_cache_open_entry(int dirfd, const WaCacheKey *key, WaCacheLookup *how) {
    char name[33];
    format_key(key, name);
    /*
     * O_NONBLOCK: a FIFO under an entry's name must not hang the run (verify_fd
     * refuses it). O_NOFOLLOW: a symbolic link is no entry (ELOOP: damaged).
     */
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) {
        *how = errno == ENOENT ? WA_CACHE_MISSING : WA_CACHE_DAMAGED;
        return -1;
    }
    if (!verify_fd(fd, key)) {
        close(fd);
        *how = WA_CACHE_DAMAGED;
        return -1;
    }
    *how = WA_CACHE_HIT;
    return fd;
}

/* Appends the trailer to the executable `name` in dirfd (temp: its path); false with one line in d.
 */
static bool seal(int dirfd, const char *name, const char *temp, const WaCacheKey *key, WaDiag *d) {
    int fd = openat(dirfd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return wa_diag_error_no_offset(d, "cannot open %s: %s", temp, strerror(e));
    }
    uint64_t len = (uint64_t)sb.st_size;
    XXH128_canonical_t digest;
    uint8_t t[TRAILER_SIZE];
    bool ok = digest_fd(fd, len, &digest);
    if (ok) {
        make_trailer(t, len, key, &digest);
        ok = pwrite(fd, t, sizeof t, (off_t)len) == (ssize_t)sizeof t;
    }
    /*
     * The linker made it under the user's umask (002 gives a group-writable
     * file): the entry is read and executed by its owner only, and written by
     * nobody once sealed (wa_cache_open_entry refuses one group or others can
     * write).
     */
    if (ok)
        ok = fchmod(fd, ENTRY_MODE) == 0;
    int e = errno;
    /* Closed before anyone executes it: exec refuses a file open for writing (ETXTBSY). */
    if (close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (!ok)
        return wa_diag_error_no_offset(d, "cannot write %s: %s", temp, strerror(e));
    return true;
}

int wa_cache_commit(int dirfd, const char *temp, const WaCacheKey *key, WaDiag *d) {
    const char *slash = strrchr(temp, '/');
    const char *name = slash ? slash + 1 : temp;
    char entry[33];
    format_key(key, entry);
    int fd = -1;
    if (seal(dirfd, name, temp, key, d)) {
        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
            wa_diag_error_no_offset(d, "cannot open %s: %s", temp, strerror(errno));
        } else if (renameat(dirfd, name, dirfd, entry) != 0) {
            wa_diag_error_no_offset(d, "cannot rename %s to %s: %s", name, entry, strerror(errno));
            close(fd);
            fd = -1;
        }
    }
    return fd;
}

/* ---- wasmaot cache info|clean ------------------------------------------------------------- */

static const char cache_usage[] =
    "usage: wasmaot cache info | clean\n"
    "\n"
    "The cache of executables that `wasmaot run` compiles, in $XDG_CACHE_HOME/wasmaot\n"
    "(default ~/.cache/wasmaot).\n"
    "\n"
    "  info   print the directory, the number of entries and their total size\n"
    "  clean  remove every entry, and temporary files no running wasmaot is writing\n";

/* An entry's name: exactly 32 lowercase hex digits. */
static bool is_entry_name(const char *name) {
    size_t n = 0;
    for (; name[n] != '\0'; n++) {
        if (!((name[n] >= '0' && name[n] <= '9') || (name[n] >= 'a' && name[n] <= 'f')))
            return false;
    }
    return n == 32;
}

static bool is_temp_name(const char *name) {
    return strncmp(name, TEMP_PREFIX, strlen(TEMP_PREFIX)) == 0;
}

/*
 * Is the temporary file stray: its writer (the pid in its name,
 * "tmp-KEY-PID-...") is gone, or it is older than any compilation?
 */
static bool is_stray(const char *name, const struct stat *sb) {
    if (strlen(name) < strlen(TEMP_PREFIX) + 33 || name[strlen(TEMP_PREFIX) + 32] != '-')
        return true;
    const char *p = name + strlen(TEMP_PREFIX) + 32;
    char *end;
    long pid = strtol(p + 1, &end, 10);
    if (end == p + 1 || *end != '-' || pid <= 0)
        return true;
    if (time(NULL) - sb->st_mtime > STRAY_AGE_SECONDS)
        return true;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

typedef struct CacheCount {
    unsigned long entries, temps;
    unsigned long long entry_bytes, temp_bytes;
} CacheCount;

/* Counts (and with `clean`, removes) the cache's files; false if dir cannot be read. */
static bool scan(const char *dir, bool clean, CacheCount *c, char *why, size_t why_size) {
    memset(c, 0, sizeof *c);
    DIR *dp = opendir(dir);
    if (dp == NULL) {
        if (errno == ENOENT)
            return true;
        snprintf(why, why_size, "cannot read %s: %s", dir, strerror(errno));
        return false;
    }
    bool ok = true;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        bool entry = is_entry_name(de->d_name), temp = is_temp_name(de->d_name);
        struct stat sb;
        if ((!entry && !temp) || fstatat(dirfd(dp), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(sb.st_mode))
            continue;
        if (clean && (entry || is_stray(de->d_name, &sb))) {
            if (unlinkat(dirfd(dp), de->d_name, 0) != 0) {
                if (errno != ENOENT && ok) {
                    snprintf(why, why_size, "cannot remove %s from the cache: %s", de->d_name,
                             strerror(errno));
                    ok = false;
                }
                continue;
            }
        } else if (clean) {
            continue;
        }
        if (entry) {
            c->entries++;
            c->entry_bytes += (unsigned long long)sb.st_size;
        } else {
            c->temps++;
            c->temp_bytes += (unsigned long long)sb.st_size;
        }
    }
    closedir(dp);
    return ok;
}

static double to_mib(unsigned long long bytes) {
    return (double)bytes / (1024.0 * 1024.0);
}

int wa_cache_main(int argc, char **argv) {
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(cache_usage, stdout);
        return 0;
    }
    bool info = argc == 2 && strcmp(argv[1], "info") == 0;
    bool clean = argc == 2 && strcmp(argv[1], "clean") == 0;
    if (!info && !clean) {
        if (argc < 2)
            fprintf(stderr, "wasmaot cache: no command: use info or clean\n");
        else if (argc > 2)
            fprintf(stderr, "wasmaot cache: too many arguments ('%s')\n", argv[2]);
        else
            fprintf(stderr, "wasmaot cache: unknown command '%s': use info or clean\n", argv[1]);
        return 2;
    }
    char dir[PATH_MAX], why[PATH_MAX + 128];
    if (!wa_cache_dir(dir, why, sizeof why)) {
        fprintf(stderr, "wasmaot cache: no cache directory: %s\n", why);
        return 1;
    }
    CacheCount c;
    if (!scan(dir, clean, &c, why, sizeof why)) {
        fprintf(stderr, "wasmaot cache: %s\n", why);
        return 1;
    }
    if (info) {
        struct stat sb;
        bool exists = stat(dir, &sb) == 0;
        printf("cache directory: %s%s\n", dir, exists ? "" : " (not created yet)");
        printf("entries: %lu\n", c.entries);
        printf("total size: %llu bytes (%.1f MiB)\n", c.entry_bytes, to_mib(c.entry_bytes));
        if (c.temps > 0)
            printf("temporary files: %lu (%llu bytes)\n", c.temps, c.temp_bytes);
    } else {
        printf("removed %lu entr%s (%.1f MiB)", c.entries, c.entries == 1 ? "y" : "ies",
               to_mib(c.entry_bytes));
        if (c.temps > 0)
            printf(" and %lu temporary file%s", c.temps, c.temps == 1 ? "" : "s");
        printf(" from %s\n", dir);
    }
    return 0;
}
