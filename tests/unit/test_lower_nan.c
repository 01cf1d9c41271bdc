/*
 * test_lower_nan.c: --canonical-nans (compiler/lower/nan.c), end to end.
 * Each module's $test checks, in order, the bits that float operations on
 * NaNs with payloads (loaded from memory, so LLVM cannot fold them) produce,
 * and returns 0, or the number of the first wrong check as the exit status.
 * With the option, every operation the spec lets pick any NaN picks the
 * canonical positive one; bit-exact operations keep their NaN's bits; other
 * results are unchanged. Without it, x86-64 keeps the input's payload, which
 * the last test shows (so the option is what changes the bits).
 */
#include "wat_run.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

/*
 * Memory: 0: f32 -nan:0x7fffe1, 4: f32 sNaN 0x7fa00001, 8: f32 1.5, 12: f32 sNaN,
 * 16: f64 sNaN 0xfff0000000001234, 24: f64 0.0, 32: f64 4.0.
 */
#define PRELUDE                                                                                    \
    "(module\n"                                                                                    \
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))\n"               \
    "  (memory 1)\n"                                                                               \
    "  (data (i32.const 0) \"\\e1\\ff\\ff\\ff\\01\\00\\a0\\7f\\00\\00\\c0\\3f\\01\\00\\a0\\7f\"\n" \
    "    \"\\34\\12\\00\\00\\00\\00\\f0\\ff\\00\\00\\00\\00\\00\\00\\00\\00\"\n"                   \
    "    \"\\00\\00\\00\\00\\00\\00\\10\\40\")\n"                                                  \
    "  (func (export \"_start\") (call $exit (call $test)))\n"                                     \
    "  (func $f32 (param $at i32) (result f32) (f32.load (local.get $at)))\n"                      \
    "  (func $f64 (param $at i32) (result f64) (f64.load (local.get $at)))\n"

#define CANON32 "(i32.const 0x7fc00000)"
#define CANON64 "(i64.const 0x7ff8000000000000)"

/* Checks: (if (i32/i64.ne ACTUAL EXPECTED) (then (return (i32.const N)))) */
static const char canonical_checks[] =
    "  (func $test (result i32)\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.mul (call $f32 (i32.const 0)) (f32.const 2)))\n"
    "      " CANON32 ") (then (return (i32.const 1))))\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.add (f32.const 1) (call $f32 (i32.const 0))))\n"
    "      " CANON32 ") (then (return (i32.const 2))))\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.sqrt (call $f32 (i32.const 4)))) " CANON32 ")\n"
    "      (then (return (i32.const 3))))\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.min (f32.const 1) (call $f32 (i32.const 0))))\n"
    "      " CANON32 ") (then (return (i32.const 4))))\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.ceil (call $f32 (i32.const 0)))) " CANON32 ")\n"
    "      (then (return (i32.const 5))))\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.demote_f64 (call $f64 (i32.const 16))))\n"
    "      " CANON32 ") (then (return (i32.const 6))))\n"
    "    (if (i64.ne (i64.reinterpret_f64 (f64.promote_f32 (call $f32 (i32.const 0))))\n"
    "      " CANON64 ") (then (return (i32.const 7))))\n"
    /* 0/0: x86's default NaN is negative (0xfff8...); the canonical one is positive. */
    "    (if (i64.ne (i64.reinterpret_f64 (f64.div (call $f64 (i32.const 24))\n"
    "      (call $f64 (i32.const 24)))) " CANON64 ") (then (return (i32.const 8))))\n"
    "    (if (i32.ne (i32x4.extract_lane 0 (f32x4.mul (v128.load (i32.const 0))\n"
    "      (v128.const f32x4 2 2 2 2))) " CANON32 ") (then (return (i32.const 9))))\n"
    "    (if (i32.ne (i32x4.extract_lane 2 (f32x4.mul (v128.load (i32.const 0))\n"
    "      (v128.const f32x4 2 2 2 2))) (i32.const 0x40400000)) (then (return (i32.const 10))))\n"
    "    (if (i64.ne (i64x2.extract_lane 0 (f64x2.sqrt (v128.load (i32.const 16)))) " CANON64 ")\n"
    "      (then (return (i32.const 11))))\n"
    "    (if (i64.ne (i64x2.extract_lane 1 (f64x2.sqrt (v128.load (i32.const 24))))\n"
    "      (i64.const 0x4000000000000000)) (then (return (i32.const 12))))\n"
    /* Bit-exact operations keep the NaN's bits. */
    "    (if (i32.ne (i32.reinterpret_f32 (f32.neg (call $f32 (i32.const 0))))\n"
    "      (i32.const 0x7fffffe1)) (then (return (i32.const 13))))\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.abs (call $f32 (i32.const 4))))\n"
    "      (i32.const 0x7fa00001)) (then (return (i32.const 14))))\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.copysign (call $f32 (i32.const 4))\n"
    "      (f32.const -1))) (i32.const 0xffa00001)) (then (return (i32.const 15))))\n"
    "    (if (i32.ne (i32x4.extract_lane 0 (f32x4.pmin (v128.load (i32.const 0))\n"
    "      (v128.const f32x4 1 1 1 1))) (i32.const 0xffffffe1)) (then (return (i32.const 16))))\n"
    "    (if (i32.ne (i32.reinterpret_f32 (f32.mul (call $f32 (i32.const 8)) (f32.const 2)))\n"
    "      (i32.const 0x40400000)) (then (return (i32.const 17))))\n"
    "    (i32.const 0))\n"
    ")\n";

static WatRun run;

static void expect_all_checks_pass(const char *flags) {
    static char wat[16384];
    snprintf(wat, sizeof wat, "%s%s", PRELUDE, canonical_checks);
    wat_run(wat, flags, true, &run);
    cr_assert_eq(run.compile_status, 0, "compile failed: %s", run.compile_err);
    cr_expect_eq(run.exit_status, 0, "%s: check %d failed; stderr: %s", flags, run.exit_status,
                 run.err);
}

Test(canonical_nans, every_nan_result_is_canonical_at_O0) {
    expect_all_checks_pass("--canonical-nans -O0");
}

Test(canonical_nans, every_nan_result_is_canonical_at_O2) {
    expect_all_checks_pass("--canonical-nans -O2");
}

Test(canonical_nans, every_nan_result_is_canonical_on_the_baseline_cpu) {
    expect_all_checks_pass("--canonical-nans -O2 --cpu=x86-64");
}

#if defined(__x86_64__)
Test(canonical_nans, without_it_x86_keeps_the_payload) {
    static char wat[4096];
    snprintf(wat, sizeof wat,
             "%s  (func $test (result i32)\n"
             "    (i32.ne (i32.reinterpret_f32 (f32.mul (call $f32 (i32.const 0)) (f32.const 2)))\n"
             "      (i32.const 0xffffffe1)))\n)\n",
             PRELUDE);
    wat_run(wat, "-O2", true, &run);
    cr_assert_eq(run.compile_status, 0, "compile failed: %s", run.compile_err);
    cr_expect_eq(run.exit_status, 0, "the machine's NaN was not the input's: %s", run.err);
}
#endif
