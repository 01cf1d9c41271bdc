/*
 * embed_modules.h: what the embedding tests (test_embed.c, test_embed_wasi.c)
 * share: a fresh temporary directory per test (Criterion forks per test;
 * embed_setup/embed_teardown are the suite's init and fini) and the way a
 * test gets a module: WebAssembly text -> wat2wasm -> wasmaot's pipeline in
 * process (WA_EMIT_SHARED) -> wa_rt_load. Each step that fails fails the test.
 */
#ifndef WA_TEST_EMBED_MODULES_H
#define WA_TEST_EMBED_MODULES_H

#include "driver.h"
#include "wa_rt_embed.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static char tmpdir[] = "/tmp/wa-embed-test-XXXXXX";
static int nmodules;

static void embed_setup(void) {
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void embed_teardown(void) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

/* Compiles WebAssembly text (wat2wasm given `flags`) to a loaded module, --fuel if `fuel`. */
static inline wa_rt_loaded_t *load_lib(const char *wat, const char *flags, bool fuel) {
    char wat_path[128], wasm_path[128], so_path[128], cmd[512];
    int n = nmodules++;
    snprintf(wat_path, sizeof wat_path, "%s/m%d.wat", tmpdir, n);
    snprintf(wasm_path, sizeof wasm_path, "%s/m%d.wasm", tmpdir, n);
    snprintf(so_path, sizeof so_path, "%s/m%d.so", tmpdir, n);
    FILE *f = fopen(wat_path, "w");
    cr_assert_not_null(f);
    fputs(wat, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "wat2wasm %s '%s' -o '%s'", flags, wat_path, wasm_path);
    cr_assert_eq(system(cmd), 0, "wat2wasm failed on:\n%s", wat);
    WaCompileOptions o = {.input = wasm_path,
                          .features = wa_features_default(),
                          .output = so_path,
                          .emit = WA_EMIT_SHARED,
                          .opt_level = 1,
                          .cpu = "native",
                          .fuel = fuel};
    WaDiag d;
    wa_diag_init(&d, NULL);
    cr_assert(wa_driver_compile(&o, &d), "compile failed: %s", d.message);
    char why[256];
    wa_rt_loaded_t *lib = wa_rt_load(so_path, why, sizeof why);
    cr_assert_not_null(lib, "load failed: %s", why);
    return lib;
}

/* The module of load_lib(wat, flags, false). */
static inline const wa_rt_module_t *load_wat_with(const char *wat, const char *flags) {
    return wa_rt_loaded_module(load_lib(wat, flags, false));
}

static inline const wa_rt_module_t *load_wat(const char *wat) {
    return load_wat_with(wat, "");
}

#endif
