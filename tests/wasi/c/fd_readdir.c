/*
 * fd_readdir.c: fd_readdir on the preopened "." holding 10,000 files, a
 * directory and a symlink: the raw records (d_next cookies, d_ino of "."
 * against fd_filestat_get, d_type), the buffer filled to its last byte with
 * the last entry truncated, resuming at every cookie, then the whole
 * directory read in small chunks the way wasi-libc's readdir does it (every
 * entry exactly once), then through wasi-libc's own fdopendir/readdir/
 * telldir/seekdir. Needs no path_open: everything is read through fd 3.
 *
 * wasi-options: --dir .
 * wasi-setup: seq -f 'f%05g' 0 9999 | xargs touch
 * wasi-setup: mkdir sub && ln -s f00000 link
 */
#include "check.h"

#include <dirent.h>
#include <stdlib.h>

#define NFILES 10000
#define DIR_FD 3

/* The entries of one fd_readdir buffer. */
typedef struct entry {
    __wasi_dirent_t d;
    char name[256];
} entry_t;

/* Parses the whole entries of `used` bytes at `buf` into `out` (max `max`); returns the count. */
static unsigned parse(const uint8_t *buf, size_t used, entry_t *out, unsigned max, size_t *end) {
    unsigned n = 0;
    size_t pos = 0;
    while (n < max && used - pos >= sizeof(__wasi_dirent_t)) {
        __wasi_dirent_t d;
        memcpy(&d, buf + pos, sizeof d);
        if (used - pos - sizeof d < d.d_namlen || d.d_namlen > 255)
            break;
        out[n].d = d;
        memcpy(out[n].name, buf + pos + sizeof d, d.d_namlen);
        out[n].name[d.d_namlen] = '\0';
        pos += sizeof d + d.d_namlen;
        n++;
    }
    if (end)
        *end = pos;
    return n;
}

static unsigned char seen[NFILES];

/* Counts a name "fNNNNN" in seen[]; other names (., .., sub, link) are left out. */
static void see(const char *name) {
    if (name[0] == 'f' && strlen(name) == 6) {
        unsigned k = (unsigned)atoi(name + 1);
        if (CHECK(k < NFILES))
            seen[k]++;
    }
}

static int all_seen_once(void) {
    for (unsigned i = 0; i < NFILES; i++) {
        if (seen[i] != 1) {
            printf("FAIL f%05u seen %u times\n", i, seen[i]);
            return 0;
        }
    }
    return 1;
}

static uint8_t big[1 << 20];
static entry_t entries[(1 << 20) / 25];

static void check_records(void) {
    __wasi_filestat_t st;
    CHECK_OK(__wasi_fd_filestat_get(DIR_FD, &st));
    CHECK(st.filetype == __WASI_FILETYPE_DIRECTORY);
    __wasi_size_t used = 0;
    CHECK_OK(__wasi_fd_readdir(DIR_FD, big, sizeof big, 0, &used));
    CHECK(used < sizeof big);
    size_t end;
    unsigned n = parse(big, used, entries, sizeof entries / sizeof entries[0], &end);
    CHECK(n == NFILES + 4); /* ., .., sub, link */
    CHECK(end == used);
    int dot = 0, dotdot = 0, sub = 0, link = 0;
    for (unsigned i = 0; i < n; i++) {
        const entry_t *e = &entries[i];
        if (!CHECK(e->d.d_next == i + 1))
            break;
        if (strcmp(e->name, ".") == 0) {
            dot++;
            CHECK(e->d.d_type == __WASI_FILETYPE_DIRECTORY);
            CHECK(e->d.d_ino == st.ino);
        } else if (strcmp(e->name, "..") == 0) {
            dotdot++;
            CHECK(e->d.d_type == __WASI_FILETYPE_DIRECTORY);
        } else if (strcmp(e->name, "sub") == 0) {
            sub++;
            CHECK(e->d.d_type == __WASI_FILETYPE_DIRECTORY);
        } else if (strcmp(e->name, "link") == 0) {
            link++;
            CHECK(e->d.d_type == __WASI_FILETYPE_SYMBOLIC_LINK);
        } else {
            CHECK(e->d.d_type == __WASI_FILETYPE_REGULAR_FILE);
            CHECK(e->d.d_ino != 0);
        }
    }
    CHECK(dot == 1 && dotdot == 1 && sub == 1 && link == 1);

    /* Small buffers get exactly a prefix of the listing, filled to the last byte. */
    static uint8_t small[100];
    for (__wasi_size_t len = 0; len <= sizeof small; len++) {
        __wasi_size_t got = 12345;
        CHECK_OK(__wasi_fd_readdir(DIR_FD, small, len, 0, &got));
        if (!CHECK(got == len) || !CHECK(memcmp(small, big, len) == 0))
            break;
    }
    /* Resuming at a cookie gives the listing from that entry on. */
    size_t offset = 0;
    for (unsigned k = 0; k < n; k += 997) {
        __wasi_size_t got;
        CHECK_OK(__wasi_fd_readdir(DIR_FD, small, sizeof small, k, &got));
        CHECK(got == sizeof small);
        CHECK(memcmp(small, big + offset, sizeof small) == 0);
        for (unsigned i = k; i < k + 997 && i < n; i++)
            offset += sizeof(__wasi_dirent_t) + entries[i].d.d_namlen;
    }
    __wasi_size_t got = 1;
    CHECK_OK(__wasi_fd_readdir(DIR_FD, small, sizeof small, n, &got));
    CHECK(got == 0);
    CHECK_OK(__wasi_fd_readdir(DIR_FD, small, sizeof small, (__wasi_dircookie_t)-1, &got));
    CHECK(got == 0);
}

/* The directory in `chunk`-byte reads, resumed at the cookie after the last whole entry. */
static void read_in_chunks(__wasi_size_t first_chunk) {
    __wasi_size_t chunk = first_chunk;
    memset(seen, 0, sizeof seen);
    __wasi_dircookie_t cookie = 0;
    unsigned total = 0, calls = 0;
    for (;;) {
        __wasi_size_t used;
        if (!CHECK_OK(__wasi_fd_readdir(DIR_FD, big, chunk, cookie, &used)))
            return;
        calls++;
        unsigned n = parse(big, used, entries, sizeof entries / sizeof entries[0], NULL);
        for (unsigned i = 0; i < n; i++) {
            see(entries[i].name);
            cookie = entries[i].d.d_next;
        }
        total += n;
        if (used < chunk)
            break;
        if (n == 0)
            chunk *= 2;
    }
    CHECK(total == NFILES + 4);
    CHECK(all_seen_once());
    printf("read in %u-byte chunks: %u entries, %u calls\n", (unsigned)first_chunk, total, calls);
}

/* wasi-libc's DIR on fd 3 (closedir closes the fd: this comes last). */
static void read_with_libc(void) {
    DIR *dir = fdopendir(DIR_FD);
    if (!CHECK(dir != NULL))
        return;
    memset(seen, 0, sizeof seen);
    unsigned total = 0;
    long mark = -1;
    char marked[256] = "";
    struct dirent *e;
    while ((e = readdir(dir))) {
        see(e->d_name);
        if (++total == 5000) {
            mark = telldir(dir);
            e = readdir(dir);
            if (!CHECK(e != NULL))
                break;
            see(e->d_name);
            total++;
            strcpy(marked, e->d_name);
        }
    }
    CHECK(total == NFILES + 4);
    CHECK(all_seen_once());
    /* seekdir back to the mark: the same entry again (a cookie far from the stream's). */
    seekdir(dir, mark);
    e = readdir(dir);
    CHECK(e != NULL && strcmp(e->d_name, marked) == 0);
    rewinddir(dir);
    total = 0;
    while (readdir(dir))
        total++;
    CHECK(total == NFILES + 4);
    CHECK(closedir(dir) == 0);
}

int main(void) {
    check_records();
    read_in_chunks(64);   /* at most one whole entry per call, the next truncated */
    read_in_chunks(31);   /* exactly one */
    read_in_chunks(4096); /* wasi-libc's default */
    read_in_chunks(7);    /* smaller than any entry: grows */
    /* Not a directory, not open, no memory. */
    __wasi_size_t used;
    CHECK_ERRNO(__wasi_fd_readdir(1, big, 100, 0, &used), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_readdir(99, big, 100, 0, &used), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_fd_readdir(DIR_FD, (uint8_t *)0xFFFFFF00, 0x1000, 0, &used),
                __WASI_ERRNO_FAULT);
    CHECK_ERRNO(__wasi_fd_readdir(DIR_FD, big, 100, 0, (__wasi_size_t *)0xFFFFFFFE),
                __WASI_ERRNO_FAULT);
    read_with_libc();
    return check_done();
}
