/*
 * test_wasi_fd.c: the fd_* functions of the WASI shim (fd.c, dir.c, the fd
 * table in fdtab.c) called directly over a fake linear memory, as
 * test_wasi.c does: the exact errno of each success and error path, the
 * bytes written to guest memory, EFAULT without touching memory or the
 * file, NOTCAPABLE for each missing right (fds added with narrowed masks),
 * fd_readdir's cookies and truncation (a 10,000-entry directory read in
 * small chunks costs O(n) host reads), fd_renumber over stdio, and the host
 * stdio flags put back when the context is freed.
 */
#include "wa_wasi.h"
#include "wasi_impl.h"

#include <criterion/criterion.h>

#include "fd_count.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2 MiB of fake linear memory (room for 100,000 iovecs), then a canary area past its end. */
#define MEM_SIZE (2u << 20)
#define CANARY_SIZE 64u
#define CANARY 0xEE

static uint8_t *buf;
static wa_rt_memory_t mem;
static wa_wasi_ctx_t *ctx;
static char tmp_dir[64];

static void new_ctx(void) {
    ctx = wa_wasi_ctx_new(0, NULL, NULL);
    cr_assert_not_null(ctx);
    wa_wasi_ctx_set_memory(ctx, &mem);
}

static void setup(void) {
    buf = malloc(MEM_SIZE + CANARY_SIZE);
    cr_assert_not_null(buf);
    memset(buf, 0, MEM_SIZE);
    memset(buf + MEM_SIZE, CANARY, CANARY_SIZE);
    mem = (wa_rt_memory_t){.base = buf, .size = MEM_SIZE, .max_pages = 32, .reserved = MEM_SIZE};
    new_ctx();
    strcpy(tmp_dir, "/tmp/test_wasi_fd_XXXXXX");
    cr_assert_not_null(mkdtemp(tmp_dir));
}

static void teardown(void) {
    for (uint32_t i = 0; i < CANARY_SIZE; i++)
        cr_assert_eq(buf[MEM_SIZE + i], CANARY, "write past the end of guest memory");
    wa_wasi_ctx_free(ctx);
    free(buf);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp_dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(wasi_fd, .init = setup, .fini = teardown);

static uint32_t load_u32(uint32_t addr) {
    return wa_guest_load_u32(buf + addr);
}

static uint64_t load_u64(uint32_t addr) {
    return (uint64_t)load_u32(addr) | (uint64_t)load_u32(addr + 4) << 32;
}

static void put_iovec(uint32_t at, uint32_t ptr, uint32_t len) {
    wa_guest_store_u32(buf + at, ptr);
    wa_guest_store_u32(buf + at + 4, len);
}

static bool all_bytes(uint32_t addr, uint32_t n, uint8_t value) {
    for (uint32_t i = 0; i < n; i++) {
        if (buf[addr + i] != value)
            return false;
    }
    return true;
}

/* Adds host fd `host_fd` with base rights narrowed to `base_mask`; returns its WASI fd. */
static int32_t add_fd_masked(int host_fd, uint64_t base_mask) {
    uint32_t fd;
    cr_assert_eq(wa_fdtab_insert(ctx, host_fd, NULL, base_mask, WA_WASI_RIGHTS_ALL, &fd),
                 WA_WASI_ESUCCESS);
    return (int32_t)fd;
}

static int32_t add_fd(int host_fd) {
    return add_fd_masked(host_fd, WA_WASI_RIGHTS_ALL);
}

/* The path of `name` in this test's directory (a static buffer). */
static const char *in_tmp(const char *name) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    return path;
}

/* A new file `name` in the test directory with `content`, open read/write with `flags`. */
static int make_file(const char *name, const char *content, int flags) {
    int fd = open(in_tmp(name), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | flags, 0644);
    cr_assert_geq(fd, 0);
    size_t n = strlen(content);
    cr_assert_eq(write(fd, content, n), (ssize_t)n);
    return fd;
}

/* The whole content of host fd `fd` (read with pread, so its offset stays), NUL-terminated. */
static const char *content_of(int fd) {
    static char text[4096];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    cr_assert_geq(n, 0);
    text[n] = '\0';
    return text;
}

static off_t size_of(int fd) {
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    return st.st_size;
}

static int32_t open_tmp_dir(uint64_t base_mask) {
    int host = open(tmp_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert_geq(host, 0);
    return add_fd_masked(host, base_mask);
}

/* Is host fd `fd` open on /dev/null? */
static bool is_dev_null(int fd) {
    struct stat st, null_st;
    return fstat(fd, &st) == 0 && stat("/dev/null", &null_st) == 0 && S_ISCHR(st.st_mode) &&
           st.st_rdev == null_st.st_rdev;
}

#define ALL WA_WASI_RIGHTS_ALL
#define WITHOUT(right) (WA_WASI_RIGHTS_ALL & ~(right))

/* ---- fd_pread, fd_pwrite ---- */

Test(wasi_fd, pread_reads_at_offset_without_moving) {
    int host = make_file("f", "hello, world", 0);
    int32_t fd = add_fd(host);
    cr_assert_eq(lseek(host, 2, SEEK_SET), 2);
    memset(buf + 100, '.', 16);
    put_iovec(9, 100, 3);
    put_iovec(17, 0, 0);
    put_iovec(25, 110, 10);
    cr_assert_eq(wa_wasi_fd_pread(ctx, fd, 9, 3, 7, 50), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(50), 5);
    cr_assert_eq(memcmp(buf + 100, "wor.......ld....", 16), 0);
    cr_assert_eq(lseek(host, 0, SEEK_CUR), 2, "the fd offset stays");
    /* At and past the end: zero bytes. */
    cr_assert_eq(wa_wasi_fd_pread(ctx, fd, 9, 1, 12, 50), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(50), 0);
    cr_assert_eq(wa_wasi_fd_pread(ctx, fd, 9, 1, 1000000, 50), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(50), 0);
    /* An offset off_t cannot hold. */
    cr_assert_eq(wa_wasi_fd_pread(ctx, fd, 9, 1, INT64_MIN, 50), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_pread(ctx, fd, 9, 1, -1, 50), WA_WASI_EINVAL);
}

Test(wasi_fd, pwrite_writes_at_offset_without_moving) {
    int host = make_file("f", "hello, world", 0);
    int32_t fd = add_fd(host);
    cr_assert_eq(lseek(host, 3, SEEK_SET), 3);
    memcpy(buf + 200, "HELLO", 5);
    put_iovec(0, 200, 5);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, fd, 0, 1, 0, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(40), 5);
    cr_assert_str_eq(content_of(host), "HELLO, world");
    cr_assert_eq(lseek(host, 0, SEEK_CUR), 3);
    /* Past the end: the gap reads as zeros. */
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, fd, 0, 1, 20, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(size_of(host), 25);
    char gap[8];
    cr_assert_eq(pread(host, gap, 8, 12), 8);
    cr_assert(memcmp(gap, "\0\0\0\0\0\0\0\0", 8) == 0);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, fd, 0, 1, (int64_t)UINT64_MAX, 40), WA_WASI_EINVAL);
}

Test(wasi_fd, pwrite_on_append_file_appends) {
    /* Linux pwrite ignores the offset with O_APPEND, and wasmtime copies that. */
    int host = make_file("f", "abc", O_APPEND);
    int32_t fd = add_fd(host);
    memcpy(buf + 200, "XY", 2);
    put_iovec(0, 200, 2);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, fd, 0, 1, 0, 40), WA_WASI_ESUCCESS);
    cr_assert_str_eq(content_of(host), "abcXY");
}

Test(wasi_fd, pread_pwrite_efault_touch_nothing) {
    int host = make_file("f", "hello", 0);
    int32_t fd = add_fd(host);
    memset(buf + 100, '.', 8);
    put_iovec(0, 100, 4);
    put_iovec(8, MEM_SIZE - 2, 4); /* runs past the end */
    cr_assert_eq(wa_wasi_fd_pread(ctx, fd, 0, 2, 0, 40), WA_WASI_EFAULT);
    cr_assert(all_bytes(100, 8, '.'), "nothing read into the good iovec");
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, fd, 0, 2, 0, 40), WA_WASI_EFAULT);
    cr_assert_str_eq(content_of(host), "hello");
    /* A bad result pointer: checked before any data moves. */
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, fd, 0, 1, 0, (int32_t)(MEM_SIZE - 3)), WA_WASI_EFAULT);
    cr_assert_str_eq(content_of(host), "hello");
    cr_assert_eq(wa_wasi_fd_pread(ctx, fd, 0, 1, 0, -1), WA_WASI_EFAULT);
    cr_assert(all_bytes(100, 8, '.'));
    /* An array that wraps around 2^32. */
    cr_assert_eq(wa_wasi_fd_pread(ctx, fd, -8, 2, 0, 40), WA_WASI_EFAULT);
    cr_assert_eq(load_u32(40), 0);
}

Test(wasi_fd, pread_pwrite_rights_and_streams) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]), wr = add_fd(p[1]);
    put_iovec(0, 100, 4);
    /* A pipe has no seek right because it cannot seek: ESPIPE, as the host says. */
    cr_assert_eq(wa_wasi_fd_pread(ctx, rd, 0, 1, 0, 40), WA_WASI_ESPIPE);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, wr, 0, 1, 0, 40), WA_WASI_ESPIPE);
    /* Without the read right as well, it is the missing right that counts. */
    int32_t rd_narrow = add_fd_masked(dup(p[0]), WITHOUT(WA_WASI_RIGHT_FD_READ));
    cr_assert_eq(wa_wasi_fd_pread(ctx, rd_narrow, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);

    /* A file that can seek, missing one right or the other. */
    int host = make_file("f", "data", 0);
    int32_t no_seek = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_SEEK));
    int32_t no_read = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_READ));
    int32_t no_write = add_fd_masked(host, WITHOUT(WA_WASI_RIGHT_FD_WRITE));
    cr_assert_eq(wa_wasi_fd_pread(ctx, no_seek, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, no_seek, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_pread(ctx, no_read, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, no_write, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_pread(ctx, no_write, 0, 1, 0, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, no_read, 0, 1, 0, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_pread(ctx, 99, 0, 1, 0, 40), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, -1, 0, 1, 0, 40), WA_WASI_EBADF);

    /* A directory: no read or write rights. */
    int32_t dir = open_tmp_dir(ALL);
    cr_assert_eq(wa_wasi_fd_pread(ctx, dir, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, dir, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);
    close(p[1]);
}

/* ---- fd_read and fd_write: iovec arrays ---- */

Test(wasi_fd, huge_iovec_count_is_efault) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]), wr = add_fd(p[1]);
    /* 2^30 iovecs are 8 GiB of array: not in memory, nothing allocated for it. */
    cr_assert_eq(wa_wasi_fd_write(ctx, wr, 0, 1 << 30, 8), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_read(ctx, rd, 0, 1 << 30, 8), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_write(ctx, wr, 0, INT32_MAX, 8), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_write(ctx, wr, 0, -1, 8), WA_WASI_EFAULT);
    /* One iovec more than fits. */
    uint32_t fit = MEM_SIZE / WA_WASI_CIOVEC_SIZE;
    cr_assert_eq(wa_wasi_fd_write(ctx, wr, 0, (int32_t)fit + 1, 8), WA_WASI_EFAULT);
    cr_assert_eq(load_u32(8), 0);
    close(p[1]);
}

Test(wasi_fd, many_iovecs) {
    int host = make_file("f", "", 0);
    int32_t fd = add_fd(host);
    const uint32_t count = 100000, data = MEM_SIZE - 4096;
    memcpy(buf + data, "abc", 3);
    /* 100,000 iovecs, all empty but three far apart: all three bytes move. */
    for (uint32_t i = 0; i < count; i++)
        put_iovec(8 * i, data, 0);
    put_iovec(0, data, 1);
    put_iovec(8 * 50000, data + 1, 1);
    put_iovec(8 * (count - 1), data + 2, 1);
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 0, (int32_t)count, (int32_t)(MEM_SIZE - 8)),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(MEM_SIZE - 8), 3);
    cr_assert_str_eq(content_of(host), "abc");

    /* 100,000 one-byte iovecs: a short write of the first IOV_MAX, as POSIX allows. */
    for (uint32_t i = 0; i < count; i++)
        put_iovec(8 * i, data + i % 3, 1);
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 0, (int32_t)count, (int32_t)(MEM_SIZE - 8)),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(MEM_SIZE - 8), IOV_MAX);
    cr_assert_eq(size_of(host), 3 + IOV_MAX);

    /* Every iovec is checked, even one past those used: EFAULT, nothing written. */
    put_iovec(8 * (count - 1), MEM_SIZE, 1);
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 0, (int32_t)count, (int32_t)(MEM_SIZE - 8)),
                 WA_WASI_EFAULT);
    cr_assert_eq(size_of(host), 3 + IOV_MAX);

    /* And reading back through 100,000 iovecs. */
    cr_assert_eq(lseek(host, 0, SEEK_SET), 0);
    for (uint32_t i = 0; i < count; i++)
        put_iovec(8 * i, data + 16, 0);
    put_iovec(8 * 70000, data + 16, 3);
    cr_assert_eq(wa_wasi_fd_read(ctx, fd, 0, (int32_t)count, (int32_t)(MEM_SIZE - 8)),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(MEM_SIZE - 8), 3);
    cr_assert_eq(memcmp(buf + data + 16, "abc", 3), 0);
}

Test(wasi_fd, zero_length_iovecs) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]), wr = add_fd(p[1]);
    put_iovec(0, 100, 0);
    put_iovec(8, MEM_SIZE, 0); /* empty, at the very end: in bounds */
    wa_guest_store_u32(buf + 40, 77);
    /* An empty pipe in blocking mode: only empty iovecs read zero bytes at once. */
    cr_assert_eq(wa_wasi_fd_read(ctx, rd, 0, 2, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(40), 0);
    wa_guest_store_u32(buf + 40, 77);
    cr_assert_eq(wa_wasi_fd_write(ctx, wr, 0, 2, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(40), 0);
    /* An empty iovec outside memory is still a bad pointer. */
    put_iovec(16, MEM_SIZE + 1, 0);
    cr_assert_eq(wa_wasi_fd_write(ctx, wr, 0, 3, 40), WA_WASI_EFAULT);
    /* Empty iovecs between full ones are skipped. */
    memcpy(buf + 300, "xy", 2);
    put_iovec(0, 300, 1);
    put_iovec(8, 0, 0);
    put_iovec(16, 301, 1);
    cr_assert_eq(wa_wasi_fd_write(ctx, wr, 0, 3, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(40), 2);
    char got[4] = {0};
    cr_assert_eq(read(p[0], got, sizeof got), 2);
    cr_assert_str_eq(got, "xy");
    close(p[1]);
}

/* ---- fd_seek, fd_tell ---- */

Test(wasi_fd, tell_and_seek) {
    int host = make_file("f", "0123456789", 0);
    int32_t fd = add_fd(host);
    cr_assert_eq(wa_wasi_fd_tell(ctx, fd, 3), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(3), 10);
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, -4, WA_WASI_WHENCE_END, 16), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(16), 6);
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 2, WA_WASI_WHENCE_CUR, 16), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(16), 8);
    cr_assert_eq(wa_wasi_fd_tell(ctx, fd, 24), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(24), 8);
    /* Before the start: the host's EINVAL, and the offset stays. */
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, -9, WA_WASI_WHENCE_CUR, 16), WA_WASI_EINVAL);
    cr_assert_eq(lseek(host, 0, SEEK_CUR), 8);
    /* whence outside the enum: EINVAL before the fd is even looked at (wasmtime's order). */
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 0, 3, 16), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_seek(ctx, 99, 0, 3, 16), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_seek(ctx, 99, 0, WA_WASI_WHENCE_SET, 16), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_tell(ctx, 99, 16), WA_WASI_EBADF);
    /* EFAULT without moving. */
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 1, WA_WASI_WHENCE_SET, (int32_t)(MEM_SIZE - 7)),
                 WA_WASI_EFAULT);
    cr_assert_eq(lseek(host, 0, SEEK_CUR), 8);
    cr_assert_eq(wa_wasi_fd_tell(ctx, fd, -4), WA_WASI_EFAULT);
}

Test(wasi_fd, tell_and_seek_rights) {
    int host = make_file("f", "0123456789", 0);
    /* Only fd_tell: where am I, yes; moving, no. */
    int32_t tell_only = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_SEEK));
    cr_assert_eq(wa_wasi_fd_tell(ctx, tell_only, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(0), 10);
    cr_assert_eq(wa_wasi_fd_seek(ctx, tell_only, 0, WA_WASI_WHENCE_CUR, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_seek(ctx, tell_only, 1, WA_WASI_WHENCE_CUR, 0), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_seek(ctx, tell_only, 0, WA_WASI_WHENCE_SET, 0), WA_WASI_ENOTCAPABLE);
    /* Only fd_seek: it implies fd_tell (witx). */
    int32_t seek_only = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_TELL));
    cr_assert_eq(wa_wasi_fd_tell(ctx, seek_only, 8), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_seek(ctx, seek_only, 0, WA_WASI_WHENCE_CUR, 8), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_seek(ctx, seek_only, 1, WA_WASI_WHENCE_SET, 8), WA_WASI_ESUCCESS);
    /* Neither, on a file that could seek: NOTCAPABLE, not ESPIPE. */
    int32_t neither = add_fd_masked(host, WITHOUT(WA_WASI_RIGHT_FD_SEEK | WA_WASI_RIGHT_FD_TELL));
    cr_assert_eq(wa_wasi_fd_tell(ctx, neither, 8), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_seek(ctx, neither, 0, WA_WASI_WHENCE_CUR, 8), WA_WASI_ENOTCAPABLE);

    /* A pipe: ESPIPE. A directory: no seek rights, and lseek would work: NOTCAPABLE. */
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]);
    cr_assert_eq(wa_wasi_fd_tell(ctx, rd, 8), WA_WASI_ESPIPE);
    cr_assert_eq(wa_wasi_fd_seek(ctx, rd, 0, WA_WASI_WHENCE_SET, 8), WA_WASI_ESPIPE);
    int32_t dir = open_tmp_dir(ALL);
    cr_assert_eq(wa_wasi_fd_tell(ctx, dir, 8), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_seek(ctx, dir, 0, WA_WASI_WHENCE_SET, 8), WA_WASI_ENOTCAPABLE);
    close(p[1]);
}

/* ---- fd_advise, fd_allocate, fd_datasync, fd_sync ---- */

Test(wasi_fd, advise) {
    int host = make_file("f", "0123456789", 0);
    int32_t fd = add_fd(host);
    for (int32_t advice = 0; advice <= WA_WASI_ADVICE_NOREUSE; advice++)
        cr_assert_eq(wa_wasi_fd_advise(ctx, fd, 2, 5, advice), WA_WASI_ESUCCESS, "%d", advice);
    /* len 0 means "to the end" (posix_fadvise). */
    cr_assert_eq(wa_wasi_fd_advise(ctx, fd, 0, 0, WA_WASI_ADVICE_SEQUENTIAL), WA_WASI_ESUCCESS);
    cr_assert_eq(size_of(host), 10, "advice changes nothing");
    cr_assert_eq(wa_wasi_fd_advise(ctx, fd, 0, 0, 6), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_advise(ctx, fd, 0, 0, 255), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_advise(ctx, fd, 0, 0, -1), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_advise(ctx, 99, 0, 0, 6), WA_WASI_EINVAL,
                 "the advice is checked first");
    cr_assert_eq(wa_wasi_fd_advise(ctx, 99, 0, 0, 0), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_advise(ctx, fd, -1, 0, 0), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_advise(ctx, fd, 0, INT64_MIN, 0), WA_WASI_EINVAL);
    int32_t narrow = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_ADVISE));
    cr_assert_eq(wa_wasi_fd_advise(ctx, narrow, 0, 0, 0), WA_WASI_ENOTCAPABLE);
    /* A pipe has no advise right. */
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(wa_wasi_fd_advise(ctx, add_fd(p[0]), 0, 0, 0), WA_WASI_ENOTCAPABLE);
    close(p[1]);
}

Test(wasi_fd, allocate) {
    int host = make_file("f", "", 0);
    int32_t fd = add_fd(host);
    /* The sizes wasi-testsuite's file_allocate expects when allocation is supported. */
    cr_assert_eq(wa_wasi_fd_allocate(ctx, fd, 0, 100), WA_WASI_ESUCCESS);
    cr_assert_eq(size_of(host), 100);
    cr_assert_eq(wa_wasi_fd_allocate(ctx, fd, 10, 10), WA_WASI_ESUCCESS);
    cr_assert_eq(size_of(host), 100, "a range inside the file changes no size");
    cr_assert_eq(wa_wasi_fd_allocate(ctx, fd, 90, 20), WA_WASI_ESUCCESS);
    cr_assert_eq(size_of(host), 110);
    char zeros[110] = {0}, got[110];
    cr_assert_eq(pread(host, got, 110, 0), 110);
    cr_assert_eq(memcmp(got, zeros, 110), 0);
    /* len 0 is the host's EINVAL; ranges off_t cannot hold are EFBIG. */
    cr_assert_eq(wa_wasi_fd_allocate(ctx, fd, 0, 0), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_allocate(ctx, fd, INT64_MAX, 1), WA_WASI_EFBIG);
    cr_assert_eq(wa_wasi_fd_allocate(ctx, fd, -1, 1), WA_WASI_EFBIG);
    cr_assert_eq(wa_wasi_fd_allocate(ctx, fd, 0, -1), WA_WASI_EFBIG);
    cr_assert_eq(size_of(host), 110);
    int32_t narrow = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_ALLOCATE));
    cr_assert_eq(wa_wasi_fd_allocate(ctx, narrow, 0, 200), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(size_of(host), 110);
    cr_assert_eq(wa_wasi_fd_allocate(ctx, open_tmp_dir(ALL), 0, 1), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_allocate(ctx, 99, 0, 1), WA_WASI_EBADF);
}

Test(wasi_fd, datasync_and_sync) {
    int host = make_file("f", "x", 0);
    int32_t fd = add_fd(host);
    cr_assert_eq(wa_wasi_fd_datasync(ctx, fd), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_sync(ctx, fd), WA_WASI_ESUCCESS);
    int32_t no_datasync = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_DATASYNC));
    int32_t no_sync = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_SYNC));
    cr_assert_eq(wa_wasi_fd_datasync(ctx, no_datasync), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_sync(ctx, no_datasync), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_sync(ctx, no_sync), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_datasync(ctx, no_sync), WA_WASI_ESUCCESS);
    /* A directory can be synced (its entries), not datasynced; a pipe neither. */
    int32_t dir = open_tmp_dir(ALL);
    cr_assert_eq(wa_wasi_fd_sync(ctx, dir), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_datasync(ctx, dir), WA_WASI_ENOTCAPABLE);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]);
    cr_assert_eq(wa_wasi_fd_sync(ctx, rd), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_datasync(ctx, rd), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_sync(ctx, 99), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_datasync(ctx, 99), WA_WASI_EBADF);
    close(p[1]);
}

/* ---- fd_filestat_get, fd_filestat_set_size, fd_filestat_set_times ---- */

Test(wasi_fd, filestat_get) {
    int host = make_file("f", "abcdefg", 0);
    int32_t fd = add_fd(host);
    struct stat st;
    cr_assert_eq(fstat(host, &st), 0);
    memset(buf + 100, 0xAA, 80);
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, fd, 101), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(101 + WA_WASI_FILESTAT_DEV), (uint64_t)st.st_dev);
    cr_assert_eq(load_u64(101 + WA_WASI_FILESTAT_INO), (uint64_t)st.st_ino);
    cr_assert_eq(buf[101 + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_REGULAR_FILE);
    cr_assert(all_bytes(101 + 17, 7, 0), "padding zeroed");
    cr_assert_eq(load_u64(101 + WA_WASI_FILESTAT_NLINK), 1);
    cr_assert_eq(load_u64(101 + WA_WASI_FILESTAT_FILESIZE), 7);
    uint64_t mtim = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
    cr_assert_eq(load_u64(101 + WA_WASI_FILESTAT_MTIM), mtim);
    cr_assert_neq(load_u64(101 + WA_WASI_FILESTAT_ATIM), 0);
    cr_assert_neq(load_u64(101 + WA_WASI_FILESTAT_CTIM), 0);
    cr_assert(all_bytes(165, 15, 0xAA), "64 bytes, not more");

    /* A directory and a pipe (WASI has no FIFO type: unknown, as fd_fdstat_get says). */
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, open_tmp_dir(ALL), 200), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[200 + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_DIRECTORY);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, add_fd(p[0]), 300), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[300 + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_UNKNOWN);
    close(p[1]);

    memset(buf + MEM_SIZE - 64, 0x55, 64);
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, fd, (int32_t)(MEM_SIZE - 63)), WA_WASI_EFAULT);
    cr_assert(all_bytes(MEM_SIZE - 63, 63, 0x55));
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, fd, (int32_t)(MEM_SIZE - 64)), WA_WASI_ESUCCESS);
    int32_t narrow = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_FILESTAT_GET));
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, narrow, 0), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, 99, 0), WA_WASI_EBADF);
}

Test(wasi_fd, filestat_set_size) {
    int host = make_file("f", "abc", 0);
    int32_t fd = add_fd(host);
    cr_assert_eq(wa_wasi_fd_filestat_set_size(ctx, fd, 6), WA_WASI_ESUCCESS);
    char got[8];
    cr_assert_eq(pread(host, got, 8, 0), 6);
    cr_assert_eq(memcmp(got, "abc\0\0\0", 6), 0, "growing fills with zeros");
    cr_assert_eq(wa_wasi_fd_filestat_set_size(ctx, fd, 1), WA_WASI_ESUCCESS);
    cr_assert_str_eq(content_of(host), "a");
    cr_assert_eq(wa_wasi_fd_filestat_set_size(ctx, fd, -1), WA_WASI_EINVAL);
    cr_assert_eq(size_of(host), 1);
    int32_t narrow = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_FILESTAT_SET_SIZE));
    cr_assert_eq(wa_wasi_fd_filestat_set_size(ctx, narrow, 0), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(size_of(host), 1);
    cr_assert_eq(wa_wasi_fd_filestat_set_size(ctx, open_tmp_dir(ALL), 0), WA_WASI_ENOTCAPABLE);
    /* A read-only host fd has no right to change the file: size nor times (`prog < file`). */
    int32_t ro = add_fd(open(in_tmp("f"), O_RDONLY | O_CLOEXEC));
    cr_assert_eq(wa_wasi_fd_filestat_set_size(ctx, ro, 0), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, ro, 0, 0, WA_WASI_FSTFLAG_MTIM),
                 WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_allocate(ctx, ro, 0, 10), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(size_of(host), 1);
    cr_assert_eq(wa_wasi_fd_filestat_set_size(ctx, 99, 0), WA_WASI_EBADF);
}

static uint64_t ns_of(const struct timespec *ts) {
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

Test(wasi_fd, filestat_set_times) {
    int host = make_file("f", "abc", 0);
    int32_t fd = add_fd(host);
    const uint64_t atim = 1000000000ull * 1234567 + 89, mtim = 1000000000ull * 7654321 + 12;
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, fd, (int64_t)atim, (int64_t)mtim,
                                               WA_WASI_FSTFLAG_ATIM | WA_WASI_FSTFLAG_MTIM),
                 WA_WASI_ESUCCESS);
    struct stat st;
    cr_assert_eq(fstat(host, &st), 0);
    cr_assert_eq(ns_of(&st.st_atim), atim);
    cr_assert_eq(ns_of(&st.st_mtim), mtim);
    /* Through the guest's view too. */
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, fd, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(WA_WASI_FILESTAT_ATIM), atim);
    cr_assert_eq(load_u64(WA_WASI_FILESTAT_MTIM), mtim);

    /* mtim to now, atim left alone. */
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, fd, 5, 5, WA_WASI_FSTFLAG_MTIM_NOW),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(fstat(host, &st), 0);
    cr_assert_eq(ns_of(&st.st_atim), atim);
    cr_assert_geq(st.st_mtim.tv_sec, time(NULL) - 5);
    /* No flags: nothing changes. */
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, fd, 5, 5, 0), WA_WASI_ESUCCESS);
    struct stat again;
    cr_assert_eq(fstat(host, &again), 0);
    cr_assert_eq(ns_of(&again.st_atim), atim);
    cr_assert_eq(ns_of(&again.st_mtim), ns_of(&st.st_mtim));

    /* X with X_NOW, and bits outside fstflags: EINVAL, before the fd is looked at. */
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, fd, 0, 0,
                                               WA_WASI_FSTFLAG_ATIM | WA_WASI_FSTFLAG_ATIM_NOW),
                 WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, fd, 0, 0,
                                               WA_WASI_FSTFLAG_MTIM | WA_WASI_FSTFLAG_MTIM_NOW),
                 WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, fd, 0, 0, 1 << 4), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, 99, 0, 0, 1 << 4), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, 99, 0, 0, 0), WA_WASI_EBADF);
    int32_t narrow = add_fd_masked(dup(host), WITHOUT(WA_WASI_RIGHT_FD_FILESTAT_SET_TIMES));
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, narrow, 0, 0, WA_WASI_FSTFLAG_ATIM_NOW),
                 WA_WASI_ENOTCAPABLE);
    /* Directories have the right. */
    cr_assert_eq(wa_wasi_fd_filestat_set_times(ctx, open_tmp_dir(ALL), (int64_t)atim, 0,
                                               WA_WASI_FSTFLAG_ATIM),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(stat(tmp_dir, &st), 0);
    cr_assert_eq(ns_of(&st.st_atim), atim);
}

/* ---- fd_fdstat_set_rights, fd_fdstat_set_flags ---- */

Test(wasi_fd, fdstat_set_rights_only_narrows) {
    int host = make_file("f", "abc", 0);
    int32_t fd = add_fd(host);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 0), WA_WASI_ESUCCESS);
    uint64_t base = load_u64(WA_WASI_FDSTAT_RIGHTS_BASE);
    uint64_t inheriting = load_u64(WA_WASI_FDSTAT_RIGHTS_INHERITING);
    uint64_t narrowed = base & ~(WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_WRITE);
    cr_assert_eq(wa_wasi_fd_fdstat_set_rights(ctx, fd, (int64_t)narrowed, (int64_t)inheriting),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(WA_WASI_FDSTAT_RIGHTS_BASE), narrowed);
    put_iovec(100, 200, 1);
    cr_assert_eq(wa_wasi_fd_read(ctx, fd, 100, 1, 120), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 100, 1, 120), WA_WASI_ENOTCAPABLE);
    /* Widening back, base or inheriting: NOTCAPABLE, and nothing changes. */
    cr_assert_eq(wa_wasi_fd_fdstat_set_rights(ctx, fd, (int64_t)base, (int64_t)inheriting),
                 WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_fdstat_set_rights(ctx, fd, 0, (int64_t)WA_WASI_RIGHT_PATH_OPEN),
                 WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_fdstat_set_rights(ctx, fd, -1, -1), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(WA_WASI_FDSTAT_RIGHTS_BASE), narrowed);
    /* Down to nothing: still open, still described. */
    cr_assert_eq(wa_wasi_fd_fdstat_set_rights(ctx, fd, 0, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(WA_WASI_FDSTAT_RIGHTS_BASE), 0);
    cr_assert_eq(wa_wasi_fd_filestat_get(ctx, fd, 0), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_fdstat_set_rights(ctx, 99, 0, 0), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_close(ctx, fd), WA_WASI_ESUCCESS, "closing needs no right");
}

Test(wasi_fd, fdstat_set_flags_needs_its_right) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t fd = add_fd_masked(p[1], WITHOUT(WA_WASI_RIGHT_FD_FDSTAT_SET_FLAGS));
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, fd, WA_WASI_FDFLAG_NONBLOCK),
                 WA_WASI_ENOTCAPABLE);
    cr_assert_eq(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
    /* An undefined bit is EINVAL first, even on a bad fd. */
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, 99, 1 << 5), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, 99, 0), WA_WASI_EBADF);
    /* A synchronous file may keep its sync flags but not change them. */
    int host = make_file("f", "", O_DSYNC);
    int32_t file = add_fd(host);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, file, 0), WA_WASI_ESUCCESS);
    uint16_t flags = (uint16_t)(buf[2] | buf[3] << 8);
    cr_assert_neq(flags & WA_WASI_FDFLAG_DSYNC, 0);
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, file, flags | WA_WASI_FDFLAG_APPEND),
                 WA_WASI_ESUCCESS);
    cr_assert_neq(fcntl(host, F_GETFL) & O_APPEND, 0);
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, file, WA_WASI_FDFLAG_APPEND), WA_WASI_EINVAL);
    close(p[0]);
}

/* ---- rights from the host fd's access mode ---- */

Test(wasi_fd, access_mode_narrows_rights) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t rd = add_fd(p[0]), wr = add_fd(p[1]);
    put_iovec(0, 100, 1);
    /* Writing a read end is NOTCAPABLE, not the host's EBADF ("not open"), and vice versa. */
    cr_assert_eq(wa_wasi_fd_write(ctx, rd, 0, 1, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_read(ctx, wr, 0, 1, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_write(ctx, wr, 0, 1, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_read(ctx, rd, 0, 1, 40), WA_WASI_ESUCCESS);
    close(make_file("f", "abc", 0));
    int32_t ro = add_fd(open(in_tmp("f"), O_RDONLY | O_CLOEXEC));
    int32_t wo = add_fd(open(in_tmp("f"), O_WRONLY | O_CLOEXEC));
    int32_t rw = add_fd(open(in_tmp("f"), O_RDWR | O_CLOEXEC));
    const uint64_t read_write = WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_WRITE;
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, ro, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(WA_WASI_FDSTAT_RIGHTS_BASE) & read_write, WA_WASI_RIGHT_FD_READ);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, wo, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(WA_WASI_FDSTAT_RIGHTS_BASE) & read_write, WA_WASI_RIGHT_FD_WRITE);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, rw, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(WA_WASI_FDSTAT_RIGHTS_BASE) & read_write, read_write);
    cr_assert_eq(wa_wasi_fd_pwrite(ctx, ro, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_pread(ctx, wo, 0, 1, 0, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_str_eq(content_of(ctx->fds[rw].host_fd), "abc");
}

/* ---- directories: what they cannot do ---- */

Test(wasi_fd, directory_io_is_notcapable) {
    int32_t dir = open_tmp_dir(ALL);
    put_iovec(0, 100, 4);
    cr_assert_eq(wa_wasi_fd_read(ctx, dir, 0, 1, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_write(ctx, dir, 0, 1, 40), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_filestat_set_size(ctx, dir, 0), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, dir, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[0], WA_WASI_FILETYPE_DIRECTORY);
    /* And a file cannot be read as a directory. */
    int32_t file = add_fd(make_file("f", "", 0));
    cr_assert_eq(wa_wasi_fd_readdir(ctx, file, 0, 100, 0, 200), WA_WASI_ENOTCAPABLE);
}

/* ---- fd_renumber ---- */

Test(wasi_fd, renumber_moves_the_entry) {
    int a = make_file("a", "from a", 0), b = make_file("b", "from b", 0);
    int32_t fa = add_fd(a), fb = add_fd(b);
    cr_assert_eq(wa_wasi_fd_fdstat_set_rights(ctx, fa, (int64_t)WA_WASI_RIGHT_FD_READ, 0),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_renumber(ctx, fa, fb), WA_WASI_ESUCCESS);
    cr_assert_eq(fcntl(b, F_GETFD), -1, "the old `to` is closed on the host");
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fa, 0), WA_WASI_EBADF, "`from` is free");
    cr_assert_eq(wa_wasi_fd_close(ctx, fa), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fb, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(WA_WASI_FDSTAT_RIGHTS_BASE), WA_WASI_RIGHT_FD_READ, "rights moved");
    cr_assert_eq(wa_wasi_fd_seek(ctx, fb, 0, WA_WASI_WHENCE_SET, 0), WA_WASI_ENOTCAPABLE);
    lseek(a, 0, SEEK_SET);
    put_iovec(0, 100, 6);
    cr_assert_eq(wa_wasi_fd_read(ctx, fb, 0, 1, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(memcmp(buf + 100, "from a", 6), 0);
    /* The freed number is the next one handed out. */
    cr_assert_eq(add_fd(make_file("c", "", 0)), fa);

    /* Both must be open; from == to is a no-op. */
    cr_assert_eq(wa_wasi_fd_renumber(ctx, fb, 99), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_renumber(ctx, 99, fb), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_renumber(ctx, -1, -1), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_renumber(ctx, fb, fb), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fb, 0), WA_WASI_ESUCCESS, "still open");
    cr_assert_geq(fcntl(a, F_GETFD), 0);
}

Test(wasi_fd, renumber_keeps_a_preopen_a_preopen) {
    uint32_t pre;
    cr_assert(wa_wasi_ctx_preopen(ctx, tmp_dir, "/data", false, &pre));
    int32_t other = add_fd(make_file("f", "", 0));
    cr_assert_eq(wa_wasi_fd_renumber(ctx, (int32_t)pre, other), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_prestat_get(ctx, (int32_t)pre, 0), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_prestat_get(ctx, other, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(WA_WASI_PRESTAT_DIR_NAME_LEN), 5);
    cr_assert_eq(wa_wasi_fd_prestat_dir_name(ctx, other, 16, 5), WA_WASI_ESUCCESS);
    cr_assert_eq(memcmp(buf + 16, "/data", 5), 0);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, other, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[0], WA_WASI_FILETYPE_DIRECTORY);
}

/* Points host fd 1 at a new pipe; returns its read end and a second handle on the write end. */
static int stdout_pipe(int *write_end) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(dup2(p[1], 1), 1);
    *write_end = p[1];
    return p[0];
}

Test(wasi_fd, renumber_over_stdout_follows_host_fds) {
    int keep;
    int reader = stdout_pipe(&keep);
    close(keep);
    wa_wasi_ctx_free(ctx);
    int fds_before = open_host_fds();
    new_ctx();
    int host = make_file("f", "", 0);
    int32_t file = add_fd(host);

    /* The file becomes WASI fd 1; host fd 1 (the guest's old stdout) is parked, not closed. */
    cr_assert_eq(wa_wasi_fd_renumber(ctx, file, 1), WA_WASI_ESUCCESS);
    char c;
    cr_assert_eq(read(reader, &c, 1), 0, "the pipe's reader sees end of file");
    cr_assert(is_dev_null(1));
    memcpy(buf + 100, "to the file", 11);
    put_iovec(0, 100, 11);
    cr_assert_eq(wa_wasi_fd_write(ctx, 1, 0, 1, 40), WA_WASI_ESUCCESS);
    cr_assert_str_eq(content_of(host), "to the file");

    /* Closing WASI fd 1 now closes the file's host fd (it is not the host's stdio)... */
    cr_assert_eq(wa_wasi_fd_close(ctx, 1), WA_WASI_ESUCCESS);
    cr_assert_eq(fcntl(host, F_GETFD), -1);
    cr_assert(is_dev_null(1), "...and host fd 1 stays taken");

    /* Host stdin moved to another number: closing that parks host fd 0 instead of closing it. */
    int32_t target = add_fd(make_file("g", "", 0));
    cr_assert_eq(wa_wasi_fd_renumber(ctx, 0, target), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, 0, 0), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_close(ctx, target), WA_WASI_ESUCCESS);
    cr_assert_geq(fcntl(0, F_GETFD), 0, "host fd 0 is never closed");
    cr_assert(is_dev_null(0));
    /* New fds still never take numbers 0-2 on the host. */
    int32_t again = add_fd(make_file("i", "", 0));
    cr_assert_geq(ctx->fds[again].host_fd, 3);

    /* Host stderr moved over it, then the context freed: no host fd leaked, none of 0-2 closed. */
    cr_assert_eq(wa_wasi_fd_renumber(ctx, 2, again), WA_WASI_ESUCCESS);
    wa_wasi_ctx_free(ctx);
    cr_assert_geq(fcntl(2, F_GETFD), 0);
    cr_assert_eq(open_host_fds(), fds_before);
    new_ctx();
}

Test(wasi_fd, stdio_flags_restored_after_free) {
    int keep;
    int reader = stdout_pipe(&keep);
    wa_wasi_ctx_free(ctx);
    new_ctx();
    /* The guest makes stdout non-blocking and appending; the parent's description must not stay so.
     */
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, 1, WA_WASI_FDFLAG_NONBLOCK), WA_WASI_ESUCCESS);
    cr_assert_neq(fcntl(keep, F_GETFL) & O_NONBLOCK, 0, "the description is shared");
    wa_wasi_ctx_free(ctx);
    cr_assert_eq(fcntl(keep, F_GETFL) & O_NONBLOCK, 0);
    cr_assert_eq(fcntl(1, F_GETFL) & O_NONBLOCK, 0);

    /* Closed by the guest (parked on /dev/null): restored before parking. */
    new_ctx();
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, 1, WA_WASI_FDFLAG_NONBLOCK), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_close(ctx, 1), WA_WASI_ESUCCESS);
    cr_assert_eq(fcntl(keep, F_GETFL) & O_NONBLOCK, 0);
    wa_wasi_ctx_free(ctx);
    cr_assert_eq(fcntl(keep, F_GETFL) & O_NONBLOCK, 0);

    /* Renumbered away from 1, then changed: the host fd number is what counts. */
    cr_assert_eq(dup2(keep, 1), 1);
    new_ctx();
    int32_t other = add_fd(make_file("f", "", 0));
    cr_assert_eq(wa_wasi_fd_renumber(ctx, 1, other), WA_WASI_ESUCCESS);
    cr_assert_eq(
        wa_wasi_fd_fdstat_set_flags(ctx, other, WA_WASI_FDFLAG_NONBLOCK | WA_WASI_FDFLAG_APPEND),
        WA_WASI_ESUCCESS);
    cr_assert_neq(fcntl(keep, F_GETFL) & O_NONBLOCK, 0);
    wa_wasi_ctx_free(ctx);
    cr_assert_eq(fcntl(keep, F_GETFL) & (O_NONBLOCK | O_APPEND), 0);
    new_ctx();
    close(reader);
}

/* ---- fd_readdir ---- */

/* One entry as parsed from an fd_readdir buffer. */
typedef struct entry {
    uint64_t next, ino;
    uint8_t type;
    char name[256];
} entry_t;

/*
 * Parses the whole entries in the `used` bytes at `at` into `out` (at most
 * `max`); returns how many, and in *end the offset just past the last one.
 */
static uint32_t parse_entries(uint32_t at, uint32_t used, entry_t *out, uint32_t max,
                              uint32_t *end) {
    uint32_t n = 0, pos = 0;
    while (n < max && used - pos >= WA_WASI_DIRENT_SIZE) {
        uint32_t namlen = load_u32(at + pos + WA_WASI_DIRENT_D_NAMLEN);
        if (used - pos - WA_WASI_DIRENT_SIZE < namlen)
            break;
        cr_assert_lt(namlen, 256u);
        cr_assert(all_bytes(at + pos + 21, 3, 0), "dirent padding zeroed");
        out[n].next = load_u64(at + pos + WA_WASI_DIRENT_D_NEXT);
        out[n].ino = load_u64(at + pos + WA_WASI_DIRENT_D_INO);
        out[n].type = buf[at + pos + WA_WASI_DIRENT_D_TYPE];
        memcpy(out[n].name, buf + at + pos + WA_WASI_DIRENT_SIZE, namlen);
        out[n].name[namlen] = '\0';
        pos += WA_WASI_DIRENT_SIZE + namlen;
        n++;
    }
    if (end)
        *end = pos;
    return n;
}

static const entry_t *find_entry(const entry_t *e, uint32_t n, const char *name) {
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(e[i].name, name) == 0)
            return &e[i];
    }
    return NULL;
}

Test(wasi_fd, readdir_whole_directory) {
    close(make_file("a", "", 0));
    close(make_file("bb", "", 0));
    cr_assert_eq(mkdir(in_tmp("sub"), 0755), 0);
    cr_assert_eq(symlink("a", in_tmp("link")), 0);
    int32_t dir = open_tmp_dir(ALL);
    memset(buf + 1000, 0xAA, 4096);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 1000, 4000, 0, 8), WA_WASI_ESUCCESS);
    uint32_t used = load_u32(8), end;
    entry_t e[16];
    uint32_t n = parse_entries(1000, used, e, 16, &end);
    cr_assert_eq(n, 6, "., .., a, bb, sub, link");
    cr_assert_eq(end, used, "nothing after the last entry");
    cr_assert_lt(used, 4000u, "less than the buffer: the end of the directory");
    cr_assert(all_bytes(1000 + used, 4000 - used, 0xAA), "nothing written past bufused");
    for (uint32_t i = 0; i < n; i++)
        cr_assert_eq(e[i].next, i + 1, "d_next is the cookie of the entry after");
    struct stat st;
    const entry_t *dot = find_entry(e, n, ".");
    cr_assert_not_null(dot);
    cr_assert_eq(stat(tmp_dir, &st), 0);
    cr_assert_eq(dot->ino, st.st_ino, "d_ino of . is the directory's inode");
    cr_assert_eq(dot->type, WA_WASI_FILETYPE_DIRECTORY);
    cr_assert_not_null(find_entry(e, n, ".."));
    const entry_t *a = find_entry(e, n, "a");
    cr_assert_eq(lstat(in_tmp("a"), &st), 0);
    cr_assert_eq(a->ino, st.st_ino);
    cr_assert_eq(a->type, WA_WASI_FILETYPE_REGULAR_FILE);
    cr_assert_eq(find_entry(e, n, "sub")->type, WA_WASI_FILETYPE_DIRECTORY);
    cr_assert_eq(find_entry(e, n, "link")->type, WA_WASI_FILETYPE_SYMBOLIC_LINK);

    /* Resuming at each cookie gives the rest of the listing, byte for byte. */
    uint32_t offset = 0;
    for (uint32_t k = 0; k <= n; k++) {
        cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 8000, 4000, (int64_t)k, 8), WA_WASI_ESUCCESS);
        cr_assert_eq(load_u32(8), used - offset);
        cr_assert_eq(memcmp(buf + 8000, buf + 1000 + offset, used - offset), 0);
        if (k < n)
            offset += WA_WASI_DIRENT_SIZE + (uint32_t)strlen(e[k].name);
    }
    /* Past the end: nothing. */
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 8000, 4000, 1000, 8), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(8), 0);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 8000, 4000, -1, 8), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(8), 0);

    /* Cookie 0 starts over and sees an entry created since. */
    close(make_file("new", "", 0));
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 8000, 4000, 0, 8), WA_WASI_ESUCCESS);
    cr_assert_eq(parse_entries(8000, load_u32(8), e, 16, NULL), 7);
    cr_assert_not_null(find_entry(e, 7, "new"));
}

Test(wasi_fd, readdir_fills_the_buffer_truncating_the_last_entry) {
    close(make_file("a_longer_name", "", 0));
    close(make_file("b", "", 0));
    int32_t dir = open_tmp_dir(ALL);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 1000, 4000, 0, 8), WA_WASI_ESUCCESS);
    uint32_t full = load_u32(8);
    /* Every buffer size gets exactly a prefix of the listing, filled to the last byte. */
    for (uint32_t len = 0; len <= full + 8; len++) {
        memset(buf + 8000, 0xAA, 200);
        cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 8000, (int32_t)len, 0, 8), WA_WASI_ESUCCESS);
        uint32_t want = len < full ? len : full;
        cr_assert_eq(load_u32(8), want, "buf_len %u", len);
        cr_assert_eq(memcmp(buf + 8000, buf + 1000, want), 0, "buf_len %u", len);
        cr_assert(all_bytes(8000 + want, 200 - want, 0xAA));
    }
    /* A buffer at the very end of memory is fine; one byte more is EFAULT, nothing written. */
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, (int32_t)(MEM_SIZE - 30), 30, 0, 8),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(8), 30);
    memset(buf + MEM_SIZE - 30, 0x55, 30);
    wa_guest_store_u32(buf + 8, 77);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, (int32_t)(MEM_SIZE - 30), 31, 0, 8), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 8000, 100, 0, (int32_t)(MEM_SIZE - 3)),
                 WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, -16, 100, 0, 8), WA_WASI_EFAULT);
    cr_assert(all_bytes(MEM_SIZE - 30, 30, 0x55));
    cr_assert_eq(load_u32(8), 77);
}

Test(wasi_fd, readdir_errors) {
    int32_t narrow = open_tmp_dir(WITHOUT(WA_WASI_RIGHT_FD_READDIR));
    cr_assert_eq(wa_wasi_fd_readdir(ctx, narrow, 0, 100, 0, 200), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, 99, 0, 100, 0, 200), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, -1, 0, 100, 0, 200), WA_WASI_EBADF);
    /* A directory removed while open reads as empty (Linux gives no entries, not even . and ..). */
    cr_assert_eq(mkdir(in_tmp("gone"), 0755), 0);
    int host = open(in_tmp("gone"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert_geq(host, 0);
    int32_t gone = add_fd(host);
    cr_assert_eq(rmdir(in_tmp("gone")), 0);
    wa_guest_store_u32(buf + 200, 77);
    int32_t err = wa_wasi_fd_readdir(ctx, gone, 0, 100, 0, 200);
    cr_assert(err == WA_WASI_ESUCCESS || err == WA_WASI_ENOENT, "errno %d", err);
    if (err == WA_WASI_ESUCCESS)
        cr_assert_eq(load_u32(200), 0);
}

/*
 * Reads directory fd `dir` the way wasi-libc's readdir does, with a
 * `chunk`-byte buffer: keep the whole entries, ask again at the cookie after
 * the last whole one, grow the buffer when one entry alone does not fit.
 * Counts each name in `seen` (indexed by the number in "fNNNNN"); returns
 * the number of entries and in *calls the fd_readdir calls made.
 */
static uint32_t read_like_libc(int32_t dir, uint32_t chunk, uint8_t *seen, uint32_t nseen,
                               uint32_t *calls) {
    const uint32_t at = 4096;
    uint64_t cookie = 0;
    uint32_t total = 0;
    *calls = 0;
    for (;;) {
        cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, at, (int32_t)chunk, (int64_t)cookie, 0),
                     WA_WASI_ESUCCESS);
        ++*calls;
        uint32_t used = load_u32(0), end;
        /* Enough for a 64 KiB buffer of the smallest entries (24 + 1 bytes). */
        static entry_t e[(1 << 16) / 25 + 1];
        uint32_t n = parse_entries(at, used, e, sizeof e / sizeof e[0], &end);
        for (uint32_t i = 0; i < n; i++) {
            unsigned k;
            if (sscanf(e[i].name, "f%u", &k) == 1) {
                cr_assert_lt(k, nseen);
                seen[k]++;
            }
            cookie = e[i].next;
        }
        total += n;
        if (used < chunk)
            return total; /* the end of the directory */
        if (n == 0)
            chunk *= 2; /* one entry larger than the buffer */
    }
}

Test(wasi_fd, readdir_10000_entries_in_chunks_is_linear, .timeout = 120) {
    enum { N = 10000 };
    cr_assert_eq(mkdir(in_tmp("big"), 0755), 0);
    char name[300];
    for (unsigned i = 0; i < N; i++) {
        snprintf(name, sizeof name, "%s/big/f%05u", tmp_dir, i);
        int fd = open(name, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        cr_assert_geq(fd, 0);
        close(fd);
    }
    int host = open(in_tmp("big"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int32_t dir = add_fd(host);
    static uint8_t seen[N];
    uint32_t calls;
    /* 64 bytes: one whole 30-byte entry per call at most, the next one truncated each time. */
    uint32_t total = read_like_libc(dir, 64, seen, N, &calls);
    cr_assert_eq(total, N + 2, ". and .. besides the files");
    for (unsigned i = 0; i < N; i++)
        cr_assert_eq(seen[i], 1, "f%05u seen %u times", i, seen[i]);
    cr_assert_geq(calls, N / 2);
    /* Each entry was read from the host once (plus the final end-of-directory look). */
    wa_dir_stream_t *stream = ctx->fds[dir].dir_stream;
    cr_assert_not_null(stream);
    cr_assert_leq(stream->host_reads, N + 2, "host reads %lu: resuming rescanned",
                  (unsigned long)stream->host_reads);

    /* Again with a buffer that is never full except at its end, and one of one entry exactly. */
    memset(seen, 0, sizeof seen);
    cr_assert_eq(read_like_libc(dir, 30, seen, N, &calls), N + 2);
    for (unsigned i = 0; i < N; i++)
        cr_assert_eq(seen[i], 1);
    memset(seen, 0, sizeof seen);
    cr_assert_eq(read_like_libc(dir, 1 << 16, seen, N, &calls), N + 2);
    for (unsigned i = 0; i < N; i++)
        cr_assert_eq(seen[i], 1);
    /* A buffer too small for any entry grows (the libc loop doubles it). */
    memset(seen, 0, sizeof seen);
    cr_assert_eq(read_like_libc(dir, 7, seen, N, &calls), N + 2);
}

Test(wasi_fd, readdir_stream_freed_with_fd) {
    close(make_file("a", "", 0));
    int before = open_host_fds();
    int32_t dir = open_tmp_dir(ALL);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, dir, 100, 30, 0, 0), WA_WASI_ESUCCESS);
    cr_assert_not_null(ctx->fds[dir].dir_stream);
    cr_assert_eq(open_host_fds(), before + 2, "the fd and its stream's own description");
    cr_assert_eq(wa_wasi_fd_close(ctx, dir), WA_WASI_ESUCCESS);
    cr_assert_eq(open_host_fds(), before);

    /* Renumbering moves the stream with the fd; the one it replaces is freed. */
    int32_t d1 = open_tmp_dir(ALL), d2 = open_tmp_dir(ALL);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, d1, 1000, 4000, 0, 0), WA_WASI_ESUCCESS);
    uint32_t full = load_u32(0);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, d1, 100, 30, 0, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, d2, 100, 30, 0, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(open_host_fds(), before + 4);
    cr_assert_eq(wa_wasi_fd_renumber(ctx, d1, d2), WA_WASI_ESUCCESS);
    cr_assert_eq(open_host_fds(), before + 2);
    cr_assert_eq(wa_wasi_fd_readdir(ctx, d2, 2000, 4000, 0, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(0), full);
    cr_assert_eq(memcmp(buf + 2000, buf + 1000, full), 0);
    /* Freeing the context frees it too (teardown would not see a leak: check here). */
    wa_wasi_ctx_free(ctx);
    cr_assert_eq(open_host_fds(), before);
    new_ctx();
}

/* ---- lookup: every fd_* function is found with its witx type ---- */

Test(wasi_fd, lookup_fd_functions) {
    static const struct {
        const char *name, *params;
    } funcs[] = {
        {"fd_advise", "iIIi"},
        {"fd_allocate", "iII"},
        {"fd_close", "i"},
        {"fd_datasync", "i"},
        {"fd_fdstat_get", "ii"},
        {"fd_fdstat_set_flags", "ii"},
        {"fd_fdstat_set_rights", "iII"},
        {"fd_filestat_get", "ii"},
        {"fd_filestat_set_size", "iI"},
        {"fd_filestat_set_times", "iIIi"},
        {"fd_pread", "iiiIi"},
        {"fd_prestat_dir_name", "iii"},
        {"fd_prestat_get", "ii"},
        {"fd_pwrite", "iiiIi"},
        {"fd_read", "iiii"},
        {"fd_readdir", "iiiIi"},
        {"fd_renumber", "ii"},
        {"fd_seek", "iIii"},
        {"fd_sync", "i"},
        {"fd_tell", "ii"},
        {"fd_write", "iiii"},
    };
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        uint8_t types[8];
        uint32_t n = (uint32_t)strlen(funcs[i].params);
        for (uint32_t k = 0; k < n; k++)
            types[k] = funcs[i].params[k] == 'I' ? WA_RT_I64 : WA_RT_I32;
        types[n] = WA_RT_I32;
        wa_rt_functype_t t = {n, 1, types};
        void *code = NULL;
        cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", funcs[i].name, &t, &code),
                     WA_WASI_FOUND, "%s", funcs[i].name);
        cr_assert_not_null(code);
        /* All-i32 is a mismatch wherever the witx has a 64-bit parameter. */
        if (strchr(funcs[i].params, 'I')) {
            for (uint32_t k = 0; k < n; k++)
                types[k] = WA_RT_I32;
            cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", funcs[i].name, &t, &code),
                         WA_WASI_TYPE_MISMATCH, "%s", funcs[i].name);
        }
    }
}
