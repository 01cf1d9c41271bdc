/*
 * test_embed_dlopen.c: a host that links no runtime and dlopen()s an
 * embedder's library with the runtime inside (embed_dlopen_lib.c), the case
 * initial-exec TLS makes delicate (runtime/meson.build): the library must
 * load, and its traps, guard faults and stack exhaustion must be reported,
 * on the main thread and on a second thread.
 *
 * usage: test_embed_dlopen LIB.so WASMAOT MODULE.wasm WORKDIR
 * (the module is compiled here, --emit=shared, so a wasmaot bug fails the
 * test, not the build).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int run_fn(const char *so_path, char *msg, size_t size);

static run_fn *run;
static char so_path[4096];

static void *run_on_thread(void *msg) {
    return (void *)(long)run(so_path, msg, 512);
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s LIB.so WASMAOT MODULE.wasm WORKDIR\n", argv[0]);
        return 2;
    }
    char cmd[8192];
    snprintf(so_path, sizeof so_path, "%s/embed_dlopen_module.so", argv[4]);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && '%s' --emit=shared '%s' -o '%s'", argv[4], argv[2],
             argv[3], so_path);
    if (system(cmd) != 0) {
        fprintf(stderr, "FAIL: %s\n", cmd);
        return 1;
    }
    /* RTLD_GLOBAL: the module shared object binds to the runtime inside the library. */
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
    if (lib == NULL) {
        fprintf(stderr, "FAIL: dlopen %s: %s\n", argv[1], dlerror());
        return 1;
    }
    /* POSIX guarantees a function's dlsym result converts; ISO C needs the memcpy. */
    void *sym = dlsym(lib, "embed_dlopen_run");
    if (sym == NULL) {
        fprintf(stderr, "FAIL: dlsym: %s\n", dlerror());
        return 1;
    }
    memcpy(&run, &sym, sizeof run);
    char msg[512];
    if (run(so_path, msg, sizeof msg) != 0) {
        fprintf(stderr, "FAIL: main thread: %s\n", msg);
        return 1;
    }
    printf("ok: main thread: %s\n", msg);
    pthread_t thread;
    void *status;
    if (pthread_create(&thread, NULL, run_on_thread, msg) != 0 ||
        pthread_join(thread, &status) != 0 || status != NULL) {
        fprintf(stderr, "FAIL: second thread: %s\n", msg);
        return 1;
    }
    printf("ok: second thread: %s\n", msg);
    return 0;
}
