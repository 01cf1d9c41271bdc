/*
 * probe.c: the guest of the `wasmaot run` tests (tests/run/run_run.py). It
 * reports what the process it runs in was given, one fact per line, so the
 * runner can compare exactly. It uses no file functions (fs_probe.c does them), so
 * it compiles whatever part of WASI the shim provides. argv[1] selects what to do:
 *
 *   args ...        every argv[i], argv[0] included: "argv[I]=<TEXT>"
 *   exit N          exit with status N (after printing "exiting N")
 *   trap            print "trapping", then execute `unreachable`
 *   env             the whole environment, one "env: NAME=VALUE" per line
 *   preopens        every preopened fd: "preopen: FD NAME" or "socket: FD"
 *   work N          a deterministic computation of N rounds: "work: HASH"
 *   stdio           copy stdin to stdout, then write "to stderr" to stderr
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

extern char **environ;

static int list_preopens(void) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t pre;
        if (__wasi_fd_prestat_get(fd, &pre) == 0) {
            char name[256] = "";
            size_t len =
                pre.u.dir.pr_name_len < sizeof name - 1 ? pre.u.dir.pr_name_len : sizeof name - 1;
            if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) == 0)
                printf("preopen: %u %.*s\n", fd, (int)len, name);
            continue;
        }
        __wasi_fdstat_t st;
        if (__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM)
            printf("socket: %u\n", fd);
    }
    return 0;
}

/* A loop the optimiser cannot fold, so the compiled code does real work. */
static int work(long long rounds) {
    uint64_t h = 1469598103934665603ULL;
    for (long long i = 0; i < rounds; i++)
        h = (h ^ (uint64_t)i) * 1099511628211ULL;
    printf("work: %016llx\n", (unsigned long long)h);
    return 0;
}

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "args";
    if (strcmp(what, "args") == 0) {
        for (int i = 0; i < argc; i++)
            printf("argv[%d]=%s\n", i, argv[i]);
        return 0;
    }
    if (strcmp(what, "exit") == 0 && argc > 2) {
        printf("exiting %s\n", argv[2]);
        fflush(stdout);
        exit(atoi(argv[2]));
    }
    if (strcmp(what, "trap") == 0) {
        printf("trapping\n");
        fflush(stdout);
        __builtin_trap();
    }
    if (strcmp(what, "env") == 0) {
        for (char **e = environ; *e; e++)
            printf("env: %s\n", *e);
        return 0;
    }
    if (strcmp(what, "preopens") == 0)
        return list_preopens();
    if (strcmp(what, "stdio") == 0) {
        int c;
        while ((c = getchar()) != EOF)
            putchar(c);
        fputs("to stderr\n", stderr);
        return 0;
    }
    if (strcmp(what, "work") == 0 && argc > 2)
        return work(atoll(argv[2]));
    fprintf(stderr, "probe: unknown command %s\n", what);
    return 2;
}
