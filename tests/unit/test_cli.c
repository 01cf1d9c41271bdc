/*
 * test_cli.c: the wasmaot command as an installed program: it finds its
 * runtime libraries relative to its own location (the install layout), or
 * in $WASMAOT_RUNTIME_DIR, and fails with one line and no output file when
 * they are missing. (Usage errors and --emit kinds: tests/e2e.)
 */
#include "wa_config.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXAMPLE WA_TEST_SOURCE_DIR "/examples/hello.wasm"
#define BUILD_ROOT WA_TEST_BUILD_DIR "/.."

static char dir[64];

static void make_dir(void) {
    snprintf(dir, sizeof dir, "/tmp/wasmaot_cli.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...) {
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int raw = system(cmd);
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static void slurp(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Lays out an installed wasmaot: <dir>/bin/wasmaot and the runtime where it looks. */
static void install_copy(void) {
    cr_assert_eq(sh("mkdir -p %s/bin %s/bin/%s && cp '%s' %s/bin/ && "
                    "cp %s/runtime/libwasmaot_rt.a %s/runtime/libwasmaot_rt_main.a "
                    "%s/wasi-libc-shim/libwasmaot_wasi.a %s/bin/%s/",
                    dir, dir, WA_RUNTIME_INSTALL_RELATIVE, WA_WASMAOT, dir, BUILD_ROOT, BUILD_ROOT,
                    BUILD_ROOT, dir, WA_RUNTIME_INSTALL_RELATIVE),
                 0);
}

Test(cli, installed_compiler_finds_its_runtime, .init = make_dir, .fini = remove_dir) {
    install_copy();
    cr_assert_eq(sh("cd %s && bin/wasmaot '%s' -o hello && ./hello cli > out.txt", dir, EXAMPLE),
                 0);
    char out[4096], path[128];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    slurp(path, out, sizeof out);
    cr_expect(strstr(out, "Hello, cli,") != NULL, "output: %s", out);
}

Test(cli, missing_runtime_is_one_line_and_no_output, .init = make_dir, .fini = remove_dir) {
    cr_assert_eq(sh("mkdir -p %s/bin && cp '%s' %s/bin/", dir, WA_WASMAOT, dir), 0);
    int status = sh("cd %s && env -u WASMAOT_RUNTIME_DIR bin/wasmaot '%s' -o hello 2> err.txt", dir,
                    EXAMPLE);
    cr_expect_neq(status, 0);
    char err[4096], path[128];
    snprintf(path, sizeof path, "%s/err.txt", dir);
    slurp(path, err, sizeof err);
    cr_expect(strstr(err, "cannot find the wasmaot runtime libraries") != NULL, "stderr: %s", err);
    cr_expect_eq(strchr(err, '\n'), strrchr(err, '\n'), "more than one line: %s", err);
    snprintf(path, sizeof path, "%s/hello", dir);
    cr_expect(!exists(path), "a partial output file was left behind");
}

Test(cli, runtime_dir_from_the_environment, .init = make_dir, .fini = remove_dir) {
    install_copy();
    cr_assert_eq(sh("mkdir -p %s/elsewhere && mv %s/bin/wasmaot %s/elsewhere/", dir, dir, dir), 0);
    cr_expect_eq(sh("cd %s && WASMAOT_RUNTIME_DIR=%s/bin/%s elsewhere/wasmaot '%s' -o hello "
                    "&& ./hello > /dev/null",
                    dir, dir, WA_RUNTIME_INSTALL_RELATIVE, EXAMPLE),
                 0);
}

Test(cli, version_and_help) {
    cr_expect_eq(sh("'%s' --version | grep -q '^wasmaot %s$'", WA_WASMAOT, WA_VERSION), 0);
    cr_expect_eq(sh("'%s' --help | grep -q 'usage: wasmaot INPUT.wasm -o OUTPUT'", WA_WASMAOT), 0);
}

Test(cli, shared_object_records_its_libm_need, .init = make_dir, .fini = remove_dir) {
    /* Without SSE4.1 (--cpu=x86-64), f32.ceil is a call to libm's ceilf. */
    cr_assert_eq(sh("cd %s && printf '(module (func (export \"f\") (param f32) (result f32) "
                    "(f32.ceil (local.get 0))))' > m.wat && wat2wasm m.wat -o m.wasm",
                    dir),
                 0);
    cr_assert_eq(sh("cd %s && '%s' m.wasm --emit=shared --cpu=x86-64 -o m.so", dir, WA_WASMAOT), 0);
    cr_expect_eq(sh("cd %s && readelf -d m.so | grep -q 'NEEDED.*libm.so'", dir), 0);
}
