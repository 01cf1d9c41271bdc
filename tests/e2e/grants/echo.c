/*
 * echo.c: a one-connection echo server on the socket granted with
 * --tcplisten (fd 3): accepts a connection (sock_accept, retried while it
 * says EAGAIN), reads up to a newline and writes what it read back.
 * Prints "served N bytes" and exits 0; any failure prints "FAIL ..." and
 * exits 1.
 */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

int main(void) {
    __wasi_fd_t conn;
    __wasi_errno_t err;
    while ((err = __wasi_sock_accept(3, 0, &conn)) == __WASI_ERRNO_AGAIN)
        (void)__wasi_sched_yield();
    if (err != __WASI_ERRNO_SUCCESS) {
        printf("FAIL sock_accept: errno %u\n", err);
        return 1;
    }
    char line[512];
    size_t used = 0;
    while (used < sizeof line && (used == 0 || line[used - 1] != '\n')) {
        __wasi_iovec_t iov = {(uint8_t *)line + used, sizeof line - used};
        size_t n;
        err = __wasi_fd_read(conn, &iov, 1, &n);
        if (err == __WASI_ERRNO_AGAIN) {
            (void)__wasi_sched_yield();
            continue;
        }
        if (err != __WASI_ERRNO_SUCCESS || n == 0) {
            printf("FAIL fd_read: errno %u, %zu bytes\n", err, n);
            return 1;
        }
        used += n;
    }
    for (size_t done = 0; done < used;) {
        __wasi_ciovec_t iov = {(const uint8_t *)line + done, used - done};
        size_t n;
        err = __wasi_fd_write(conn, &iov, 1, &n);
        if (err != __WASI_ERRNO_SUCCESS) {
            printf("FAIL fd_write: errno %u\n", err);
            return 1;
        }
        done += n;
    }
    (void)__wasi_fd_close(conn);
    printf("served %zu bytes\n", used);
    return 0;
}
