/*
 * fd_ops.c: the fd_* functions on regular files the setup commands made,
 * opened with wasi-libc's open() beneath the preopened "." (path_open):
 * pread/pwrite leaving the offset alone (and appending on an O_APPEND file,
 * as Linux and wasmtime do), seek/tell, advise, allocate, datasync/sync,
 * filestat get/set_size/set_times, fdstat set_flags/set_rights (rights only
 * narrow), renumber between two files; the wasi-check lines look at the
 * files afterwards from the host.
 *
 * wasi-options: --dir .
 * wasi-setup: printf 'hello, world' > data.txt
 * wasi-setup: printf 'log:' > log.txt
 * wasi-setup: printf 'A' > a.txt && printf 'B' > b.txt
 * wasi-check: test "$(cat data.txt)" = "HELLO, world"
 * wasi-check: test "$(cat log.txt)" = "log:onetwo"
 * wasi-check: test "$(cat b.txt)" = "Ax"
 * wasi-check: test "$(stat -c %Y a.txt)" = 1000000000
 */
#include "check.h"

#include <fcntl.h>
#include <unistd.h>

static __wasi_filestat_t stat_of(int fd) {
    __wasi_filestat_t st = {0};
    CHECK_OK(__wasi_fd_filestat_get(fd, &st));
    return st;
}

static void data_file(void) {
    int fd = open("data.txt", O_RDWR);
    if (!CHECK(fd >= 0))
        return;
    char got[8] = "";
    __wasi_iovec_t in = {(uint8_t *)got, 5};
    __wasi_size_t n = 0;
    CHECK_OK(__wasi_fd_pread(fd, &in, 1, 7, &n));
    CHECK(n == 5 && memcmp(got, "world", 5) == 0);
    __wasi_filesize_t pos = 99;
    CHECK_OK(__wasi_fd_tell(fd, &pos));
    CHECK(pos == 0);
    __wasi_ciovec_t out = {(const uint8_t *)"HELLO", 5};
    CHECK_OK(__wasi_fd_pwrite(fd, &out, 1, 0, &n));
    CHECK(n == 5);
    CHECK_OK(__wasi_fd_tell(fd, &pos));
    CHECK(pos == 0);
    CHECK_OK(__wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &pos));
    CHECK(pos == 7);
    CHECK_ERRNO(__wasi_fd_seek(fd, -100, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_fd_seek(fd, 0, 3, &pos), __WASI_ERRNO_INVAL);

    for (__wasi_advice_t a = __WASI_ADVICE_NORMAL; a <= __WASI_ADVICE_NOREUSE; a++)
        CHECK_OK(__wasi_fd_advise(fd, 0, 12, a));
    CHECK_ERRNO(__wasi_fd_advise(fd, 0, 12, 6), __WASI_ERRNO_INVAL);

    /* fd_allocate grows to offset + len (posix_fallocate); set_size shrinks back. */
    CHECK_OK(__wasi_fd_allocate(fd, 0, 100));
    CHECK(stat_of(fd).size == 100);
    CHECK_OK(__wasi_fd_allocate(fd, 10, 10));
    CHECK(stat_of(fd).size == 100);
    CHECK_ERRNO(__wasi_fd_allocate(fd, 0, 0), __WASI_ERRNO_INVAL);
    CHECK_OK(__wasi_fd_filestat_set_size(fd, 12));
    __wasi_filestat_t st = stat_of(fd);
    CHECK(st.size == 12 && st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.nlink == 1);
    CHECK_OK(__wasi_fd_datasync(fd));
    CHECK_OK(__wasi_fd_sync(fd));

    /* Not a directory. */
    __wasi_size_t used;
    CHECK_ERRNO(__wasi_fd_readdir(fd, (uint8_t *)got, sizeof got, 0, &used),
                __WASI_ERRNO_NOTCAPABLE);

    /* Narrowed to reading: writes are NOTCAPABLE and the rights do not come back. */
    __wasi_fdstat_t fdst;
    CHECK_OK(__wasi_fd_fdstat_get(fd, &fdst));
    __wasi_rights_t base = fdst.fs_rights_base;
    CHECK(base & __WASI_RIGHTS_FD_WRITE);
    CHECK_OK(__wasi_fd_fdstat_set_rights(
        fd, base & ~(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE), 0));
    CHECK_ERRNO(__wasi_fd_pwrite(fd, &out, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_write(fd, &out, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, base, 0), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_pread(fd, &in, 1, 0, &n));
    CHECK(n == 5 && memcmp(got, "HELLO", 5) == 0);
    CHECK_OK(__wasi_fd_close(fd));
    CHECK_ERRNO(__wasi_fd_tell(fd, &pos), __WASI_ERRNO_BADF);
}

static void log_file(void) {
    int fd = open("log.txt", O_WRONLY);
    if (!CHECK(fd >= 0))
        return;
    /* APPEND set afterwards: writes go to the end; pwrite too (Linux, wasmtime). */
    CHECK_OK(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK(st.fs_flags & __WASI_FDFLAGS_APPEND);
    __wasi_ciovec_t one = {(const uint8_t *)"one", 3}, two = {(const uint8_t *)"two", 3};
    __wasi_size_t n;
    CHECK_OK(__wasi_fd_write(fd, &one, 1, &n));
    CHECK_OK(__wasi_fd_pwrite(fd, &two, 1, 0, &n));
    CHECK(n == 3);
    /* A sync flag cannot be set after opening. */
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC),
                __WASI_ERRNO_INVAL);
    CHECK_OK(__wasi_fd_close(fd));
}

static void renumber_files(void) {
    int a = open("a.txt", O_RDWR), b = open("b.txt", O_RDWR);
    if (!CHECK(a >= 0 && b >= 0))
        return;
    /* b becomes a's file: writing "x" at b's number lands after "A" in a.txt... */
    __wasi_filesize_t pos;
    CHECK_OK(__wasi_fd_seek(a, 0, __WASI_WHENCE_END, &pos));
    CHECK_OK(__wasi_fd_renumber(a, b));
    CHECK_ERRNO(__wasi_fd_fdstat_get(a, &(__wasi_fdstat_t){0}), __WASI_ERRNO_BADF);
    __wasi_ciovec_t x = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    CHECK_OK(__wasi_fd_write(b, &x, 1, &n));
    CHECK_ERRNO(__wasi_fd_renumber(a, b), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_fd_renumber(b, a), __WASI_ERRNO_BADF);
    /* ...so a.txt is "Ax"; copy it over b.txt for the host to see, through fd_pread. */
    char got[4] = "";
    __wasi_iovec_t in = {(uint8_t *)got, sizeof got};
    CHECK_OK(__wasi_fd_pread(b, &in, 1, 0, &n));
    CHECK(n == 2 && memcmp(got, "Ax", 2) == 0);
    /* Times set last (writing changes mtim); the host checks them too (wasi-check). */
    CHECK_OK(__wasi_fd_filestat_set_times(b, 500000000ull * 1000000000ull,
                                          1000000000ull * 1000000000ull,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    __wasi_filestat_t st = stat_of(b);
    CHECK(st.atim == 500000000ull * 1000000000ull && st.mtim == 1000000000ull * 1000000000ull);
    CHECK_ERRNO(__wasi_fd_filestat_set_times(b, 0, 0, 1 << 4), __WASI_ERRNO_INVAL);
    CHECK_OK(__wasi_fd_close(b));
    int b2 = open("b.txt", O_WRONLY | O_TRUNC);
    if (CHECK(b2 >= 0)) {
        CHECK(write(b2, got, 2) == 2);
        CHECK(close(b2) == 0);
    }
}

int main(void) {
    data_file();
    log_file();
    renumber_files();
    return check_done();
}
