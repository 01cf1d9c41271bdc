/*
 * echo.c: a one-connection echo server on the socket granted with
 * --tcplisten (fd 3): accepts a connection (sock_accept, retried while it
 * says EAGAIN), first calls sock_recv and sock_send on it with pointers
 * outside memory (each must be EFAULT, with no byte received or sent: the
 * client's line must still arrive whole and nothing else be echoed), then
 * reads up to a newline and writes what it read back. Prints "served N
 * bytes" and exits 0; any failure prints "FAIL ..." and exits 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
int32_t raw_sock_recv(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t) WASI(sock_recv);
int32_t raw_sock_send(int32_t, int32_t, int32_t, int32_t, int32_t) WASI(sock_send);

static int32_t ptr(const void *p) {
    return (int32_t)(uintptr_t)p;
}

/* sock_recv / sock_send on the connection with bad pointers: 0 if each is EFAULT. */
static int bad_pointers(__wasi_fd_t conn) {
    const int32_t end = (int32_t)(__builtin_wasm_memory_size(0) * 65536u);
    const int32_t wrap = (int32_t)0xFFFFFFF0u; /* + 0x20 wraps around to 0x10 */
    static uint8_t buf[16];
    static uint32_t len;
    static uint16_t flags;
    static __wasi_iovec_t iov = {buf, sizeof buf}, bad_iov;
    struct {
        const char *what;
        int32_t err;
    } calls[] = {
        {"recv iovecs past the end", raw_sock_recv(conn, end, 1, 0, ptr(&len), ptr(&flags))},
        {"recv iovecs straddling", raw_sock_recv(conn, end - 4, 1, 0, ptr(&len), ptr(&flags))},
        {"recv iovecs wrapping", raw_sock_recv(conn, wrap, 4, 0, ptr(&len), ptr(&flags))},
        {"recv huge iovec count",
         raw_sock_recv(conn, ptr(&iov), 0x7fffffff, 0, ptr(&len), ptr(&flags))},
        {"recv datalen past the end", raw_sock_recv(conn, ptr(&iov), 1, 0, end - 2, ptr(&flags))},
        {"recv flags past the end", raw_sock_recv(conn, ptr(&iov), 1, 0, ptr(&len), end - 1)},
        {"send iovecs past the end", raw_sock_send(conn, end, 1, 0, ptr(&len))},
        {"send huge iovec count", raw_sock_send(conn, ptr(&iov), -1, 0, ptr(&len))},
        {"send datalen past the end", raw_sock_send(conn, ptr(&iov), 1, 0, end)},
    };
    bad_iov.buf = (uint8_t *)(uintptr_t)(end - 8);
    bad_iov.buf_len = 9;
    int32_t recv_buf = raw_sock_recv(conn, ptr(&bad_iov), 1, 0, ptr(&len), ptr(&flags));
    int32_t send_buf = raw_sock_send(conn, ptr(&bad_iov), 1, 0, ptr(&len));
    int failed = 0;
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        if (calls[i].err != __WASI_ERRNO_FAULT) {
            printf("FAIL sock_%s: errno %d, not EFAULT\n", calls[i].what, calls[i].err);
            failed = 1;
        }
    }
    if (recv_buf != __WASI_ERRNO_FAULT || send_buf != __WASI_ERRNO_FAULT) {
        printf("FAIL a buffer straddling the end: recv errno %d, send errno %d\n", recv_buf,
               send_buf);
        failed = 1;
    }
    return failed;
}

int main(void) {
    __wasi_fd_t conn;
    __wasi_errno_t err;
    while ((err = __wasi_sock_accept(3, 0, &conn)) == __WASI_ERRNO_AGAIN)
        (void)__wasi_sched_yield();
    if (err != __WASI_ERRNO_SUCCESS) {
        printf("FAIL sock_accept: errno %u\n", err);
        return 1;
    }
    if (bad_pointers(conn))
        return 1;
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
