/*
 * test_wasi_sock.c: sock_accept, sock_recv, sock_send and sock_shutdown over
 * a fake linear memory (as test_wasi.c), on real TCP sockets: the listener
 * wa_wasi_ctx_tcplisten makes on 127.0.0.1 port 0 (the kernel picks the
 * port; getsockname finds it) and a host client socket connected to it.
 * A connect to a listening socket completes in the kernel's backlog, so no
 * thread is needed to accept. Also the poll_oneoff events of sockets.
 */
#include "wa_rt_api.h"
#include "wa_wasi.h"
#include "wasi_impl.h"

#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE 65536u
#define CANARY_SIZE 64u
#define CANARY 0xEE

/* Guest addresses of the results and of the iovec array. */
#define RESULT 16u
#define RESULT2 24u
#define IOVS 64u

static uint8_t *buf;
static wa_rt_memory_t mem;
static wa_wasi_ctx_t *ctx;
static int32_t listener; /* the WASI fd of the listening socket */
static struct sockaddr_in addr;

static void setup(void) {
    buf = malloc(MEM_SIZE + CANARY_SIZE);
    cr_assert_not_null(buf);
    memset(buf, 0, MEM_SIZE);
    memset(buf + MEM_SIZE, CANARY, CANARY_SIZE);
    mem = (wa_rt_memory_t){.base = buf, .size = MEM_SIZE, .max_pages = 1, .reserved = MEM_SIZE};
    ctx = wa_wasi_ctx_new(0, NULL, NULL);
    cr_assert_not_null(ctx);
    wa_wasi_ctx_set_memory(ctx, &mem);
    uint32_t fd;
    char why[128];
    cr_assert(wa_wasi_ctx_tcplisten(ctx, "127.0.0.1:0", &fd, why, sizeof why), "%s", why);
    listener = (int32_t)fd;
    socklen_t len = sizeof addr;
    cr_assert_eq(getsockname(wa_fdtab_get(ctx, listener)->host_fd, (struct sockaddr *)&addr, &len),
                 0);
}

static void teardown(void) {
    for (uint32_t i = 0; i < CANARY_SIZE; i++)
        cr_assert_eq(buf[MEM_SIZE + i], CANARY, "write past the end of guest memory");
    wa_wasi_ctx_free(ctx);
    free(buf);
}

TestSuite(wasi_sock, .init = setup, .fini = teardown);

/* A host socket connected to the listener. */
static int connect_client(void) {
    int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert_geq(c, 0);
    cr_assert_eq(connect(c, (struct sockaddr *)&addr, sizeof addr), 0);
    return c;
}

/* Accepts one connection (one must be pending) and returns its WASI fd. */
static int32_t accept_one(int32_t flags) {
    cr_assert_eq(wa_wasi_sock_accept(ctx, listener, flags, RESULT), WA_WASI_ESUCCESS);
    return (int32_t)wa_guest_load_u32(buf + RESULT);
}

static void put_iovec(uint32_t i, uint32_t ptr, uint32_t len) {
    wa_guest_store_u32(buf + IOVS + 8 * i, ptr);
    wa_guest_store_u32(buf + IOVS + 8 * i + 4, len);
}

static int32_t add_fd_masked(int host_fd, uint64_t mask) {
    uint32_t fd;
    cr_assert_eq(wa_fdtab_insert(ctx, host_fd, NULL, mask, mask, &fd), WA_WASI_ESUCCESS);
    return (int32_t)fd;
}

static int host_fd_of(int32_t fd) {
    return wa_fdtab_get(ctx, fd)->host_fd;
}

/* ---- sock_accept ---- */

Test(wasi_sock, listener_is_a_socket_with_accept_rights) {
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, listener, 100), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[100 + WA_WASI_FDSTAT_FILETYPE], WA_WASI_FILETYPE_SOCKET_STREAM);
    uint64_t rights = wa_guest_load_u64(buf + 100 + WA_WASI_FDSTAT_RIGHTS_BASE);
    cr_assert(rights & WA_WASI_RIGHT_SOCK_ACCEPT);
    cr_assert_neq(ntohs(addr.sin_port), 0);
}

Test(wasi_sock, accept_gives_a_connected_stream_socket) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    cr_assert_eq(fd, listener + 1, "the lowest free fd");
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 100), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[100 + WA_WASI_FDSTAT_FILETYPE], WA_WASI_FILETYPE_SOCKET_STREAM);
    cr_assert_eq(wa_guest_load_u16(buf + 100 + WA_WASI_FDSTAT_FLAGS), 0);
    uint64_t rights = wa_guest_load_u64(buf + 100 + WA_WASI_FDSTAT_RIGHTS_BASE);
    uint64_t want = WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_WRITE | WA_WASI_RIGHT_SOCK_SHUTDOWN |
                    WA_WASI_RIGHT_POLL_FD_READWRITE;
    cr_assert_eq(rights & want, want);
    cr_assert_eq(fcntl(host_fd_of(fd), F_GETFL) & O_NONBLOCK, 0);
    cr_assert(fcntl(host_fd_of(fd), F_GETFD) & FD_CLOEXEC, "not leaked to child processes");
    /* It is the client's peer: fd_write and fd_read work on it too. */
    cr_assert_eq(write(c, "ping", 4), 4);
    wa_guest_store_u32(buf + IOVS, 200);
    wa_guest_store_u32(buf + IOVS + 4, 16);
    cr_assert_eq(wa_wasi_fd_read(ctx, fd, IOVS, 1, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 4);
    cr_assert_eq(memcmp(buf + 200, "ping", 4), 0);
    close(c);
}

Test(wasi_sock, accept_nonblocking) {
    int c = connect_client();
    int32_t fd = accept_one(WA_WASI_FDFLAG_NONBLOCK);
    cr_assert_neq(fcntl(host_fd_of(fd), F_GETFL) & O_NONBLOCK, 0);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 100), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u16(buf + 100 + WA_WASI_FDSTAT_FLAGS), WA_WASI_FDFLAG_NONBLOCK);
    /* Nothing to read yet: EAGAIN instead of blocking. */
    put_iovec(0, 200, 16);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_EAGAIN);
    close(c);
}

Test(wasi_sock, accept_on_nonblocking_listener_without_connection_is_eagain) {
    cr_assert_eq(wa_wasi_fd_fdstat_set_flags(ctx, listener, WA_WASI_FDFLAG_NONBLOCK),
                 WA_WASI_ESUCCESS);
    wa_guest_store_u32(buf + RESULT, 77);
    cr_assert_eq(wa_wasi_sock_accept(ctx, listener, 0, RESULT), WA_WASI_EAGAIN);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 77);
    /* A connection arrives: the accepted socket is blocking, as asked (flags 0). */
    int c = connect_client();
    int32_t fd = accept_one(0);
    cr_assert_eq(fcntl(host_fd_of(fd), F_GETFL) & O_NONBLOCK, 0);
    close(c);
}

Test(wasi_sock, accept_errors_leave_the_connection_pending) {
    int c = connect_client();
    wa_guest_store_u32(buf + RESULT, 77);
    /* fdflags other than NONBLOCK, and bits outside fdflags. */
    cr_assert_eq(wa_wasi_sock_accept(ctx, listener, WA_WASI_FDFLAG_APPEND, RESULT), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_accept(ctx, listener, WA_WASI_FDFLAG_SYNC, RESULT), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_accept(ctx, listener, WA_WASI_FDFLAG_NONBLOCK | 0x20, RESULT),
                 WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_accept(ctx, listener, -1, RESULT), WA_WASI_EINVAL);
    /* The result slot is out of range: EFAULT before the connection is taken. */
    cr_assert_eq(wa_wasi_sock_accept(ctx, listener, 0, (int32_t)(MEM_SIZE - 3)), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_sock_accept(ctx, listener, 0, -1), WA_WASI_EFAULT);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 77);
    /* Not open, not a socket, no right. */
    cr_assert_eq(wa_wasi_sock_accept(ctx, 99, 0, RESULT), WA_WASI_EBADF);
    cr_assert_eq(wa_wasi_sock_accept(ctx, -1, 0, RESULT), WA_WASI_EBADF);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t pipe_fd = add_fd_masked(p[0], WA_WASI_RIGHTS_ALL);
    cr_assert_eq(wa_wasi_sock_accept(ctx, pipe_fd, 0, RESULT), WA_WASI_ENOTSOCK);
    int32_t limited =
        add_fd_masked(dup(host_fd_of(listener)), WA_WASI_RIGHTS_ALL & ~WA_WASI_RIGHT_SOCK_ACCEPT);
    cr_assert_eq(wa_wasi_sock_accept(ctx, limited, 0, RESULT), WA_WASI_ENOTCAPABLE);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 77);
    /* The connection is still there. */
    int32_t fd = accept_one(0);
    cr_assert_geq(fd, 3);
    close(c);
    close(p[1]);
}

Test(wasi_sock, accept_on_a_connected_socket_is_einval) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    cr_assert_eq(wa_wasi_sock_accept(ctx, fd, 0, RESULT), WA_WASI_EINVAL, "the host's answer");
    close(c);
}

/* ---- sock_recv ---- */

Test(wasi_sock, recv_scatters_into_iovecs) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    cr_assert_eq(send(c, "hello world", 11, 0), 11);
    memset(buf + 200, '.', 40);
    put_iovec(0, 200, 5);
    put_iovec(1, 210, 0);
    put_iovec(2, 220, 20);
    wa_guest_store_u16(buf + RESULT2, 0xFFFF);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 3, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 11);
    cr_assert_eq(wa_guest_load_u16(buf + RESULT2), 0);
    cr_assert_eq(memcmp(buf + 200, "hello.....", 10), 0);
    cr_assert_eq(memcmp(buf + 220, " world....", 10), 0);
    /* The peer closes: end of stream is 0 bytes. */
    close(c);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 3, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 0);
}

Test(wasi_sock, recv_peek_leaves_the_data) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    cr_assert_eq(send(c, "abcdef", 6, 0), 6);
    put_iovec(0, 200, 3);
    put_iovec(1, 300, 10);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 2, WA_WASI_RIFLAG_RECV_PEEK, RESULT, RESULT2),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 6);
    cr_assert_eq(memcmp(buf + 200, "abc", 3), 0);
    cr_assert_eq(memcmp(buf + 300, "def", 3), 0);
    memset(buf + 200, 0, 200);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 2, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 6);
    cr_assert_eq(memcmp(buf + 200, "abc", 3), 0);
    cr_assert_eq(memcmp(buf + 300, "def", 3), 0);
    close(c);
}

static void *send_later(void *arg) {
    struct timespec delay = {.tv_nsec = 50 * 1000 * 1000};
    nanosleep(&delay, NULL);
    ssize_t n = send(*(int *)arg, "defgh", 5, MSG_NOSIGNAL);
    (void)n;
    return NULL;
}

Test(wasi_sock, recv_waitall_waits_for_every_byte) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    cr_assert_eq(send(c, "abc", 3, 0), 3);
    pthread_t sender;
    cr_assert_eq(pthread_create(&sender, NULL, send_later, &c), 0);
    put_iovec(0, 200, 2);
    put_iovec(1, 300, 6);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 2, WA_WASI_RIFLAG_RECV_WAITALL, RESULT, RESULT2),
                 WA_WASI_ESUCCESS);
    pthread_join(sender, NULL);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 8, "both sends, not only the first");
    cr_assert_eq(memcmp(buf + 200, "ab", 2), 0);
    cr_assert_eq(memcmp(buf + 300, "cdefgh", 6), 0);
    close(c);
}

Test(wasi_sock, recv_errors_consume_nothing) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    cr_assert_eq(send(c, "data", 4, 0), 4);
    put_iovec(0, 200, 16);
    wa_guest_store_u32(buf + RESULT, 77);
    /* riflags has two flags. */
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 4, RESULT, RESULT2), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0x10000, RESULT, RESULT2), WA_WASI_EINVAL);
    /* Result slots, the iovec array, a buffer. */
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, (int32_t)(MEM_SIZE - 3), RESULT2),
                 WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, (int32_t)(MEM_SIZE - 1)),
                 WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, (int32_t)(MEM_SIZE - 4), 1, 0, RESULT, RESULT2),
                 WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 0x20000000, 0, RESULT, RESULT2), WA_WASI_EFAULT);
    put_iovec(1, MEM_SIZE - 8, 9);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 2, 0, RESULT, RESULT2), WA_WASI_EFAULT);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 77);
    /* Not open, not a socket, no right. */
    cr_assert_eq(wa_wasi_sock_recv(ctx, 99, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_EBADF);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t pipe_fd = add_fd_masked(p[0], WA_WASI_RIGHTS_ALL);
    cr_assert_eq(wa_wasi_sock_recv(ctx, pipe_fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ENOTSOCK);
    close(p[1]);
    int32_t no_read =
        add_fd_masked(dup(host_fd_of(fd)), WA_WASI_RIGHTS_ALL & ~WA_WASI_RIGHT_FD_READ);
    cr_assert_eq(wa_wasi_sock_recv(ctx, no_read, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ENOTCAPABLE);
    /* The data is all still there. */
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 4);
    cr_assert_eq(memcmp(buf + 200, "data", 4), 0);
    /* A listener has no peer. */
    cr_assert_eq(wa_wasi_sock_recv(ctx, listener, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ENOTCONN);
    close(c);
}

Test(wasi_sock, recv_reports_truncated_datagrams) {
    int sv[2];
    cr_assert_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
    int32_t fd = add_fd_masked(sv[0], WA_WASI_RIGHTS_ALL);
    cr_assert_eq(wa_wasi_fd_fdstat_get(ctx, fd, 100), WA_WASI_ESUCCESS);
    cr_assert_eq(buf[100 + WA_WASI_FDSTAT_FILETYPE], WA_WASI_FILETYPE_SOCKET_DGRAM);
    cr_assert_eq(send(sv[1], "0123456789", 10, 0), 10);
    cr_assert_eq(send(sv[1], "ab", 2, 0), 2);
    put_iovec(0, 200, 4);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 4);
    cr_assert_eq(wa_guest_load_u16(buf + RESULT2), WA_WASI_ROFLAG_RECV_DATA_TRUNCATED);
    cr_assert_eq(memcmp(buf + 200, "0123", 4), 0);
    /* The next datagram fits. */
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 2);
    cr_assert_eq(wa_guest_load_u16(buf + RESULT2), 0);
    close(sv[1]);
}

/* ---- sock_send ---- */

Test(wasi_sock, send_gathers_iovecs) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    memcpy(buf + 200, "hello, ", 7);
    memcpy(buf + 301, "world", 5);
    put_iovec(0, 200, 7);
    put_iovec(1, 301, 5);
    cr_assert_eq(wa_wasi_sock_send(ctx, fd, IOVS, 2, 0, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 12);
    char got[32] = {0};
    cr_assert_eq(recv(c, got, 12, MSG_WAITALL), 12);
    cr_assert_str_eq(got, "hello, world");
    /* No iovecs: zero bytes. */
    cr_assert_eq(wa_wasi_sock_send(ctx, fd, IOVS, 0, 0, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 0);
    close(c);
}

Test(wasi_sock, send_errors_send_nothing) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    put_iovec(0, 200, 4);
    wa_guest_store_u32(buf + RESULT, 77);
    /* siflags has no flags. */
    cr_assert_eq(wa_wasi_sock_send(ctx, fd, IOVS, 1, 1, RESULT), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_send(ctx, fd, IOVS, 1, (int32_t)0x80000000, RESULT), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_send(ctx, fd, IOVS, 1, 0, (int32_t)(MEM_SIZE - 2)), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_sock_send(ctx, fd, -4, 1, 0, RESULT), WA_WASI_EFAULT);
    put_iovec(1, 0xFFFFFFF0u, 32);
    cr_assert_eq(wa_wasi_sock_send(ctx, fd, IOVS, 2, 0, RESULT), WA_WASI_EFAULT);
    cr_assert_eq(wa_wasi_sock_send(ctx, 99, IOVS, 1, 0, RESULT), WA_WASI_EBADF);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t pipe_fd = add_fd_masked(p[1], WA_WASI_RIGHTS_ALL);
    cr_assert_eq(wa_wasi_sock_send(ctx, pipe_fd, IOVS, 1, 0, RESULT), WA_WASI_ENOTSOCK);
    close(p[0]);
    int32_t no_write =
        add_fd_masked(dup(host_fd_of(fd)), WA_WASI_RIGHTS_ALL & ~WA_WASI_RIGHT_FD_WRITE);
    cr_assert_eq(wa_wasi_sock_send(ctx, no_write, IOVS, 1, 0, RESULT), WA_WASI_ENOTCAPABLE);
    /* A listener is not connected: POSIX's ENOTCONN (Linux would say EPIPE). */
    cr_assert_eq(wa_wasi_sock_send(ctx, listener, IOVS, 1, 0, RESULT), WA_WASI_ENOTCONN);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 77);
    char got[8];
    cr_assert_eq(recv(c, got, sizeof got, MSG_DONTWAIT), -1, "nothing was sent");
    cr_assert_eq(errno, EAGAIN);
    close(c);
}

Test(wasi_sock, send_after_shutdown_is_epipe_not_sigpipe) {
    /* SIGPIPE keeps its default action (terminate): only MSG_NOSIGNAL keeps the test alive. */
    signal(SIGPIPE, SIG_DFL);
    int c = connect_client();
    int32_t fd = accept_one(0);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, WA_WASI_SDFLAG_WR), WA_WASI_ESUCCESS);
    memcpy(buf + 200, "late", 4);
    put_iovec(0, 200, 4);
    wa_guest_store_u32(buf + RESULT, 77);
    cr_assert_eq(wa_wasi_sock_send(ctx, fd, IOVS, 1, 0, RESULT), WA_WASI_EPIPE);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 77);
    close(c);
}

Test(wasi_sock, send_to_a_closed_peer_fails_without_sigpipe) {
    signal(SIGPIPE, SIG_DFL);
    int c = connect_client();
    int32_t fd = accept_one(0);
    close(c);
    put_iovec(0, 200, 1000);
    /* The first send may still be accepted (the RST answers it); the next ones fail. */
    int32_t err = WA_WASI_ESUCCESS;
    for (int i = 0; i < 100 && err == WA_WASI_ESUCCESS; i++) {
        err = wa_wasi_sock_send(ctx, fd, IOVS, 1, 0, RESULT);
        if (err == WA_WASI_ESUCCESS) {
            struct timespec delay = {.tv_nsec = 10 * 1000 * 1000};
            nanosleep(&delay, NULL);
        }
    }
    cr_assert(err == WA_WASI_EPIPE || err == WA_WASI_ECONNRESET, "errno %d", err);
}

/* ---- sock_shutdown ---- */

Test(wasi_sock, shutdown_directions) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    /* WR: the peer sees end of stream; reading still works. */
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, WA_WASI_SDFLAG_WR), WA_WASI_ESUCCESS);
    char got[4];
    cr_assert_eq(recv(c, got, sizeof got, 0), 0);
    cr_assert_eq(send(c, "in", 2, 0), 2);
    put_iovec(0, 200, 4);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 2);
    /* RD: reads end at once. */
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, WA_WASI_SDFLAG_RD), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 0);
    close(c);

    /* Both at once. */
    c = connect_client();
    fd = accept_one(0);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, WA_WASI_SDFLAG_RD | WA_WASI_SDFLAG_WR),
                 WA_WASI_ESUCCESS);
    cr_assert_eq(recv(c, got, sizeof got, 0), 0);
    close(c);
}

Test(wasi_sock, shutdown_errors) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    /* sdflags: no flag, or bits past RD and WR. */
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, 0), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, 4), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, 0x101), WA_WASI_EINVAL);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, -1), WA_WASI_EINVAL);
    /* The connection is untouched by those. */
    cr_assert_eq(send(c, "x", 1, 0), 1);
    put_iovec(0, 200, 4);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 1);
    /* A listener is not connected (POSIX; Linux would stop it listening and return 0). */
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, listener, WA_WASI_SDFLAG_RD), WA_WASI_ENOTCONN);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, listener, WA_WASI_SDFLAG_WR), WA_WASI_ENOTCONN);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, listener, 3), WA_WASI_ENOTCONN);
    /* ... and still listens. */
    int c2 = connect_client();
    cr_assert_geq(accept_one(0), 3);
    close(c2);
    /* As wasi-testsuite's sock_shutdown-invalid_fd and -not_sock. */
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, 99, WA_WASI_SDFLAG_RD), WA_WASI_EBADF);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    int32_t pipe_fd = add_fd_masked(p[1], WA_WASI_RIGHTS_ALL);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, pipe_fd, WA_WASI_SDFLAG_RD), WA_WASI_ENOTSOCK);
    close(p[0]);
    int32_t limited =
        add_fd_masked(dup(host_fd_of(fd)), WA_WASI_RIGHTS_ALL & ~WA_WASI_RIGHT_SOCK_SHUTDOWN);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, limited, WA_WASI_SDFLAG_RD), WA_WASI_ENOTCAPABLE);
    close(c);
}

/* ---- poll_oneoff on sockets ---- */

/* One fd subscription at guest address 1024, its event at 4096, the count at RESULT. */
static void put_fd_sub(uint32_t i, uint64_t userdata, uint8_t type, int32_t fd) {
    uint8_t *p = buf + 1024 + i * WA_WASI_SUBSCRIPTION_SIZE;
    memset(p, 0, WA_WASI_SUBSCRIPTION_SIZE);
    wa_guest_store_u64(p + WA_WASI_SUBSCRIPTION_USERDATA, userdata);
    p[WA_WASI_SUBSCRIPTION_TAG] = type;
    wa_guest_store_u32(p + WA_WASI_SUBSCRIPTION_FD, (uint32_t)fd);
}

static void put_timeout_sub(uint32_t i, uint64_t ns) {
    uint8_t *p = buf + 1024 + i * WA_WASI_SUBSCRIPTION_SIZE;
    memset(p, 0, WA_WASI_SUBSCRIPTION_SIZE);
    wa_guest_store_u64(p + WA_WASI_SUBSCRIPTION_USERDATA, 0xC10C);
    p[WA_WASI_SUBSCRIPTION_TAG] = WA_WASI_EVENTTYPE_CLOCK;
    wa_guest_store_u32(p + WA_WASI_SUBSCRIPTION_CLOCK_ID, WA_WASI_CLOCK_MONOTONIC);
    wa_guest_store_u64(p + WA_WASI_SUBSCRIPTION_CLOCK_TIMEOUT, ns);
}

static const uint8_t *event(uint32_t i) {
    return buf + 4096 + i * WA_WASI_EVENT_SIZE;
}

Test(wasi_sock, poll_listener_and_connection) {
    /* The listener is readable once a connection is pending. */
    put_fd_sub(0, 1, WA_WASI_EVENTTYPE_FD_READ, listener);
    put_timeout_sub(1, 20 * 1000000u);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, 1024, 4096, 2, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 1);
    cr_assert_eq(wa_guest_load_u64(event(0)), 0xC10C, "no connection yet: the clock");
    int c = connect_client();
    put_timeout_sub(1, 5000 * 1000000u);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, 1024, 4096, 2, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 1);
    cr_assert_eq(wa_guest_load_u64(event(0)), 1);
    cr_assert_eq(event(0)[WA_WASI_EVENT_TYPE], WA_WASI_EVENTTYPE_FD_READ);
    cr_assert_eq(wa_guest_load_u16(event(0) + WA_WASI_EVENT_ERROR), 0);

    /* The connection: writable at once, readable with the bytes sent. */
    int32_t fd = accept_one(0);
    put_fd_sub(0, 2, WA_WASI_EVENTTYPE_FD_READ, fd);
    put_fd_sub(1, 3, WA_WASI_EVENTTYPE_FD_WRITE, fd);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, 1024, 4096, 2, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 1);
    cr_assert_eq(wa_guest_load_u64(event(0)), 3);
    cr_assert_eq(send(c, "12345", 5, 0), 5);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, 1024, 4096, 2, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 2);
    cr_assert_eq(wa_guest_load_u64(event(0)), 2);
    cr_assert_eq(wa_guest_load_u64(event(0) + WA_WASI_EVENT_NBYTES), 5);
    cr_assert_eq(wa_guest_load_u16(event(0) + WA_WASI_EVENT_FLAGS), 0);

    /* Both directions closed: hangup. */
    close(c);
    cr_assert_eq(wa_wasi_sock_shutdown(ctx, fd, WA_WASI_SDFLAG_WR), WA_WASI_ESUCCESS);
    put_fd_sub(0, 4, WA_WASI_EVENTTYPE_FD_READ, fd);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, 1024, 4096, 1, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 1);
    cr_assert_eq(wa_guest_load_u16(event(0) + WA_WASI_EVENT_FLAGS),
                 WA_WASI_EVENT_FD_READWRITE_HANGUP);
    cr_assert_eq(wa_guest_load_u64(event(0) + WA_WASI_EVENT_NBYTES), 5, "the 5 bytes unread");
}

Test(wasi_sock, poll_reports_a_reset_connection_in_the_event) {
    int c = connect_client();
    int32_t fd = accept_one(0);
    /* SO_LINGER 0: close sends RST; poll says POLLERR, the pending error is ECONNRESET. */
    struct linger lin = {.l_onoff = 1, .l_linger = 0};
    cr_assert_eq(setsockopt(c, SOL_SOCKET, SO_LINGER, &lin, sizeof lin), 0);
    close(c);
    put_fd_sub(0, 9, WA_WASI_EVENTTYPE_FD_WRITE, fd);
    put_timeout_sub(1, 5000 * 1000000u);
    cr_assert_eq(wa_wasi_poll_oneoff(ctx, 1024, 4096, 2, RESULT), WA_WASI_ESUCCESS);
    cr_assert_eq(wa_guest_load_u32(buf + RESULT), 1);
    cr_assert_eq(wa_guest_load_u64(event(0)), 9);
    cr_assert_eq(wa_guest_load_u16(event(0) + WA_WASI_EVENT_ERROR), WA_WASI_EIO);
    /* Polling left the socket's error alone: the next call reports it. */
    put_iovec(0, 200, 4);
    cr_assert_eq(wa_wasi_sock_recv(ctx, fd, IOVS, 1, 0, RESULT, RESULT2), WA_WASI_ECONNRESET);
}

/* ---- lookup ---- */

Test(wasi_sock, registered) {
    static const uint8_t i32s[] = {WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32,
                                   WA_RT_I32, WA_RT_I32, WA_RT_I32};
    static const struct {
        const char *name;
        uint32_t nparams;
        void *code;
    } funcs[] = {
        {"sock_accept", 3, (void *)(uintptr_t)wa_wasi_sock_accept},
        {"sock_recv", 6, (void *)(uintptr_t)wa_wasi_sock_recv},
        {"sock_send", 5, (void *)(uintptr_t)wa_wasi_sock_send},
        {"sock_shutdown", 2, (void *)(uintptr_t)wa_wasi_sock_shutdown},
    };
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        void *code = NULL;
        wa_rt_functype_t t = {funcs[i].nparams, 1, i32s};
        cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", funcs[i].name, &t, &code),
                     WA_WASI_FOUND, "%s", funcs[i].name);
        cr_assert_eq(code, funcs[i].code);
        wa_rt_functype_t wrong = {funcs[i].nparams + 1, 1, i32s};
        cr_assert_eq(wa_wasi_lookup("wasi_snapshot_preview1", funcs[i].name, &wrong, &code),
                     WA_WASI_TYPE_MISMATCH, "%s", funcs[i].name);
    }
}
