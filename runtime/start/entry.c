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
 *   3. every import resolved: WASI functions through wa_wasi_lookup; an
 *      import nothing provides (the compiler only lets one through with
 *      --allow-unknown-imports) becomes wa_rt_unknown_import, which traps
 *      when called; a shared memory import (wasi-threads: env.memory) is
 *      made here from the import's type, and is WASI's memory unless the
 *      module exports one named "memory"; other memories, tables and
 *      globals cannot be imported by an executable;
 *   4. instantiation (init, then the start function with WASI pointed at the
 *      exported "memory"), then the exported "_start" if there is one;
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
#include "../../wasi-libc-shim/wa_wasi.h"
#include "../wa_build_info.h"
#include "../wa_cpu.h"
#include "../wa_escape.h"
#include "../wa_grants.h"
#include "../wa_rt_api.h"
#include "ending.h"
#include "threads.h"

#include <errno.h>
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
    wa_wasi_ctx_t *wasi;
    wa_rt_extern_t *externs;
    wa_rt_func_t *funcs;
    wa_rt_instance_t *inst;
    wa_rt_memory_t **memories; /* per import: the shared memory made for it, or NULL */
    uint32_t nmemories;
    wa_grants_t grants;
    char **env; /* "NAME=VALUE" strings, NULL-terminated */
    size_t nenv;
} program;

static void release_program(void) {
    wa_rt_instance_free(program.inst);
    for (uint32_t i = 0; i < program.nmemories; i++)
        wa_rt_memory_free(program.memories[i]);
    free(program.memories);
    free(program.externs);
    free(program.funcs);
    if (program.wasi != NULL)
        wa_wasi_ctx_free(program.wasi);
    wa_grants_free(&program.grants);
    for (size_t i = 0; i < program.nenv; i++)
        free(program.env[i]);
    free(program.env);
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

/* An import's "module.name" for a message, both parts escaped (wa_escape.h). */
static void import_name(const wa_rt_import_t *imp, char *buf, size_t size) {
    size_t n = wa_rt_escape(buf, size, imp->module, imp->module_len);
    if (n + 1 < size) {
        buf[n] = '.';
        wa_rt_escape(buf + n + 1, size - n - 1, imp->name, imp->name_len);
    }
}

/* Is s[0..len) free of NUL bytes, so that s can serve as a C string? */
static bool is_c_string(const char *s, uint32_t len) {
    return strlen(s) == len;
}

/* Resolves function import i of m into *f (storage owned by main). */
static void resolve_func(const wa_rt_module_t *m, uint32_t i, wa_wasi_ctx_t *wasi,
                         wa_rt_func_t *f) {
    const wa_rt_import_t *imp = &m->imports[i];
    const wa_rt_functype_t *type = &m->types[m->func_types[imp->index]];
    void *code = NULL;
    wa_wasi_lookup_t found = WA_WASI_UNKNOWN;
    if (is_c_string(imp->module, imp->module_len) && is_c_string(imp->name, imp->name_len))
        found = wa_wasi_lookup(imp->module, imp->name, type, &code);
    f->type_id = wa_rt_type_id(type);
    f->func_index = imp->index;
    f->instance = NULL;
    f->tail_code = NULL; /* a host function: tail-called as a call and a return */
    switch (found) {
    case WA_WASI_FOUND:
        f->code = code;
        f->ctx = wasi;
        break;
    case WA_WASI_TYPE_MISMATCH: {
        char what[256];
        import_name(imp, what, sizeof what);
        startup_error("incompatible import type: %s does not have the WASI signature", what);
    }
    case WA_WASI_UNKNOWN: {
        /* A code pointer in a void * (POSIX allows it; memcpy keeps ISO C happy). */
        void (*stand_in)(void *) = wa_rt_unknown_import;
        memcpy(&f->code, &stand_in, sizeof stand_in);
        f->ctx = (void *)imp;
        break;
    }
    }
}

/* Points WASI at the exported "memory" before the start function can use it. */
static void connect_memory(wa_rt_instance_t *inst, void *data) {
    wa_rt_extern_t mem;
    if (wa_rt_instance_export(inst, "memory", strlen("memory"), WA_RT_EXTERN_MEMORY, &mem))
        wa_wasi_ctx_set_memory(data, mem.memory);
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
static void read_grants(const char *record) {
    char why[512];
    if (record != NULL && !wa_build_info_grants(record, &program.grants, why, sizeof why))
        startup_error("malformed grant in the build record: %s", why);
    const char *options = getenv(WA_GRANTS_OPTIONS_VAR);
    if (options != NULL && !wa_grants_parse_words(&program.grants, options, why, sizeof why)) {
        char line[600];
        snprintf(line, sizeof line, "%s: %s", WA_GRANTS_OPTIONS_VAR, why);
        startup_error("%s", line);
    }
}

/* Does the record's "instrumented=" line name `what` (fuel, timeout)? */
static bool is_instrumented(const char *record, const char *what) {
    size_t len;
    const char *v = record ? wa_build_info_find(record, "instrumented", NULL, &len) : NULL;
    size_t n = strlen(what);
    for (size_t i = 0; v != NULL && i + n <= len; i++)
        if ((i == 0 || v[i - 1] == ',') && memcmp(v + i, what, n) == 0 &&
            (i + n == len || v[i + n] == ','))
            return true;
    return false;
}

/*
 * Applies the limits of the grants, before anything runs on a stack the
 * limit should bound or allocates a memory it should cap.
 */
static void apply_limits(const char *record, const wa_rt_module_t *m) {
    wa_limits_t l = wa_grants_limits(&program.grants);
    if (l.has_fuel && !is_instrumented(record, "fuel"))
        startup_error("%s", "--fuel: the program was compiled without --fuel, so it cannot count "
                            "fuel (compile it with --fuel N)");
    if (l.has_timeout && !is_instrumented(record, "timeout"))
        startup_error("%s", "--timeout: the program was compiled without --timeout, so it "
                            "cannot be interrupted (compile it with --timeout DURATION)");
    for (uint32_t i = 0; l.max_memory != 0 && i < m->nmemories; i++) {
        if (m->memories[i].min * WA_RT_PAGE_SIZE > l.max_memory) {
            char line[200];
            snprintf(line, sizeof line,
                     "memory %u needs %llu bytes (%llu pages) at start, more than --max-memory "
                     "allows (%llu bytes)",
                     (unsigned)i, (unsigned long long)(m->memories[i].min * WA_RT_PAGE_SIZE),
                     (unsigned long long)m->memories[i].min, l.max_memory);
            startup_error("%s", line);
        }
    }
    wa_rt_set_max_memory(l.max_memory);
    wa_rt_set_max_stack(l.max_stack);
    if (l.has_fuel)
        wa_rt_set_fuel(l.fuel > INT64_MAX ? INT64_MAX : (int64_t)l.fuel);
    if (l.has_timeout && !wa_rt_start_timeout(l.timeout_ns))
        startup_error("%s", "--timeout: cannot start the timer thread");
}

/* Sets name=value in the program's environment, replacing an earlier value of name. */
static void set_env(const char *name, size_t name_len, const char *value) {
    size_t n = name_len + strlen(value) + 2;
    char *entry = malloc(n);
    if (entry == NULL)
        startup_error("%s", "out of memory building the environment");
    snprintf(entry, n, "%.*s=%s", (int)name_len, name, value);
    for (size_t i = 0; i < program.nenv; i++) {
        if (strncmp(program.env[i], entry, name_len + 1) == 0) {
            free(program.env[i]);
            program.env[i] = entry;
            return;
        }
    }
    char **grown = realloc(program.env, (program.nenv + 2) * sizeof *grown);
    if (grown == NULL) {
        free(entry);
        startup_error("%s", "out of memory building the environment");
    }
    program.env = grown;
    program.env[program.nenv++] = entry;
    program.env[program.nenv] = NULL;
}

/* The program's environment, from the grants and the host's environment `envp`. */
static void build_env(char **envp) {
    program.env = calloc(1, sizeof *program.env);
    if (program.env == NULL)
        startup_error("%s", "out of memory building the environment");
    const wa_grants_t *g = &program.grants;
    bool inherit = false;
    for (size_t i = 0; i < g->count; i++)
        inherit = inherit || g->items[i].kind == WA_GRANT_INHERIT_ENV;
    size_t skip_len = strlen(WA_GRANTS_OPTIONS_VAR);
    for (size_t i = 0; inherit && envp != NULL && envp[i] != NULL; i++) {
        const char *eq = strchr(envp[i], '=');
        if (eq == NULL)
            continue;
        size_t name_len = (size_t)(eq - envp[i]);
        if (name_len == skip_len && strncmp(envp[i], WA_GRANTS_OPTIONS_VAR, skip_len) == 0)
            continue;
        set_env(envp[i], name_len, eq + 1);
    }
    for (size_t i = 0; i < g->count; i++) {
        const wa_grant_t *gr = &g->items[i];
        if (gr->kind != WA_GRANT_ENV)
            continue;
        /* "--env NAME": the host's value, or nothing if the host has none. */
        const char *value = gr->value ? gr->value : getenv(gr->name);
        if (value != NULL)
            set_env(gr->name, strlen(gr->name), value);
    }
}

/* Opens the granted sockets, then the granted directories, in grant order. */
static void open_grants(wa_wasi_ctx_t *wasi) {
    const wa_grants_t *g = &program.grants;
    char why[256], line[800];
    uint32_t fd;
    for (size_t i = 0; i < g->count; i++) {
        const wa_grant_t *gr = &g->items[i];
        if (gr->kind == WA_GRANT_TCPLISTEN &&
            !wa_wasi_ctx_tcplisten(wasi, gr->host, &fd, why, sizeof why)) {
            snprintf(line, sizeof line, "cannot listen on %s (--tcplisten): %s", gr->host, why);
            startup_error("%s", line);
        }
    }
    for (size_t i = 0; i < g->count; i++) {
        const wa_grant_t *gr = &g->items[i];
        if (gr->kind == WA_GRANT_DIR &&
            !wa_wasi_ctx_preopen(wasi, gr->host, gr->guest, gr->read_only, &fd)) {
            snprintf(line, sizeof line, "cannot open directory '%s' (--dir): %s", gr->host,
                     strerror(errno));
            startup_error("%s", line);
        }
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
    read_grants(record);
    apply_limits(record, m);
    build_env(envp);

    wa_wasi_ctx_t *wasi =
        wa_wasi_ctx_new(argc, (const char *const *)argv, (const char *const *)program.env);
    program.wasi = wasi;
    if (wasi == NULL)
        startup_error("%s", "out of memory creating the WASI context");
    open_grants(wasi);

    wa_rt_extern_t *externs = calloc(m->nimports > 0 ? m->nimports : 1, sizeof *externs);
    wa_rt_func_t *funcs = calloc(m->nimports > 0 ? m->nimports : 1, sizeof *funcs);
    program.externs = externs;
    program.funcs = funcs;
    program.memories = calloc(m->nimports > 0 ? m->nimports : 1, sizeof *program.memories);
    program.nmemories = m->nimports;
    if (externs == NULL || funcs == NULL || program.memories == NULL)
        startup_error("%s", "out of memory resolving imports");
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wa_rt_import_t *imp = &m->imports[i];
        if (imp->kind == WA_RT_EXTERN_MEMORY && m->memories[imp->index].shared) {
            /* wasi-threads: the program's one memory, shared by every thread's instance. */
            wa_rt_memory_t *mem = wa_rt_memory_new(&m->memories[imp->index]);
            if (mem == NULL)
                startup_error("%s", "cannot allocate the imported shared memory");
            program.memories[i] = mem;
            externs[i] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_MEMORY, .memory = mem};
            wa_wasi_ctx_set_memory(wasi, mem);
            continue;
        }
        if (imp->kind != WA_RT_EXTERN_FUNC) {
            char what[256];
            import_name(imp, what, sizeof what);
            startup_error("unsupported import: %s (an executable can import only functions)", what);
        }
        resolve_func(m, i, wasi, &funcs[i]);
        externs[i] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_FUNC, .func = &funcs[i]};
    }

    wa_start_threads_init(m, externs, wasi);
    wa_rt_instantiate_options_t options = {
        .before_start = connect_memory,
        .before_start_data = wasi,
    };
    wa_rt_error_t err;
    wa_rt_instance_t *inst = wa_rt_instantiate(m, externs, m->nimports, &options, &err);
    if (inst == NULL) {
        if (err.kind == WA_RT_ERROR_TRAP) {
            program.inst = err.instance;
            finish(err.trap.kind, &err.trap);
        }
        startup_error("%s", err.message);
    }
    program.inst = inst;

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
