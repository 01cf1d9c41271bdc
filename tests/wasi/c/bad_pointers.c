/*
 * bad_pointers.c: every WASI function that takes guest memory, called from
 * inside wasm with pointers the host must refuse: one past the end of
 * memory, a range straddling the end, a range whose pointer + length wraps
 * around 2^32 back into memory, and huge iovec counts. Each must come back
 * as EFAULT, never a trap or a crash (the process would not reach
 * check_done); a length 0 at exactly the end is an empty range, allowed.
 * The functions are the raw imports, so no wasi-libc wrapper (strlen of a
 * path, ...) touches the bad memory first.
 *
 * wasi-options: --dir . --env A=1
 * wasi-setup: printf hello > f.txt && ln -s f.txt link && mkdir d
 * wasi-check: test "$(cat f.txt)" = hello && test -d d && test -L link
 * wasi-check: test ! -e x && test ! -e y
 */
#include "check.h"

#include <stdint.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
#define FAULT __WASI_ERRNO_FAULT

typedef int32_t i32;
typedef int64_t i64;

i32 raw_args_get(i32, i32) WASI(args_get);
i32 raw_args_sizes_get(i32, i32) WASI(args_sizes_get);
i32 raw_environ_get(i32, i32) WASI(environ_get);
i32 raw_environ_sizes_get(i32, i32) WASI(environ_sizes_get);
i32 raw_clock_res_get(i32, i32) WASI(clock_res_get);
i32 raw_clock_time_get(i32, i64, i32) WASI(clock_time_get);
i32 raw_fd_fdstat_get(i32, i32) WASI(fd_fdstat_get);
i32 raw_fd_filestat_get(i32, i32) WASI(fd_filestat_get);
i32 raw_fd_pread(i32, i32, i32, i64, i32) WASI(fd_pread);
i32 raw_fd_pwrite(i32, i32, i32, i64, i32) WASI(fd_pwrite);
i32 raw_fd_read(i32, i32, i32, i32) WASI(fd_read);
i32 raw_fd_write(i32, i32, i32, i32) WASI(fd_write);
i32 raw_fd_prestat_get(i32, i32) WASI(fd_prestat_get);
i32 raw_fd_prestat_dir_name(i32, i32, i32) WASI(fd_prestat_dir_name);
i32 raw_fd_readdir(i32, i32, i32, i64, i32) WASI(fd_readdir);
i32 raw_fd_seek(i32, i64, i32, i32) WASI(fd_seek);
i32 raw_fd_tell(i32, i32) WASI(fd_tell);
i32 raw_path_create_directory(i32, i32, i32) WASI(path_create_directory);
i32 raw_path_filestat_get(i32, i32, i32, i32, i32) WASI(path_filestat_get);
i32 raw_path_filestat_set_times(i32, i32, i32, i32, i64, i64, i32) WASI(path_filestat_set_times);
i32 raw_path_link(i32, i32, i32, i32, i32, i32, i32) WASI(path_link);
i32 raw_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32) WASI(path_open);
i32 raw_path_readlink(i32, i32, i32, i32, i32, i32) WASI(path_readlink);
i32 raw_path_remove_directory(i32, i32, i32) WASI(path_remove_directory);
i32 raw_path_rename(i32, i32, i32, i32, i32, i32) WASI(path_rename);
i32 raw_path_symlink(i32, i32, i32, i32, i32) WASI(path_symlink);
i32 raw_path_unlink_file(i32, i32, i32) WASI(path_unlink_file);
i32 raw_poll_oneoff(i32, i32, i32, i32) WASI(poll_oneoff);
i32 raw_random_get(i32, i32) WASI(random_get);
i32 raw_sock_recv(i32, i32, i32, i32, i32, i32) WASI(sock_recv);
i32 raw_sock_send(i32, i32, i32, i32, i32) WASI(sock_send);

static i32 ptr(const void *p) {
    return (i32)(uintptr_t)p;
}

/* A few bytes of scratch, each call's good pointers. */
static uint8_t buf[256];
static uint32_t word;
static uint64_t dword;
static __wasi_iovec_t iov;

int main(void) {
    const i32 end = (i32)(__builtin_wasm_memory_size(0) * 65536u); /* one past the last byte */
    const i32 wrap = (i32)0xFFFFFFF0u;                             /* + 0x20 wraps to 0x10 */
    const i32 good = ptr(buf);
    const i32 w = ptr(&word), d = ptr(&dword);

    /* args and environ: both arrays, both results. */
    CHECK_ERRNO(raw_args_sizes_get(end, w), FAULT);
    CHECK_ERRNO(raw_args_sizes_get(w, end - 2), FAULT);
    CHECK_ERRNO(raw_args_get(end, good), FAULT);
    CHECK_ERRNO(raw_args_get(good + 8, end), FAULT);
    CHECK_ERRNO(raw_args_get(end - 1, good), FAULT);
    CHECK_ERRNO(raw_environ_sizes_get(end, w), FAULT);
    CHECK_ERRNO(raw_environ_sizes_get(w, end - 3), FAULT);
    CHECK_ERRNO(raw_environ_get(end, good), FAULT); /* one variable (A=1): a 4-byte array */
    CHECK_ERRNO(raw_environ_get(good + 8, end - 3), FAULT);

    /* Clocks: the result pointer. */
    CHECK_ERRNO(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, end), FAULT);
    CHECK_ERRNO(raw_clock_time_get(__WASI_CLOCKID_REALTIME, 0, end - 7), FAULT);
    CHECK_ERRNO(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, -1), FAULT);
    CHECK_ERRNO(raw_clock_res_get(__WASI_CLOCKID_MONOTONIC, end - 4), FAULT);
    CHECK_OK(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, end - 8));

    /* random_get: past the end, straddling, wrapping; length 0 at the end is fine. */
    CHECK_ERRNO(raw_random_get(end, 1), FAULT);
    CHECK_ERRNO(raw_random_get(end - 1, 2), FAULT);
    CHECK_ERRNO(raw_random_get(wrap, 0x20), FAULT);
    CHECK_ERRNO(raw_random_get(good, -1), FAULT);
    CHECK_OK(raw_random_get(end, 0));
    CHECK_OK(raw_random_get(end - 1, 1));

    /* fd_write: the iovec array, the buffers, the count; stdout gets nothing bad. */
    iov.buf = (uint8_t *)"x";
    iov.buf_len = 1;
    CHECK_ERRNO(raw_fd_write(1, end, 1, w), FAULT);
    CHECK_ERRNO(raw_fd_write(1, end - 4, 1, w), FAULT);
    CHECK_ERRNO(raw_fd_write(1, wrap, 2, w), FAULT);
    CHECK_ERRNO(raw_fd_write(1, ptr(&iov), 0x7fffffff, w), FAULT);
    CHECK_ERRNO(raw_fd_write(1, ptr(&iov), -1, w), FAULT);
    CHECK_ERRNO(raw_fd_write(1, ptr(&iov), 1, end), FAULT);
    iov.buf = (uint8_t *)(uintptr_t)end;
    CHECK_ERRNO(raw_fd_write(1, ptr(&iov), 1, w), FAULT);
    iov.buf = (uint8_t *)(uintptr_t)wrap;
    iov.buf_len = 0x20;
    CHECK_ERRNO(raw_fd_write(1, ptr(&iov), 1, w), FAULT);
    iov.buf = (uint8_t *)(uintptr_t)(end - 1);
    iov.buf_len = 2;
    CHECK_ERRNO(raw_fd_write(1, ptr(&iov), 1, w), FAULT);
    iov.buf = (uint8_t *)(uintptr_t)end;
    iov.buf_len = 0;
    word = 77;
    CHECK_OK(raw_fd_write(1, ptr(&iov), 1, w));
    CHECK(word == 0);

    /* A file for the reads and positioned calls. */
    i32 fd = -1;
    CHECK_OK(raw_path_open(3, 0, ptr("f.txt"), 5, 0, -1, -1, 0, ptr(&fd)));
    /* The result fd pointer past the end: EFAULT, and no descriptor leaks. */
    CHECK_ERRNO(raw_path_open(3, 0, ptr("f.txt"), 5, 0, -1, -1, 0, end - 2), FAULT);
    CHECK_ERRNO(raw_fd_fdstat_get(fd + 1, good), __WASI_ERRNO_BADF);

    iov.buf = (uint8_t *)(uintptr_t)end;
    iov.buf_len = 1;
    CHECK_ERRNO(raw_fd_read(fd, ptr(&iov), 1, w), FAULT);
    CHECK_ERRNO(raw_fd_pread(fd, ptr(&iov), 1, 0, w), FAULT);
    CHECK_ERRNO(raw_fd_pwrite(fd, ptr(&iov), 1, 0, w), FAULT);
    iov.buf = (uint8_t *)(uintptr_t)wrap;
    iov.buf_len = 0x20;
    CHECK_ERRNO(raw_fd_read(fd, ptr(&iov), 1, w), FAULT);
    CHECK_ERRNO(raw_fd_pread(fd, ptr(&iov), 1, 0, w), FAULT);
    CHECK_ERRNO(raw_fd_pwrite(fd, ptr(&iov), 1, 0, w), FAULT);
    iov.buf = buf;
    iov.buf_len = 5;
    CHECK_ERRNO(raw_fd_read(fd, end, 1, w), FAULT);
    CHECK_ERRNO(raw_fd_read(fd, ptr(&iov), 0x7fffffff, w), FAULT);
    CHECK_ERRNO(raw_fd_read(fd, ptr(&iov), -1, w), FAULT);
    CHECK_ERRNO(raw_fd_pread(fd, wrap, 2, 0, w), FAULT);
    CHECK_ERRNO(raw_fd_pread(fd, ptr(&iov), 0x7fffffff, 0, w), FAULT);
    CHECK_ERRNO(raw_fd_pwrite(fd, ptr(&iov), -1, 0, w), FAULT);
    CHECK_ERRNO(raw_fd_pread(fd, ptr(&iov), 1, 0, end), FAULT);
    CHECK_ERRNO(raw_fd_pwrite(fd, ptr(&iov), 1, 0, end - 1), FAULT);
    CHECK_ERRNO(raw_fd_seek(fd, 0, __WASI_WHENCE_CUR, end - 4), FAULT);
    CHECK_ERRNO(raw_fd_tell(fd, end), FAULT);
    CHECK_ERRNO(raw_fd_fdstat_get(fd, end - 1), FAULT);
    CHECK_ERRNO(raw_fd_filestat_get(fd, end - 8), FAULT);
    /* After all that, the file still reads "hello" from the start. */
    word = 0;
    CHECK_OK(raw_fd_pread(fd, ptr(&iov), 1, 0, w));
    CHECK(word == 5 && memcmp(buf, "hello", 5) == 0);

    /* Preopens and directories. */
    CHECK_ERRNO(raw_fd_prestat_get(3, end), FAULT);
    CHECK_ERRNO(raw_fd_prestat_dir_name(3, end, 1), FAULT);
    CHECK_ERRNO(raw_fd_prestat_dir_name(3, wrap, 1 << 30), FAULT);
    CHECK_ERRNO(raw_fd_readdir(3, end, 64, 0, w), FAULT);
    CHECK_ERRNO(raw_fd_readdir(3, end - 8, 64, 0, w), FAULT);
    CHECK_ERRNO(raw_fd_readdir(3, wrap, 0x20, 0, w), FAULT);
    CHECK_ERRNO(raw_fd_readdir(3, good, sizeof buf, 0, end), FAULT);
    word = 77;
    CHECK_OK(raw_fd_readdir(3, end, 0, 0, w));
    CHECK(word == 0);

    /* Path strings past the end, straddling and wrapping, in every path_* call. */
    static const i32 paths[][2] = {{0, 1}, {-1, 2}, {-2, 0x20}};
    for (unsigned i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        i32 p = paths[i][0] == -2 ? wrap : end + paths[i][0];
        i32 n = paths[i][1];
        CHECK_ERRNO(raw_path_open(3, 0, p, n, __WASI_OFLAGS_CREAT, -1, -1, 0, ptr(&fd)), FAULT);
        CHECK_ERRNO(raw_path_create_directory(3, p, n), FAULT);
        CHECK_ERRNO(raw_path_filestat_get(3, 0, p, n, good), FAULT);
        CHECK_ERRNO(raw_path_filestat_set_times(3, 0, p, n, 0, 0, 0), FAULT);
        CHECK_ERRNO(raw_path_link(3, 0, p, n, 3, ptr("x"), 1), FAULT);
        CHECK_ERRNO(raw_path_link(3, 0, ptr("f.txt"), 5, 3, p, n), FAULT);
        CHECK_ERRNO(raw_path_readlink(3, p, n, good, sizeof buf, w), FAULT);
        CHECK_ERRNO(raw_path_remove_directory(3, p, n), FAULT);
        CHECK_ERRNO(raw_path_rename(3, p, n, 3, ptr("x"), 1), FAULT);
        CHECK_ERRNO(raw_path_rename(3, ptr("d"), 1, 3, p, n), FAULT);
        CHECK_ERRNO(raw_path_symlink(p, n, 3, ptr("y"), 1), FAULT);
        CHECK_ERRNO(raw_path_symlink(ptr("f.txt"), 5, 3, p, n), FAULT);
        CHECK_ERRNO(raw_path_unlink_file(3, p, n), FAULT);
    }
    /* Results of path calls. */
    CHECK_ERRNO(raw_path_filestat_get(3, 0, ptr("f.txt"), 5, end - 16), FAULT);
    CHECK_ERRNO(raw_path_readlink(3, ptr("link"), 4, end, 16, w), FAULT);
    CHECK_ERRNO(raw_path_readlink(3, ptr("link"), 4, wrap, 0x20, w), FAULT);
    CHECK_ERRNO(raw_path_readlink(3, ptr("link"), 4, good, sizeof buf, end), FAULT);
    /* An empty path at the very end is a valid (empty) string: not a fault. */
    CHECK(raw_path_unlink_file(3, end, 0) != FAULT);
    CHECK(raw_path_filestat_get(3, 0, end, 0, good) != FAULT);

    /* poll_oneoff: the subscriptions, the events, the count. */
    __wasi_subscription_t sub = {.userdata = 1};
    sub.u.tag = __WASI_EVENTTYPE_FD_WRITE;
    sub.u.u.fd_write.file_descriptor = 1;
    __wasi_event_t ev;
    CHECK_ERRNO(raw_poll_oneoff(end, ptr(&ev), 1, w), FAULT);
    CHECK_ERRNO(raw_poll_oneoff(end - 8, ptr(&ev), 1, w), FAULT);
    CHECK_ERRNO(raw_poll_oneoff(ptr(&sub), end, 1, w), FAULT);
    CHECK_ERRNO(raw_poll_oneoff(ptr(&sub), end - 16, 1, w), FAULT);
    CHECK_ERRNO(raw_poll_oneoff(ptr(&sub), ptr(&ev), 1, end), FAULT);
    CHECK_ERRNO(raw_poll_oneoff(ptr(&sub), ptr(&ev), 0x7fffffff, w), FAULT);
    CHECK_ERRNO(raw_poll_oneoff(wrap, ptr(&ev), 1, w), FAULT);

    /* Sockets: stdin/stdout are not sockets (the fd is checked first), never a crash. */
    CHECK_ERRNO(raw_sock_recv(0, end, 1, 0, w, d), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(raw_sock_recv(0, ptr(&iov), -1, 0, end, end), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(raw_sock_send(1, wrap, 0x7fffffff, 0, end), __WASI_ERRNO_NOTSOCK);
    return check_done();
}
