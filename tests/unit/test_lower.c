/*
 * test_lower.c: lowering of the non-numeric instruction classes, end to end:
 * each test is a small module whose `$test` function returns an i32 that the
 * program passes to proc_exit, so the exit status tells what the compiled
 * code computed. Traps are checked by exit status 134 and message.
 * (Numeric, compare and convert classes: test_lower_numeric.c.)
 */
#include "wat_run.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#define PRELUDE                                                                                    \
    "(module\n"                                                                                    \
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))\n"               \
    "  (memory (export \"memory\") 1 2)\n"                                                         \
    "  (func (export \"_start\") (call $exit (call $test)))\n"

/*
 * Runs PRELUDE + body + ")" compiled with `flags` and returns the exit status
 * (asserting it compiled). `check`: let wat2wasm validate the text.
 */
static int run_module(const char *body, const char *flags, bool check, WatRun *r) {
    static char wat[65536];
    snprintf(wat, sizeof wat, "%s%s\n)\n", PRELUDE, body);
    wat_run(wat, flags, check, r);
    cr_assert_eq(r->compile_status, 0, "compile failed: %s", r->compile_err);
    return r->exit_status;
}

static int run_test_module(const char *body, WatRun *r) {
    return run_module(body, "", true, r);
}

static WatRun run;

#define EXPECT_EXIT(body, status) cr_expect_eq(run_test_module(body, &run), (status), "%s", run.err)

#define EXPECT_TRAP(body, message)                                                                 \
    do {                                                                                           \
        cr_expect_eq(run_test_module(body, &run), 134);                                            \
        cr_expect(strstr(run.err, "wasm trap: " message) != NULL, "stderr: %s", run.err);          \
    } while (0)

Test(control, block_and_if_results) {
    EXPECT_EXIT("(func $test (result i32)"
                "  (block (result i32) (i32.const 7))"
                "  (if (result i32) (i32.const 0) (then (i32.const 100)) (else (i32.const 3)))"
                "  i32.add)",
                10);
}

Test(control, loop_counts_with_br_if) {
    EXPECT_EXIT("(func $test (result i32) (local $i i32)"
                "  (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))"
                "    (br_if $l (i32.lt_u (local.get $i) (i32.const 42))))"
                "  (local.get $i))",
                42);
}

Test(control, multi_value_blocks_and_loop_params) {
    /* Sum 10..1 with the accumulator and counter carried as loop parameters. */
    EXPECT_EXIT("(func $step (param i32 i32) (result i32 i32 i32)"
                "  (i32.add (local.get 0) (local.get 1))"
                "  (i32.sub (local.get 1) (i32.const 1))"
                "  (i32.ne (i32.sub (local.get 1) (i32.const 1)) (i32.const 0)))"
                "(func $test (result i32)"
                "  (i32.const 0) (i32.const 10)"
                "  (loop $l (param i32 i32) (result i32 i32)"
                "    (block (param i32 i32) (result i32 i32 i32) (call $step))"
                "    (br_if $l))"
                "  drop)",
                55);
}

Test(control, if_without_else_passes_params_through) {
    EXPECT_EXIT("(func $test (result i32)"
                "  (i32.const 5) (i32.const 0)"
                "  (if (param i32) (result i32) (then (i32.const 1) i32.add)))",
                5);
}

Test(control, br_table_selects_targets) {
    EXPECT_EXIT("(func $pick (param i32) (result i32)"
                "  (block $d (block $c (block $b (block $a"
                "    (br_table $a $b $c $d (local.get 0)))"
                "    (return (i32.const 10)))"
                "    (return (i32.const 20)))"
                "    (return (i32.const 30)))"
                "  (i32.const 40))"
                "(func $test (result i32)"
                "  (i32.add (call $pick (i32.const 0))"
                "    (i32.add (call $pick (i32.const 2)) (call $pick (i32.const 99)))))",
                80);
}

Test(control, br_table_with_values_and_duplicate_targets) {
    EXPECT_EXIT("(func $f (param i32) (result i32)"
                "  (block $x (result i32)"
                "    (i32.const 9) (br_table $x $x 0 (local.get 0))))"
                "(func $test (result i32)"
                "  (i32.add (call $f (i32.const 0)) (call $f (i32.const 7))))",
                18);
}

Test(control, dead_code_after_branches_is_skipped) {
    /* Dead code is typed against a polymorphic stack: valid wasm, which wat2wasm's check rejects.
     */
    cr_expect_eq(
        run_module("(func $test (result i32)"
                   "  (block $b (result i32) (br $b (i32.const 11)) (i64.const 1) (unreachable)"
                   "    (drop (f32.add)) (block (loop (br 1))) (i32.const 0))"
                   "  (return) (i32.const 99))",
                   "", false, &run),
        11, "%s", run.err);
}

Test(control, multi_value_function_results) {
    EXPECT_EXIT("(func $three (result i32 i64 i32) (i32.const 1) (i64.const 20) (i32.const 300))"
                "(func $test (result i32) (local $c i32)"
                "  (call $three) (local.set $c) (i32.wrap_i64) i32.add"
                "  (i32.sub (local.get $c) (i32.const 250)) i32.add)",
                71);
}

Test(control, unreachable_traps) {
    EXPECT_TRAP("(func $test (result i32) (unreachable))", "unreachable");
}

Test(call, recursion) {
    EXPECT_EXIT("(func $fib (param i32) (result i32)"
                "  (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))"
                "    (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))"
                "                   (call $fib (i32.sub (local.get 0) (i32.const 2)))))))"
                "(func $test (result i32) (call $fib (i32.const 12)))",
                144);
}

#define TABLE_FUNCS                                                                                \
    "(type $ii (func (param i32) (result i32)))"                                                   \
    "(func $double (param i32) (result i32) (i32.add (local.get 0) (local.get 0)))"                \
    "(func $none)"                                                                                 \
    "(table 4 funcref) (elem (i32.const 0) $double $none)"

Test(call, call_indirect_calls_through_the_table) {
    EXPECT_EXIT(TABLE_FUNCS "(func $test (result i32)"
                            "  (call_indirect (type $ii) (i32.const 21) (i32.const 0)))",
                42);
}

Test(call, call_indirect_signature_mismatch_traps) {
    EXPECT_TRAP(TABLE_FUNCS "(func $test (result i32)"
                            "  (call_indirect (type $ii) (i32.const 1) (i32.const 1)))",
                "indirect call type mismatch");
}

Test(call, call_indirect_null_entry_traps) {
    EXPECT_TRAP(TABLE_FUNCS "(func $test (result i32)"
                            "  (call_indirect (type $ii) (i32.const 1) (i32.const 3)))",
                "uninitialized element");
}

Test(call, call_indirect_out_of_range_traps) {
    EXPECT_TRAP(TABLE_FUNCS "(func $test (result i32)"
                            "  (call_indirect (type $ii) (i32.const 1) (i32.const 4)))",
                "undefined element");
}

Test(call, deep_recursion_is_stack_exhaustion) {
    EXPECT_TRAP("(func $r (param i32) (result i32) (i32.add (call $r (local.get 0)) (i32.const 1)))"
                "(func $test (result i32) (call $r (i32.const 0)))",
                "call stack exhausted");
}

Test(variable, locals_start_at_zero_and_tee_keeps_value) {
    EXPECT_EXIT("(func $test (result i32) (local i32 i64 f64)"
                "  (i32.add (local.tee 0 (i32.add (local.get 0) (i32.const 4)))"
                "    (i32.add (i32.wrap_i64 (local.get 1)) (i32.trunc_f64_s (local.get 2)))))",
                4);
}

Test(variable, globals_and_select) {
    EXPECT_EXIT("(global $g (mut i32) (i32.const 5))"
                "(global $k i64 (i64.const 7))"
                "(func $test (result i32)"
                "  (global.set $g (i32.mul (global.get $g) (i32.wrap_i64 (global.get $k))))"
                "  (select (global.get $g) (i32.const 0) (i32.const 1))"
                "  (select (result i32) (i32.const 100) (i32.const 1) (i32.const 0))"
                "  i32.add)",
                36);
}

Test(memory, loads_extend_and_stores_truncate) {
    EXPECT_EXIT("(func $test (result i32)"
                "  (i64.store (i32.const 8) (i64.const -2))"               /* fe ff ff ff ... */
                "  (i32.store8 (i32.const 100) (i32.const 0x1ff))"         /* 0xff */
                "  (i32.add (i32.load8_s (i32.const 100))"                 /* -1 */
                "    (i32.add (i32.load8_u (i32.const 100))"               /* 255 */
                "      (i32.add (i32.load16_s offset=8 (i32.const 0))"     /* -2 */
                "        (i32.wrap_i64 (i64.load32_u (i32.const 8)))))))", /* 0xfffffffe */
                (-1 + 255 - 2 - 2) & 0xff);
}

Test(memory, data_segments_are_initialised) {
    EXPECT_EXIT("(data (i32.const 3) \"\\2a\\01\")"
                "(func $test (result i32) (i32.load16_u (i32.const 3)))",
                0x2a);
}

Test(memory, size_and_grow_honour_the_maximum) {
    EXPECT_EXIT("(func $test (result i32)"
                "  (i32.add (i32.mul (memory.grow (i32.const 1)) (i32.const 10))" /* 1 -> 10 */
                "    (i32.add (memory.size)"                                      /* 2 */
                "      (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))))",   /* 1 */
                13);
}

Test(memory, access_past_the_end_traps) {
    EXPECT_TRAP("(func $test (result i32) (i32.load (i32.const 65533)))",
                "out of bounds memory access");
}

Test(memory, huge_offset_traps) {
    EXPECT_TRAP("(func $test (result i32) (i32.load offset=0xffffffff (i32.const 0xffffffff)))",
                "out of bounds memory access");
}

/*
 * A load or store whose value or bytes are dead still accesses memory
 * (memory.c, wa_fg_load_memory): at the last in-bounds address it returns
 * normally, one byte further it traps, at every optimisation level.
 */
Test(memory, dead_accesses_trap_exactly_past_the_end) {
    static const char *const flags[] = {"-O0", "-O1", "-O2", "-O3"};
    /* %u is the address: 65532 is the last i32 (and v128.load32_*) in one page. */
    static const char *const bodies[] = {
        "(func $test (result i32) (local i32)"
        "  (local.set 0 (i32.load (i32.const %u))) (i32.const 0))",
        "(func $test (result i32) (i32.and (i32.load (i32.const %u)) (i32.const 0)))",
        "(func $test (result i32) (i32.store (i32.const %u) (i32.const 1))"
        "  (i32.store (i32.const %u) (i32.const 2)) (i32.const 0))",
        "(func $test (result i32)"
        "  (i32x4.extract_lane 0 (i32x4.replace_lane 0 (v128.load32_splat (i32.const %u))"
        "  (i32.const 0))))",
    };
    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
        for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
            for (unsigned addr = 65532; addr <= 65533; addr++) {
                char body[512];
                snprintf(body, sizeof body, bodies[i], addr, addr);
                int status = run_module(body, flags[f], true, &run);
                cr_expect_eq(status, addr == 65532 ? 0 : 134, "%s at %s: status %d, %s", body,
                             flags[f], status, run.err);
            }
        }
    }
}

Test(memory, grown_memory_is_accessible) {
    EXPECT_EXIT("(func $test (result i32)"
                "  (drop (memory.grow (i32.const 1)))"
                "  (i32.store (i32.const 100000) (i32.const 77))"
                "  (i32.load (i32.const 100000)))",
                77);
}

Test(bulk, copy_fill_init_drop) {
    EXPECT_EXIT("(data $d \"\\05\\06\\07\")"
                "(func $test (result i32)"
                "  (memory.fill (i32.const 0) (i32.const 1) (i32.const 8))"
                "  (memory.copy (i32.const 2) (i32.const 0) (i32.const 4))"
                "  (memory.init $d (i32.const 10) (i32.const 1) (i32.const 2))"
                "  (data.drop $d)"
                "  (i32.add (i32.load8_u (i32.const 5)) (i32.load8_u (i32.const 11))))",
                1 + 7);
}

Test(bulk, copy_out_of_bounds_traps) {
    EXPECT_TRAP("(func $test (result i32)"
                "  (memory.copy (i32.const 65535) (i32.const 0) (i32.const 2)) (i32.const 0))",
                "out of bounds memory access");
}

Test(bulk, init_after_drop_traps) {
    EXPECT_TRAP("(data $d \"abc\")"
                "(func $test (result i32) (data.drop $d)"
                "  (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (i32.const 0))",
                "out of bounds memory access");
}

Test(table, get_set_size_grow_fill_and_refs) {
    EXPECT_EXIT("(table $t 2 10 funcref)"
                "(func $f) (elem declare func $f)"
                "(func $test (result i32)"
                "  (table.set $t (i32.const 1) (ref.func $f))"
                "  (i32.add (ref.is_null (table.get $t (i32.const 0)))" /* 1 */
                "    (i32.add (i32.mul (ref.is_null (table.get $t (i32.const 1))) (i32.const 100))"
                "      (i32.add (i32.mul (table.grow $t (ref.null func) (i32.const 3))" /* 2 */
                "                        (i32.const 10))"
                "        (table.size $t)))))", /* 5 */
                1 + 0 + 20 + 5);
}

Test(table, get_out_of_bounds_traps) {
    EXPECT_TRAP("(table 1 funcref)"
                "(func $test (result i32) (drop (table.get 0 (i32.const 1))) (i32.const 0))",
                "out of bounds table access");
}

Test(trap, message_names_the_function) {
    /* At -O0 nothing is inlined, so the trap happens in $boom itself. */
    cr_expect_eq(run_module("(func $boom (result i32) (unreachable))"
                            "(func $test (result i32) (call $boom))",
                            "-O0", true, &run),
                 134);
    cr_expect(strstr(run.err, "wasm trap: unreachable in function 2 (boom)") != NULL, "stderr: %s",
              run.err);
}
