/*
 * host_fds.c: fds the host process has open but no grant gave the guest
 * (the runner starts the program with 3, 4, 5 and 9 open read-write on a
 * file outside the sandbox) are not open for the guest: EBADF from every
 * fd call on them, fd_renumber onto or from them included, and the file is
 * left as it was. The standard streams still work afterwards.
 *
 * wasi-host-fds: 3 4 5 9
 * wasi-check: test "$(cat ../outside/secret.txt)" = secret
 */
#include "check.h"

#include <stdint.h>

int main(void) {
    static const __wasi_fd_t fds[] = {3, 4, 5, 9};
    uint8_t data[8] = "leaked!";
    __wasi_ciovec_t ciov = {data, 7};
    __wasi_iovec_t iov = {data, sizeof data};
    __wasi_size_t n = 77;
    __wasi_fdstat_t st;
    __wasi_filestat_t fst;
    __wasi_prestat_t pre;
    __wasi_filesize_t pos;
    __wasi_fd_t opened = 77;
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) {
        __wasi_fd_t fd = fds[i];
        CHECK_ERRNO(__wasi_fd_fdstat_get(fd, &st), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_filestat_get(fd, &fst), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_prestat_get(fd, &pre), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_read(fd, &iov, 1, &n), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_pread(fd, &iov, 1, 0, &n), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_write(fd, &ciov, 1, &n), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_pwrite(fd, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_sync(fd), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_allocate(fd, 0, 1), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_path_open(fd, 0, "x", 0, 0, 0, 0, &opened), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_renumber(1, fd), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_renumber(fd, 2), __WASI_ERRNO_BADF);
        CHECK_ERRNO(__wasi_fd_close(fd), __WASI_ERRNO_BADF);
    }
    CHECK(n == 77 && opened == 77);
    /* stdout and stderr survived the renumber attempts. */
    CHECK_OK(__wasi_fd_fdstat_get(1, &st));
    CHECK_OK(__wasi_fd_fdstat_get(2, &st));
    return check_done();
}
