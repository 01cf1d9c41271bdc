/*
 * entry.c: main() of a compiled executable.
 *
 * The generated object defines `wasmaot_module`; this file turns it into a
 * process (WASI command semantics):
 *   1. a WASI context with the program's arguments and environment, and the
 *      current directory preopened as ".", so relative paths resolve as they
 *      would for a native program. Not "/" as well: wasi-libc strips leading
 *      "/" and "./" from preopen names and paths alike, so "/" and "." would
 *      be the same empty prefix, and the one preopened last would take every
 *      path, relative ones included;
 *   2. every import resolved: WASI functions through wa_wasi_lookup; an
 *      import nothing provides (the compiler only lets one through with
 *      --allow-unknown-imports) becomes wa_rt_unknown_import, which traps
 *      when called; memories, tables and globals cannot be imported by an
 *      executable;
 *   3. instantiation (init, then the start function with WASI pointed at the
 *      exported "memory"), then the exported "_start" if there is one;
 *   4. the exit status: 0, the code given to proc_exit, or 134 after a trap,
 *      which prints exactly one line to stderr (wa_rt_trap_format):
 *          wasm trap: integer divide by zero in function 3 (divide)
 * Start-up does no work proportional to memory size beyond committing the
 * initial pages.
 *
 * This file lives in its own library (libwasmaot_rt_main.a): an archive
 * member defining main would be pulled into every program linking the
 * runtime, tests included.
 */
#include "../wasi-libc-shim/wa_wasi.h"
#include "wa_rt_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit status of a program that trapped: 128 + SIGABRT, as if it had aborted. */
#define TRAP_EXIT_STATUS 134
/* Exit status when the program cannot start (bad imports, no memory). */
#define STARTUP_EXIT_STATUS 1

static const char *program_name = "wasm program";

/* What main set up; released before exiting, so leak checkers see a clean exit. */
static struct {
    wa_wasi_ctx_t *wasi;
    wa_rt_extern_t *externs;
    wa_rt_func_t *funcs;
    wa_rt_instance_t *inst;
} program;

static void release_program(void) {
    wa_rt_instance_free(program.inst);
    free(program.externs);
    free(program.funcs);
    if (program.wasi != NULL)
        wa_wasi_ctx_free(program.wasi);
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
    int status = 0;
    char line[512] = "";
    if (kind == WA_RT_TRAP_EXIT) {
        status = info->exit_code;
    } else if (kind != WA_RT_TRAP_NONE) {
        /* Format while the instance lives: its module names the function. */
        wa_rt_trap_format(info, line, sizeof line);
        status = TRAP_EXIT_STATUS;
    }
    release_program();
    fflush(stdout);
    if (line[0] != '\0')
        fprintf(stderr, "%s\n", line);
    exit(status);
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
    switch (found) {
    case WA_WASI_FOUND:
        f->code = code;
        f->ctx = wasi;
        break;
    case WA_WASI_TYPE_MISMATCH: {
        char what[256];
        snprintf(what, sizeof what, "%s.%s", imp->module, imp->name);
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

int main(int argc, char **argv, char **envp) {
    const wa_rt_module_t *m = &wasmaot_module;
    if (argc > 0 && argv[0] != NULL)
        program_name = argv[0];

    wa_wasi_ctx_t *wasi =
        wa_wasi_ctx_new(argc, (const char *const *)argv, (const char *const *)envp);
    program.wasi = wasi;
    if (wasi == NULL)
        startup_error("%s", "out of memory creating the WASI context");
    uint32_t fd;
    /* Best effort: if "." cannot be opened, the program just sees no directory. */
    wa_wasi_ctx_preopen(wasi, ".", ".", false, &fd);

    wa_rt_extern_t *externs = calloc(m->nimports > 0 ? m->nimports : 1, sizeof *externs);
    wa_rt_func_t *funcs = calloc(m->nimports > 0 ? m->nimports : 1, sizeof *funcs);
    program.externs = externs;
    program.funcs = funcs;
    if (externs == NULL || funcs == NULL)
        startup_error("%s", "out of memory resolving imports");
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wa_rt_import_t *imp = &m->imports[i];
        if (imp->kind != WA_RT_EXTERN_FUNC) {
            char what[256];
            snprintf(what, sizeof what, "%s.%s", imp->module, imp->name);
            startup_error("unsupported import: %s (an executable can import only functions)", what);
        }
        resolve_func(m, i, wasi, &funcs[i]);
        externs[i] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_FUNC, .func = &funcs[i]};
    }

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
