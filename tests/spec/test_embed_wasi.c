/*
 * test_embed_wasi.c: WASI in an embedded module (wasi-libc-shim/wa_wasi_embed.h):
 * WebAssembly text -> wat2wasm -> wasmaot's pipeline (in process,
 * WA_EMIT_SHARED) -> wa_rt_load -> wa_wasi_instantiate with grants, arguments
 * and stdio the host gives -> run _start or call a reactor's exports.
 *
 * Like every embedder this executable links the runtime whole and exports it,
 * then the WASI shim. Criterion forks per test.
 */
#include "embed_modules.h"
#include "wa_wasi_embed.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TestSuite(wasi_embed, .init = embed_setup, .fini = embed_teardown);

#define WASI "\"wasi_snapshot_preview1\""

/* A command: writes "hi\n" to fd 1, then exits with the number of its arguments + 10. */
static const char *const hello_wat =
    "(module (import " WASI " \"fd_write\" (func $w (param i32 i32 i32 i32) (result i32)))"
    " (import " WASI " \"args_sizes_get\" (func $as (param i32 i32) (result i32)))"
    " (import " WASI " \"proc_exit\" (func $exit (param i32)))"
    " (memory (export \"memory\") 1) (data (i32.const 8) \"hi\\n\")"
    " (func (export \"_start\")"
    "  (i32.store (i32.const 0) (i32.const 8)) (i32.store (i32.const 4) (i32.const 3))"
    "  (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100)))"
    "  (drop (call $as (i32.const 200) (i32.const 204)))"
    "  (call $exit (i32.add (i32.load (i32.const 200)) (i32.const 10)))))";

static char *read_file(const char *path) {
    static char buf[256];
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

Test(wasi_embed, command_with_args_stdio_and_exit_code) {
    const wa_rt_module_t *m = load_wat(hello_wat);
    char out_path[160];
    snprintf(out_path, sizeof out_path, "%s/out.txt", tmpdir);
    int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(out >= 0);
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    cr_assert(wa_wasi_config_set_args(cfg, 3, (const char *[]){"prog", "a", "b"}));
    cr_assert(wa_wasi_config_set_stdio(cfg, -1, out, -1));
    wa_rt_error_t err;
    wa_wasi_instance_t *wi = wa_wasi_instantiate(m, cfg, NULL, 0, &err);
    cr_assert_not_null(wi, "%s", err.message);
    close(out); /* the instance has its own duplicate */
    int code = -1;
    cr_assert_eq(wa_wasi_run_command(wi, &code), WA_RT_TRAP_NONE);
    cr_assert_eq(code, 13, "proc_exit(argc + 10)");
    wa_wasi_free(wi);
    wa_wasi_config_free(cfg);
    cr_assert_str_eq(read_file(out_path), "hi\n");
}

Test(wasi_embed, traps_come_back_and_the_host_lives_on) {
    const wa_rt_module_t *m =
        load_wat("(module (memory (export \"memory\") 1) (func (export \"_start\") unreachable))");
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    for (int round = 0; round < 2; round++) {
        wa_rt_error_t err;
        wa_wasi_instance_t *wi = wa_wasi_instantiate(m, cfg, NULL, 0, &err);
        cr_assert_not_null(wi, "%s", err.message);
        int code = -1;
        cr_assert_eq(wa_wasi_run_command(wi, &code), WA_RT_TRAP_UNREACHABLE);
        char line[256];
        wa_rt_trap_format(wa_rt_last_trap(), line, sizeof line);
        cr_assert(strncmp(line, "wasm trap: unreachable", 22) == 0, "%s", line);
        wa_wasi_free(wi);
    }
    wa_wasi_config_free(cfg);
}

/* Exits with (fd_prestat_get(3) == 0 ? name length : 99) + 100 * (number of env vars). */
static const char *const grants_wat =
    "(module (import " WASI " \"fd_prestat_get\" (func $p (param i32 i32) (result i32)))"
    " (import " WASI " \"environ_sizes_get\" (func $e (param i32 i32) (result i32)))"
    " (import " WASI " \"proc_exit\" (func $exit (param i32)))"
    " (memory (export \"memory\") 1)"
    " (func (export \"_start\") (local $n i32)"
    "  (local.set $n (if (result i32) (i32.eqz (call $p (i32.const 3) (i32.const 0)))"
    "   (then (i32.load (i32.const 4))) (else (i32.const 99))))"
    "  (drop (call $e (i32.const 16) (i32.const 20)))"
    "  (call $exit (i32.add (local.get $n) (i32.mul (i32.load (i32.const 16)) (i32.const 100))))))";

Test(wasi_embed, grants_as_on_the_command_line) {
    const wa_rt_module_t *m = load_wat(grants_wat);
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    char grants[300], why[256];
    snprintf(grants, sizeof grants, "--dir '%s'::/data:ro --env A=1 --env B --env A=2", tmpdir);
    cr_assert(wa_wasi_config_grants(cfg, grants, why, sizeof why), "%s", why);
    char *host_env[] = {"B=from-host", "C=not-passed", NULL};
    wa_wasi_config_set_host_env(cfg, host_env);
    wa_rt_error_t err;
    wa_wasi_instance_t *wi = wa_wasi_instantiate(m, cfg, NULL, 0, &err);
    cr_assert_not_null(wi, "%s", err.message);
    int code = -1;
    cr_assert_eq(wa_wasi_run_command(wi, &code), WA_RT_TRAP_NONE);
    cr_assert_eq(code, 205, "fd 3 is \"/data\" (5), A and B set: %d", code);
    wa_wasi_free(wi);

    /* No grants: no directory, no environment. */
    wa_wasi_config_t *bare = wa_wasi_config_new();
    wi = wa_wasi_instantiate(m, bare, NULL, 0, &err);
    cr_assert_not_null(wi, "%s", err.message);
    cr_assert_eq(wa_wasi_run_command(wi, &code), WA_RT_TRAP_NONE);
    cr_assert_eq(code, 99);
    wa_wasi_free(wi);

    /* A grant that cannot be had, and a malformed one. */
    cr_assert(wa_wasi_config_grants(bare, "--dir /nonexistent/dir", why, sizeof why));
    cr_assert_null(wa_wasi_instantiate(m, bare, NULL, 0, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_GRANT);
    cr_assert_str_eq(err.message,
                     "cannot open directory '/nonexistent/dir' (--dir): No such file or directory");
    cr_assert(!wa_wasi_config_grants(bare, "--dir", why, sizeof why));
    cr_assert(strstr(why, "--dir needs a value") != NULL, "%s", why);
    wa_wasi_config_free(bare);
    wa_wasi_config_free(cfg);
}

Test(wasi_embed, fuel_needs_a_module_compiled_with_it) {
    const wa_rt_module_t *m = load_wat(grants_wat);
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    char why[256];
    cr_assert(wa_wasi_config_grants(cfg, "--fuel 100", why, sizeof why), "%s", why);
    wa_rt_error_t err;
    cr_assert_null(wa_wasi_instantiate(m, cfg, NULL, 0, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_GRANT);
    cr_assert(strncmp(err.message, "--fuel: the program was compiled without --fuel", 47) == 0,
              "%s", err.message);
    wa_wasi_config_free(cfg);
}

static int32_t log_total;
static void host_log(void *env, wa_rt_value_t *values) {
    (void)env;
    log_total += values[0].i32;
}

Test(wasi_embed, reactor_initialize_extra_imports_and_unknown_ones) {
    const wa_rt_module_t *m =
        load_wat("(module (import \"env\" \"log\" (func $log (param i32)))"
                 " (import " WASI " \"clock_time_get\" (func (param i32 i64 i32) (result i32)))"
                 " (memory (export \"memory\") 1) (global $g (mut i32) (i32.const 0))"
                 " (func (export \"_initialize\") (global.set $g (i32.const 5)) (call $log "
                 "(i32.const 1)))"
                 " (func (export \"get\") (param i32) (result i32)"
                 "  (call $log (local.get 0)) (i32.add (global.get $g) (local.get 0))))");
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    wa_rt_error_t err;
    /* Without env.log: the error names it. */
    cr_assert_null(wa_wasi_instantiate(m, cfg, NULL, 0, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_LINK);
    cr_assert_str_eq(err.message, "unknown import: import 0 \"env\".\"log\" (function)");

    uint8_t types[] = {WA_RT_I32};
    wa_rt_functype_t type = {1, 0, types};
    wa_rt_func_t *log = wa_rt_host_func_new(&type, host_log, NULL);
    wa_rt_named_extern_t extra[] = {{"env", "log", {.kind = WA_RT_EXTERN_FUNC, .func = log}}};
    wa_wasi_instance_t *wi = wa_wasi_instantiate(m, cfg, extra, 1, &err);
    cr_assert_not_null(wi, "%s", err.message);
    cr_assert_eq(log_total, 1, "_initialize ran once");
    wa_rt_func_t *get = wa_rt_instance_func(wa_wasi_instance(wi), "get");
    wa_rt_value_t v[1] = {{.i32 = 10}};
    cr_assert_eq(wa_rt_call(get, v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 15);
    cr_assert_eq(log_total, 11);
    /* A reactor has no _start. */
    int code = -1;
    cr_assert_eq(wa_wasi_run_command(wi, &code), WA_RT_TRAP_MISUSE);
    wa_wasi_free(wi);

    /* An unknown import allowed, as executables with --allow-unknown-imports do. */
    wa_wasi_config_allow_unknown_imports(cfg, true);
    cr_assert_null(wa_wasi_instantiate(m, cfg, NULL, 0, &err), "_initialize calls env.log");
    cr_assert_eq(err.kind, WA_RT_ERROR_TRAP);
    cr_assert_eq(err.trap.kind, WA_RT_TRAP_UNKNOWN_IMPORT);
    cr_assert(strstr(err.message, "call to an unknown import env.log") != NULL, "%s", err.message);
    wa_wasi_config_free(cfg);
    wa_rt_host_func_free(log);
}

Test(wasi_embed, wrong_wasi_signature_and_non_function_imports) {
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    wa_rt_error_t err;
    const wa_rt_module_t *bad_sig =
        load_wat("(module (import " WASI " \"proc_exit\" (func (param i64))))");
    cr_assert_null(wa_wasi_instantiate(bad_sig, cfg, NULL, 0, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_LINK);
    cr_assert_str_eq(err.message, "incompatible import type: wasi_snapshot_preview1.proc_exit "
                                  "does not have the WASI signature");
    const wa_rt_module_t *table = load_wat("(module (import \"e\\0a\" \"t\" (table 1 funcref)))");
    cr_assert_null(wa_wasi_instantiate(table, cfg, NULL, 0, &err));
    cr_assert_str_eq(err.message, "unknown import: import 0 \"e\\n\".\"t\" (table)");
    wa_wasi_config_free(cfg);
}

Test(wasi_embed, misuse_returns_errors) {
    const wa_rt_module_t *m = load_wat(hello_wat);
    wa_rt_error_t err;
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    cr_assert_null(wa_wasi_instantiate(NULL, cfg, NULL, 0, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_LINK);
    cr_assert_null(wa_wasi_instantiate(m, NULL, NULL, 0, &err));
    cr_assert_null(wa_wasi_instantiate(m, cfg, NULL, 1, &err));
    cr_assert_eq(wa_wasi_run_command(NULL, NULL), WA_RT_TRAP_MISUSE);
    cr_assert(!wa_wasi_start(NULL, &err));
    cr_assert_null(wa_wasi_instance(NULL));
    cr_assert_null(wa_wasi_context(NULL));
    cr_assert_null(wa_wasi_imports(NULL));
    wa_wasi_free(NULL);
    wa_wasi_config_free(NULL);
    cr_assert(!wa_wasi_config_set_args(NULL, 0, NULL));
    cr_assert(!wa_wasi_config_set_args(cfg, 1, NULL));
    cr_assert(!wa_wasi_config_set_args(cfg, -1, NULL));
    cr_assert(!wa_wasi_config_grants(NULL, "--inherit-env", NULL, 0));
    cr_assert(!wa_wasi_config_grants(cfg, NULL, NULL, 0));
    cr_assert(!wa_wasi_config_set_stdio(cfg, -2, -1, -1));
    cr_assert_null(wa_wasi_config_grant_list(NULL));
    /* A bad stdio fd fails at preparation, naming it. */
    cr_assert(wa_wasi_config_set_stdio(cfg, 12345, -1, -1));
    cr_assert_null(wa_wasi_instantiate(m, cfg, NULL, 0, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_GRANT);
    cr_assert(strncmp(err.message, "cannot use host fd 12345 as the guest's fd 0", 44) == 0, "%s",
              err.message);
    cr_assert(wa_wasi_config_set_stdio(cfg, -1, -1, -1));
    /* Prepared but not started: nothing to run; started twice: refused. */
    wa_wasi_instance_t *wi = wa_wasi_prepare(m, cfg, NULL, 0, &err);
    cr_assert_not_null(wi, "%s", err.message);
    cr_assert_eq(wa_wasi_run_command(wi, NULL), WA_RT_TRAP_MISUSE);
    cr_assert(wa_wasi_start(wi, &err), "%s", err.message);
    cr_assert(!wa_wasi_start(wi, &err));
    wa_wasi_free(wi);
    wa_wasi_config_free(cfg);
}

Test(wasi_embed, limits_apply) {
    const wa_rt_module_t *m =
        load_wat("(module (import " WASI " \"proc_exit\" (func $exit (param i32)))"
                 " (memory (export \"memory\") 1)"
                 " (func (export \"_start\") (call $exit (i32.add (memory.grow (i32.const 10))"
                 "  (i32.const 2)))))");
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    char why[256];
    cr_assert(wa_wasi_config_grants(cfg, "--max-memory 128KiB", why, sizeof why), "%s", why);
    wa_rt_error_t err;
    wa_wasi_instance_t *wi = wa_wasi_instantiate(m, cfg, NULL, 0, &err);
    cr_assert_not_null(wi, "%s", err.message);
    int code = -1;
    cr_assert_eq(wa_wasi_run_command(wi, &code), WA_RT_TRAP_NONE);
    cr_assert_eq(code, 1, "memory.grow beyond --max-memory returns -1");
    wa_wasi_free(wi);
    wa_wasi_config_free(cfg);

    cfg = wa_wasi_config_new();
    cr_assert(wa_wasi_config_grants(cfg, "--max-memory 1K", why, sizeof why), "%s", why);
    cr_assert_null(wa_wasi_instantiate(m, cfg, NULL, 0, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_GRANT);
    cr_assert(strstr(err.message, "more than --max-memory allows") != NULL, "%s", err.message);
    wa_wasi_config_free(cfg);
}

/* wasi-threads in an embedded module: the shared memory is made, thread-spawn returns -1. */
Test(wasi_embed, thread_spawn_returns_minus_one) {
    const wa_rt_module_t *m =
        load_wat_with("(module (import \"env\" \"memory\" (memory 1 1 shared))"
                      " (import \"wasi\" \"thread-spawn\" (func $spawn (param i32) (result i32)))"
                      " (import " WASI " \"proc_exit\" (func $exit (param i32)))"
                      " (func (export \"wasi_thread_start\") (param i32 i32))"
                      " (func (export \"_start\") (call $exit (i32.add (call $spawn (i32.const 0))"
                      "  (i32.const 2)))))",
                      "--enable-threads");
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    wa_rt_error_t err;
    wa_wasi_instance_t *wi = wa_wasi_instantiate(m, cfg, NULL, 0, &err);
    cr_assert_not_null(wi, "%s", err.message);
    cr_assert_eq(wa_wasi_imports(wi)[0].kind, WA_RT_EXTERN_MEMORY);
    int code = -1;
    cr_assert_eq(wa_wasi_run_command(wi, &code), WA_RT_TRAP_NONE);
    cr_assert_eq(code, 1, "thread-spawn gave -1");
    wa_wasi_free(wi);
    wa_wasi_config_free(cfg);
}

/* --fuel in an embedded module: compiled with it, the build record passed on. */
Test(wasi_embed, fuel_from_the_build_record) {
    const char *wat = "(module (memory (export \"memory\") 1)"
                      " (func (export \"_start\") (loop $l (br $l))))";
    cr_assert_null(wa_rt_loaded_build_info(load_lib(wat, "", false)), "no record without --fuel");
    wa_rt_loaded_t *lib = load_lib(wat, "", true);
    const char *record = wa_rt_loaded_build_info(lib);
    cr_assert_not_null(record);
    wa_wasi_config_t *cfg = wa_wasi_config_new();
    char why[256];
    cr_assert(wa_wasi_config_grants(cfg, "--fuel 1000", why, sizeof why), "%s", why);
    wa_rt_error_t err;
    cr_assert_null(wa_wasi_instantiate(wa_rt_loaded_module(lib), cfg, NULL, 0, &err),
                   "refused without the record");
    wa_wasi_config_set_build_info(cfg, record);
    wa_wasi_instance_t *wi = wa_wasi_instantiate(wa_rt_loaded_module(lib), cfg, NULL, 0, &err);
    cr_assert_not_null(wi, "%s", err.message);
    int code = -1;
    cr_assert_eq(wa_wasi_run_command(wi, &code), WA_RT_TRAP_FUEL_EXHAUSTED);
    wa_wasi_free(wi);
    wa_wasi_config_free(cfg);
}
