/*
 * fd_stdio.c: the standard streams as the guest can change them. The guest
 * makes stdout non-blocking and never undoes it: the runner's pipe is an
 * open file description the parent shares, so the runtime must put the flag
 * back at exit (the wasi-after command looks at it from outside). Then
 * rights narrowed on stdio, and fd_renumber moving stdin over the preopen
 * and stdout onto stderr's number: the guest's output then goes through
 * WASI fd 2 into the runner's stdout pipe, which is how the last lines
 * arrive.
 *
 * (The header lines are below, out of clang-format's reach: it would reflow them.)
 */
// clang-format off
// wasi-options: --dir .
// wasi-after: python3 -c 'import fcntl, os; print("after exit: stdout nonblock=%d" % (fcntl.fcntl(1, fcntl.F_GETFL) & os.O_NONBLOCK != 0))'
// wasi-stdout: after exit: stdout nonblock=0
// wasi-stdout: through fd 2: the runner's stdout
// clang-format on
#include "check.h"

#include <stdio.h>

/* Writes `text` to WASI fd `fd` with fd_write (stdio's FILE stays out of it). */
static __wasi_errno_t put(__wasi_fd_t fd, const char *text) {
    __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
    __wasi_size_t n;
    return __wasi_fd_write(fd, &iov, 1, &n);
}

int main(void) {
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK));
    CHECK_OK(__wasi_fd_fdstat_get(1, &st));
    CHECK(st.fs_flags & __WASI_FDFLAGS_NONBLOCK);

    /* stderr loses its write right: writing is NOTCAPABLE, widening back too. */
    CHECK_OK(__wasi_fd_fdstat_get(2, &st));
    __wasi_rights_t base = st.fs_rights_base;
    CHECK_OK(
        __wasi_fd_fdstat_set_rights(2, base & ~__WASI_RIGHTS_FD_WRITE, st.fs_rights_inheriting));
    CHECK_ERRNO(put(2, "not shown\n"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_fdstat_set_rights(2, base, st.fs_rights_inheriting),
                __WASI_ERRNO_NOTCAPABLE);

    /* stdin (/dev/null) renumbered over the preopen: fd 3 is now a device, no preopen. */
    CHECK_ERRNO(__wasi_fd_renumber(0, 99), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_fd_renumber(99, 0), __WASI_ERRNO_BADF);
    CHECK_OK(__wasi_fd_renumber(0, 0));
    CHECK_OK(__wasi_fd_renumber(0, 3));
    CHECK_ERRNO(__wasi_fd_fdstat_get(0, &st), __WASI_ERRNO_BADF);
    CHECK_OK(__wasi_fd_fdstat_get(3, &st));
    CHECK(st.fs_filetype == __WASI_FILETYPE_CHARACTER_DEVICE);
    __wasi_prestat_t pre;
    CHECK_ERRNO(__wasi_fd_prestat_get(3, &pre), __WASI_ERRNO_BADF);
    uint8_t byte;
    __wasi_iovec_t in = {&byte, 1};
    __wasi_size_t n = 1;
    CHECK_OK(__wasi_fd_read(3, &in, 1, &n));
    CHECK(n == 0);
    CHECK_OK(__wasi_fd_close(3));

    /*
     * stdout onto stderr's number. From here on fd 1 is closed, so the
     * results go out through fd 2, which now is the runner's stdout pipe.
     */
    printf("renumbering stdout\n");
    fflush(stdout);
    __wasi_errno_t renumbered = __wasi_fd_renumber(1, 2);
    __wasi_errno_t old_stdout = __wasi_fd_fdstat_get(1, &st);
    __wasi_errno_t new_stdout = __wasi_fd_fdstat_get(2, &st);
    int keeps_nonblock = (st.fs_flags & __WASI_FDFLAGS_NONBLOCK) != 0;
    int writable = (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0;
    __wasi_errno_t wrote = put(2, "through fd 2: the runner's stdout\n");
    int ok = renumbered == __WASI_ERRNO_SUCCESS && old_stdout == __WASI_ERRNO_BADF &&
             new_stdout == __WASI_ERRNO_SUCCESS && keeps_nonblock && writable &&
             wrote == __WASI_ERRNO_SUCCESS;
    if (!ok) {
        check_failed++;
        put(2, "FAIL renumbering stdout onto fd 2\n");
    }
    char line[80];
    snprintf(line, sizeof line, "through fd 2: %d passed, %d failed\n", check_passed + ok,
             check_failed);
    put(2, line);
    return check_failed ? 1 : 0;
}
