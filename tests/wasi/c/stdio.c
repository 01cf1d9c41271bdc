/*
 * stdio.c: the standard streams and the preopen as the guest sees them:
 * fdstat of stdin (/dev/null) and stdout (a pipe), writes, seeking a pipe
 * (ESPIPE), fds that are not open (EBADF), the preopened "." at fd 3.
 *
 * wasi-options: --dir .
 */
#include "check.h"

int main(void) {
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(1, &st));
    /* stdout is the runner's pipe: no type of its own in WASI, no seeking. */
    CHECK(st.fs_filetype == __WASI_FILETYPE_UNKNOWN);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
    __wasi_filesize_t pos;
    CHECK_ERRNO(__wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_SPIPE);

    const char text[] = "hello from the guest\n";
    __wasi_ciovec_t iov = {(const uint8_t *)text, sizeof text - 1};
    __wasi_size_t n = 0;
    CHECK_OK(__wasi_fd_write(1, &iov, 1, &n));
    CHECK(n == sizeof text - 1);

    /* stdin is /dev/null: a character device that can seek, reads end at once. */
    CHECK_OK(__wasi_fd_fdstat_get(0, &st));
    CHECK(st.fs_filetype == __WASI_FILETYPE_CHARACTER_DEVICE);
    uint8_t byte;
    __wasi_iovec_t in = {&byte, 1};
    CHECK_OK(__wasi_fd_read(0, &in, 1, &n));
    CHECK(n == 0);

    CHECK_ERRNO(__wasi_fd_fdstat_get(99, &st), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_fd_write(99, &iov, 1, &n), __WASI_ERRNO_BADF);

    __wasi_prestat_t pre;
    CHECK_OK(__wasi_fd_prestat_get(3, &pre));
    CHECK(pre.tag == __WASI_PREOPENTYPE_DIR && pre.u.dir.pr_name_len == 1);
    char name[2] = "";
    CHECK_OK(__wasi_fd_prestat_dir_name(3, (uint8_t *)name, 1));
    CHECK(name[0] == '.');
    CHECK_ERRNO(__wasi_fd_prestat_get(0, &pre), __WASI_ERRNO_BADF);
    /* A directory is not written to. */
    CHECK_ERRNO(__wasi_fd_write(3, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    return check_done();
}
