/*
 * stdio.c: the standard streams and the preopen as the guest sees them:
 * fdstat and filestat of stdin (/dev/null) and stdout (a pipe), writes,
 * positioned calls on a pipe (ESPIPE), what a pipe has no right to
 * (NOTCAPABLE), fds that are not open (EBADF), the preopened "." at fd 3
 * and what a directory cannot do.
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

    /* stdout is the pipe's write end: no read right (its access mode). */
    CHECK_OK(__wasi_fd_fdstat_get(1, &st));
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_READ));
    CHECK_ERRNO(__wasi_fd_read(1, &in, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    /* A pipe cannot seek: every positioned call is ESPIPE, as on the host. */
    CHECK_ERRNO(__wasi_fd_tell(1, &pos), __WASI_ERRNO_SPIPE);
    CHECK_ERRNO(__wasi_fd_pwrite(1, &iov, 1, 0, &n), __WASI_ERRNO_SPIPE);
    CHECK_ERRNO(__wasi_fd_seek(1, 1, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_SPIPE);
    /* What a stream has no right to. */
    CHECK_ERRNO(__wasi_fd_advise(1, 0, 0, __WASI_ADVICE_NORMAL), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_allocate(1, 0, 1), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_sync(1), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_datasync(1), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_filestat_set_size(1, 0), __WASI_ERRNO_NOTCAPABLE);
    __wasi_size_t used;
    CHECK_ERRNO(__wasi_fd_readdir(1, &byte, 1, 0, &used), __WASI_ERRNO_NOTCAPABLE);
    /* An open fd that is no preopen: NOTDIR to prestat_dir_name, as wasmtime. */
    CHECK_ERRNO(__wasi_fd_prestat_dir_name(1, (uint8_t *)name, 1), __WASI_ERRNO_NOTDIR);
    CHECK_ERRNO(__wasi_fd_prestat_dir_name(99, (uint8_t *)name, 1), __WASI_ERRNO_BADF);
    __wasi_filestat_t fst;
    CHECK_OK(__wasi_fd_filestat_get(1, &fst));
    CHECK(fst.filetype == __WASI_FILETYPE_UNKNOWN);
    CHECK_OK(__wasi_fd_filestat_get(0, &fst));
    CHECK(fst.filetype == __WASI_FILETYPE_CHARACTER_DEVICE);
    /* /dev/null can seek: pread reads nothing, fd_tell works. */
    CHECK_OK(__wasi_fd_pread(0, &in, 1, 0, &n));
    CHECK(n == 0);
    CHECK_OK(__wasi_fd_tell(0, &pos));
    /* Rights only narrow. */
    CHECK_OK(__wasi_fd_fdstat_get(1, &st));
    CHECK_ERRNO(__wasi_fd_fdstat_set_rights(1, st.fs_rights_base | __WASI_RIGHTS_FD_SEEK,
                                            st.fs_rights_inheriting),
                __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_renumber(1, 99), __WASI_ERRNO_BADF);

    /* The preopen: a directory has no read, seek or size rights, but stat and sync. */
    CHECK_ERRNO(__wasi_fd_read(3, &in, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_pread(3, &in, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_pwrite(3, &iov, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_seek(3, 0, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_tell(3, &pos), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_allocate(3, 0, 1), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_filestat_set_size(3, 0), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_filestat_get(3, &fst));
    CHECK(fst.filetype == __WASI_FILETYPE_DIRECTORY);
    CHECK_OK(__wasi_fd_sync(3));
    CHECK_OK(__wasi_fd_filestat_set_times(3, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    CHECK_ERRNO(
        __wasi_fd_filestat_set_times(3, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
        __WASI_ERRNO_INVAL);
    return check_done();
}
