/*
 * test_embed.c: the embedding API (runtime/wa_rt_embed.h) end to end:
 * WebAssembly text -> wat2wasm -> wasmaot's pipeline (in process,
 * WA_EMIT_SHARED) -> wa_rt_load -> instantiate, call, share.
 *
 * This executable links the runtime whole and exports it, as every embedder
 * must, so the loaded modules bind to it. Criterion forks per test, so each
 * test compiles its own modules into a fresh temporary directory.
 */
#include "embed_modules.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TestSuite(embed, .init = embed_setup, .fini = embed_teardown);

static wa_rt_instance_t *instantiate(const wa_rt_module_t *m, const wa_rt_extern_t *imports,
                                     uint32_t n) {
    wa_rt_error_t err;
    wa_rt_instance_t *inst = wa_rt_instantiate(m, imports, n, NULL, &err);
    cr_assert_not_null(inst, "instantiate failed: %s", err.message);
    return inst;
}

static wa_rt_func_t *func(wa_rt_instance_t *inst, const char *name) {
    wa_rt_func_t *f = wa_rt_instance_func(inst, name);
    cr_assert_not_null(f, "no export %s", name);
    return f;
}

Test(embed, load_reports_missing_file_and_foreign_library) {
    char why[256];
    cr_assert_null(wa_rt_load("/nonexistent/m.so", why, sizeof why));
    cr_assert(strncmp(why, "cannot load", 11) == 0, "%s", why);
    cr_assert_null(wa_rt_load("libm.so.6", why, sizeof why));
    cr_assert(strstr(why, "no wasmaot_module symbol") != NULL, "%s", why);
}

Test(embed, calls_exports_and_returns_traps_to_the_host) {
    const wa_rt_module_t *m =
        load_wat("(module (func (export \"div\") (param i32 i32) (result i32)"
                 "  (i32.div_s (local.get 0) (local.get 1)))"
                 " (func (export \"multi\") (param i64) (result i32 i64 f64)"
                 "  (i32.const 7) (i64.add (local.get 0) (i64.const 1)) (f64.const 2.5))"
                 " (func (export \"vadd\") (param v128 v128) (result v128)"
                 "  (i32x4.add (local.get 0) (local.get 1))))");
    wa_rt_instance_t *inst = instantiate(m, NULL, 0);
    wa_rt_func_t *div = func(inst, "div");
    const wa_rt_functype_t *t = wa_rt_func_type(div);
    cr_assert_eq(t->nparams, 2);
    cr_assert_eq(t->nresults, 1);
    cr_assert_eq(t->types[2], WA_RT_I32);

    wa_rt_value_t v[2] = {{.i32 = 7}, {.i32 = 2}};
    cr_assert_eq(wa_rt_call(div, v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 3);
    v[0].i32 = 1;
    v[1].i32 = 0;
    cr_assert_eq(wa_rt_call(div, v), WA_RT_TRAP_DIVIDE_BY_ZERO);
    v[0].i32 = INT32_MIN;
    v[1].i32 = -1;
    cr_assert_eq(wa_rt_call(div, v), WA_RT_TRAP_INTEGER_OVERFLOW);
    /* The process and the instance live on after traps. */
    v[0].i32 = -9;
    v[1].i32 = 3;
    cr_assert_eq(wa_rt_call(div, v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, -3);

    wa_rt_value_t r[3] = {{.i64 = 41}};
    cr_assert_eq(wa_rt_call(func(inst, "multi"), r), WA_RT_TRAP_NONE);
    cr_assert_eq(r[0].i32, 7);
    cr_assert_eq(r[1].i64, 42);
    cr_assert_eq(r[2].f64, 2.5);

    wa_rt_value_t x[2];
    for (int i = 0; i < 16; i++) {
        x[0].v128[i] = (uint8_t)i;
        x[1].v128[i] = i % 4 == 0 ? 1 : 0;
    }
    cr_assert_eq(wa_rt_call(func(inst, "vadd"), x), WA_RT_TRAP_NONE);
    for (int i = 0; i < 16; i++)
        cr_assert_eq(x[0].v128[i], (uint8_t)(i + (i % 4 == 0)), "byte %d", i);
    wa_rt_instance_free(inst);
}

/* Host callback: adds its arguments, counts calls in env; traps on a negative sum. */
static void host_add(void *env, wa_rt_value_t *values) {
    (*(int *)env)++;
    int32_t sum = values[0].i32 + values[1].i32;
    if (sum < 0)
        wa_rt_trap(WA_RT_TRAP_UNREACHABLE, UINT32_MAX);
    values[0].i32 = sum;
}

Test(embed, wasm_calls_host_functions_and_host_traps_unwind) {
    const wa_rt_module_t *m =
        load_wat("(module (import \"host\" \"add\" (func $add (param i32 i32) (result i32)))"
                 " (func (export \"twice\") (param i32) (result i32)"
                 "  (call $add (call $add (local.get 0) (local.get 0)) (i32.const 1))))");
    int calls = 0;
    uint8_t types[] = {WA_RT_I32, WA_RT_I32, WA_RT_I32};
    wa_rt_functype_t type = {2, 1, types};
    wa_rt_func_t *add = wa_rt_host_func_new(&type, host_add, &calls);
    cr_assert_not_null(add);
    /* The host calls its own function through the same API, before any binding. */
    wa_rt_value_t v[2] = {{.i32 = 2}, {.i32 = 3}};
    cr_assert_eq(wa_rt_call(add, v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 5);

    wa_rt_extern_t imp = {.kind = WA_RT_EXTERN_FUNC, .func = add};
    wa_rt_instance_t *inst = instantiate(m, &imp, 1);
    cr_assert_not_null(add->code, "importing binds the host function to a thunk");
    v[0].i32 = 10;
    cr_assert_eq(wa_rt_call(func(inst, "twice"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 21);
    cr_assert_eq(calls, 3);
    v[0].i32 = -5;
    cr_assert_eq(wa_rt_call(func(inst, "twice"), v), WA_RT_TRAP_UNREACHABLE);
    wa_rt_instance_free(inst);
    wa_rt_host_func_free(add);
}

Test(embed, instances_share_memories_tables_and_globals) {
    const wa_rt_module_t *a =
        load_wat("(module (memory (export \"mem\") 1 2)"
                 " (table (export \"tab\") 2 funcref)"
                 " (global (export \"g\") (mut i32) (i32.const 5))"
                 " (global (export \"k\") i64 (i64.const 9))"
                 " (func $f (result i32) (i32.const 77)) (elem (i32.const 0) $f)"
                 " (func (export \"call\") (param i32) (result i32)"
                 "  (call_indirect (result i32) (local.get 0))))");
    const wa_rt_module_t *b = load_wat(
        "(module (import \"a\" \"mem\" (memory 1)) (import \"a\" \"tab\" (table 1 funcref))"
        " (import \"a\" \"g\" (global $g (mut i32)))"
        " (func (export \"store\") (param i32 i32) (i32.store (local.get 0) (local.get 1)))"
        " (func (export \"bump\") (global.set $g (i32.add (global.get $g) (i32.const 1))))"
        " (func (export \"put\") (param funcref) (table.set 0 (i32.const 1) (local.get 0))))");
    wa_rt_instance_t *ia = instantiate(a, NULL, 0);
    wa_rt_extern_t imports[3];
    cr_assert(wa_rt_instance_export_any(ia, "mem", 3, &imports[0]));
    cr_assert(wa_rt_instance_export_any(ia, "tab", 3, &imports[1]));
    cr_assert(wa_rt_instance_export_any(ia, "g", 1, &imports[2]));
    cr_assert_eq(imports[0].kind, WA_RT_EXTERN_MEMORY);
    /* Two instances of b share a's state with each other and with the host. */
    wa_rt_instance_t *ib1 = instantiate(b, imports, 3);
    wa_rt_instance_t *ib2 = instantiate(b, imports, 3);

    wa_rt_value_t v[2] = {{.i32 = 100}, {.i32 = 0x01020304}};
    cr_assert_eq(wa_rt_call(func(ib1, "store"), v), WA_RT_TRAP_NONE);
    uint32_t word = 0;
    cr_assert(wa_rt_memory_read(imports[0].memory, 100, &word, 4));
    cr_assert_eq(word, 0x01020304);
    cr_assert(wa_rt_memory_write(imports[0].memory, 65532, &word, 4));
    cr_assert_not(wa_rt_memory_read(imports[0].memory, 65533, &word, 4));
    cr_assert_not(wa_rt_memory_write(imports[0].memory, UINT64_MAX, &word, 1));
    cr_assert_eq(wa_rt_memory_pages(imports[0].memory), 1);
    v[0].i32 = 65536; /* out of bounds: a trap, not a crash */
    cr_assert_eq(wa_rt_call(func(ib2, "store"), v), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);

    cr_assert_eq(wa_rt_call(func(ib1, "bump"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(wa_rt_call(func(ib2, "bump"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(wa_rt_global_get(&imports[2]).i32, 7);
    cr_assert(wa_rt_global_set(&imports[2], (wa_rt_value_t){.i32 = 40}));
    cr_assert_eq(wa_rt_call(func(ib1, "bump"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(wa_rt_global_get(&imports[2]).i32, 41);
    wa_rt_extern_t k;
    cr_assert(wa_rt_instance_export_any(ia, "k", 1, &k));
    cr_assert_eq(wa_rt_global_get(&k).i64, 9);
    cr_assert_not(wa_rt_global_set(&k, (wa_rt_value_t){.i64 = 1}), "k is immutable");

    /* A function of one instance, stored by another, called by a third. */
    void *ref = NULL;
    cr_assert(wa_rt_table_get(imports[1].table, 0, &ref));
    cr_assert_not_null(ref);
    wa_rt_value_t arg = {.ref = ref};
    cr_assert_eq(wa_rt_call(func(ib2, "put"), &arg), WA_RT_TRAP_NONE);
    v[0].i32 = 1;
    cr_assert_eq(wa_rt_call(func(ia, "call"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 77);
    cr_assert_not(wa_rt_table_get(imports[1].table, 2, &ref));
    wa_rt_instance_free(ib2);
    wa_rt_instance_free(ib1);
    wa_rt_instance_free(ia);
}

static void host_answer(void *env, wa_rt_value_t *values) {
    values[0].i32 = *(int32_t *)env;
}

/* A host function of type [] -> [i32] returning *answer (unbound until imported). */
static wa_rt_func_t *new_answer_func(int32_t *answer) {
    uint8_t types[] = {WA_RT_I32};
    wa_rt_functype_t type = {0, 1, types}; /* copied by wa_rt_host_func_new */
    wa_rt_func_t *f = wa_rt_host_func_new(&type, host_answer, answer);
    cr_assert_not_null(f);
    return f;
}

Test(embed, host_functions_in_tables_once_bound) {
    const wa_rt_module_t *m = load_wat(
        "(module (import \"h\" \"f\" (func (result i32))) (table (export \"t\") 1 funcref)"
        " (func (export \"call\") (result i32) (call_indirect (result i32) (i32.const 0))))");
    int32_t answer = 42;
    wa_rt_func_t *f = new_answer_func(&answer);
    wa_rt_table_type_t tt = {WA_RT_FUNCREF, {1, 1, true, 0, 0}};
    wa_rt_table_t *scratch = wa_rt_table_new(&tt, NULL);
    cr_assert_not(wa_rt_table_set(scratch, 0, f), "unbound host functions stay out of tables");
    wa_rt_table_free(scratch);

    wa_rt_extern_t imp = {.kind = WA_RT_EXTERN_FUNC, .func = f};
    wa_rt_instance_t *inst = instantiate(m, &imp, 1);
    wa_rt_extern_t t;
    cr_assert(wa_rt_instance_export_any(inst, "t", 1, &t));
    wa_rt_value_t v[1];
    cr_assert_eq(wa_rt_call(func(inst, "call"), v), WA_RT_TRAP_UNINITIALIZED_ELEMENT);
    cr_assert(wa_rt_table_set(t.table, 0, f));
    cr_assert_not(wa_rt_table_set(t.table, 1, f));
    cr_assert_eq(wa_rt_call(func(inst, "call"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 42);
    wa_rt_instance_free(inst);
    wa_rt_host_func_free(f);
}

/*
 * A host function gets native code only when an instance imports it; until
 * then it must not reach wasm by a global or an argument either, since wasm
 * could store it in a table and call_indirect would jump to NULL.
 */
Test(embed, unbound_host_functions_stay_out_of_globals) {
    const wa_rt_module_t *m =
        load_wat("(module (global (export \"g\") (mut funcref) (ref.null func)))");
    const wa_rt_module_t *importer = load_wat("(module (import \"h\" \"f\" (func (result i32))))");
    int32_t answer = 7;
    wa_rt_func_t *f = new_answer_func(&answer);
    wa_rt_instance_t *inst = instantiate(m, NULL, 0);
    wa_rt_extern_t g;
    cr_assert(wa_rt_instance_export_any(inst, "g", 1, &g));
    cr_assert_not(wa_rt_global_set(&g, (wa_rt_value_t){.ref = f}), "unbound: refused");
    cr_assert_null(wa_rt_global_get(&g).ref);
    wa_rt_extern_t imp = {.kind = WA_RT_EXTERN_FUNC, .func = f};
    wa_rt_instance_t *bound_by = instantiate(importer, &imp, 1);
    cr_assert(wa_rt_global_set(&g, (wa_rt_value_t){.ref = f}), "bound: accepted");
    cr_assert_eq(wa_rt_global_get(&g).ref, f);
    wa_rt_instance_free(bound_by);
    wa_rt_instance_free(inst);
    wa_rt_host_func_free(f);
}

Test(embed, an_unbound_host_function_as_argument_is_misuse) {
    const wa_rt_module_t *m = load_wat(
        "(module (table 1 funcref) (type $t (func (result i32)))"
        " (func (export \"store_and_call\") (param funcref) (result i32)"
        "  (table.set 0 (i32.const 0) (local.get 0)) (call_indirect (type $t) (i32.const 0))))");
    int32_t answer = 7;
    wa_rt_func_t *f = new_answer_func(&answer);
    wa_rt_instance_t *inst = instantiate(m, NULL, 0);
    wa_rt_value_t v[1] = {{.ref = f}};
    /* Refused before wasm runs: a call_indirect would jump to its NULL code. */
    cr_assert_eq(wa_rt_call(func(inst, "store_and_call"), v), WA_RT_TRAP_MISUSE);
    wa_rt_value_t none[1] = {{.ref = NULL}};
    cr_assert_eq(wa_rt_call(func(inst, "store_and_call"), none), WA_RT_TRAP_UNINITIALIZED_ELEMENT);
    wa_rt_instance_free(inst);
    wa_rt_host_func_free(f);
}

Test(embed, link_errors_name_the_import) {
    const wa_rt_module_t *m = load_wat("(module (import \"h\" \"f\" (func (param i32))))");
    wa_rt_error_t err;
    wa_rt_extern_t missing = {.kind = WA_RT_EXTERN_MISSING};
    cr_assert_null(wa_rt_instantiate(m, &missing, 1, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_LINK);
    cr_assert(strncmp(err.message, "unknown import", 14) == 0, "%s", err.message);

    uint8_t types[] = {WA_RT_I64};
    wa_rt_functype_t type = {1, 0, types};
    wa_rt_func_t *f = wa_rt_host_func_new(&type, host_answer, NULL);
    wa_rt_extern_t wrong = {.kind = WA_RT_EXTERN_FUNC, .func = f};
    cr_assert_null(wa_rt_instantiate(m, &wrong, 1, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_LINK);
    cr_assert(strncmp(err.message, "incompatible import type", 24) == 0, "%s", err.message);
    cr_assert_null(f->code, "a failed link binds nothing");
    wa_rt_host_func_free(f);
}

/*
 * A trap leaves memory as it was at the faulting access (spec 4.4.7): an
 * out-of-bounds store that a later store overwrites still traps first, so
 * the in-bounds store between the two never happens, and a dead
 * out-of-bounds load traps before the store after it (memory.c: volatile).
 */
Test(embed, dead_out_of_bounds_accesses_trap_before_later_stores) {
    const wa_rt_module_t *m = load_wat("(module (memory (export \"memory\") 1)"
                                       " (func (export \"stores\")"
                                       "  (i32.store (i32.const 0x7fff0000) (i32.const 1))"
                                       "  (i32.store (i32.const 0) (i32.const 2))"
                                       "  (i32.store (i32.const 0x7fff0000) (i32.const 3)))"
                                       " (func (export \"load\")"
                                       "  (drop (i32.load (i32.const 0x7fff0000)))"
                                       "  (i32.store (i32.const 4) (i32.const 5))))");
    wa_rt_instance_t *inst = instantiate(m, NULL, 0);
    wa_rt_extern_t mem;
    cr_assert(wa_rt_instance_export_any(inst, "memory", 6, &mem));
    wa_rt_value_t v[1];
    cr_expect_eq(wa_rt_call(func(inst, "stores"), v), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    cr_expect_eq(wa_rt_call(func(inst, "load"), v), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    uint32_t words[2] = {1, 1};
    cr_assert(wa_rt_memory_read(mem.memory, 0, words, sizeof words));
    cr_expect_eq(words[0], 0, "the store between the two out-of-bounds ones happened");
    cr_expect_eq(words[1], 0, "the store after the dead load happened");
    wa_rt_instance_free(inst);
}

/*
 * Globals and linear memory have distinct alias tags (compiler/lower/memory.c),
 * but a global.set must still not move across a memory access that traps:
 * the one before it happened, the one after it did not, whether the
 * access is a store or a dead load, and also in a loop (own and exported
 * globals alike; "g" is exported, "h" is not and is read through "get_h").
 */
Test(embed, global_sets_stay_on_their_side_of_a_trapping_access) {
    const wa_rt_module_t *m =
        load_wat("(module (memory 1)"
                 " (global $g (export \"g\") (mut i32) (i32.const 0))"
                 " (global $h (mut i32) (i32.const 0))"
                 " (func (export \"get_h\") (result i32) (global.get $h))"
                 " (func (export \"store\")"
                 "  (global.set $g (i32.const 1)) (global.set $h (i32.const 1))"
                 "  (i32.store (i32.const 0x7fff0000) (i32.const 9))"
                 "  (global.set $g (i32.const 2)) (global.set $h (i32.const 2)))"
                 " (func (export \"load\")"
                 "  (global.set $g (i32.const 3)) (global.set $h (i32.const 3))"
                 "  (drop (i32.load (i32.const 0x7fff0000)))"
                 "  (global.set $g (i32.const 4)) (global.set $h (i32.const 4)))"
                 " (func (export \"loop\") (param $n i32) (local $i i32)"
                 "  (loop $next"
                 "   (global.set $g (i32.add (global.get $g) (i32.const 1)))"
                 "   (global.set $h (global.get $g))"
                 "   (drop (i32.load (i32.mul (local.get $i) (i32.const 0x1000))))"
                 "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                 "   (br_if $next (i32.lt_u (local.get $i) (local.get $n))))))");
    wa_rt_instance_t *inst = instantiate(m, NULL, 0);
    wa_rt_extern_t g;
    cr_assert(wa_rt_instance_export_any(inst, "g", 1, &g));
    wa_rt_value_t v[1];
    cr_assert_eq(wa_rt_call(func(inst, "store"), v), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    cr_expect_eq(wa_rt_global_get(&g).i32, 1);
    cr_assert_eq(wa_rt_call(func(inst, "get_h"), v), WA_RT_TRAP_NONE);
    cr_expect_eq(v[0].i32, 1);
    cr_assert_eq(wa_rt_call(func(inst, "load"), v), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    cr_expect_eq(wa_rt_global_get(&g).i32, 3);
    cr_assert_eq(wa_rt_call(func(inst, "get_h"), v), WA_RT_TRAP_NONE);
    cr_expect_eq(v[0].i32, 3);
    /* Page 16 (i = 16) is the first out of bounds: 17 increments happened, from 3. */
    cr_assert(wa_rt_global_set(&g, (wa_rt_value_t){.i32 = 3}));
    v[0].i32 = 100;
    cr_assert_eq(wa_rt_call(func(inst, "loop"), v), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    cr_expect_eq(wa_rt_global_get(&g).i32, 20);
    cr_assert_eq(wa_rt_call(func(inst, "get_h"), v), WA_RT_TRAP_NONE);
    cr_expect_eq(v[0].i32, 20);
    wa_rt_instance_free(inst);
}

static wa_rt_table_t *swap_table;
static wa_rt_func_t *swap_func;

static void host_swap(void *env, wa_rt_value_t *values) {
    (void)env;
    (void)values;
    cr_assert(wa_rt_table_set(swap_table, 0, swap_func));
}

/*
 * An exported table is not fixed: call_indirect reloads it after the host
 * wrote it, in the middle of the same wasm function.
 */
Test(embed, call_indirect_sees_host_writes_to_an_exported_table) {
    const wa_rt_module_t *m = load_wat(
        "(module (import \"h\" \"swap\" (func $swap))"
        " (table (export \"t\") 2 funcref) (elem (i32.const 0) $one $two)"
        " (func $one (result i32) (i32.const 1)) (func $two (result i32) (i32.const 2))"
        " (func (export \"twice\") (result i32)"
        "  (i32.add (i32.mul (call_indirect (result i32) (i32.const 0)) (i32.const 10))"
        "   (block (result i32) (call $swap) (call_indirect (result i32) (i32.const 0))))))");
    wa_rt_functype_t type = {0, 0, NULL};
    wa_rt_func_t *f = wa_rt_host_func_new(&type, host_swap, NULL);
    wa_rt_extern_t imp = {.kind = WA_RT_EXTERN_FUNC, .func = f};
    wa_rt_instance_t *inst = instantiate(m, &imp, 1);
    wa_rt_extern_t t;
    cr_assert(wa_rt_instance_export_any(inst, "t", 1, &t));
    swap_table = t.table;
    cr_assert(wa_rt_table_get(t.table, 1, (void **)&swap_func));
    wa_rt_value_t v[1];
    cr_assert_eq(wa_rt_call(func(inst, "twice"), v), WA_RT_TRAP_NONE);
    cr_expect_eq(v[0].i32, 12, "the second call went to the entry the host stored");
    wa_rt_instance_free(inst);
    wa_rt_host_func_free(f);
}

Test(embed, trap_in_start_keeps_the_instance_for_the_caller) {
    const wa_rt_module_t *m =
        load_wat("(module (memory (export \"m\") 1) (data (i32.const 0) \"hi\")"
                 " (func $s unreachable) (start $s))");
    wa_rt_error_t err;
    cr_assert_null(wa_rt_instantiate(m, NULL, 0, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_TRAP);
    cr_assert_str_eq(err.message, "unreachable");
    cr_assert_not_null(err.instance);
    wa_rt_extern_t mem;
    cr_assert(wa_rt_instance_export_any(err.instance, "m", 1, &mem));
    char buf[2];
    cr_assert(wa_rt_memory_read(mem.memory, 0, buf, 2));
    cr_assert(memcmp(buf, "hi", 2) == 0, "the data segment was applied before start");
    wa_rt_instance_free(err.instance);
}

/* ---- Stack exhaustion (runtime/stack.c) ---- */

/* What host_again sees: the function to call back, how deep it got, the innermost trap. */
typedef struct reentry {
    const wa_rt_module_t *m;
    wa_rt_func_t *rec;
    int depth;
    wa_rt_trap_info_t first; /* the innermost trap, where the stack ran out */
} reentry_t;

static _Thread_local reentry_t *tls_reentry;

/*
 * Host callback: calls back into wasm one level deeper, with a 64 KiB frame
 * of its own that it touches (host code must always find that much room:
 * the import-calling wasm function checks its frame against the limit), and
 * passes a trap of the inner call on to the outer one.
 */
static void host_again(void *env, wa_rt_value_t *values) {
    (void)env;
    reentry_t *r = tls_reentry;
    volatile char buf[64 << 10];
    for (size_t i = 0; i < sizeof buf; i += 1024)
        buf[i] = (char)i;
    if (values[0].i32 > r->depth)
        r->depth = values[0].i32;
    wa_rt_value_t v[1] = {{.i32 = values[0].i32 + 1}};
    wa_rt_trap_t kind = wa_rt_call(r->rec, v);
    if (kind != WA_RT_TRAP_NONE) {
        if (r->first.kind == WA_RT_TRAP_NONE)
            r->first = *wa_rt_last_trap();
        wa_rt_trap(kind, UINT32_MAX);
    }
    values[0].i32 = v[0].i32 + buf[0];
}

static const char reentry_wat[] =
    "(module (import \"host\" \"again\" (func $again (param i32) (result i32)))"
    " (func (export \"rec\") (param i32) (result i32)"
    "  (i32.add (call $again (local.get 0)) (i32.const 1))))";

/* Runs the unbounded wasm -> host -> wasm recursion on this thread. */
static void run_reentry(reentry_t *r, wa_rt_instance_t *inst) {
    tls_reentry = r;
    inst->stack_limit = wa_rt_stack_limit(); /* this thread's, as wa_rt_api.h asks */
    r->rec = func(inst, "rec");
    wa_rt_value_t v[1] = {{.i32 = 0}};
    cr_assert_eq(wa_rt_call(r->rec, v), WA_RT_TRAP_STACK_EXHAUSTED);
    cr_assert_gt(r->depth, 3);
    cr_assert_eq(r->first.kind, WA_RT_TRAP_STACK_EXHAUSTED);
    /* The innermost trap came from the wasm function's check, not from a fault in host code. */
    cr_assert_eq(wa_rt_module_func_at(r->m, r->first.pc), 1, "trap pc %#lx",
                 (unsigned long)r->first.pc);
}

static void *reentry_thread(void *arg) {
    reentry_t *r = arg;
    run_reentry(r, ((wa_rt_instance_t **)(void *)&r[1])[0]);
    return NULL;
}

Test(embed, recursion_through_host_calls_is_stack_exhaustion) {
    const wa_rt_module_t *m = load_wat(reentry_wat);
    uint8_t types[] = {WA_RT_I32, WA_RT_I32};
    wa_rt_functype_t type = {1, 1, types};
    wa_rt_func_t *again = wa_rt_host_func_new(&type, host_again, NULL);
    cr_assert_not_null(again);
    wa_rt_extern_t imp = {.kind = WA_RT_EXTERN_FUNC, .func = again};
    wa_rt_instance_t *inst = instantiate(m, &imp, 1);

    reentry_t r = {.m = m};
    run_reentry(&r, inst);

    /* And on a thread of the embedder's own, with a small stack. */
    struct {
        reentry_t r;
        wa_rt_instance_t *inst;
    } t = {.r = {.m = m}, .inst = inst};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 2u << 20);
    pthread_t thread;
    cr_assert_eq(pthread_create(&thread, &attr, reentry_thread, &t), 0);
    pthread_join(thread, NULL);
    cr_assert_gt(t.r.depth, 3);
    wa_rt_instance_free(inst);
    wa_rt_host_func_free(again);
}

/*
 * A module whose function $big has a frame of about `nlocals` * 16 bytes (v128
 * locals all live across its recursive call) and recurses without end.
 */
static char *big_frame_wat(int nlocals) {
    size_t cap = (size_t)nlocals * 160 + 1024, len = 0;
    char *w = malloc(cap);
    cr_assert_not_null(w);
    len += (size_t)snprintf(w + len, cap - len,
                            "(module (memory 1) (func $big (export \"big\") (param i32) (local");
    for (int i = 0; i < nlocals; i++)
        len += (size_t)snprintf(w + len, cap - len, " v128");
    len += (size_t)snprintf(w + len, cap - len, ")");
    for (int i = 1; i <= nlocals; i++)
        len += (size_t)snprintf(w + len, cap - len,
                                " (local.set %d (v128.load offset=%d (i32.const 0)))", i,
                                (i * 16) % 65000);
    len +=
        (size_t)snprintf(w + len, cap - len, " (call $big (i32.add (local.get 0) (i32.const 1)))");
    /* Volatile stores after the call keep every value live across it (a xor chain would not). */
    for (int i = 1; i <= nlocals; i++)
        len += (size_t)snprintf(w + len, cap - len,
                                " (v128.store offset=%d (i32.const 0) (local.get %d))",
                                (i * 16) % 65000, i);
    snprintf(w + len, cap - len, "))");
    return w;
}

static void *call_big(void *arg) {
    wa_rt_instance_t *inst = arg;
    inst->stack_limit = wa_rt_stack_limit();
    wa_rt_value_t v[1] = {{.i32 = 0}};
    return (void *)(uintptr_t)wa_rt_call(func(inst, "big"), v);
}

Test(embed, huge_frames_cannot_step_over_the_stack_guard) {
    /* 64 KiB frames: four times the guard, sixteen of LLVM's probe intervals. */
    char *wat = big_frame_wat(4096);
    const wa_rt_module_t *m = load_wat(wat);
    free(wat);
    wa_rt_instance_t *inst = instantiate(m, NULL, 0);
    cr_assert_eq((uintptr_t)call_big(inst), WA_RT_TRAP_STACK_EXHAUSTED);
    cr_assert_eq(wa_rt_module_func_at(m, wa_rt_last_trap()->pc), 0, "the fault is in $big");
    /* On a thread whose stack has other mappings close below it. */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1u << 20);
    pthread_t thread;
    void *kind;
    cr_assert_eq(pthread_create(&thread, &attr, call_big, inst), 0);
    pthread_join(thread, &kind);
    cr_assert_eq((uintptr_t)kind, WA_RT_TRAP_STACK_EXHAUSTED);
    wa_rt_instance_free(inst);
}

/* ---- Exceptions across host calls (exception handling) ---- */

static wa_rt_func_t *exn_inner; /* the export "inner", which throws */
static wa_rt_tag_t *exn_tag;    /* the export "e" */
static int exn_relayed;

/* Host function: calls wasm that throws, checks what came back, throws it on into its caller. */
static void host_relay(void *env, wa_rt_value_t *values) {
    (void)env;
    int32_t x = values[0].i32;
    cr_assert_eq(wa_rt_call(exn_inner, values), WA_RT_TRAP_EXCEPTION);
    wa_rt_exception_t *exn = wa_rt_last_trap()->exception;
    cr_assert_not_null(exn);
    cr_assert_eq(exn->tag, exn_tag, "the exception carries the exporter's tag object");
    cr_assert_eq(exn->nvalues, 1);
    cr_assert_eq(exn->values[0].i32, x + 1);
    exn_relayed++;
    wa_rt_throw(exn);
}

/* Host function: throws a new exception of tag "e" with payload 3x. */
static void host_raise(void *env, wa_rt_value_t *values) {
    (void)env;
    wa_rt_exception_t *exn = wa_rt_exception_new(exn_tag);
    exn->values[0].i32 = values[0].i32 * 3;
    wa_rt_throw(exn);
}

Test(embed, exceptions_cross_host_calls) {
    const wa_rt_module_t *m = load_wat_with(
        "(module (import \"host\" \"relay\" (func $relay (param i32) (result i32)))"
        " (import \"host\" \"raise\" (func $raise (param i32)))"
        " (tag $e (export \"e\") (param i32))"
        " (func (export \"inner\") (param i32) (result i32)"
        "  (throw $e (i32.add (local.get 0) (i32.const 1))))"
        /* wasm -> host -> wasm that throws; the host throws it on; caught here: 2 (x + 1) */
        " (func (export \"outer\") (param i32) (result i32)"
        "  (try (result i32) (do (call $relay (local.get 0)))"
        "   (catch $e (i32.mul (i32.const 2)))))"
        /* a host function throws a new exception, caught here: 3x */
        " (func (export \"outer_raise\") (param i32) (result i32)"
        "  (try (result i32) (do (call $raise (local.get 0)) (i32.const -1)) (catch $e)))"
        " (func (export \"uncaught\") (param i32) (call $raise (local.get 0))))",
        "--enable-exceptions");
    uint8_t relay_types[] = {WA_RT_I32, WA_RT_I32};
    wa_rt_functype_t relay_type = {1, 1, relay_types};
    wa_rt_functype_t raise_type = {1, 0, relay_types};
    wa_rt_func_t *relay = wa_rt_host_func_new(&relay_type, host_relay, NULL);
    wa_rt_func_t *raise = wa_rt_host_func_new(&raise_type, host_raise, NULL);
    wa_rt_extern_t imps[2] = {{.kind = WA_RT_EXTERN_FUNC, .func = relay},
                              {.kind = WA_RT_EXTERN_FUNC, .func = raise}};
    wa_rt_instance_t *inst = instantiate(m, imps, 2);
    wa_rt_extern_t tag;
    cr_assert(wa_rt_instance_export_any(inst, "e", 1, &tag));
    cr_assert_eq(tag.kind, WA_RT_EXTERN_TAG);
    exn_tag = tag.tag;
    cr_assert_eq(wa_rt_tag_type(exn_tag)->nparams, 1);
    exn_inner = func(inst, "inner");

    for (int32_t x = 0; x < 100; x++) {
        wa_rt_value_t v[1] = {{.i32 = x}};
        cr_assert_eq(wa_rt_call(func(inst, "outer"), v), WA_RT_TRAP_NONE);
        cr_assert_eq(v[0].i32, 2 * (x + 1));
        v[0].i32 = x;
        cr_assert_eq(wa_rt_call(func(inst, "outer_raise"), v), WA_RT_TRAP_NONE);
        cr_assert_eq(v[0].i32, 3 * x);
    }
    cr_assert_eq(exn_relayed, 100);

    /* Uncaught: the call ends with the exception, which the host then holds and drops. */
    wa_rt_value_t v[1] = {{.i32 = 5}};
    cr_assert_eq(wa_rt_call(func(inst, "uncaught"), v), WA_RT_TRAP_EXCEPTION);
    wa_rt_exception_t *exn = wa_rt_last_trap()->exception;
    cr_assert_eq(exn->tag, exn_tag);
    cr_assert_eq(exn->values[0].i32, 15);
    char line[256];
    wa_rt_trap_format(wa_rt_last_trap(), line, sizeof line);
    cr_assert(strncmp(line, "wasm trap: uncaught exception with tag \"e\"", 42) == 0, "%s", line);
    wa_rt_exception_release(exn);
    /* The instance works on after it. */
    v[0].i32 = 1;
    cr_assert_eq(wa_rt_call(func(inst, "outer_raise"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 3);

    /* A host tag, imported: what wasm throws with it carries the host's object. */
    const wa_rt_module_t *m2 = load_wat_with("(module (import \"host\" \"t\" (tag $t (param i32)))"
                                             " (func (export \"f\") (throw $t (i32.const 9))))",
                                             "--enable-exceptions");
    wa_rt_tag_t *host_tag = wa_rt_tag_new(&raise_type);
    cr_assert_not_null(host_tag);
    wa_rt_extern_t timp = {.kind = WA_RT_EXTERN_TAG, .tag = host_tag};
    wa_rt_instance_t *inst2 = instantiate(m2, &timp, 1);
    cr_assert_eq(wa_rt_call(func(inst2, "f"), v), WA_RT_TRAP_EXCEPTION);
    cr_assert_eq(wa_rt_last_trap()->exception->tag, host_tag);
    cr_assert_eq(wa_rt_last_trap()->exception->values[0].i32, 9);
    wa_rt_exception_release(wa_rt_last_trap()->exception);
    /* A tag of another type does not link. */
    wa_rt_tag_t *other = wa_rt_tag_new(&(wa_rt_functype_t){0, 0, NULL});
    wa_rt_extern_t bad = {.kind = WA_RT_EXTERN_TAG, .tag = other};
    wa_rt_error_t err;
    cr_assert_null(wa_rt_instantiate(m2, &bad, 1, NULL, &err));
    cr_assert(strncmp(err.message, "incompatible import type", 24) == 0, "%s", err.message);
    wa_rt_instance_free(inst2);
    wa_rt_tag_free(other);
    wa_rt_tag_free(host_tag);
    wa_rt_instance_free(inst);
    wa_rt_host_func_free(relay);
    wa_rt_host_func_free(raise);
}

/*
 * An exception unwinds through the frames of a module that does not use
 * exception handling: T throws, B (no tags, no try) calls T, A catches
 * what its call of B threw.
 */
Test(embed, exceptions_unwind_through_modules_without_exception_handling) {
    const wa_rt_module_t *t =
        load_wat_with("(module (tag $e (export \"e\") (param i32))"
                      " (func (export \"thrower\") (param i32) (throw $e (local.get 0))))",
                      "--enable-exceptions");
    const wa_rt_module_t *b = load_wat("(module (import \"t\" \"thrower\" (func $f (param i32)))"
                                       " (func (export \"mid\") (param i32) (call $f (local.get 0))"
                                       "  (call $f (local.get 0))))");
    const wa_rt_module_t *a =
        load_wat_with("(module (import \"t\" \"e\" (tag $e (param i32)))"
                      " (import \"b\" \"mid\" (func $mid (param i32)))"
                      " (func (export \"run\") (param i32) (result i32)"
                      "  (try (result i32) (do (call $mid (local.get 0)) (i32.const -1))"
                      "   (catch $e (i32.const 1) (i32.add)))))",
                      "--enable-exceptions");
    wa_rt_instance_t *ti = instantiate(t, NULL, 0);
    wa_rt_extern_t thrower, tag;
    cr_assert(wa_rt_instance_export_any(ti, "thrower", 7, &thrower));
    cr_assert(wa_rt_instance_export_any(ti, "e", 1, &tag));
    wa_rt_instance_t *bi = instantiate(b, &thrower, 1);
    wa_rt_extern_t mid;
    cr_assert(wa_rt_instance_export_any(bi, "mid", 3, &mid));
    wa_rt_extern_t imps[2] = {tag, mid};
    wa_rt_instance_t *ai = instantiate(a, imps, 2);
    wa_rt_value_t v[1] = {{.i32 = 41}};
    cr_assert_eq(wa_rt_call(func(ai, "run"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 42);
    wa_rt_instance_free(ai);
    wa_rt_instance_free(bi);
    wa_rt_instance_free(ti);
}

/* Misuse through the API returns an error, never a crash (wa_rt_embed.h). */
Test(embed, misuse_returns_errors) {
    const wa_rt_module_t *m =
        load_wat("(module (func (export \"add\") (param i32 i32) (result i32)"
                 "  (i32.add (local.get 0) (local.get 1)))"
                 " (memory (export \"mem\") 1) (table (export \"tab\") 1 funcref)"
                 " (global (export \"g\") i32 (i32.const 5)))");
    wa_rt_instance_t *inst = instantiate(m, NULL, 0);
    char why[256];

    /* A missing export: NULL, and calling NULL is misuse, not a segfault. */
    wa_rt_func_t *missing = wa_rt_instance_func(inst, "nope");
    cr_assert_null(missing);
    wa_rt_value_t v[2] = {{.i32 = 1}, {.i32 = 2}};
    cr_assert_eq(wa_rt_call(missing, v), WA_RT_TRAP_MISUSE);
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_MISUSE), "embedding API misuse");

    /* An export asked for with another type. */
    uint8_t right_types[] = {WA_RT_I32, WA_RT_I32, WA_RT_I32};
    uint8_t wrong_types[] = {WA_RT_I64, WA_RT_I64};
    wa_rt_functype_t right = {2, 1, right_types}, wrong = {1, 1, wrong_types};
    cr_assert_not_null(wa_rt_instance_func_typed(inst, "add", &right, why, sizeof why), "%s", why);
    cr_assert_null(wa_rt_instance_func_typed(inst, "add", &wrong, why, sizeof why));
    cr_assert_str_eq(why, "export \"add\" is a function [i32 i32] -> [i32], not [i64] -> [i64]");
    cr_assert_null(wa_rt_instance_func_typed(inst, "a\"d\nd", &right, why, sizeof why));
    cr_assert_str_eq(why, "no function export \"a\"d\\nd\"");
    cr_assert_null(wa_rt_instance_func_typed(inst, "mem", &right, why, sizeof why));
    cr_assert_str_eq(why, "no function export \"mem\"");
    cr_assert_null(wa_rt_instance_func_typed(NULL, "add", &right, why, sizeof why));
    cr_assert_null(wa_rt_instance_func_typed(inst, "add", NULL, why, sizeof why));

    /* Wrong value counts. */
    wa_rt_func_t *add = func(inst, "add");
    cr_assert_eq(wa_rt_call_checked(add, v, 1, 2), WA_RT_TRAP_MISUSE);
    cr_assert_eq(wa_rt_call_checked(add, v, 3, 3), WA_RT_TRAP_MISUSE);
    cr_assert_eq(wa_rt_call_checked(add, v, 2, 1), WA_RT_TRAP_MISUSE);
    cr_assert_eq(wa_rt_call_checked(NULL, v, 2, 2), WA_RT_TRAP_MISUSE);
    cr_assert_eq(wa_rt_call_checked(add, v, 2, 2), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 3);
    cr_assert_eq(wa_rt_call(add, NULL), WA_RT_TRAP_MISUSE);

    /* NULL arguments. */
    wa_rt_extern_t ext;
    cr_assert_null(wa_rt_instance_func(NULL, "add"));
    cr_assert_null(wa_rt_instance_func(inst, NULL));
    cr_assert(!wa_rt_instance_export_any(NULL, "add", 3, &ext));
    cr_assert(!wa_rt_instance_export_any(inst, "add", 3, NULL));
    cr_assert_null(wa_rt_func_type(NULL));
    cr_assert_null(wa_rt_loaded_module(NULL));
    cr_assert_null(wa_rt_load(NULL, why, sizeof why));
    cr_assert_null(wa_rt_host_func_new(NULL, host_answer, NULL));
    cr_assert_null(wa_rt_host_func_new(&right, NULL, NULL));
    cr_assert_null(wa_rt_tag_new(NULL));
    cr_assert_null(wa_rt_tag_type(NULL));
    wa_rt_error_t err;
    cr_assert_null(wa_rt_instantiate(NULL, NULL, 0, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_LINK);
    cr_assert_eq(wa_rt_global_get(NULL).i64, 0);
    cr_assert(!wa_rt_global_set(NULL, (wa_rt_value_t){.i32 = 1}));
    cr_assert_eq(wa_rt_memory_pages(NULL), 0);
    char byte;
    cr_assert(!wa_rt_memory_read(NULL, 0, &byte, 1));
    cr_assert(!wa_rt_memory_write(NULL, 0, &byte, 1));
    void *ref;
    cr_assert(!wa_rt_table_get(NULL, 0, &ref));
    cr_assert(!wa_rt_table_set(NULL, 0, NULL));

    /* A global asked for as a memory, and the other way round. */
    cr_assert(wa_rt_instance_export_any(inst, "g", 1, &ext));
    cr_assert_eq(wa_rt_global_get(&ext).i32, 5);
    cr_assert(!wa_rt_global_set(&ext, (wa_rt_value_t){.i32 = 1}), "immutable");
    cr_assert(wa_rt_instance_export_any(inst, "mem", 3, &ext));
    cr_assert_eq(wa_rt_global_get(&ext).i64, 0, "a memory is not a global");
    cr_assert(!wa_rt_memory_read(ext.memory, 65536, &byte, 1));
    cr_assert(!wa_rt_memory_read(ext.memory, 0, NULL, 1));
    cr_assert(wa_rt_instance_export_any(inst, "tab", 3, &ext));
    cr_assert(!wa_rt_table_get(ext.table, 0, NULL));
    wa_rt_instance_free(inst);
}

/* Imports by module and field name, from a list or a resolver. */
static bool resolve_answer(void *data, const wa_rt_module_t *m, const wa_rt_import_t *imp,
                           wa_rt_extern_t *out) {
    (void)m;
    if (imp->name_len != 6 || memcmp(imp->name, "answer", 6) != 0)
        return false;
    *out = (wa_rt_extern_t){.kind = WA_RT_EXTERN_FUNC, .func = data};
    return true;
}

Test(embed, imports_by_name) {
    const wa_rt_module_t *m =
        load_wat("(module (import \"host\" \"answer\" (func $a (result i32)))"
                 " (import \"host\" \"mem\" (memory 1))"
                 " (func (export \"twice\") (result i32) (i32.add (call $a) (call $a)))"
                 " (func (export \"peek\") (result i32) (i32.load (i32.const 0))))");
    int32_t answer = 21;
    wa_rt_func_t *f = new_answer_func(&answer);
    wa_rt_limits_t limits = {.min = 1};
    wa_rt_memory_t *mem = wa_rt_memory_new(&limits);
    cr_assert_not_null(mem);
    int32_t seven = 7;
    cr_assert(wa_rt_memory_write(mem, 0, &seven, 4));
    /* Order does not matter; entries no import names are ignored. */
    wa_rt_named_extern_t list[] = {
        {"host", "mem", {.kind = WA_RT_EXTERN_MEMORY, .memory = mem}},
        {"other", "answer", {.kind = WA_RT_EXTERN_MISSING}},
        {"host", "answer", {.kind = WA_RT_EXTERN_FUNC, .func = f}},
    };
    wa_rt_extern_t imports[2];
    char why[256];
    cr_assert(wa_rt_imports_by_name(m, list, 3, imports, why, sizeof why), "%s", why);
    wa_rt_instance_t *inst = instantiate(m, imports, 2);
    wa_rt_value_t v[1];
    cr_assert_eq(wa_rt_call(func(inst, "twice"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 42);
    cr_assert_eq(wa_rt_call(func(inst, "peek"), v), WA_RT_TRAP_NONE);
    cr_assert_eq(v[0].i32, 7);
    wa_rt_instance_free(inst);

    /* The first import missing is named, escaped. */
    cr_assert(!wa_rt_imports_by_name(m, list + 1, 2, imports, why, sizeof why));
    cr_assert_str_eq(why, "unknown import: import 1 \"host\".\"mem\" (memory)");
    cr_assert(!wa_rt_imports_by_name(m, NULL, 1, imports, why, sizeof why));
    cr_assert(!wa_rt_imports_by_name(NULL, list, 3, imports, why, sizeof why));

    const wa_rt_module_t *odd = load_wat("(module (import \"h\\0a\" \"x\\01\" (func)))");
    cr_assert(!wa_rt_imports_by_name(odd, list, 3, imports, why, sizeof why));
    cr_assert_str_eq(why, "unknown import: import 0 \"h\\n\".\"x\\x01\" (function)");

    /* A resolver callback. */
    cr_assert(!wa_rt_imports_resolve(m, resolve_answer, f, imports, why, sizeof why));
    cr_assert_str_eq(why, "unknown import: import 1 \"host\".\"mem\" (memory)");
    cr_assert(!wa_rt_imports_resolve(m, NULL, f, imports, why, sizeof why));
    const wa_rt_module_t *only_func =
        load_wat("(module (import \"x\" \"answer\" (func (result i32))))");
    cr_assert(wa_rt_imports_resolve(only_func, resolve_answer, f, imports, why, sizeof why));
    cr_assert_eq(imports[0].func, f);
    wa_rt_memory_free(mem);
    wa_rt_host_func_free(f);
}
