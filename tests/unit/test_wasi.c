/*
 * test_wasi.c: the WASI preview1 shim, called directly as generated code
 * would call it, over a fake linear memory (a wa_rt_memory_t on a malloc'ed
 * buffer). Each test checks the errno and the exact bytes written to guest
 * memory (little-endian layouts of typenames.witx), and that bad guest
 * pointers are EFAULT without touching memory or the host fd.
 *
 * Host fds reach the WASI fd table through wa_fdtab_insert (as path_open will
 * add them), so pipes and temp files can be tested without preopens.
 */
#include "wa_rt_api.h"
#include "wa_wasi.h"
#include "wasi_impl.h"

#include <criterion/criterion.h>

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* One wasm page of fake linear memory, then a canary area past its end. */
#define MEM_SIZE 65536u
#define CANARY_SIZE 64u
#define CANARY 0xEE

static uint8_t *buf;
static wa_rt_memory_t mem;
static wa_wasi_ctx_t *ctx;

static void make_ctx(int argc, const char *const *argv, const char *const *envp) {
    buf = malloc(MEM_SIZE + CANARY_SIZE);
    cr_assert_not_null(buf);
    memset(buf, 0, MEM_SIZE);
    memset(buf + MEM_SIZE, CANARY, CANARY_SIZE);
    mem = (wa_rt_memory_t){.base = buf, .size = MEM_SIZE, .max_pages = 1, .reserved = MEM_SIZE};
    ctx = wa_wasi_ctx_new(argc, argv, envp);
    cr_assert_not_null(ctx);
    wa_wasi_ctx_set_memory(ctx, &mem);
}

static void setup(void) {
    static const char *const argv[] = {"prog", "a b", "", NULL};
    static const char *const envp[] = {"A=1", "HOME=/x", NULL};
    make_ctx(3, argv, envp);
}

static void teardown(void) {
    for (uint32_t i = 0; i < CANARY_SIZE; i++)
        cr_assert_eq(buf[MEM_SIZE + i], CANARY, "write past the end of guest memory");
    wa_wasi_ctx_free(ctx);
    free(buf);
}

static uint32_t load_u32(uint32_t addr) {
    return wa_guest_load_u32(buf + addr);
}

static uint64_t load_u64(uint32_t addr) {
    return (uint64_t)load_u32(addr) | (uint64_t)load_u32(addr + 4) << 32;
}

static uint16_t load_u16(uint32_t addr) {
    return (uint16_t)(buf[addr] | buf[addr + 1] << 8);
}

/* Writes a (c)iovec {ptr, len} at guest address `at`. */
static void put_iovec(uint32_t at, uint32_t ptr, uint32_t len) {
    wa_guest_store_u32(buf + at, ptr);
    wa_guest_store_u32(buf + at + 4, len);
}

/* Adds host fd `host_fd` to the table and returns its WASI fd. */
static int32_t add_fd(int host_fd) {
    uint32_t fd;
    cr_assert_eq(wa_fdtab_insert(ctx, host_fd, NULL, WA_WASI_RIGHTS_ALL, WA_WASI_RIGHTS_ALL, &fd),
                 WA_WASI_ESUCCESS);
    cr_assert_geq(fd, 3u);
    return (int32_t)fd;
}

/* A temp file with `content`, open read/write with `flags` added. */
static int temp_file(const char *content, int flags) {
    char path[] = "/tmp/test_wasi_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    unlink(path);
    size_t n = strlen(content);
    cr_assert_eq(write(fd, content, n), (ssize_t)n);
    if (flags)
        cr_assert_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | flags), 0);
    return fd;
}

static bool all_bytes(uint32_t addr, uint32_t n, uint8_t value) {
    for (uint32_t i = 0; i < n; i++) {
        if (buf[addr + i] != value)
            return false;
    }
    return true;
}

TestSuite(wasi, .init = setup, .fini = teardown);

/* ---- args and environ ---- */

Test(wasi, args_sizes_and_layout) {
    cr_assert_eq(wa_wasi_args_sizes_get(ctx, 0, 4), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(0), 3);
    cr_assert_eq(load_u32(4), 10); /* "prog\0" "a b\0" "\0" */

    /* An unaligned argv array is fine. */
    cr_assert_eq(wa_wasi_args_get(ctx, 17, 100), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(17), 100);
    cr_assert_eq(load_u32(21), 105);
    cr_assert_eq(load_u32(25), 109);
    cr_assert_eq(memcmp(buf + 100, "prog\0a b\0\0", 10), 0);
    cr_assert_eq(buf[110], 0);
    cr_assert(all_bytes(29, 71, 0), "nothing written between the array and the strings");
}

Test(wasi, environ_sizes_and_layout) {
    cr_assert_eq(wa_wasi_environ_sizes_get(ctx, 8, 12), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(8), 2);
    cr_assert_eq(load_u32(12), 12); /* "A=1\0" "HOME=/x\0" */

    cr_assert_eq(wa_wasi_environ_get(ctx, 200, 301), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(200), 301);
    cr_assert_eq(load_u32(204), 305);
    cr_assert_eq(memcmp(buf + 301, "A=1\0HOME=/x\0", 12), 0);
}

Test(wasi, empty_environment) {
    wa_wasi_ctx_free(ctx);
    ctx = wa_wasi_ctx_new(0, NULL, NULL);
    cr_assert_not_null(ctx);
    wa_wasi_ctx_set_memory(ctx, &mem);
    memset(buf, 0xFF, 16);
    cr_assert_eq(wa_wasi_environ_sizes_get(ctx, 0, 4), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(0), 0);
    cr_assert_eq(load_u32(4), 0);
    cr_assert_eq(wa_wasi_args_sizes_get(ctx, 8, 12), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(8), 0);
    cr_assert_eq(wa_wasi_args_get(ctx, (int32_t)MEM_SIZE, (int32_t)MEM_SIZE), WA_WASI_ESUCCESS,
                 "nothing to write: an empty range at the very end is in bounds");
}

Test(wasi, args_efault_writes_nothing) {
    /* The array fits but the strings run past the end: nothing may be written. */
    cr_assert_eq(wa_wasi_args_get(ctx, 0, (int32_t)(MEM_SIZE - 9)), WA_WASI_EFAULT);
    cr_assert(all_bytes(0, 12, 0));
    /* The array (3 * 4 bytes) runs past the end. */
    cr_assert_eq(wa_wasi_args_get(ctx, (int32_t)(MEM_SIZE - 8), 0), WA_WASI_EFAULT);
    cr_assert(all_bytes(0, 10, 0));
    /* Pointers that wrap around 2^32 when the length is added. */
    cr_assert_eq(wa_wasi_args_get(ctx, 0, -1), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_args_get(ctx, -4, 0), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_environ_get(ctx, (int32_t)0xFFFFFFFC, 0), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_args_sizes_get(ctx, (int32_t)(MEM_SIZE - 3), 0), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_environ_sizes_get(ctx, 0, -1), WA_WASI_EFAULT);
    cr_assert(all_bytes(0, 16, 0), "EFAULT must not write the other result either");
    /* The last 4 bytes of memory are fine. */
    cr_assert_eq(wa_wasi_args_sizes_get(ctx, (int32_t)(MEM_SIZE - 4), 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(MEM_SIZE - 4), 3);
}

Test(wasi, no_memory_is_efault) {
    wa_wasi_ctx_set_memory(ctx, NULL);
    cr_assert_eq(wa_wasi_args_sizes_get(ctx, 0, 4), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_clock_time_get(ctx, WA_WASI_CLOCK_MONOTONIC, 0, 0), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_sched_yield(ctx), WA_WASI_ESUCCESS);
}

/* ---- fd_write and fd_read ---- */

Test(wasi, fd_write_to_pipe) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t fd = add_fd(p[1]);
    memcpy(buf + 1000, "hello, ", 7);
    memcpy(buf + 2001, "world", 5);
    put_iovec(101, 1000, 7); /* an unaligned ciovec array */
    put_iovec(109, 2001, 5);
    put_iovec(117, 0, 0);
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 101, 3, 51), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(51), 12);
    char got[32] = {0};
    cr_assert_eq(read(p[0], got, sizeof got), 12);
    cr_assert_str_eq(got, "hello, world");

    /* No iovecs: nothing written, and zero reported. */
    wa_guest_store_u32(buf + 51, 99);
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 0, 0, 51), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(51), 0);
    close(p[0]);
}

Test(wasi, fd_write_partial_on_full_pipe) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
    int32_t fd = add_fd(p[1]);
    /* Ten iovecs of the whole page: more than a pipe holds. */
    for (uint32_t i = 0; i < 10; i++)
        put_iovec(8 * i, 0, MEM_SIZE);
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 0, 10, 100), WA_WASI_ESUCCESS);
    uint32_t n = load_u32(100);
    cr_assert(n > 0 && n < 10 * MEM_SIZE, "a short write, as POSIX writev gives: %u", n);
    /* Now full: the host says EAGAIN, and so does WASI. */
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 0, 10, 100), WA_WASI_EAGAIN);
    close(p[0]);
}

Test(wasi, fd_write_uses_at_most_iov_max_iovecs) {
    int host = temp_file("", 0);
    int32_t fd = add_fd(host);
    uint32_t count = IOV_MAX + 10;
    for (uint32_t i = 0; i < count; i++)
        put_iovec(8 * i, 60000, 1);
    cr_assert_eq(wa_wasi_fd_write(ctx, fd, 0, (int32_t)count, 59000), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(59000), IOV_MAX);
}

Test(wasi, fd_read_from_pipe) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t fd = add_fd(p[0]);
    cr_assert_eq(write(p[1], "abcdef", 6), 6);
    memset(buf + 300, '.', 20);
    put_iovec(3, 300, 2);
    put_iovec(11, 310, 10);
    cr_assert_eq(wa_wasi_fd_read(ctx, fd, 3, 2, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(40), 6);
    cr_assert_eq(memcmp(buf + 300, "ab........cdef......", 20), 0);

    /* End of file once the writer is gone: zero bytes, success. */
    close(p[1]);
    cr_assert_eq(wa_wasi_fd_read(ctx, fd, 3, 2, 40), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(40), 0);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

static void *write_later(void *arg) {
    int fd = *(int *)arg;
    struct timespec delay = {.tv_nsec = 300 * 1000 * 1000};
    nanosleep(&delay, NULL);
    ssize_t n = write(fd, "x", 1);
    (void)n;
    return NULL;
}

Test(wasi, fd_read_retries_after_eintr) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t fd = add_fd(p[0]);
    /* No SA_RESTART: the blocked readv fails with EINTR when the alarm arrives. */
    struct sigaction sa = {.sa_handler = on_alarm};
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
    /* The writer thread inherits a blocked SIGALRM, so the alarm hits the reading thread. */
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alrm, NULL);
    pthread_t writer;
    cr_assert_eq(pthread_create(&writer, NULL, write_later, &p[1]), 0);
    pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
    ualarm(50 * 1000, 0);
    put_iovec(0, 100, 4);
    cr_assert_eq(wa_wasi_fd_read(ctx, fd, 0, 1, 8), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(8), 1);
    cr_assert_eq(buf[100], 'x');
    cr_assert_eq(alarms, 1, "the read was interrupted once");
    pthread_join(writer, NULL);
}

Test(wasi, fd_io_efault_touches_nothing) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    int32_t out = add_fd(p[1]);
    int32_t in = add_fd(p[0]);
    memcpy(buf + 500, "data", 4);
    put_iovec(0, 500, 4);
    put_iovec(8, MEM_SIZE - 2, 4);    /* runs past the end */
    put_iovec(16, 0xFFFFFFF0u, 0x20); /* wraps around 2^32 */
    put_iovec(24, MEM_SIZE + 1, 0);   /* empty, but starts past the end */

    cr_assert_eq(wa_wasi_fd_write(ctx, out, 0, 2, 100), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_write(ctx, out, 16, 1, 100), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_write(ctx, out, 24, 1, 100), WA_WASI_EFAULT);
    /* The iovec array itself out of range, or its byte size overflowing u32. */
    cr_assert_eq(wa_wasi_fd_write(ctx, out, (int32_t)(MEM_SIZE - 4), 1, 100), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_write(ctx, out, 0, 0x20000001, 100), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_write(ctx, out, 0, -1, 100), WA_WASI_EFAULT);
    /* The result pointer out of range. */
    cr_assert_eq(wa_wasi_fd_write(ctx, out, 0, 1, (int32_t)(MEM_SIZE - 3)), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_write(ctx, out, 0, 1, -2), WA_WASI_EFAULT);
    cr_assert_eq(load_u32(100), 0, "no count written on EFAULT");
    char c;
    cr_assert_eq(read(p[0], &c, 1), -1, "nothing reached the pipe");
    cr_assert_eq(errno, EAGAIN);

    /* A read with a bad result pointer must not consume the data. */
    cr_assert_eq(write(p[1], "z", 1), 1);
    cr_assert_eq(wa_wasi_fd_read(ctx, in, 0, 1, -1), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_read(ctx, in, 0, 2, 100), WA_WASI_EFAULT);
    cr_assert_eq(read(p[0], &c, 1), 1);
    cr_assert_eq(c, 'z');
}

/* ---- fd_seek ---- */

Test(wasi, fd_seek_on_file) {
    int32_t fd = add_fd(temp_file("0123456789", 0));
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 3, WA_WASI_WHENCE_SET, 1), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(1), 3);
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 2, WA_WASI_WHENCE_CUR, 9), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(9), 5);
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, -1, WA_WASI_WHENCE_END, 17), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(17), 9);
    put_iovec(32, 40, 8);
    cr_assert_eq(wa_wasi_fd_read(ctx, fd, 32, 1, 48), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(48), 1);
    cr_assert_eq(buf[40], '9');
    /* Past the end is allowed; before the start is not (host EINVAL). */
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, INT64_C(1) << 40, WA_WASI_WHENCE_SET, 1),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(1), UINT64_C(1) << 40);
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, -11, WA_WASI_WHENCE_END, 1), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 0, 3, 1), WA_WASI_EINVAL, "no such whence");
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 0, WA_WASI_WHENCE_SET, (int32_t)(MEM_SIZE - 7)),
                 WA_WASI_EFAULT);
    /* The failed calls left the offset alone. */
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 0, WA_WASI_WHENCE_CUR, 1), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u64(1), UINT64_C(1) << 40);
}

Test(wasi, fd_seek_on_pipe_is_espipe) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t fd = add_fd(p[0]);
    cr_assert_eq(wa_wasi_fd_seek(ctx, fd, 0, WA_WASI_WHENCE_CUR, 0), WA_WASI_ESPIPE);
    close(p[1]);
}

/* ---- fd_fdstat_get, fd_fdstat_set_flags ---- */

static const uint64_t seek_tell = WA_WASI_RIGHT_FD_SEEK | WA_WASI_RIGHT_FD_TELL;
static const uint64_t read_write = WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_WRITE;

Test(wasi, fdstat_of_regular_file) {
    int32_t fd = add_fd(temp_file("x", O_APPEND));
    memset(buf + 8, 0xAA, 24);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 8), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[8 + WA_WASI_FDSTAT_FILETYPE], WA_WASI_FILETYPE_REGULAR_FILE);
    cr_assert_eq(buf[9], 0, "padding zeroed");
    cr_assert_eq(load_u16(8 + WA_WASI_FDSTAT_FLAGS), WA_WASI_FDFLAG_APPEND);
    cr_assert(all_bytes(12, 4, 0), "padding zeroed");
    uint64_t base = load_u64(8 + WA_WASI_FDSTAT_RIGHTS_BASE);
    cr_assert_eq(base & (seek_tell | read_write), seek_tell | read_write);
    cr_assert_eq(base & WA_WASI_RIGHT_PATH_OPEN, 0);
    cr_assert_eq(load_u64(8 + WA_WASI_FDSTAT_RIGHTS_INHERITING), 0);
    cr_assert_eq(buf[32], 0, "24 bytes, not more");
}

Test(wasi, fdstat_of_pipe) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    int32_t fd = add_fd(p[0]);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 3), WA_WASI_ESUCCESS);
    /* WASI has no FIFO type. */
    cr_assert_eq(buf[3], WA_WASI_FILETYPE_UNKNOWN);
    cr_assert_eq(load_u16(5), WA_WASI_FDFLAG_NONBLOCK);
    uint64_t base = load_u64(11);
    /* The read end: read, not write (its access mode), and no seeking. */
    cr_assert_eq(base & read_write, WA_WASI_RIGHT_FD_READ);
    cr_assert_eq(base & seek_tell, 0);
    close(p[1]);
}

Test(wasi, fdstat_of_devices) {
    int32_t null_fd = add_fd(open("/dev/null", O_RDWR));
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, null_fd, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[0], WA_WASI_FILETYPE_CHARACTER_DEVICE);
    cr_assert_eq(load_u64(8) & seek_tell, seek_tell, "/dev/null seeks: not a tty");

    /* A terminal: a character device without seek and tell, wasi-libc's isatty(). */
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert_geq(master, 0);
    cr_assert_eq(grantpt(master), 0);
    cr_assert_eq(unlockpt(master), 0);
    int32_t tty = add_fd(open(ptsname(master), O_RDWR | O_NOCTTY));
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, tty, 24), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[24], WA_WASI_FILETYPE_CHARACTER_DEVICE);
    cr_assert_eq(load_u64(32) & seek_tell, 0);
    cr_assert_eq(load_u64(32) & read_write, read_write);
    cr_assert_eq(wa_wasi_fd_seek(ctx, tty, 0, WA_WASI_WHENCE_CUR, 48), WA_WASI_ESPIPE);
    close(master);
}

Test(wasi, fdstat_efault) {
    int32_t fd = add_fd(temp_file("x", 0));
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, (int32_t)(MEM_SIZE - 23)), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, -8), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, (int32_t)(MEM_SIZE - 24)), WA_WASI_ESUCCESS);
}

Test(wasi, fdstat_set_flags) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t fd = add_fd(p[1]);
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, fd, WA_WASI_FDFLAG_NONBLOCK), WA_WASI_ESUCCESS);
    cr_assert_neq(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u16(2), WA_WASI_FDFLAG_NONBLOCK);
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, fd, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);

    int32_t file = add_fd(temp_file("", 0));
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, file, WA_WASI_FDFLAG_APPEND), WA_WASI_ESUCCESS);
    cr_assert_neq(fcntl(ctx->fds[file].host_fd, F_GETFL) & O_APPEND, 0);
    /* Synchronous modes cannot change after open (EINVAL, as wasmtime); undefined bits neither. */
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, file, WA_WASI_FDFLAG_SYNC), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, file, 1 << 5), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, 77, 0), WA_WASI_EBADF);
    close(p[0]);
}

/* ---- fd_close, EBADF ---- */

Test(wasi, ebadf_on_unknown_and_closed_fds) {
    int32_t fd = add_fd(temp_file("abc", 0));
    int host = ctx->fds[fd].host_fd;
    put_iovec(0, 100, 1);
    cr_assert_eq(wa_wasi_fd_close(ctx, fd), WA_WASI_ESUCCESS);
    cr_assert_eq(fcntl(host, F_GETFD), -1, "the host fd is closed too");
    int32_t bad[] = {fd, 3, 4, 1000, -1, INT32_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t b = bad[i];
        cr_assert_eq(wa_wasi_fd_write(ctx, b, 0, 1, 8), WA_WASI_EBADF);
        cr_assert_eq(wa_wasi_fd_read(ctx, b, 0, 1, 8), WA_WASI_EBADF);
        cr_assert_eq(wa_wasi_fd_seek(ctx, b, 0, WA_WASI_WHENCE_SET, 8), WA_WASI_EBADF);
        cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, b, 8), WA_WASI_EBADF);
        cr_assert_eq(wa_wasi_fd_close(ctx, b), WA_WASI_EBADF);
    }
    /* The freed slot is reused by the next fd. */
    cr_assert_eq(add_fd(temp_file("", 0)), fd);
}

Test(wasi, closing_stdout_keeps_host_fd_taken) {
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(dup2(p[1], 1), 1);
    close(p[1]);
    /* A fresh context sees the pipe as its fd 1. */
    wa_wasi_ctx_free(ctx);
    ctx = wa_wasi_ctx_new(0, NULL, NULL);
    wa_wasi_ctx_set_memory(ctx, &mem);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, 1, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[0], WA_WASI_FILETYPE_UNKNOWN);

    cr_assert_eq(wa_wasi_fd_close(ctx, 1), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, 1, 0), WA_WASI_EBADF);
    /* The reader sees end of file, and host fd 1 is now /dev/null, still open. */
    char c;
    cr_assert_eq(read(p[0], &c, 1), 0);
    struct stat st, null_st;
    cr_assert_eq(fstat(1, &st), 0);
    cr_assert_eq(stat("/dev/null", &null_st), 0);
    cr_assert_eq(st.st_rdev, null_st.st_rdev);
    /* New fds never take the stdio numbers. */
    cr_assert_eq(add_fd(temp_file("", 0)), 3);
}

/* ---- preopens: fd_prestat_get, fd_prestat_dir_name ---- */

Test(wasi, prestat_without_preopens_is_ebadf) {
    for (int32_t fd = 0; fd < 8; fd++) {
        cr_assert_eq(wa_wasi_fd_prestat_get(ctx, fd, 0), WA_WASI_EBADF);
        /* An open fd that is no preopen (stdio) is NOTDIR to dir_name, as wasmtime says. */
        cr_assert_eq(wa_wasi_fd_prestat_dir_name(ctx, fd, 0, 16),
                     wa_fdtab_get(ctx, fd) ? WA_WASI_ENOTDIR : WA_WASI_EBADF);
    }
    cr_assert(all_bytes(0, 16, 0));
}

Test(wasi, prestat_of_preopened_directory) {
    char dir[] = "/tmp/test_wasi_dir_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    uint32_t fd;
    cr_assert(wa_wasi_ctx_preopen(ctx, dir, "/sandbox", false, &fd));
    cr_assert_eq(fd, 3);
    memset(buf, 0xAA, 8);
    cr_assert_eq(wa_wasi_fd_prestat_get(ctx, 3, 0), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[0], WA_WASI_PREOPENTYPE_DIR);
    cr_assert(all_bytes(1, 3, 0), "padding zeroed");
    cr_assert_eq(load_u32(4), 8);
    cr_assert_eq(wa_wasi_fd_prestat_dir_name(ctx, 3, 21, 8), WA_WASI_ESUCCESS);
    cr_assert_eq(memcmp(buf + 21, "/sandbox", 8), 0);
    cr_assert_eq(buf[29], 0, "no NUL written");
    cr_assert_eq(wa_wasi_fd_prestat_dir_name(ctx, 3, 40, 7), WA_WASI_ENAMETOOLONG);
    cr_assert_eq(wa_wasi_fd_prestat_dir_name(ctx, 3, (int32_t)(MEM_SIZE - 7), 8), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_fd_prestat_get(ctx, 3, (int32_t)(MEM_SIZE - 4)), WA_WASI_EFAULT);
    /* Stdio fds are not preopens. */
    cr_assert_eq(wa_wasi_fd_prestat_get(ctx, 1, 0), WA_WASI_EBADF);

    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, 3, 48), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[48], WA_WASI_FILETYPE_DIRECTORY);
    cr_assert_neq(load_u64(56) & WA_WASI_RIGHT_PATH_OPEN, 0);
    cr_assert_neq(load_u64(64) & WA_WASI_RIGHT_FD_READ, 0, "files opened beneath can be read");

    cr_assert_not(wa_wasi_ctx_preopen(ctx, "/nonexistent/dir", "x", false, &fd));
    cr_assert_eq(errno, ENOENT);
    cr_assert_eq(wa_wasi_fd_close(ctx, 3), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_fd_prestat_get(ctx, 3, 0), WA_WASI_EBADF);
    rmdir(dir);
}

/* ---- clocks ---- */

Test(wasi, clock_time_get) {
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(wa_wasi_clock_time_get(ctx, WA_WASI_CLOCK_MONOTONIC, 0, 0), WA_WASI_ESUCCESS);
        cr_assert_eq(wa_wasi_clock_time_get(ctx, WA_WASI_CLOCK_MONOTONIC, 1000, 9),
                     WA_WASI_ESUCCESS);
        cr_assert_leq(load_u64(0), load_u64(9), "monotonic clock went back");
    }
    time_t before = time(NULL);
    cr_assert_eq(wa_wasi_clock_time_get(ctx, WA_WASI_CLOCK_REALTIME, 0, 100), WA_WASI_ESUCCESS);
    uint64_t seconds = load_u64(100) / 1000000000u;
    cr_assert(seconds >= (uint64_t)before && seconds <= (uint64_t)time(NULL) + 1);

    /* CPU-time clocks advance while we compute. */
    cr_assert_eq(wa_wasi_clock_time_get(ctx, WA_WASI_CLOCK_PROCESS_CPUTIME_ID, 0, 16),
                 WA_WASI_ESUCCESS);
    volatile uint64_t spin = 0;
    for (uint64_t i = 0; i < 20000000; i++)
        spin += i;
    cr_assert_eq(wa_wasi_clock_time_get(ctx, WA_WASI_CLOCK_PROCESS_CPUTIME_ID, 0, 24),
                 WA_WASI_ESUCCESS);
    cr_assert_gt(load_u64(24), load_u64(16));
    cr_assert_eq(wa_wasi_clock_time_get(ctx, WA_WASI_CLOCK_THREAD_CPUTIME_ID, 0, 32),
                 WA_WASI_ESUCCESS);
    cr_assert_gt(load_u64(32), 0);

    cr_assert_eq(wa_wasi_clock_time_get(ctx, 4, 0, 0), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_clock_time_get(ctx, -1, 0, 0), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_clock_time_get(ctx, 0, 0, (int32_t)(MEM_SIZE - 7)), WA_WASI_EFAULT);
}

Test(wasi, clock_res_get) {
    for (int32_t id = 0; id < 4; id++) {
        wa_guest_store_u64(buf + 8 * (uint32_t)id, 0);
        cr_assert_eq(wa_wasi_clock_res_get(ctx, id, 8 * id), WA_WASI_ESUCCESS);
        uint64_t res = load_u64(8 * (uint32_t)id);
        cr_assert(res > 0 && res <= 1000000000u, "clock %d resolution %lu", id, (unsigned long)res);
    }
    cr_assert_eq(wa_wasi_clock_res_get(ctx, 4, 0), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_clock_res_get(ctx, 1, -1), WA_WASI_EFAULT);
}

/* ---- random_get ---- */

Test(wasi, random_get_fills_buffer) {
    cr_assert_eq(wa_wasi_random_get(ctx, 1000, 4096), WA_WASI_ESUCCESS);
    cr_assert(all_bytes(996, 4, 0) && all_bytes(5096, 4, 0), "only the buffer written");
    /* Every 64-byte block got random bytes (2^-512 odds of a false failure). */
    for (uint32_t i = 0; i < 4096; i += 64)
        cr_assert_not(all_bytes(1000 + i, 64, 0), "block at %u not filled", i);
    /* Two fills differ. */
    cr_assert_eq(wa_wasi_random_get(ctx, 6000, 32), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_random_get(ctx, 6100, 32), WA_WASI_ESUCCESS);
    cr_assert_neq(memcmp(buf + 6000, buf + 6100, 32), 0);
    /* The whole memory at once: larger than one getentropy call. */
    cr_assert_eq(wa_wasi_random_get(ctx, 0, (int32_t)MEM_SIZE), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_random_get(ctx, 0, 0), WA_WASI_ESUCCESS);

    memset(buf + MEM_SIZE - 16, 0, 16);
    cr_assert_eq(wa_wasi_random_get(ctx, (int32_t)(MEM_SIZE - 16), 17), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_random_get(ctx, -16, 32), WA_WASI_EFAULT);
    cr_assert(all_bytes(MEM_SIZE - 16, 16, 0));
}

/* ---- proc, sched ---- */

static void exit_guarded(void *arg) {
    wa_wasi_proc_exit(arg, 42);
}

Test(wasi, proc_exit_unwinds_guarded_call) {
    cr_assert_eq(wa_rt_call_guarded(exit_guarded, ctx), WA_RT_TRAP_EXIT);
    cr_assert_eq(wa_rt_last_trap()->exit_code, 42);
}

Test(wasi, proc_exit_outside_guarded_call_exits, .exit_code = 7) {
    wa_wasi_proc_exit(ctx, 7);
}

Test(wasi, proc_raise_and_sched_yield) {
    cr_assert_eq(wa_wasi_proc_raise(ctx, 15 /* term */), WA_WASI_ENOTSUP);
    cr_assert_eq(wa_wasi_proc_raise(ctx, 31), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_proc_raise(ctx, -1), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sched_yield(ctx), WA_WASI_ESUCCESS);
}

/* ---- errno map ---- */

Test(wasi, errno_table) {
    /* The value column runs 0, 1, 2, ... as the witx enum does, ending at notcapable = 76. */
    int32_t expect = 0;
#define CHECK_ROW(name, value, host)                                                               \
    cr_assert_eq(value, expect++, #name " out of order");                                          \
    if (host != 0)                                                                                 \
        cr_assert_eq(wa_errno_from_host(host), value, #name " does not map back");
    WA_WASI_ERRNO_LIST(CHECK_ROW)
#undef CHECK_ROW
    cr_assert_eq(WA_WASI_ENOTCAPABLE, 76);
    cr_assert_eq(WA_WASI_ERRNO_COUNT, 77);
    cr_assert_eq(wa_errno_from_host(0), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_errno_from_host(EWOULDBLOCK), WA_WASI_EAGAIN);
    cr_assert_eq(wa_errno_from_host(EOPNOTSUPP), WA_WASI_ENOTSUP);
    cr_assert_eq(wa_errno_from_host(ENOENT), 44);
    cr_assert_eq(wa_errno_from_host(ESPIPE), 70);
    /* Host errors WASI has no name for. */
    cr_assert_eq(wa_errno_from_host(EHOSTDOWN), WA_WASI_EIO);
    cr_assert_eq(wa_errno_from_host(100000), WA_WASI_EIO);
}

/* ---- lookup ---- */

static const uint8_t fd_write_type[] = {WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32};
static const uint8_t fd_seek_type[] = {WA_RT_I32, WA_RT_I64, WA_RT_I32, WA_RT_I32, WA_RT_I32};

Test(wasi, lookup_known_functions) {
    void *code = NULL;
    wa_rt_functype_t t = {4, 1, fd_write_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "fd_write", &t, &code), WA_WASI_FOUND);
    cr_assert_eq(code, (void *)(uintptr_t)wa_wasi_fd_write);

    wa_rt_functype_t seek = {4, 1, fd_seek_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "fd_seek", &seek, &code), WA_WASI_FOUND);
    cr_assert_eq(code, (void *)(uintptr_t)wa_wasi_fd_seek);

    /* proc_exit: [i32] -> []. sched_yield: [] -> [i32]. */
    wa_rt_functype_t exit_type = {1, 0, fd_write_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "proc_exit", &exit_type, &code),
                 WA_WASI_FOUND);
    cr_assert_eq(code, (void *)(uintptr_t)wa_wasi_proc_exit);
    wa_rt_functype_t yield_type = {0, 1, fd_write_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "sched_yield", &yield_type, &code),
                 WA_WASI_FOUND);

    /* The pointer found is the function: call it with its signature. */
    wa_rt_functype_t sizes_type = {2, 1, fd_write_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "args_sizes_get", &sizes_type, &code),
                 WA_WASI_FOUND);
    int32_t (*sizes_get)(wa_wasi_ctx_t *, int32_t, int32_t) =
        (int32_t (*)(wa_wasi_ctx_t *, int32_t, int32_t))(uintptr_t)code;
    cr_assert_eq(sizes_get(ctx, 0, 4), WA_WASI_ESUCCESS);
    cr_assert_eq(load_u32(0), 3);
}

Test(wasi, lookup_unknown_and_mismatched) {
    void *code = (void *)&code;
    wa_rt_functype_t t = {4, 1, fd_write_type};
    /* path_open exists, with another signature than fd_write's. */
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "path_open", &t, &code),
                 WA_WASI_TYPE_MISMATCH);
    /* Names preview1 does not have: unknown, never a stub. */
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "fd_dup", &t, &code), WA_WASI_UNKNOWN);
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "fd_write_", &t, &code), WA_WASI_UNKNOWN);
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "", &t, &code), WA_WASI_UNKNOWN);
    cr_assert_eq(wa_wasi_lookup("env", "fd_write", &t, &code), WA_WASI_UNKNOWN);
    cr_assert_eq(wa_wasi_lookup("wasi_unstable", "fd_write", &t, &code), WA_WASI_UNKNOWN);
    cr_assert_not(wa_wasi_is_module("wasi_unstable"));
    cr_assert(wa_wasi_is_module("wasi_snapshot_preview1"));

    /* fd_seek's offset is i64: all-i32 does not match. */
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "fd_seek", &t, &code),
                 WA_WASI_TYPE_MISMATCH);
    /* fd_write with an i64 where an i32 belongs, too few params, or no result. */
    wa_rt_functype_t wrong = {4, 1, fd_seek_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "fd_write", &wrong, &code),
                 WA_WASI_TYPE_MISMATCH);
    wa_rt_functype_t short_type = {3, 1, fd_write_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "fd_write", &short_type, &code),
                 WA_WASI_TYPE_MISMATCH);
    wa_rt_functype_t no_result = {4, 0, fd_write_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "fd_write", &no_result, &code),
                 WA_WASI_TYPE_MISMATCH);
    /* proc_exit returns nothing. */
    wa_rt_functype_t exit_i32 = {1, 1, fd_write_type};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "proc_exit", &exit_i32, &code),
                 WA_WASI_TYPE_MISMATCH);
    static const uint8_t f64s[] = {WA_RT_F64, WA_RT_F64, WA_RT_I32};
    wa_rt_functype_t floats = {2, 1, f64s};
    cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", "args_get", &floats, &code),
                 WA_WASI_TYPE_MISMATCH);
    cr_assert_eq(code, (void *)&code, "code untouched unless found");
}
