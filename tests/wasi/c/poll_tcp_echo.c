/*
 * poll_tcp_echo.c: a TCP echo server on the socket the host grants with
 * --tcplisten HOST:PORT, through preview1's socket functions: it waits for
 * one connection with poll_oneoff (fd_read on the listener, bounded by a
 * clock), takes it with sock_accept, then sends back everything it receives
 * (poll_oneoff, sock_recv, sock_send) until the client shuts its side down,
 * shuts down its own side (sock_shutdown), and prints "echoed N bytes".
 *
 * The listener is the first fd from 3 up that is a stream socket with the
 * sock_accept right (fd 3 when it is the only grant; after the preopens
 * otherwise). Checks on the way: a listener is not connected (sock_recv and
 * sock_shutdown are ENOTCONN), a preopened directory or stdout is not a
 * socket (ENOTSOCK), unknown flags are EINVAL.
 *
 * Exit status: 0 after one echoed connection, 1 if a check failed, 2 if no
 * listener was granted, 3 if no client came within TIMEOUT_S seconds.
 *
 * Driving it (not in wasi_c_tests: it needs a client, and --tcplisten):
 * compile it with wasmaot, start it with a free PORT granted, e.g.
 * WASMAOT_OPTIONS="--tcplisten 127.0.0.1:PORT", wait for its line
 * "listening on fd N" (printed once the socket is there, before it waits),
 * then connect, send some bytes, shut down the write side and read until
 * end of stream: the same bytes come back, e.g.
 *     printf 'hello\n' | nc -N 127.0.0.1 PORT     (prints hello)
 * and the program exits 0 printing "echoed 6 bytes". The guest cannot learn
 * its port (preview1 has no getsockname), so the driver picks it.
 */
#include "check.h"

#define TIMEOUT_S 30
#define NS_PER_S 1000000000ull

/* The first granted listening socket, or -1. */
static int find_listener(void) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_fdstat_t st;
        if (__wasi_fd_fdstat_get(fd, &st) != 0)
            continue;
        if (st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM &&
            (st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT))
            return (int)fd;
    }
    return -1;
}

/* Waits until `fd` is readable (1) or TIMEOUT_S pass (0). */
static int wait_readable(__wasi_fd_t fd) {
    __wasi_subscription_t in[2] = {{.userdata = 1}, {.userdata = 2}};
    in[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    in[0].u.u.fd_read.file_descriptor = fd;
    in[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    in[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    in[1].u.u.clock.timeout = TIMEOUT_S * NS_PER_S;
    __wasi_event_t out[2];
    __wasi_size_t n = 0;
    if (!CHECK_OK(__wasi_poll_oneoff(in, out, 2, &n)))
        return 0;
    for (__wasi_size_t i = 0; i < n; i++) {
        if (out[i].userdata == 1) {
            CHECK(out[i].error == 0);
            return 1;
        }
    }
    return 0;
}

/* Sends all `len` bytes at `data`. */
static int send_all(__wasi_fd_t fd, const uint8_t *data, size_t len) {
    while (len > 0) {
        __wasi_ciovec_t iov = {data, len};
        __wasi_size_t sent = 0;
        if (!CHECK_OK(__wasi_sock_send(fd, &iov, 1, 0, &sent)) || !CHECK(sent > 0))
            return 0;
        data += sent;
        len -= sent;
    }
    return 1;
}

/* What a listener and other fds answer before any connection. */
static void check_listener(__wasi_fd_t listener) {
    uint8_t byte;
    __wasi_iovec_t iov = {&byte, 1};
    __wasi_size_t n;
    __wasi_roflags_t roflags;
    __wasi_fd_t fd;
    CHECK_ERRNO(__wasi_sock_recv(listener, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTCONN);
    CHECK_ERRNO(__wasi_sock_shutdown(listener, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTCONN);
    CHECK_ERRNO(__wasi_sock_shutdown(listener, 0), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_sock_accept(listener, __WASI_FDFLAGS_APPEND, &fd), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_sock_accept(1, 0, &fd), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_shutdown(1, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_accept(99, 0, &fd), __WASI_ERRNO_BADF);
}

int main(void) {
    int found = find_listener();
    if (found < 0) {
        printf("no listening socket granted (--tcplisten HOST:PORT)\n");
        return 2;
    }
    __wasi_fd_t listener = (__wasi_fd_t)found;
    check_listener(listener);
    printf("listening on fd %d\n", found);
    fflush(stdout);

    if (!wait_readable(listener)) {
        printf("no client within %d s\n", TIMEOUT_S);
        return 3;
    }
    __wasi_fd_t conn;
    if (!CHECK_OK(__wasi_sock_accept(listener, 0, &conn)))
        return check_done();
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(conn, &st));
    CHECK(st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);

    unsigned long total = 0;
    static uint8_t data[4096];
    for (;;) {
        if (!wait_readable(conn)) {
            printf("the client went quiet for %d s\n", TIMEOUT_S);
            break;
        }
        __wasi_iovec_t iov[2] = {{data, 100}, {data + 100, sizeof data - 100}};
        __wasi_size_t n = 0;
        __wasi_roflags_t roflags = 0xFFFF;
        if (!CHECK_OK(__wasi_sock_recv(conn, iov, 2, 0, &n, &roflags)))
            break;
        CHECK(roflags == 0);
        if (n == 0)
            break; /* the client shut its side down */
        if (!send_all(conn, data, n))
            break;
        total += n;
    }
    CHECK_OK(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR));
    CHECK_OK(__wasi_fd_close(conn));
    printf("echoed %lu bytes\n", total);
    return check_done();
}
