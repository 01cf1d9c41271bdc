/*
 * poll_sock_errors.c: the socket functions on fds that are not sockets, as a
 * program without any --tcplisten grant sees them: ENOTSOCK for stdout and
 * the preopened directory, EBADF for fds that are not open (the
 * wasi-testsuite's sock_shutdown-not_sock and -invalid_fd, through
 * wasi-libc's shutdown, recv, send and accept, then the witx functions
 * directly), and poll_oneoff treating stdout as writable.
 *
 * wasi-options: --dir .
 */
#include "check.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    /* wasi-libc's POSIX calls: -1 with errno. */
    errno = 0;
    CHECK(shutdown(STDOUT_FILENO, SHUT_RD) == -1 && errno == ENOTSOCK);
    errno = 0;
    CHECK(shutdown(99, SHUT_RD) == -1 && errno == EBADF);
    char byte = 'x';
    errno = 0;
    CHECK(send(STDOUT_FILENO, &byte, 1, 0) == -1 && errno == ENOTSOCK);
    errno = 0;
    CHECK(recv(STDIN_FILENO, &byte, 1, 0) == -1 && errno == ENOTSOCK);
    errno = 0;
    CHECK(accept(3, NULL, NULL) == -1 && errno == ENOTSOCK);

    /* The witx functions: the fd check comes before flags and pointers. */
    __wasi_fd_t fd = 77;
    __wasi_size_t n = 0;
    __wasi_roflags_t roflags = 0;
    uint8_t data[4] = "abc";
    __wasi_ciovec_t ciov = {data, 3};
    __wasi_iovec_t iov = {data, 3};
    CHECK_ERRNO(__wasi_sock_accept(3, 0, &fd), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_accept(3, 0xFFFF, &fd), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_accept(1, 0, (__wasi_fd_t *)0xFFFFFFFFu), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_accept(50, 0, &fd), __WASI_ERRNO_BADF);
    CHECK(fd == 77);
    CHECK_ERRNO(__wasi_sock_send(1, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_send(50, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_sock_recv(0, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_recv(3, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_recv(50, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_sock_shutdown(2, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_shutdown(2, 0), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_shutdown(50, __WASI_SDFLAGS_WR), __WASI_ERRNO_BADF);

    /* stdout (the runner's pipe) is writable: one event, no error. */
    __wasi_subscription_t sub = {.userdata = 42};
    sub.u.tag = __WASI_EVENTTYPE_FD_WRITE;
    sub.u.u.fd_write.file_descriptor = 1;
    __wasi_event_t ev;
    CHECK_OK(__wasi_poll_oneoff(&sub, &ev, 1, &n));
    CHECK(n == 1 && ev.userdata == 42 && ev.type == __WASI_EVENTTYPE_FD_WRITE && ev.error == 0);
    return check_done();
}
