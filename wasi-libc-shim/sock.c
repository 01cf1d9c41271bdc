/*
 * sock.c: sock_accept, sock_recv, sock_send and sock_shutdown
 * (wasi_snapshot_preview1.witx): the socket functions preview1 has, on
 * sockets the host hands the guest (wa_wasi_ctx_tcplisten's listeners, and
 * the connections sock_accept takes from them). Preview1 cannot create,
 * bind or connect sockets.
 *
 * Every function first finds the fd (not open: EBADF), then requires a
 * socket (any other fd is ENOTSOCK, as wasmtime answers and the
 * wasi-testsuite's sock_shutdown-not_sock expects), then the right the witx
 * ties to it: SOCK_ACCEPT, FD_READ (sock_recv), FD_WRITE (sock_send),
 * SOCK_SHUTDOWN (NOTCAPABLE without it). Flag bits the witx does not define
 * are EINVAL, and result slots are checked (EFAULT) before anything happens
 * on the socket, so no connection is taken and no data is consumed for a
 * result that cannot be stored.
 *
 * Data moves with one recvmsg/sendmsg over the guest's iovecs (shared with
 * fd_read/fd_write: wa_fd_gather_iovs), so short counts are POSIX's; sending
 * uses MSG_NOSIGNAL, so a peer that has gone away is EPIPE for the guest, not
 * a SIGPIPE that kills the process. Calls interrupted by a signal (EINTR) are
 * retried.
 */
#include "wasi_impl.h"

#include <sys/socket.h>
#include <unistd.h>

/* The socket at `fd` with `rights`: EBADF, ENOTSOCK, NOTCAPABLE in that order. */
static int32_t lookup_socket(wa_wasi_ctx_t *ctx, int32_t fd, uint64_t rights,
                             wa_fdtab_entry_t **out) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    if (!e)
        return WA_WASI_EBADF;
    if (e->filetype != WA_WASI_FILETYPE_SOCKET_STREAM &&
        e->filetype != WA_WASI_FILETYPE_SOCKET_DGRAM)
        return WA_WASI_ENOTSOCK;
    return wa_fdtab_lookup(ctx, fd, rights, out);
}

/*
 * Is the socket a listener? POSIX makes send and shutdown on a socket that
 * is not connected ENOTCONN; Linux instead answers EPIPE to send, and
 * shutdown(SHUT_RD) on a listener returns 0 and stops it listening (a way to
 * wake threads blocked in accept). The guest gets POSIX's answer.
 */
static bool is_listening(int host_fd) {
    int on = 0;
    socklen_t len = sizeof on;
    return getsockopt(host_fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on;
}

/*
 * The new connection gets the lowest free fd with the rights of a socket;
 * the only fdflag a fresh socket can take is NONBLOCK (wasmtime's set_fdflags
 * on sockets refuses the others with EINVAL too). accept4 sets it atomically:
 * Linux does not pass the listener's O_NONBLOCK on to accepted sockets.
 */
int32_t wa_wasi_sock_accept(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags, int32_t fd_out) {
    wa_fdtab_entry_t *e;
    int32_t err = lookup_socket(ctx, fd, WA_WASI_RIGHT_SOCK_ACCEPT, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    if ((uint32_t)flags & ~(uint32_t)WA_WASI_FDFLAG_NONBLOCK)
        return WA_WASI_EINVAL;
    uint8_t *result = wa_guest_out(ctx, fd_out, 4);
    if (!result)
        return WA_WASI_EFAULT;
    int type = SOCK_CLOEXEC | (flags & WA_WASI_FDFLAG_NONBLOCK ? SOCK_NONBLOCK : 0);
    int s;
    do
        s = accept4(e->host_fd, NULL, NULL, type);
    while (s < 0 && errno == EINTR);
    if (s < 0)
        return wa_errno_from_host(errno);
    uint32_t new_fd;
    err = wa_fdtab_insert(ctx, s, NULL, WA_WASI_RIGHTS_ALL, WA_WASI_RIGHTS_ALL, &new_fd);
    if (err != WA_WASI_ESUCCESS) {
        close(s);
        return err;
    }
    wa_guest_store_u32(result, new_fd);
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_sock_recv(wa_wasi_ctx_t *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len,
                          int32_t ri_flags, int32_t ro_datalen_out, int32_t ro_flags_out) {
    const uint32_t known = WA_WASI_RIFLAG_RECV_PEEK | WA_WASI_RIFLAG_RECV_WAITALL;
    wa_fdtab_entry_t *e;
    int32_t err = lookup_socket(ctx, fd, WA_WASI_RIGHT_FD_READ, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    if ((uint32_t)ri_flags & ~known)
        return WA_WASI_EINVAL;
    uint8_t *datalen = wa_guest_out(ctx, ro_datalen_out, 4);
    uint8_t *roflags = wa_guest_out(ctx, ro_flags_out, 2);
    if (!datalen || !roflags)
        return WA_WASI_EFAULT;
    wa_fd_iovs_t v;
    err = wa_fd_gather_iovs(ctx, ri_data, ri_data_len, &v);
    if (err != WA_WASI_ESUCCESS)
        return err;
    int host_flags = (ri_flags & WA_WASI_RIFLAG_RECV_PEEK ? MSG_PEEK : 0) |
                     (ri_flags & WA_WASI_RIFLAG_RECV_WAITALL ? MSG_WAITALL : 0);
    struct msghdr msg = {.msg_iov = v.v, .msg_iovlen = (size_t)v.n};
    ssize_t n;
    do
        n = recvmsg(e->host_fd, &msg, host_flags);
    while (n < 0 && errno == EINTR);
    err = n < 0 ? wa_errno_from_host(errno) : WA_WASI_ESUCCESS;
    wa_fd_free_iovs(&v);
    if (n >= 0) {
        wa_guest_store_u32(datalen, (uint32_t)n);
        wa_guest_store_u16(roflags,
                           msg.msg_flags & MSG_TRUNC ? WA_WASI_ROFLAG_RECV_DATA_TRUNCATED : 0);
    }
    return err;
}

/* siflags has no flags (typenames.witx): any bit is EINVAL. */
int32_t wa_wasi_sock_send(wa_wasi_ctx_t *ctx, int32_t fd, int32_t si_data, int32_t si_data_len,
                          int32_t si_flags, int32_t so_datalen_out) {
    wa_fdtab_entry_t *e;
    int32_t err = lookup_socket(ctx, fd, WA_WASI_RIGHT_FD_WRITE, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    if (si_flags != 0)
        return WA_WASI_EINVAL;
    uint8_t *datalen = wa_guest_out(ctx, so_datalen_out, 4);
    if (!datalen)
        return WA_WASI_EFAULT;
    wa_fd_iovs_t v;
    err = wa_fd_gather_iovs(ctx, si_data, si_data_len, &v);
    if (err != WA_WASI_ESUCCESS)
        return err;
    if (is_listening(e->host_fd)) {
        wa_fd_free_iovs(&v);
        return WA_WASI_ENOTCONN;
    }
    struct msghdr msg = {.msg_iov = v.v, .msg_iovlen = (size_t)v.n};
    ssize_t n;
    do
        n = sendmsg(e->host_fd, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    err = n < 0 ? wa_errno_from_host(errno) : WA_WASI_ESUCCESS;
    wa_fd_free_iovs(&v);
    if (n >= 0)
        wa_guest_store_u32(datalen, (uint32_t)n);
    return err;
}

/* sdflags: RD, WR or both; none (0) is EINVAL, as in wasmtime. A listener is ENOTCONN. */
int32_t wa_wasi_sock_shutdown(wa_wasi_ctx_t *ctx, int32_t fd, int32_t how) {
    wa_fdtab_entry_t *e;
    int32_t err = lookup_socket(ctx, fd, WA_WASI_RIGHT_SOCK_SHUTDOWN, &e);
    if (err != WA_WASI_ESUCCESS)
        return err;
    int host_how;
    switch (how) {
    case WA_WASI_SDFLAG_RD:
        host_how = SHUT_RD;
        break;
    case WA_WASI_SDFLAG_WR:
        host_how = SHUT_WR;
        break;
    case WA_WASI_SDFLAG_RD | WA_WASI_SDFLAG_WR:
        host_how = SHUT_RDWR;
        break;
    default:
        return WA_WASI_EINVAL;
    }
    if (is_listening(e->host_fd))
        return WA_WASI_ENOTCONN;
    if (shutdown(e->host_fd, host_how) != 0)
        return wa_errno_from_host(errno);
    return WA_WASI_ESUCCESS;
}
