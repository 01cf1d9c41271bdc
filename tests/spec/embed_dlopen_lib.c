/*
 * embed_dlopen_lib.c: an embedder's shared library with the runtime inside
 * (libwasmaot_rt.a linked whole), which a host dlopen()s: the case the
 * runtime's initial-exec thread-locals must survive (runtime/meson.build).
 * test_embed_dlopen.c is the host. embed_dlopen_run loads a module shared
 * object and checks the paths that use the thread-locals: explicit traps,
 * a guard-page fault (the signal handler reads them) and stack exhaustion
 * (the stack guard), then a normal call, on whatever thread calls it.
 */
#include "wa_rt_embed.h"

#include <stdio.h>

int embed_dlopen_run(const char *so_path, char *msg, size_t size);

/* Calls export `name` with (a, b); returns its trap kind and the first result in *result. */
static wa_rt_trap_t call(wa_rt_instance_t *inst, const char *name, int32_t a, int32_t b,
                         int32_t *result) {
    wa_rt_func_t *f = wa_rt_instance_func(inst, name);
    if (f == NULL)
        return WA_RT_TRAP_NONE - 1;
    wa_rt_value_t v[2] = {{.i32 = a}, {.i32 = b}};
    wa_rt_trap_t kind = wa_rt_call(f, v);
    *result = v[0].i32;
    return kind;
}

int embed_dlopen_run(const char *so_path, char *msg, size_t size) {
    static wa_rt_loaded_t *lib;
    if (lib == NULL)
        lib = wa_rt_load(so_path, msg, size);
    if (lib == NULL)
        return 1;
    wa_rt_error_t err;
    wa_rt_instance_t *inst = wa_rt_instantiate(wa_rt_loaded_module(lib), NULL, 0, NULL, &err);
    if (inst == NULL) {
        snprintf(msg, size, "instantiate: %s", err.message);
        return 1;
    }
    inst->stack_limit = wa_rt_stack_limit(); /* this thread's, as test_embed.c does */
    static const struct {
        const char *name;
        int32_t a, b;
        wa_rt_trap_t kind;
        int32_t result;
    } cases[] = {
        {"div", 1, 0, WA_RT_TRAP_DIVIDE_BY_ZERO, 0},
        {"load", -16, 0, WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS, 0},
        {"recurse", 0, 0, WA_RT_TRAP_STACK_EXHAUSTED, 0},
        {"div", 6, 3, WA_RT_TRAP_NONE, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int32_t result = 0;
        wa_rt_trap_t kind = call(inst, cases[i].name, cases[i].a, cases[i].b, &result);
        if (kind != cases[i].kind || (kind == WA_RT_TRAP_NONE && result != cases[i].result)) {
            snprintf(msg, size, "%s(%d, %d): trap kind %d result %d, expected kind %d",
                     cases[i].name, cases[i].a, cases[i].b, (int)kind, result, (int)cases[i].kind);
            wa_rt_instance_free(inst);
            return 1;
        }
        if (kind != WA_RT_TRAP_NONE && wa_rt_last_trap()->kind != kind) {
            snprintf(msg, size, "%s: wa_rt_last_trap says %d", cases[i].name,
                     (int)wa_rt_last_trap()->kind);
            wa_rt_instance_free(inst);
            return 1;
        }
    }
    wa_rt_instance_free(inst);
    snprintf(msg, size, "traps, a guard fault and stack exhaustion reported");
    return 0;
}
