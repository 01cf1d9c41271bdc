/*
 * host.c: the worked example of README "Embedding": a C host that
 *   1. loads greet.so (a WASI command compiled from greet.c with
 *      `wasmaot --emit=shared`), grants it a directory as /data, gives it
 *      arguments and a stdout of its own, runs its _start and gets its exit
 *      status;
 *   2. loads calc.so (a WASI reactor from calc.c), instantiates it with WASI
 *      (its _initialize runs), binds the header `wasmaot --emit=shared
 *      --header calc.h` wrote and calls the exports as C functions, a trap
 *      among them.
 * Usage: host GREET.so CALC.so WORKDIR [--bench N]; with --bench, it also
 * prints the time of a call of calc_add through the header against a native
 * call. Exits 0 when everything is as expected, 1 with a line otherwise.
 *
 * It links the runtime whole and exports it (the module shared objects bind
 * to it), then the WASI shim and the common library: tests/embedding/meson.build.
 */
#include "calc.h"
#include "wa_wasi_embed.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "host: " __VA_ARGS__);                                                 \
            fputc('\n', stderr);                                                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static const char *read_text(const char *path) {
    static char buf[256];
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return "(missing)";
    buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
    fclose(f);
    return buf;
}

static const wa_rt_module_t *load(const char *path) {
    char why[512];
    wa_rt_loaded_t *lib = wa_rt_load(path, why, sizeof why);
    if (lib == NULL) {
        fprintf(stderr, "host: %s\n", why);
        exit(1);
    }
    return wa_rt_loaded_module(lib); /* stays loaded until the process ends */
}

/* Part 1: the command, with a directory, arguments, stdout and an exit status. */
static void run_greet(const char *so, const char *work) {
    char data[512], path[600], grants[700], why[256];
    snprintf(data, sizeof data, "%s/data", work);
    mkdir(data, 0755);
    snprintf(path, sizeof path, "%s/name.txt", data);
    write_text(path, "embedder\n");
    snprintf(path, sizeof path, "%s/greet.out", work);
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    CHECK(out >= 0, "cannot create %s", path);

    wa_wasi_config_t *cfg = wa_wasi_config_new();
    wa_wasi_config_set_args(cfg, 3, (const char *[]){"greet", "one", "two"});
    /* The grant syntax of the command line and WASMAOT_OPTIONS (README "Grants"). */
    snprintf(grants, sizeof grants, "--dir '%s'::/data --env LANG=C", data);
    CHECK(wa_wasi_config_grants(cfg, grants, why, sizeof why), "grants: %s", why);
    wa_wasi_config_set_stdio(cfg, -1, out, -1);

    wa_rt_error_t err;
    wa_wasi_instance_t *wi = wa_wasi_instantiate(load(so), cfg, NULL, 0, &err);
    CHECK(wi != NULL, "greet: %s", err.message);
    close(out);
    int status = -1;
    wa_rt_trap_t trap = wa_wasi_run_command(wi, &status);
    CHECK(trap == WA_RT_TRAP_NONE, "greet trapped: %s", wa_rt_trap_message(trap));
    CHECK(status == 3, "greet exited with %d, not 3 (its argc)", status);
    wa_wasi_free(wi);
    wa_wasi_config_free(cfg);

    snprintf(path, sizeof path, "%s/greeting.txt", data);
    const char *greeting = read_text(path);
    CHECK(strcmp(greeting, "hello, embedder (from greet)\n") == 0, "greeting.txt: %s", greeting);
    snprintf(path, sizeof path, "%s/greet.out", work);
    const char *said = read_text(path);
    CHECK(strcmp(said, "hello, embedder\n") == 0, "greet's stdout: %s", said);
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

__attribute__((noinline)) static int32_t native_add(int32_t a, int32_t b) {
    __asm__ volatile("");
    return a + b;
}

/* ns per call of calc_add through the header, and of a native non-inlined call. */
static void bench(const calc_t *m, long n) {
    int32_t r = 0, acc = 0;
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        calc_add(m, (int32_t)i, 1, &r);
        acc += r;
    }
    double t1 = now_ns();
    for (long i = 0; i < n; i++)
        acc += native_add((int32_t)i, 1);
    double t2 = now_ns();
    printf("calc_add through calc.h: %.1f ns per call; native call: %.2f ns (%ld calls, %d)\n",
           (t1 - t0) / (double)n, (t2 - t1) / (double)n, n, acc & 1);
}

/* Part 2: the reactor, through the generated header. */
static void run_calc(const char *so, const char *work, long bench_calls) {
    char path[600], why[256];
    snprintf(path, sizeof path, "%s/calc.out", work);
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    CHECK(out >= 0, "cannot create %s", path);
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    wa_wasi_config_set_stdio(cfg, -1, out, -1);
    wa_rt_error_t err;
    wa_wasi_instance_t *wi = wa_wasi_instantiate(load(so), cfg, NULL, 0, &err);
    CHECK(wi != NULL, "calc: %s", err.message);
    close(out);
    if (wi == NULL)
        return;

    calc_t m;
    if (!calc_bind(&m, wa_wasi_instance(wi), why, sizeof why)) {
        CHECK(false, "calc_bind: %s", why);
        return;
    }
    int32_t i32 = 0;
    int64_t i64 = 0;
    double f64 = 0;
    CHECK(calc_ready(&m, &i32) == WA_RT_TRAP_NONE && i32 == 42, "_initialize did not run: %d", i32);
    CHECK(calc_add(&m, 2, 3, &i32) == WA_RT_TRAP_NONE && i32 == 5, "add: %d", i32);
    /* The export "sum-of squares", as a C identifier. */
    CHECK(calc_sum_of_squares(&m, 10, &i64) == WA_RT_TRAP_NONE && i64 == 385, "sum: %lld",
          (long long)i64);
    CHECK(calc_scale(&m, 2.5, 4.0f, &f64) == WA_RT_TRAP_NONE && f64 == 10.0, "scale: %g", f64);
    /* A trap comes back as its kind; the instance and the host live on. */
    wa_rt_trap_t trap = calc_divide(&m, 1, 0, &i32);
    CHECK(trap == WA_RT_TRAP_DIVIDE_BY_ZERO, "divide by zero: %s", wa_rt_trap_message(trap));
    CHECK(calc_divide(&m, 9, 3, &i32) == WA_RT_TRAP_NONE && i32 == 3, "divide: %d", i32);
    CHECK(calc_say(&m, 7) == WA_RT_TRAP_NONE, "say trapped");
    if (bench_calls > 0)
        bench(&m, bench_calls);
    wa_wasi_free(wi);
    wa_wasi_config_free(cfg);
    const char *said = read_text(path);
    CHECK(strcmp(said, "calc says 7\n") == 0, "calc's stdout: %s", said);
}

int main(int argc, char **argv) {
    if (argc != 4 && !(argc == 6 && strcmp(argv[4], "--bench") == 0)) {
        fprintf(stderr, "usage: host GREET.so CALC.so WORKDIR [--bench N]\n");
        return 2;
    }
    mkdir(argv[3], 0755);
    run_greet(argv[1], argv[3]);
    run_calc(argv[2], argv[3], argc == 6 ? atol(argv[5]) : 0);
    if (failures == 0)
        printf("ok: a WASI command and a reactor, embedded\n");
    return failures == 0 ? 0 : 1;
}
