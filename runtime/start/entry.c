/*
 * entry.c: main() of a compiled executable.
 *
 * The generated object defines `wasmaot_module` and, for executables, the
 * build record `wasmaot_build_info` (wa_build_info.h); this file turns them
 * into a process (WASI command semantics):
 *   1. the CPU check: if the record lists CPU features this processor lacks,
 *      the program refuses to start, naming them, before any generated code
 *      runs (never SIGILL half-way through);
 *   2. the grants: those baked into the record, then those of the
 *      environment variable WASMAOT_OPTIONS (wa_grants.h); a malformed
 *      WASMAOT_OPTIONS, a directory that cannot be opened or an address that
 *      cannot be bound refuses to start with one line. Least privilege, as
 *      wasmtime: without grants the program has its arguments and stdio, no
 *      directory and an empty environment. Listening sockets come first
 *      (fds 3, 4, ...), then preopened directories, each in grant order, as
 *      wasmtime numbers them. Environment: --inherit-env first (the host's
 *      whole environment), then every --env in order, a later one replacing
 *      an earlier one of the same name, so WASMAOT_OPTIONS overrides baked
 *      values. WASMAOT_OPTIONS itself is never passed on. The program's
 *      argv is its own: the runtime reads no flags from it;
 *   2b. the limits (wa_grants.h: --max-memory, --max-stack, --fuel,
 *      --timeout), parsed with the grants and, like them, overridden by
 *      WASMAOT_OPTIONS. Fuel and timeout need code compiled with them (the
 *      record's "instrumented=" line): asking for either at run time of a
 *      program compiled without it refuses to start, since nothing would
 *      count. An initial memory larger than --max-memory refuses to start;
 *   (2, 2b and 3, 4 below are wa_wasi_prepare and wa_wasi_start of the
 *   WASI shim, wasi-libc-shim/embed.c, the calls embedders make too:
 *   wa_wasi_embed.h; this file adds the record, WASMAOT_OPTIONS, the CPU
 *   check, wasi-threads and the process's ending)
 *   3. every import resolved: WASI functions through wa_wasi_lookup; an
 *      import nothing provides (the compiler only lets one through with
 *      --allow-unknown-imports) becomes wa_rt_unknown_import, which traps
 *      when called; a shared memory import (wasi-threads: env.memory) is
 *      made here from the import's type, and is WASI's memory unless the
 *      module exports one named "memory"; other memories, tables and
 *      globals cannot be imported by an executable;
 *   4. instantiation (init, then the start function with WASI pointed at the
 *      exported "memory"), then the exported "_start" if there is one (a
 *      reactor, exporting "_initialize" and no "_start", gets its
 *      "_initialize" run and then exits 0);
 *   5. the exit status: 0, the code given to proc_exit, or 134 after a trap,
 *      which prints exactly one line to stderr (wa_rt_trap_format):
 *          wasm trap: integer divide by zero in function 3 (divide)
 *      A program that refuses to start exits with status 1 (as wasmtime does
 *      for a start-up error) and one line "PROGRAM: reason". Once the
 *      program has started a thread (wasi.thread-spawn, threads.c), the
 *      process ends the same way from whichever thread ends it, without
 *      freeing what the other threads still use.
 * Start-up does no work proportional to memory size beyond committing the
 * initial pages.
 *
 * This file is the start-up part (libwasmaot_start.a, start/meson.build),
 * the only one that uses both the runtime (wa_rt_api.h) and the WASI shim
 * (wa_wasi.h), besides the pieces they share with the compiler (the build
 * record, the grants, the CPU check, escaping). An archive member defining
 * main would be pulled into every program linking the runtime, tests
 * included, so it is not in libwasmaot_rt.a.
 */
#include "../../wasi-libc-shim/wa_wasi_embed.h"
#include "../wa_build_info.h"
#include "../wa_cpu.h"
#include "../wa_grants.h"
#include "../wa_rt_api.h"
#include "ending.h"
#include "threads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit status when the program cannot start (bad imports, no memory). */
#define STARTUP_EXIT_STATUS 1

static const char *program_name = "wasm program";

/*
 * The build record; weak, so that an object from --emit=obj (which has none)
 * still links: it then runs with no baked grants and no CPU check.
 */
extern const char wasmaot_build_info[] __attribute__((weak));

/* What main set up; released before exiting, so leak checkers see a clean exit. */
static struct {
    wa_wasi_config_t *config;
    wa_wasi_instance_t *wasi;
} program;

static void release_program(void) {
    wa_wasi_free(program.wasi);
    wa_wasi_config_free(program.config);
    memset(&program, 0, sizeof program);
}

static _Noreturn void startup_error(const char *fmt, const char *detail) {
    release_program();
    fflush(stdout);
    fprintf(stderr, "%s: ", program_name);
    fprintf(stderr, fmt, detail);
    fputc('\n', stderr);
    exit(STARTUP_EXIT_STATUS);
}

/* Ends the process the way a guarded call ended with `kind`. */
static _Noreturn void finish(wa_rt_trap_t kind, const wa_rt_trap_info_t *info) {
    if (wa_start_threads_spawned())
        wa_start_threads_end(kind, info);
    char line[WA_START_ENDING_SIZE];
    int status = wa_start_exit_status(kind, info, line, sizeof line);
    release_program();
    fflush(stdout);
    if (line[0] != '\0')
        fprintf(stderr, "%s\n", line);
    exit(status);
}

/* Refuses to start if the record names CPU features this processor lacks. */
static void check_cpu(const char *record) {
    size_t len;
    const char *features = wa_build_info_find(record, "cpu-features", NULL, &len);
    if (features == NULL)
        return;
    char missing[1024];
    if (wa_cpu_check_missing(features, len, missing, sizeof missing) == 0)
        return;
    /* Say what the program was compiled with: "--cpu=x86-64-v3", or "--cpu=native: znver4". */
    size_t opt_len = 0, cpu_len = 0;
    const char *option = wa_build_info_find(record, "cpu-option", NULL, &opt_len);
    const char *cpu = wa_build_info_find(record, "cpu", NULL, &cpu_len);
    bool same = option == NULL || (opt_len == cpu_len && memcmp(option, cpu, cpu_len) == 0);
    char built[200];
    snprintf(built, sizeof built, "--cpu=%.*s%s%.*s", option ? (int)opt_len : (int)cpu_len,
             option ? option : (cpu ? cpu : "?"), same ? "" : ": ", same ? 0 : (int)cpu_len,
             cpu ? cpu : "");
    char why[1400];
    snprintf(why, sizeof why,
             "this processor lacks CPU features the program was compiled for (%s): %s", built,
             missing);
    startup_error("%s", why);
}

/* Reads the grants: the record's, then WASMAOT_OPTIONS's. */
static void read_grants(const char *record, wa_grants_t *grants) {
    char why[512];
    if (record != NULL && !wa_build_info_grants(record, grants, why, sizeof why))
        startup_error("malformed grant in the build record: %s", why);
    const char *options = getenv(WA_GRANTS_OPTIONS_VAR);
    if (options != NULL && !wa_grants_parse_words(grants, options, why, sizeof why)) {
        char line[600];
        snprintf(line, sizeof line, "%s: %s", WA_GRANTS_OPTIONS_VAR, why);
        startup_error("%s", line);
    }
}

int main(int argc, char **argv, char **envp) {
    const wa_rt_module_t *m = &wasmaot_module;
    if (argc > 0 && argv[0] != NULL)
        program_name = argv[0];
    /* A trap prints its wasm backtrace after its line, unless WASMAOT_BACKTRACE=0. */
    const char *backtrace = getenv("WASMAOT_BACKTRACE");
    wa_rt_backtrace_enable(backtrace == NULL || strcmp(backtrace, "0") != 0);

    const char *record = wasmaot_build_info;
    if (record != NULL)
        check_cpu(record);
    program.config = wa_wasi_config_new();
    if (program.config == NULL ||
        !wa_wasi_config_set_args(program.config, argc, (const char *const *)argv))
        startup_error("%s", "out of memory creating the WASI context");
    read_grants(record, wa_wasi_config_grant_list(program.config));
    wa_wasi_config_set_host_env(program.config, envp);
    wa_wasi_config_set_build_info(program.config, record);
    /* The compiler let unknown imports through only with --allow-unknown-imports. */
    wa_wasi_config_allow_unknown_imports(program.config, true);

    /* Limits, environment, WASI context, grants, imports (wasi-libc-shim/embed.c). */
    wa_rt_error_t err;
    program.wasi = wa_wasi_prepare(m, program.config, NULL, 0, &err);
    if (program.wasi == NULL)
        startup_error("%s", err.message);
    wa_start_threads_init(m, wa_wasi_imports(program.wasi), wa_wasi_context(program.wasi));
    if (!wa_wasi_start(program.wasi, &err)) {
        if (err.kind == WA_RT_ERROR_TRAP)
            finish(err.trap.kind, &err.trap);
        startup_error("%s", err.message);
    }

    wa_rt_instance_t *inst = wa_wasi_instance(program.wasi);
    wa_rt_extern_t start;
    if (!wa_rt_instance_export(inst, "_start", strlen("_start"), WA_RT_EXTERN_FUNC, &start))
        finish(WA_RT_TRAP_NONE, NULL); /* a module without _start only instantiates */
    const wa_rt_functype_t *type = wa_rt_type_of_id(start.func->type_id);
    if (type->nparams != 0 || type->nresults != 0)
        startup_error("%s", "the exported _start is not a function of type [] -> []");
    wa_rt_trap_t kind = wa_rt_call_void(start.func);
    wa_rt_trap_info_t info = *wa_rt_last_trap();
    finish(kind, &info);
}
