/*
 * Unit tests for the SIMD lowering (compiler/lower/simd.c), run end to end:
 * each table of cases becomes one wasm program that computes every case and
 * compares the result with the expected v128, compiled by the real wasmaot
 * and run, at -O2, -O0, and for the baseline (SSE2) and x86-64-v3 (AVX2)
 * CPUs, whose instruction selection differs the most.
 *
 * Every case is computed in each variant of its operands being constants
 * (v128.const) or loads from a data segment (opaque to the compiler),
 * because LLVM folds constants and identities (x * 1.0 -> x) that must not
 * change a result. A scalar result is splatted to a v128 so that every check
 * is one masked v128 comparison: NaN lanes are checked as the spec tests do,
 * "canonical" (quiet bit only, any sign) or "arithmetic" (quiet bit set).
 * A failing case prints `FAIL <id> <result, 32 hex digits>`, id =
 * case * 8 + variant (bit i of the variant: operand i is a constant).
 *
 * Expected values follow the spec (4.3.6 vector numerics); most edge cases
 * come from the spec suite's simd_*.wast. The memory instructions and their
 * traps have hand-written programs; a last test checks that the x86 backend
 * picks the single SSE/AVX instruction for the patterns the lowering relies on.
 */
#include "wasm/instr.h"

#include "float_bits.h"
#include "wat_run.h"

#include <criterion/criterion.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A v128 (or a scalar, in lanes[0]) as lanes of `bytes` bytes each, given by their bits. */
typedef struct Vec {
    int bytes;
    uint64_t lanes[16];
} Vec;

#define I8(...)                                                                                    \
    {                                                                                              \
        1, {                                                                                       \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }
#define I16(...)                                                                                   \
    {                                                                                              \
        2, {                                                                                       \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }
#define I32(...)                                                                                   \
    {                                                                                              \
        4, {                                                                                       \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }
#define I64(...)                                                                                   \
    {                                                                                              \
        8, {                                                                                       \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }

/*
 * One case: `ops` is an instruction with its immediates ("i8x16.shuffle 0 1
 * ..."), or several separated by '|' applied in turn to the result of the
 * first. `nan`: NULL, or one character per lane of the result: '.' exact,
 * 'C' canonical NaN, 'A' arithmetic NaN.
 */
typedef struct Case {
    const char *ops;
    Vec args[3];
    Vec want;
    const char *nan;
} Case;

/* Float bit patterns. */

/* ---- Generating the wasm text ---- */

static WaOpcode opcode_named(const char *name, size_t len) {
    for (int op = 0; op < WA_OP_COUNT; op++)
        if (strlen(wa_op_name[op]) == len && memcmp(wa_op_name[op], name, len) == 0)
            return (WaOpcode)op;
    cr_assert_fail("unknown opcode %.*s", (int)len, name);
    return WA_OP_COUNT;
}

/* The opcode of the first and of the last instruction of a case. */
static WaOpcode first_op(const Case *c) {
    return opcode_named(c->ops, strcspn(c->ops, " |"));
}

static WaOpcode last_op(const Case *c) {
    const char *p = strrchr(c->ops, '|');
    p = p == NULL ? c->ops : p + 1;
    return opcode_named(p, strcspn(p, " |"));
}

static int operand_count(WaOpcode op) {
    int n = 0;
    while (n < 3 && wa_op_sig[op][n] != WA_VT_X)
        n++;
    return n;
}

/* The 16 little-endian bytes of v (a scalar fills its first bytes). */
static void vec_bytes(const Vec *v, uint8_t out[16]) {
    memset(out, 0, 16);
    if (v->bytes == 0) /* an operand the case does not have */
        return;
    for (int i = 0; i < 16 / v->bytes; i++)
        for (int k = 0; k < v->bytes; k++)
            out[i * v->bytes + k] = (uint8_t)(v->lanes[i] >> (8 * k));
}

static void put_v128_const(WatBuf *b, const uint8_t bytes[16]) {
    wat_buf_printf(b, "(v128.const i8x16");
    for (int k = 0; k < 16; k++)
        wat_buf_printf(b, " 0x%02x", bytes[k]);
    wat_buf_printf(b, ")");
}

static const char *scalar_name(WaValType t) {
    switch (t) {
    case WA_VT_I32:
        return "i32";
    case WA_VT_I64:
        return "i64";
    case WA_VT_F32:
        return "f32";
    case WA_VT_F64:
        return "f64";
    default:
        return "v128";
    }
}

/* Operand i of a case, of type t: a constant or a load from its data slot. */
static void put_operand(WatBuf *b, WaValType t, const Vec *v, bool constant, size_t slot) {
    if (!constant) {
        wat_buf_printf(b, "(%s.load offset=%zu (i32.const 0))", scalar_name(t), slot);
        return;
    }
    if (t == WA_VT_V128) {
        uint8_t bytes[16];
        vec_bytes(v, bytes);
        put_v128_const(b, bytes);
    } else if (t == WA_VT_I32 || t == WA_VT_F32) {
        /* From the bits, so NaN payloads survive: reinterpret an integer. */
        wat_buf_printf(b,
                       t == WA_VT_I32 ? "(i32.const 0x%" PRIx32 ")"
                                      : "(f32.reinterpret_i32 (i32.const 0x%" PRIx32 "))",
                       (uint32_t)v->lanes[0]);
    } else {
        wat_buf_printf(b,
                       t == WA_VT_I64 ? "(i64.const 0x%" PRIx64 ")"
                                      : "(f64.reinterpret_i64 (i64.const 0x%" PRIx64 "))",
                       v->lanes[0]);
    }
}

/* The data segment starts here (48 bytes per case); below it is room for reporting. */
#define DATA_BASE 1024

/* The case's expression as a v128 (scalar results splatted). */
static void put_expr(WatBuf *b, const Case *c, size_t index, unsigned variant) {
    WaOpcode first = first_op(c), last = last_op(c);
    WaValType rt = (WaValType)wa_op_sig[last][3];
    if (rt != WA_VT_V128)
        wat_buf_printf(b, "(%s%s.splat ", scalar_name(rt),
                       rt == WA_VT_I32   ? "x4"
                       : rt == WA_VT_I64 ? "x2"
                       : rt == WA_VT_F32 ? "x4"
                                         : "x2");
    /* "a|b|c" -> (c (b (a args))) */
    int nops = 1;
    for (const char *p = c->ops; *p; p++)
        nops += *p == '|';
    for (int i = nops - 1; i >= 0; i--) {
        const char *p = c->ops;
        for (int k = 0; k < i; k++)
            p = strchr(p, '|') + 1;
        wat_buf_printf(b, "(%.*s ", (int)strcspn(p, "|"), p);
    }
    for (int i = 0; i < operand_count(first); i++) {
        put_operand(b, (WaValType)wa_op_sig[first][i], &c->args[i], variant & (1u << i),
                    DATA_BASE + index * 48 + (size_t)i * 16);
        wat_buf_printf(b, " ");
    }
    for (int i = 0; i < nops; i++)
        wat_buf_printf(b, ")");
    if (rt != WA_VT_V128)
        wat_buf_printf(b, ")");
}

/* Expected bytes and the mask of the bits that must match (NaN lanes: see the file comment). */
static void want_and_mask(const Case *c, uint8_t want[16], uint8_t mask[16]) {
    Vec w = c->want;
    WaValType rt = (WaValType)wa_op_sig[last_op(c)][3];
    int nlanes = 16 / w.bytes;
    if (rt != WA_VT_V128) /* splatted scalar */
        for (int i = 1; i < nlanes; i++)
            w.lanes[i] = w.lanes[0];
    Vec m = {w.bytes, {0}};
    for (int i = 0; i < nlanes; i++) {
        char kind = c->nan == NULL ? '.' : c->nan[rt == WA_VT_V128 ? i : 0];
        bool f32 = w.bytes == 4;
        uint64_t quiet = f32 ? 0x7fc00000u : 0x7ff8000000000000ull;
        uint64_t all = f32 ? 0xffffffffu : ~0ull;
        if (kind == 'C') {
            w.lanes[i] = quiet;
            m.lanes[i] = all >> 1; /* any sign */
        } else if (kind == 'A') {
            w.lanes[i] = quiet;
            m.lanes[i] = quiet;
        } else {
            m.lanes[i] = w.bytes == 8 ? ~0ull : (1ull << (8 * w.bytes)) - 1;
        }
    }
    vec_bytes(&w, want);
    vec_bytes(&m, mask);
    for (int k = 0; k < 16; k++)
        want[k] &= mask[k];
}

/*
 * Module head: WASI imports, memory with every case's operands, and
 * $check, which prints "FAIL <id, 8 hex> <got, 32 hex>\n" on a mismatch.
 */
static void put_head(WatBuf *b, const Case *cases, size_t n) {
    wat_buf_printf(b, "(module\n%s", wat_check_prelude);
    wat_buf_printf(
        b, "  (memory (export \"memory\") 2)\n"
           "  (global $failed (mut i32) (i32.const 0))\n"
           "  (func $check (param $id i32) (param $got v128) (param $want v128) (param $mask "
           "v128)\n"
           "    (if (i8x16.all_true (i8x16.eq (v128.and (local.get $got) (local.get $mask))\n"
           "                                  (local.get $want)))\n"
           "      (then (return)))\n"
           "    (i32.store (i32.const 16) (i32.const 0x4c494146))\n" /* "FAIL" */
           "    (i32.store8 (i32.const 20) (i32.const 32))\n"
           "    (call $hex (i32.const 21) (i64.extend_i32_u (local.get $id)) (i32.const 8))\n"
           "    (i32.store8 (i32.const 29) (i32.const 32))\n"
           "    (call $hex (i32.const 30) (i64x2.extract_lane 1 (local.get $got)) (i32.const 16))\n"
           "    (call $hex (i32.const 46) (i64x2.extract_lane 0 (local.get $got)) (i32.const 16))\n"
           "    (i32.store8 (i32.const 62) (i32.const 10))\n"
           "    (i32.store (i32.const 0) (i32.const 16))\n"
           "    (i32.store (i32.const 4) (i32.const 47))\n"
           "    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))\n"
           "    (global.set $failed (i32.const 1)))\n");
    wat_buf_printf(b, "  (data (i32.const %d) \"", DATA_BASE);
    for (size_t i = 0; i < n; i++)
        for (int a = 0; a < 3; a++) {
            uint8_t bytes[16];
            vec_bytes(&cases[i].args[a], bytes);
            for (int k = 0; k < 16; k++)
                wat_buf_printf(b, "\\%02x", bytes[k]);
        }
    wat_buf_printf(b, "\")\n");
}

static void put_check(WatBuf *b, const Case *c, size_t index, unsigned variant) {
    uint8_t want[16], mask[16];
    want_and_mask(c, want, mask);
    wat_buf_printf(b, "    (call $check (i32.const %u) ", (unsigned)index * 8 + variant);
    put_expr(b, c, index, variant);
    wat_buf_printf(b, " ");
    put_v128_const(b, want);
    wat_buf_printf(b, " ");
    put_v128_const(b, mask);
    wat_buf_printf(b, ")\n");
}

static const char *const value_flags[] = {"-O2", "-O0", "-O2 --cpu=x86-64", "-O3 --cpu=x86-64-v3"};

/* Runs every case of the table in every operand variant, one program per flag set. */
static void check_values(const Case *cases, size_t n) {
    WatBuf b = {0};
    put_head(&b, cases, n);
    wat_buf_printf(&b, "  (func (export \"_start\")\n");
    for (size_t i = 0; i < n; i++)
        for (unsigned v = 0; v < 1u << operand_count(first_op(&cases[i])); v++)
            put_check(&b, &cases[i], i, v);
    wat_buf_printf(&b, "    (if (global.get $failed) (then (call $proc_exit (i32.const 1))))))\n");

    for (size_t f = 0; f < sizeof value_flags / sizeof value_flags[0]; f++) {
        WatRun *r = malloc(sizeof *r);
        wat_run(b.p, value_flags[f], true, r);
        cr_assert_eq(r->compile_status, 0, "[%s] compile failed: %s", value_flags[f],
                     r->compile_err);
        for (const char *line = r->out; (line = strstr(line, "FAIL ")) != NULL; line++) {
            unsigned id;
            char got[40];
            if (sscanf(line, "FAIL %x %32s", &id, got) != 2)
                continue;
            cr_log_error("[%s] case %u (%s), const mask %u: got 0x%s", value_flags[f], id / 8,
                         cases[id / 8].ops, id % 8, got);
        }
        cr_expect_eq(r->exit_status, 0, "[%s] exit %d, stdout:\n%s\nstderr:\n%s", value_flags[f],
                     r->exit_status, r->out, r->err);
        free(r);
    }
    free(b.p);
}

#define CHECK_TABLE(t) check_values(t, sizeof t / sizeof t[0])

/* ---- Lanes: shuffle, swizzle, splat, extract, replace ---- */

static const Case lanes[] = {
    {"i8x16.shuffle 0 31 1 30 2 29 3 28 4 27 5 26 6 25 7 24",
     {I8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
      I8(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31)},
     I8(0, 31, 1, 30, 2, 29, 3, 28, 4, 27, 5, 26, 6, 25, 7, 24),
     NULL},
    /* Indices >= 16 (including 0x80, whose top bit pshufb alone would also zero) give 0. */
    {"i8x16.swizzle",
     {I8(0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae,
         0xaf),
      I8(15, 16, 0, 17, 31, 32, 0x70, 0x7f, 0x80, 0x8f, 0xff, 1, 14, 0x10, 0x20, 2)},
     I8(0xaf, 0, 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0xa1, 0xae, 0, 0, 0xa2),
     NULL},
    {"i8x16.splat",
     {I32(0x1ff)},
     I8(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff),
     NULL},
    {"i16x8.splat",
     {I32(0x18000)},
     I16(0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000),
     NULL},
    {"f32x4.splat", {I32(F32_SNAN)}, I32(F32_SNAN, F32_SNAN, F32_SNAN, F32_SNAN), NULL},
    {"f64x2.splat", {I64(F64_SNAN)}, I64(F64_SNAN, F64_SNAN), NULL},
    {"i8x16.extract_lane_s 15",
     {I8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80)},
     I32(0xffffff80),
     NULL},
    {"i8x16.extract_lane_u 15",
     {I8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80)},
     I32(0x80),
     NULL},
    {"i16x8.extract_lane_s 7", {I16(0, 0, 0, 0, 0, 0, 0, 0x8000)}, I32(0xffff8000), NULL},
    {"i16x8.extract_lane_u 7", {I16(0, 0, 0, 0, 0, 0, 0, 0x8000)}, I32(0x8000), NULL},
    {"i64x2.extract_lane 1", {I64(1, 0x8000000000000001)}, I64(0x8000000000000001), NULL},
    {"f32x4.extract_lane 2", {I32(0, 0, F32_NSNAN, 0)}, I32(F32_NSNAN), NULL},
    {"i8x16.replace_lane 3", {I8(0), I32(0x1ab)}, I8(0, 0, 0, 0xab), NULL},
    {"i16x8.replace_lane 7",
     {I16(1, 2, 3, 4, 5, 6, 7, 8), I32(0xfffff)},
     I16(1, 2, 3, 4, 5, 6, 7, 0xffff),
     NULL},
    {"f64x2.replace_lane 1", {I64(1, 2), I64(F64_SNAN)}, I64(1, F64_SNAN), NULL},
};

Test(lower_simd, lanes, .timeout = 240) {
    CHECK_TABLE(lanes);
}

/* ---- Integer arithmetic (simd_i*_arith*.wast, *_sat_arith, q15mulr, dot, ext*) ---- */

static const Case int_arith[] = {
    {"i8x16.add_sat_s", {I8(0x7f, 0x80, 1), I8(1, 0xff, 1)}, I8(0x7f, 0x80, 2), NULL},
    {"i8x16.add_sat_u", {I8(0xff, 0x80, 1), I8(1, 0x80, 1)}, I8(0xff, 0xff, 2), NULL},
    {"i16x8.sub_sat_s", {I16(0x8000, 0x7fff), I16(1, 0xffff)}, I16(0x8000, 0x7fff), NULL},
    {"i16x8.sub_sat_u", {I16(0, 5), I16(1, 3)}, I16(0, 2), NULL},
    {"i8x16.avgr_u", {I8(0xff, 0, 1, 254), I8(0xff, 1, 2, 255)}, I8(0xff, 1, 2, 255), NULL},
    {"i16x8.avgr_u", {I16(0xffff, 0, 3), I16(0xffff, 1, 4)}, I16(0xffff, 1, 4), NULL},
    {"i8x16.popcnt", {I8(0xff, 0, 0x80, 0x55, 0x0f)}, I8(8, 0, 1, 4, 4), NULL},
    /* abs of INT_MIN is INT_MIN (the spec's iabs wraps) */
    {"i8x16.abs", {I8(0x80, 0xff, 0x7f, 0)}, I8(0x80, 1, 0x7f, 0), NULL},
    {"i16x8.abs", {I16(0x8000, 0xffff)}, I16(0x8000, 1), NULL},
    {"i32x4.abs", {I32(0x80000000, 0xfffffffe)}, I32(0x80000000, 2), NULL},
    {"i64x2.abs", {I64(0x8000000000000000, 0xffffffffffffffff)}, I64(0x8000000000000000, 1), NULL},
    {"i32x4.neg", {I32(0x80000000, 1, 0)}, I32(0x80000000, 0xffffffff, 0), NULL},
    {"i64x2.mul",
     {I64(0x0123456789abcdef, 3), I64(0xfedcba9876543210, 0xffffffffffffffff)},
     I64(0x2236d88fe5618cf0, 0xfffffffffffffffd),
     NULL},
    {"i16x8.mul", {I16(0x8000, 0x100), I16(0xffff, 0x100)}, I16(0x8000, 0), NULL},
    {"i8x16.min_s", {I8(0x80, 0x7f), I8(0x7f, 0x80)}, I8(0x80, 0x80), NULL},
    {"i8x16.min_u", {I8(0x80, 0x7f), I8(0x7f, 0x80)}, I8(0x7f, 0x7f), NULL},
    {"i32x4.max_s", {I32(0x80000000, 1), I32(0, 0xffffffff)}, I32(0, 1), NULL},
    {"i32x4.max_u", {I32(0x80000000, 1), I32(0, 0xffffffff)}, I32(0x80000000, 0xffffffff), NULL},
    /* q15mulr: (a * b + 0x4000) >> 15, saturated: only -32768 * -32768 overflows */
    {"i16x8.q15mulr_sat_s",
     {I16(0x8000, 0x8000, 0x7fff, 0x4000, 0xffff, 1),
      I16(0x8000, 0x7fff, 0x7fff, 0x4000, 1, 0x4000)},
     I16(0x7fff, 0x8001, 0x7ffe, 0x2000, 0, 1),
     NULL},
    {"i32x4.dot_i16x8_s",
     {I16(0x8000, 0x8000, 1, 2, 0x7fff, 0x7fff, 0xffff, 0),
      I16(0x8000, 0x8000, 3, 4, 0x7fff, 0x7fff, 1, 0)},
     I32(0x80000000, 11, 0x7ffe0002, 0xffffffff),
     NULL},
    {"i16x8.extmul_low_i8x16_s",
     {I8(0x80, 0xff, 0x7f), I8(0x80, 0x7f, 0x7f)},
     I16(0x4000, 0xff81, 0x3f01),
     NULL},
    {"i16x8.extmul_high_i8x16_u",
     {I8(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 2), I8(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 3)},
     I16(0xfe01, 6),
     NULL},
    {"i64x2.extmul_high_i32x4_s",
     {I32(0, 0, 0x80000000, 0xffffffff), I32(0, 0, 0x80000000, 5)},
     I64(0x4000000000000000, 0xfffffffffffffffb),
     NULL},
    {"i32x4.extmul_low_i16x8_u", {I16(0xffff, 2), I16(0xffff, 3)}, I32(0xfffe0001, 6), NULL},
    {"i16x8.extadd_pairwise_i8x16_s",
     {I8(0x80, 0x80, 0x7f, 0x7f, 0xff, 1)},
     I16(0xff00, 0xfe, 0),
     NULL},
    {"i16x8.extadd_pairwise_i8x16_u", {I8(0xff, 0xff, 1, 2)}, I16(0x1fe, 3), NULL},
    {"i32x4.extadd_pairwise_i16x8_s",
     {I16(0x8000, 0x8000, 0x7fff, 0x7fff)},
     I32(0xffff0000, 0xfffe),
     NULL},
    {"i32x4.extadd_pairwise_i16x8_u", {I16(0xffff, 0xffff)}, I32(0x1fffe), NULL},
    {"i16x8.extend_high_i8x16_s",
     {I8(0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x7f)},
     I16(0xff80, 0x7f),
     NULL},
    {"i32x4.extend_low_i16x8_u", {I16(0x8000, 0xffff)}, I32(0x8000, 0xffff), NULL},
    {"i64x2.extend_high_i32x4_s", {I32(0, 0, 0x80000000, 1)}, I64(0xffffffff80000000, 1), NULL},
    /* narrow: signed input, saturated to the signed / unsigned narrow range */
    {"i8x16.narrow_i16x8_s",
     {I16(0x80, 0xff7f, 0x7f, 0xff80, 0xffff, 0, 0x7fff, 0x8000), I16(1, 2, 3, 4, 5, 6, 7, 8)},
     I8(0x7f, 0x80, 0x7f, 0x80, 0xff, 0, 0x7f, 0x80, 1, 2, 3, 4, 5, 6, 7, 8),
     NULL},
    {"i8x16.narrow_i16x8_u",
     {I16(0x100, 0xffff, 0xff, 0x80, 0x8000, 0x7fff, 0, 1), I16(0x12c, 2, 3, 4, 5, 6, 7, 8)},
     I8(0xff, 0, 0xff, 0x80, 0, 0xff, 0, 1, 0xff, 2, 3, 4, 5, 6, 7, 8),
     NULL},
    {"i16x8.narrow_i32x4_s",
     {I32(0x8000, 0xffff7fff, 0x7fff, 0xffff8000), I32(0x80000000, 1)},
     I16(0x7fff, 0x8000, 0x7fff, 0x8000, 0x8000, 1),
     NULL},
    {"i16x8.narrow_i32x4_u",
     {I32(0x10000, 0xffffffff, 0xffff, 0x8000), I32(0x7fffffff, 1)},
     I16(0xffff, 0, 0xffff, 0x8000, 0xffff, 1),
     NULL},
};

Test(lower_simd, int_arith, .timeout = 240) {
    CHECK_TABLE(int_arith);
}

/* ---- Shifts, bitwise operations, reductions, comparisons ---- */

static const Case int_bits[] = {
    /* The count is taken modulo the lane width (simd_bit_shift.wast). */
    {"i8x16.shl", {I8(0x81, 1), I32(9)}, I8(0x02, 2), NULL},
    {"i8x16.shr_s", {I8(0x80, 0x7f), I32(0xffffffff)}, I8(0xff, 0), NULL},
    {"i8x16.shr_u", {I8(0x80, 0x7f), I32(15)}, I8(1, 0), NULL},
    {"i16x8.shr_s", {I16(0x8000), I32(16)}, I16(0x8000), NULL},
    {"i32x4.shl", {I32(1, 0x80000000), I32(33)}, I32(2, 0), NULL},
    {"i64x2.shr_s", {I64(0x8000000000000000, 4), I32(65)}, I64(0xc000000000000000, 2), NULL},
    {"i64x2.shr_u", {I64(0x8000000000000000, 4), I32(0x7f)}, I64(1, 0), NULL},
    {"v128.not", {I64(0, 0xf0f0f0f0f0f0f0f0)}, I64(~0ull, 0x0f0f0f0f0f0f0f0f), NULL},
    {"v128.andnot", {I64(0xff00, 0xffff), I64(0x0f00, 0xff)}, I64(0xf000, 0xff00), NULL},
    {"v128.bitselect",
     {I64(0xaaaaaaaaaaaaaaaa, 0), I64(0x5555555555555555, ~0ull), I64(0xffffffff00000000, 0xf)},
     I64(0xaaaaaaaa55555555, 0xfffffffffffffff0),
     NULL},
    {"v128.any_true", {I64(0, 0x8000000000000000)}, I32(1), NULL},
    {"v128.any_true", {I64(0, 0)}, I32(0), NULL},
    {"i8x16.all_true", {I8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0x80)}, I32(1), NULL},
    {"i8x16.all_true", {I8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)}, I32(0), NULL},
    {"i16x8.all_true", {I16(1, 1, 1, 1, 1, 1, 1, 0x100)}, I32(1), NULL},
    /* Each lane on its own: bytes of a zero lane elsewhere must not count. */
    {"i32x4.all_true", {I32(0x100, 1, 0x80000000, 0)}, I32(0), NULL},
    {"i64x2.all_true", {I64(0x100000000, 1)}, I32(1), NULL},
    {"i8x16.bitmask",
     {I8(0x80, 0, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80)},
     I32(0x8005),
     NULL},
    {"i16x8.bitmask", {I16(0x8000, 0x7fff, 0, 0, 0, 0, 0, 0xffff)}, I32(0x81), NULL},
    {"i32x4.bitmask", {I32(0x80000000, 0, 0x80000000, 0x7fffffff)}, I32(5), NULL},
    {"i64x2.bitmask", {I64(0, 0x8000000000000000)}, I32(2), NULL},
    {"i8x16.lt_u", {I8(0x80, 1), I8(1, 0x80)}, I8(0, 0xff), NULL},
    {"i8x16.lt_s", {I8(0x80, 1), I8(1, 0x80)}, I8(0xff, 0), NULL},
    {"i16x8.ge_u",
     {I16(0x8000, 1, 5), I16(1, 0x8000, 5)},
     I16(0xffff, 0, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff),
     NULL},
    {"i32x4.gt_s",
     {I32(0x80000000, 0x7fffffff), I32(0x7fffffff, 0x80000000)},
     I32(0, 0xffffffff),
     NULL},
    {"i64x2.lt_s",
     {I64(0x8000000000000000, 1), I64(0x7fffffffffffffff, 0xffffffffffffffff)},
     I64(~0ull, 0),
     NULL},
    {"i64x2.ge_s", {I64(5, 0x8000000000000000), I64(5, 0)}, I64(~0ull, 0), NULL},
    {"i64x2.ne", {I64(5, 0x100000000), I64(5, 0)}, I64(0, ~0ull), NULL},
};

Test(lower_simd, int_bits, .timeout = 240) {
    CHECK_TABLE(int_bits);
}

/* ---- Float arithmetic, min/max, rounding (simd_f32x4*.wast, simd_f64x2*.wast) ---- */

static const Case float_ops[] = {
    /* A signalling NaN operand gives an arithmetic NaN, also through the identity x * 1. */
    {"f32x4.mul",
     {I32(F32_SNAN, F32_ONE, F32_NSNAN, 0x40000000), I32(F32_ONE, F32_SNAN, F32_ONE, 0x40400000)},
     I32(0, 0, 0, 0x40c00000),
     "AAA."},
    {"f32x4.add",
     {I32(F32_SNAN, F32_INF, F32_ONE, F32_NZERO), I32(F32_NZERO, F32_NINF, F32_NONE, F32_NZERO)},
     I32(0, 0, 0, F32_NZERO),
     "AC.."},
    {"f64x2.sub", {I64(F64_SNAN, F64_ONE), I64(0, F64_ONE)}, I64(0, 0), "A."},
    {"f64x2.div", {I64(F64_SNAN, 0), I64(F64_ONE, 0)}, I64(0, 0), "AC"},
    {"f32x4.sqrt",
     {I32(F32_SNAN, F32_NONE, 0x40800000, F32_NZERO)},
     I32(0, 0, 0x40000000, F32_NZERO),
     "AC.."},
    /* min/max: NaN wins (quiet), -0 < +0 (simd_f32x4.wast) */
    {"f32x4.min",
     {I32(F32_SNAN, 0, F32_NZERO, F32_ONE), I32(F32_ONE, F32_NZERO, 0, F32_QNAN)},
     I32(0, F32_NZERO, F32_NZERO, 0),
     "A..C"},
    {"f32x4.max",
     {I32(F32_PAYLOAD, 0, F32_NZERO, F32_NINF), I32(F32_ONE, F32_NZERO, 0, F32_NONE)},
     I32(0, 0, 0, F32_NONE),
     "A..."},
    {"f64x2.min", {I64(F64_NZERO, F64_ONE), I64(0, F64_SNAN)}, I64(F64_NZERO, 0), ".A"},
    {"f64x2.max", {I64(F64_NZERO, F64_QNAN), I64(0, F64_ONE)}, I64(0, 0), ".C"},
    /* pmin(a, b) = b < a ? b : a, pmax = a < b ? b : a: an operand's bits exactly */
    {"f32x4.pmin",
     {I32(F32_SNAN, F32_ONE, 0, F32_NZERO), I32(F32_ONE, F32_SNAN, F32_NZERO, 0)},
     I32(F32_SNAN, F32_ONE, 0, F32_NZERO),
     NULL},
    {"f32x4.pmax",
     {I32(F32_PAYLOAD, F32_ONE, F32_NONE, F32_NZERO), I32(F32_ONE, F32_NSNAN, F32_ONE, 0)},
     I32(F32_PAYLOAD, F32_ONE, F32_ONE, F32_NZERO),
     NULL},
    {"f64x2.pmin", {I64(F64_ONE, F64_QNAN), I64(F64_NONE, F64_ONE)}, I64(F64_NONE, F64_QNAN), NULL},
    {"f64x2.pmax", {I64(F64_SNAN, 0), I64(F64_ONE, F64_NZERO)}, I64(F64_SNAN, 0), NULL},
    /* abs/neg: sign bit only, NaN payloads stay */
    {"f32x4.abs",
     {I32(F32_NSNAN, F32_NZERO, F32_NINF, F32_PAYLOAD)},
     I32(F32_SNAN, 0, F32_INF, F32_PAYLOAD),
     NULL},
    {"f64x2.neg", {I64(F64_SNAN, 0)}, I64(0xfff4000000000000, F64_NZERO), NULL},
    /* nearest rounds half to even; rounding keeps the sign of zero results */
    {"f32x4.nearest",
     {I32(0x40200000, F32_NHALF, 0x3fc00000, F32_SNAN)},
     I32(0x40000000, F32_NZERO, 0x40000000, 0),
     "...A"},
    {"f64x2.nearest",
     {I64(0x4004000000000000, 0xc00c000000000000)},
     I64(0x4000000000000000, 0xc010000000000000),
     NULL},
    {"f32x4.ceil",
     {I32(F32_NHALF, F32_HALF, 0x4b800001, F32_SNAN)},
     I32(F32_NZERO, F32_ONE, 0x4b800001, 0),
     "...A"},
    {"f32x4.floor",
     {I32(F32_NHALF, F32_HALF, F32_NZERO, F32_INF)},
     I32(F32_NONE, 0, F32_NZERO, F32_INF),
     NULL},
    {"f64x2.trunc", {I64(0xbfe0000000000000, F64_SNAN)}, I64(F64_NZERO, 0), ".A"},
    /* ne is the only comparison true for NaN */
    {"f32x4.eq",
     {I32(F32_QNAN, 0, F32_ONE, 0), I32(F32_QNAN, F32_NZERO, F32_ONE, F32_ONE)},
     I32(0, 0xffffffff, 0xffffffff, 0),
     NULL},
    {"f32x4.ne",
     {I32(F32_QNAN, 0, F32_ONE, 0), I32(F32_QNAN, F32_NZERO, F32_ONE, F32_ONE)},
     I32(0xffffffff, 0, 0, 0xffffffff),
     NULL},
    {"f64x2.lt", {I64(F64_QNAN, F64_NONE), I64(F64_ONE, F64_ONE)}, I64(0, ~0ull), NULL},
    {"f64x2.ge", {I64(F64_QNAN, 0), I64(F64_QNAN, F64_NZERO)}, I64(0, ~0ull), NULL},
};

Test(lower_simd, float_ops, .timeout = 240) {
    CHECK_TABLE(float_ops);
}

/* ---- Conversions (simd_conversions.wast, simd_i32x4_trunc_sat_*.wast) ---- */

static const Case conversions[] = {
    /* NaN -> 0, out of range saturates; the unsigned one maps (-1, 0) to 0 */
    {"i32x4.trunc_sat_f32x4_s",
     {I32(F32_QNAN, 0x4f000000, 0xcf000000, 0xcf000001)},
     I32(0, 0x7fffffff, 0x80000000, 0x80000000),
     NULL},
    {"i32x4.trunc_sat_f32x4_s",
     {I32(F32_INF, F32_NINF, 0xbfc00000, 0x4effffff)},
     I32(0x7fffffff, 0x80000000, 0xffffffff, 0x7fffff80),
     NULL},
    {"i32x4.trunc_sat_f32x4_u",
     {I32(F32_NSNAN, 0x4f800000, 0xbf7fffff, 0x4f7fffff)},
     I32(0, 0xffffffff, 0, 0xffffff00),
     NULL},
    {"i32x4.trunc_sat_f32x4_u",
     {I32(F32_NINF, F32_INF, 0x4f000000, F32_NONE)},
     I32(0, 0xffffffff, 0x80000000, 0),
     NULL},
    /* f64: the upper result lanes are zero; -2147483648.9 truncates to INT32_MIN */
    {"i32x4.trunc_sat_f64x2_s_zero",
     {I64(0xc1e00000001ccccd, 0x41dfffffffffffff)},
     I32(0x80000000, 0x7fffffff, 0, 0),
     NULL},
    {"i32x4.trunc_sat_f64x2_s_zero",
     {I64(F64_QNAN, 0x41e0000000000000)},
     I32(0, 0x7fffffff, 0, 0),
     NULL},
    {"i32x4.trunc_sat_f64x2_u_zero",
     {I64(0x41efffffffe00000, 0xbfefffffffffffff)},
     I32(0xffffffff, 0, 0, 0),
     NULL},
    {"i32x4.trunc_sat_f64x2_u_zero",
     {I64(0x41f0000000000000, F64_SNAN)},
     I32(0xffffffff, 0, 0, 0),
     NULL},
    {"f32x4.convert_i32x4_s",
     {I32(0x80000000, 0xffffffff, 0x7fffffff, 0x01000001)},
     I32(0xcf000000, F32_NONE, 0x4f000000, 0x4b800000),
     NULL},
    /* u32 -> f32 rounds to nearest even: 0xffffffff -> 2^32 */
    {"f32x4.convert_i32x4_u",
     {I32(0xffffffff, 0x80000000, 0x01000003, 1)},
     I32(0x4f800000, 0x4f000000, 0x4b800002, F32_ONE),
     NULL},
    {"f64x2.convert_low_i32x4_s",
     {I32(0x80000000, 0xffffffff, 5, 6)},
     I64(0xc1e0000000000000, F64_NONE),
     NULL},
    {"f64x2.convert_low_i32x4_u",
     {I32(0xffffffff, 0x80000000, 5, 6)},
     I64(0x41efffffffe00000, 0x41e0000000000000),
     NULL},
    /* demote: rounds, overflows to inf, quiets NaN; the upper lanes are zero */
    {"f32x4.demote_f64x2_zero", {I64(0x47f0000000000000, F64_SNAN)}, I32(F32_INF, 0, 0, 0), ".A.."},
    {"f32x4.demote_f64x2_zero",
     {I64(0x3ff0000010000000, 0x36a0000000000000)},
     I32(F32_ONE, 1, 0, 0),
     NULL}, /* 2^-149: the smallest f32 subnormal */
    {"f64x2.promote_low_f32x4",
     {I32(F32_SNAN, F32_NZERO, F32_ONE, F32_ONE)},
     I64(0, F64_NZERO),
     "A."},
    /* promote then demote must not fold back to the signalling input */
    {"f64x2.promote_low_f32x4|f32x4.demote_f64x2_zero",
     {I32(F32_SNAN, F32_NSNAN, 1, 1)},
     I32(0, 0, 0, 0),
     "AA.."},
};

Test(lower_simd, conversions, .timeout = 240) {
    CHECK_TABLE(conversions);
}

/* ---- Memory instructions and their traps (hand-written programs) ---- */

#define PRELUDE                                                                                    \
    "(module\n"                                                                                    \
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))\n"               \
    "  (memory 1 1)\n"                                                                             \
    "  (data (i32.const 0) \"\\00\\01\\02\\03\\04\\05\\06\\07\\88\\89\\8a\\8b\\8c\\8d\\8e\\8f"     \
    "\\f0\\f1\\f2\\f3\\f4\\f5\\f6\\f7\")\n"                                                        \
    "  (func (export \"_start\") (call $exit (call $test)))\n"

static int run_module(const char *body, const char *flags, WatRun *r) {
    static char wat[65536];
    snprintf(wat, sizeof wat, "%s%s\n)\n", PRELUDE, body);
    wat_run(wat, flags, true, r);
    cr_assert_eq(r->compile_status, 0, "compile failed: %s", r->compile_err);
    return r->exit_status;
}

static const char *const memory_flags[] = {"-O2", "-O0", "-O2 --cpu=x86-64"};

/* Runs body (defining $test, returning 1 on success) with every flag set of memory_flags. */
static void expect_ok(const char *body) {
    for (size_t f = 0; f < sizeof memory_flags / sizeof memory_flags[0]; f++) {
        WatRun *r = malloc(sizeof *r);
        cr_expect_eq(run_module(body, memory_flags[f], r), 1, "[%s] exit %d, stderr: %s",
                     memory_flags[f], r->exit_status, r->err);
        free(r);
    }
}

static void expect_trap(const char *body) {
    for (size_t f = 0; f < sizeof memory_flags / sizeof memory_flags[0]; f++) {
        WatRun *r = malloc(sizeof *r);
        cr_expect_eq(run_module(body, memory_flags[f], r), 134, "[%s]", memory_flags[f]);
        cr_expect(strstr(r->err, "wasm trap: out of bounds memory access") != NULL,
                  "[%s] stderr: %s", memory_flags[f], r->err);
        free(r);
    }
}

/* A $test that compares v128 expression `got` with `want` (both text) and returns 1 if equal. */
#define V128_TEST(got, want)                                                                       \
    "(func $test (result i32) (i8x16.all_true (i8x16.eq " got " " want ")))"

Test(lower_simd, loads) {
    /* unaligned, with an offset */
    expect_ok(V128_TEST("(v128.load offset=1 align=1 (i32.const 0))",
                        "(v128.const i8x16 1 2 3 4 5 6 7 0x88 0x89 0x8a 0x8b 0x8c 0x8d 0x8e 0x8f "
                        "0xf0)"));
    expect_ok(V128_TEST("(v128.load8x8_s (i32.const 6))",
                        "(v128.const i16x8 6 7 -120 -119 -118 -117 -116 -115)"));
    expect_ok(V128_TEST("(v128.load8x8_u (i32.const 6))",
                        "(v128.const i16x8 6 7 0x88 0x89 0x8a 0x8b 0x8c 0x8d)"));
    expect_ok(V128_TEST("(v128.load16x4_s (i32.const 8))",
                        "(v128.const i32x4 0xffff8988 0xffff8b8a 0xffff8d8c 0xffff8f8e)"));
    expect_ok(
        V128_TEST("(v128.load32x2_u (i32.const 12))", "(v128.const i64x2 0x8f8e8d8c 0xf3f2f1f0)"));
    expect_ok(V128_TEST("(v128.load32x2_s (i32.const 12))",
                        "(v128.const i64x2 0xffffffff8f8e8d8c 0xfffffffff3f2f1f0)"));
    expect_ok(V128_TEST("(v128.load8_splat (i32.const 9))", "(v128.const i8x16 0x89 0x89 0x89 "
                                                            "0x89 0x89 0x89 0x89 0x89 0x89 0x89 "
                                                            "0x89 0x89 0x89 0x89 0x89 0x89)"));
    expect_ok(V128_TEST("(v128.load16_splat (i32.const 1))",
                        "(v128.const i16x8 0x201 0x201 0x201 0x201 0x201 0x201 0x201 0x201)"));
    expect_ok(V128_TEST("(v128.load64_splat (i32.const 16))",
                        "(v128.const i64x2 0xf7f6f5f4f3f2f1f0 0xf7f6f5f4f3f2f1f0)"));
    expect_ok(V128_TEST("(v128.load32_zero (i32.const 4))", "(v128.const i32x4 0x07060504 0 0 0)"));
    expect_ok(
        V128_TEST("(v128.load64_zero (i32.const 8))", "(v128.const i64x2 0x8f8e8d8c8b8a8988 0)"));
    expect_ok(V128_TEST("(v128.load8_lane 15 (i32.const 3) (v128.const i64x2 -1 -1))",
                        "(v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 3)"));
    expect_ok(V128_TEST("(v128.load16_lane 0 (i32.const 7) (v128.const i64x2 0 0))",
                        "(v128.const i16x8 0x8807 0 0 0 0 0 0 0)"));
    expect_ok(V128_TEST("(v128.load32_lane offset=1 2 (i32.const 0) (v128.const i64x2 0 0))",
                        "(v128.const i32x4 0 0 0x04030201 0)"));
    expect_ok(V128_TEST("(v128.load64_lane 1 (i32.const 16) (v128.const i64x2 5 0))",
                        "(v128.const i64x2 5 0xf7f6f5f4f3f2f1f0)"));
}

Test(lower_simd, stores) {
    expect_ok("(func $test (result i32)"
              "  (v128.store offset=3 (i32.const 100) (v128.const i32x4 1 2 3 -1))"
              "  (i32.and (i64.eq (i64.load (i32.const 103)) (i64.const 0x0000000200000001))"
              "           (i64.eq (i64.load (i32.const 111)) (i64.const 0xffffffff00000003))))");
    expect_ok("(func $test (result i32)"
              "  (i64.store (i32.const 200) (i64.const -1))"
              "  (v128.store8_lane 5 (i32.const 201) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 "
              "12 13 14 15))"
              "  (v128.store16_lane 7 (i32.const 202) (v128.const i16x8 0 0 0 0 0 0 0 0x1234))"
              "  (v128.store32_lane offset=4 1 (i32.const 200) (v128.const i32x4 0 0x0a0b0c0d 0 "
              "0))"
              "  (i64.eq (i64.load (i32.const 200)) (i64.const 0x0a0b0c0d123405ff)))");
    expect_ok("(func $test (result i32)"
              "  (v128.store64_lane 1 (i32.const 300) (v128.const i64x2 1 0x1122334455667788))"
              "  (i64.eq (i64.load (i32.const 300)) (i64.const 0x1122334455667788)))");
}

Test(lower_simd, out_of_bounds_traps) {
    /* The last 16 bytes of the 64 KiB memory are in bounds, one more is not. */
    expect_ok("(func $test (result i32)"
              "  (v128.store (i32.const 65520) (v128.const i32x4 1 1 1 1))"
              "  (i32x4.extract_lane 3 (v128.load (i32.const 65520))))");
    expect_trap("(func $test (result i32) (v128.any_true (v128.load (i32.const 65521))))");
    expect_trap("(func $test (result i32) (v128.any_true (v128.load offset=4294967295 "
                "(i32.const 1))))");
    expect_trap("(func $test (result i32) (v128.store (i32.const 65535) (v128.const i64x2 0 0)) "
                "(i32.const 0))");
    expect_trap("(func $test (result i32) (v128.any_true (v128.load64_splat (i32.const 65529))))");
    expect_trap("(func $test (result i32) (v128.any_true (v128.load32_zero (i32.const -1))))");
    expect_trap("(func $test (result i32) (v128.any_true (v128.load8x8_s (i32.const 65529))))");
    expect_trap("(func $test (result i32) (v128.any_true (v128.load16_lane 0 (i32.const 65535) "
                "(v128.const i64x2 0 0))))");
    expect_trap("(func $test (result i32) (v128.store64_lane offset=65529 0 (i32.const 0) "
                "(v128.const i64x2 0 0)) (i32.const 0))");
}

/* ---- Instruction selection: the patterns x86 turns into one instruction ---- */

/* Compiles `wat` with `flags` to assembly and returns it (malloc'd). */
static char *compile_to_asm(const char *wat, const char *flags) {
    char dir[] = "/tmp/wa_simd_asm_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "%s/m.wat", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(wat, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "wat2wasm %s/m.wat -o %s/m.wasm && '%s' %s/m.wasm -o %s/m.s --emit=asm %s", dir, dir,
             WA_WASMAOT, dir, dir, flags);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(path, sizeof path, "%s/m.s", dir);
    f = fopen(path, "r");
    cr_assert_not_null(f);
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    text[n] = '\0';
    fclose(f);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    return text;
}

Test(lower_simd, selects_simd_instructions) {
    static const struct {
        const char *op;
        const char *insn; /* in the x86-64-v3 (AVX2) assembly */
    } cases[] = {
        {"i8x16.swizzle", "vpshufb"},
        {"i8x16.narrow_i16x8_s", "vpacksswb"},
        {"i8x16.narrow_i16x8_u", "vpackuswb"},
        {"i32x4.dot_i16x8_s", "vpmaddwd"},
        {"i8x16.avgr_u", "vpavgb"},
        {"i8x16.add_sat_s", "vpaddsb"},
        {"i16x8.sub_sat_u", "vpsubusw"},
        {"i32x4.min_u", "vpminud"},
        {"f32x4.pmin", "vminps"},
        {"f32x4.pmax", "vmaxps"},
        {"f32x4.mul", "vmulps"},
        {"i64x2.mul", "vpmuludq"},
        {"i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23", "vpunpcklbw"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char wat[512];
        snprintf(wat, sizeof wat,
                 "(module (func (export \"f\") (param v128 v128) (result v128)"
                 " (%s (local.get 0) (local.get 1))))",
                 cases[i].op);
        char *text = compile_to_asm(wat, "-O2 --cpu=x86-64-v3");
        cr_expect(strstr(text, cases[i].insn) != NULL, "%s: no %s in\n%s", cases[i].op,
                  cases[i].insn, text);
        free(text);
    }
    /* Unary ones: bitmask, all_true, trunc_sat stay vector code. */
    static const struct {
        const char *op, *result, *insn;
    } unary[] = {
        {"i8x16.bitmask", "i32", "vpmovmskb"},
        {"v128.any_true", "i32", "vptest"},
        {"i32x4.trunc_sat_f32x4_s", "v128", "vcvttps2dq"},
        {"i32x4.trunc_sat_f64x2_s_zero", "v128", "vcvttpd2dq"},
        {"f32x4.nearest", "v128", "vroundps"},
    };
    for (size_t i = 0; i < sizeof unary / sizeof unary[0]; i++) {
        char wat[512];
        snprintf(wat, sizeof wat,
                 "(module (func (export \"f\") (param v128) (result %s) (%s (local.get 0))))",
                 unary[i].result, unary[i].op);
        char *text = compile_to_asm(wat, "-O2 --cpu=x86-64-v3");
        cr_expect(strstr(text, unary[i].insn) != NULL, "%s: no %s in\n%s", unary[i].op,
                  unary[i].insn, text);
        free(text);
    }
}
