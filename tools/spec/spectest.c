/*
 * spectest.c: the `spectest` host module, as the reference interpreter
 * defines it (interpreter/host/spectest.ml):
 *   functions  print [] -> [], print_i32 [i32], print_i64 [i64],
 *              print_f32 [f32], print_f64 [f64], print_i32_f32 [i32 f32],
 *              print_f64_f64 [f64 f64]: print their arguments, return nothing
 *   globals    global_i32 = 666, global_i64 = 666, global_f32 = 666.6,
 *              global_f64 = 666.6, all immutable
 *   table      funcref, min 10, max 20, all null
 *   table64    the same, i64-indexed (table64, of the memory64 proposal)
 *   memory     min 1, max 2 pages
 *   shared_memory  min 1, max 2 pages, shared (the threads proposal's
 *              interpreter adds it)
 * The print functions print only in verbose mode, so the runner's output
 * stays one line per failure.
 */
#include "spec.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The print functions and their parameter types. */
static const struct {
    const char *name;
    uint8_t nparams;
    uint8_t params[2];
} print_funcs[] = {
    {"print", 0, {0}},
    {"print_i32", 1, {WA_RT_I32}},
    {"print_i64", 1, {WA_RT_I64}},
    {"print_f32", 1, {WA_RT_F32}},
    {"print_f64", 1, {WA_RT_F64}},
    {"print_i32_f32", 2, {WA_RT_I32, WA_RT_F32}},
    {"print_f64_f64", 2, {WA_RT_F64, WA_RT_F64}},
};
enum { NPRINT = sizeof print_funcs / sizeof print_funcs[0] };

static const struct {
    const char *name;
    uint8_t type;
} globals[] = {
    {"global_i32", WA_RT_I32},
    {"global_i64", WA_RT_I64},
    {"global_f32", WA_RT_F32},
    {"global_f64", WA_RT_F64},
};
enum { NGLOBALS = sizeof globals / sizeof globals[0] };

typedef struct print_env {
    const SpecHost *host;
    uint32_t index; /* in print_funcs */
} print_env_t;

struct SpecHost {
    bool verbose;
    wa_rt_func_t *funcs[NPRINT];
    print_env_t envs[NPRINT];
    wa_rt_value_t global_values[NGLOBALS];
    wa_rt_table_t *table;
    wa_rt_table_t *table64;
    wa_rt_memory_t *memory;
    wa_rt_memory_t *shared_memory;
};

/* The host callback of every print function: prints "name: value value" in verbose mode. */
static void print_callback(void *env, wa_rt_value_t *values) {
    const print_env_t *p = env;
    if (!p->host->verbose)
        return;
    printf("  spectest.%s", print_funcs[p->index].name);
    for (uint32_t i = 0; i < print_funcs[p->index].nparams; i++) {
        char buf[80];
        spec_values_format_actual(print_funcs[p->index].params[i], SPEC_LANE_I32, &values[i], buf,
                                  sizeof buf);
        printf(" %s", buf);
    }
    printf("\n");
}

SpecHost *spec_spectest_new(bool verbose) {
    SpecHost *h = calloc(1, sizeof *h);
    if (h == NULL)
        abort();
    h->verbose = verbose;
    for (uint32_t i = 0; i < NPRINT; i++) {
        wa_rt_functype_t type = {print_funcs[i].nparams, 0, print_funcs[i].params};
        h->envs[i] = (print_env_t){h, i};
        h->funcs[i] = wa_rt_host_func_new(&type, print_callback, &h->envs[i]);
        if (h->funcs[i] == NULL)
            abort();
    }
    h->global_values[0].i32 = 666;
    h->global_values[1].i64 = 666;
    h->global_values[2].f32 = 666.6f;
    h->global_values[3].f64 = 666.6;
    wa_rt_table_type_t table_type = {WA_RT_FUNCREF, {10, 20, true, false, false}};
    wa_rt_table_type_t table64_type = {WA_RT_FUNCREF, {10, 20, true, true, false}};
    wa_rt_limits_t memory_limits = {1, 2, true, false, false};
    wa_rt_limits_t shared_limits = {1, 2, true, false, true};
    h->table = wa_rt_table_new(&table_type, NULL);
    h->table64 = wa_rt_table_new(&table64_type, NULL);
    h->memory = wa_rt_memory_new(&memory_limits);
    h->shared_memory = wa_rt_memory_new(&shared_limits);
    if (h->table == NULL || h->table64 == NULL || h->memory == NULL || h->shared_memory == NULL)
        abort();
    return h;
}

static bool name_is(const char *name, size_t len, const char *want) {
    return strlen(want) == len && memcmp(name, want, len) == 0;
}

bool spec_spectest_export(SpecHost *h, const char *name, size_t len, wa_rt_extern_t *out) {
    memset(out, 0, sizeof *out);
    for (uint32_t i = 0; i < NPRINT; i++) {
        if (name_is(name, len, print_funcs[i].name)) {
            out->kind = WA_RT_EXTERN_FUNC;
            out->func = h->funcs[i];
            return true;
        }
    }
    for (uint32_t i = 0; i < NGLOBALS; i++) {
        if (name_is(name, len, globals[i].name)) {
            out->kind = WA_RT_EXTERN_GLOBAL;
            out->global.value = &h->global_values[i];
            out->global.type = (wa_rt_global_type_t){globals[i].type, 0};
            return true;
        }
    }
    if (name_is(name, len, "table")) {
        out->kind = WA_RT_EXTERN_TABLE;
        out->table = h->table;
        return true;
    }
    if (name_is(name, len, "table64")) {
        out->kind = WA_RT_EXTERN_TABLE;
        out->table = h->table64;
        return true;
    }
    if (name_is(name, len, "memory")) {
        out->kind = WA_RT_EXTERN_MEMORY;
        out->memory = h->memory;
        return true;
    }
    if (name_is(name, len, "shared_memory")) {
        out->kind = WA_RT_EXTERN_MEMORY;
        out->memory = h->shared_memory;
        return true;
    }
    return false;
}

void spec_spectest_free(SpecHost *h) {
    if (h == NULL)
        return;
    for (uint32_t i = 0; i < NPRINT; i++)
        wa_rt_host_func_free(h->funcs[i]);
    wa_rt_table_free(h->table);
    wa_rt_table_free(h->table64);
    wa_rt_memory_free(h->memory);
    wa_rt_memory_free(h->shared_memory);
    free(h);
}
