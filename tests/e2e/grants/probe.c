/*
 * probe.c: prints what the sandbox gives the program, for the grant tests
 * (run_e2e.py, kind "grants"): its arguments, its whole environment, and
 * each WASI fd from 3 up: a preopened directory with its name, or another
 * kind of fd. The fds are asked with the raw witx calls, not wasi-libc's
 * preopen table, so the layout itself is visible (wasi-libc's scan stops at
 * the first fd that is not a preopened directory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

extern char **environ;

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("arg=%s\n", argv[i]);
    for (char **e = environ; e && *e; e++)
        printf("env=%s\n", *e);
    int misses = 0;
    for (__wasi_fd_t fd = 3; misses < 4; fd++) {
        __wasi_prestat_t pre;
        __wasi_errno_t err = __wasi_fd_prestat_get(fd, &pre);
        if (err == __WASI_ERRNO_SUCCESS && pre.tag == __WASI_PREOPENTYPE_DIR) {
            char name[256];
            size_t len = pre.u.dir.pr_name_len;
            if (len >= sizeof name ||
                __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) != __WASI_ERRNO_SUCCESS) {
                printf("fd=%u dir name unreadable\n", fd);
                return 1;
            }
            name[len] = '\0';
            __wasi_fdstat_t st;
            int writable = __wasi_fd_fdstat_get(fd, &st) == __WASI_ERRNO_SUCCESS &&
                           (st.fs_rights_inheriting & __WASI_RIGHTS_FD_WRITE) != 0;
            printf("fd=%u dir=%s%s\n", fd, name, writable ? "" : " (read-only)");
            misses = 0;
            continue;
        }
        __wasi_fdstat_t st;
        if (__wasi_fd_fdstat_get(fd, &st) == __WASI_ERRNO_SUCCESS) {
            printf("fd=%u filetype=%u\n", fd, st.fs_filetype);
            misses = 0;
        } else {
            misses++;
        }
    }
    return 0;
}
