/*
 * copy.c: copies stdin to stdout in 64 KiB reads and writes, as cat does: the
 * WASI I/O benchmark's streaming half (fd_read/fd_write per 64 KiB).
 * Non-blocking stdio (Node's WASI gets its pipes from libuv that way) is
 * waited for with poll, so the program copies everything under any host.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

/* Waits until fd is ready for `events` after EAGAIN. */
static void wait_for(int fd, short events) {
    struct pollfd p = {.fd = fd, .events = events};
    poll(&p, 1, -1);
}

int main(void) {
    static char buf[1 << 16];
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0 && errno == EAGAIN) {
            wait_for(0, POLLIN);
            continue;
        }
        if (n == 0)
            return 0;
        if (n < 0) {
            perror("read");
            return 1;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(1, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EAGAIN) {
                wait_for(1, POLLOUT);
                continue;
            }
            if (w < 0) {
                perror("write");
                return 1;
            }
            done += w;
        }
    }
}
