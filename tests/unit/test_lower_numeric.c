/*
 * Unit tests for the numeric lowering (compiler/lower/numeric.c, compare.c,
 * convert.c), run end to end: each table of cases becomes a wasm program that
 * computes every case and compares the result bits with the expected ones,
 * compiled by the real wasmaot and run.
 *
 * Every case is computed in up to four variants, because LLVM treats
 * constants and unknown values differently (constant folding, identity folds
 * like x * 1.0 -> x): each operand either a constant (`t.const`) or loaded
 * from a data segment (opaque to the compiler). The value programs are also
 * compiled at -O0 and for the baseline x86-64 CPU, where rounding
 * instructions become libm calls.
 *
 * Expected values are the spec's (spec 4.3; most cases come from the spec
 * suite's i32/i64/f32/f64/conversions/float_exprs.wast). A NaN result is
 * checked as the spec's tests do: "canonical" (any sign, quiet bit only) or
 * "arithmetic" (quiet bit set). A failing case prints
 * `FAIL <id> <result bits>`, id = case * 4 + variant, decoded below.
 * Trapping cases get one program each and expect exit status 134 and the
 * spec's trap message.
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

typedef enum Want { EXACT, CANON_NAN, ARITH_NAN, TRAPS } Want;

/*
 * One case: `ops` is one opcode name, or several separated by spaces that
 * are applied in turn to a single operand (a chain such as
 * "f64.promote_f32 f32.demote_f64"). a and b are operand bits.
 */
typedef struct Case {
    const char *ops;
    uint64_t a, b;
    Want want;
    uint64_t bits;    /* EXACT: the result bits */
    const char *trap; /* TRAPS: the spec's message */
} Case;

#define EQ(ops, a, b, r) {ops, a, b, EXACT, r, NULL}
#define CANON(ops, a, b) {ops, a, b, CANON_NAN, 0, NULL}
#define ARITH(ops, a, b) {ops, a, b, ARITH_NAN, 0, NULL}
#define TRAP(ops, a, b, msg) {ops, a, b, TRAPS, 0, msg}

#define DIV0 "integer divide by zero"
#define OVF "integer overflow"
#define INVAL "invalid conversion to integer"

/* Frequently used float bit patterns. */

/* ---- Generating the wasm text ---- */

static WaOpcode opcode_named(const char *name, size_t len) {
    for (int op = 0; op < WA_OP_COUNT; op++)
        if (strlen(wa_op_name[op]) == len && memcmp(wa_op_name[op], name, len) == 0 &&
            wa_op_class[op] >= WA_CLASS_CONST && wa_op_class[op] <= WA_CLASS_CONVERT)
            return (WaOpcode)op;
    cr_assert_fail("unknown numeric opcode %.*s", (int)len, name);
    return WA_OP_COUNT;
}

/* The opcodes of a case, in order; returns how many. */
static int case_ops(const Case *c, WaOpcode ops[4]) {
    int n = 0;
    for (const char *p = c->ops; *p;) {
        size_t len = strcspn(p, " ");
        cr_assert_lt(n, 4);
        ops[n++] = opcode_named(p, len);
        p += len;
        p += strspn(p, " ");
    }
    return n;
}

/* How many operands the first opcode pops (eqz: one). */
static int operand_count(WaOpcode op) {
    int n = 0;
    while (n < 3 && wa_op_sig[op][n] != WA_VT_X)
        n++;
    return n;
}

static const char *type_name(WaValType t) {
    switch (t) {
    case WA_VT_I32:
        return "i32";
    case WA_VT_I64:
        return "i64";
    case WA_VT_F32:
        return "f32";
    default:
        return "f64";
    }
}

static bool is_64(WaValType t) {
    return t == WA_VT_I64 || t == WA_VT_F64;
}

/* A float constant from its bits, in the text format (exact: hex float or nan:payload). */
static void put_float(WatBuf *b, WaValType t, uint64_t bits) {
    int mant_bits = t == WA_VT_F32 ? 23 : 52, exp_bits = t == WA_VT_F32 ? 8 : 11;
    int bias = (1 << (exp_bits - 1)) - 1;
    uint64_t mant = bits & ((1ull << mant_bits) - 1);
    uint64_t exp = (bits >> mant_bits) & ((1ull << exp_bits) - 1);
    const char *sign = (bits >> (mant_bits + exp_bits)) & 1 ? "-" : "";
    /* Mantissa as whole hex digits: f32's 23 bits shifted to 24. */
    uint64_t digits = t == WA_VT_F32 ? mant << 1 : mant;
    int ndigits = t == WA_VT_F32 ? 6 : 13;
    if (exp == (1ull << exp_bits) - 1) {
        if (mant == 0)
            wat_buf_printf(b, "%sinf", sign);
        else
            wat_buf_printf(b, "%snan:0x%" PRIx64, sign, mant);
    } else if (exp == 0) {
        wat_buf_printf(b, "%s0x0.%0*" PRIx64 "p-%d", sign, ndigits, digits, bias - 1);
    } else {
        wat_buf_printf(b, "%s0x1.%0*" PRIx64 "p%d", sign, ndigits, digits, (int)exp - bias);
    }
}

/* Operand i of a case: a constant, or a load from its slot in the data segment. */
static void put_operand(WatBuf *b, WaValType t, uint64_t bits, bool constant, size_t slot) {
    if (!constant) {
        wat_buf_printf(b, "(%s.load offset=%zu (i32.const 0))", type_name(t), slot);
        return;
    }
    wat_buf_printf(b, "(%s.const ", type_name(t));
    if (t == WA_VT_I32)
        wat_buf_printf(b, "0x%" PRIx32, (uint32_t)bits);
    else if (t == WA_VT_I64)
        wat_buf_printf(b, "0x%" PRIx64, bits);
    else
        put_float(b, t, bits);
    wat_buf_printf(b, ")");
}

/* The data segment starts here; below it is scratch space for reporting. */
#define DATA_BASE 1024

/* The case's expression; variant bit i set = operand i is a constant. */
static WaValType put_expr(WatBuf *b, const Case *c, size_t index, unsigned variant) {
    WaOpcode ops[4];
    int nops = case_ops(c, ops);
    for (int i = nops - 1; i >= 0; i--)
        wat_buf_printf(b, "(%s ", wa_op_name[ops[i]]);
    int nargs = operand_count(ops[0]);
    for (int i = 0; i < nargs; i++) {
        WaValType t = wa_op_sig[ops[0]][i];
        put_operand(b, t, i == 0 ? c->a : c->b, variant & (1u << i),
                    DATA_BASE + index * 16 + (size_t)i * 8);
        wat_buf_printf(b, " ");
    }
    for (int i = 0; i < nops; i++)
        wat_buf_printf(b, ")");
    return wa_op_sig[ops[nops - 1]][3];
}

static unsigned variant_count(const Case *c) {
    WaOpcode ops[4];
    case_ops(c, ops);
    return 1u << operand_count(ops[0]);
}

/*
 * Module head: WASI imports, memory with every case's operands, and the
 * checkers. $report prints "FAIL <id, 8 hex> <bits, 16 hex>\n".
 */
static void put_head(WatBuf *b, const Case *cases, size_t n) {
    wat_buf_printf(b, "(module\n%s", wat_check_prelude);
    wat_buf_printf(
        b, "  (memory (export \"memory\") 1)\n"
           "  (global $failed (mut i32) (i32.const 0))\n"
           "  (func $report (param $id i32) (param $got i64)\n"
           "    (i32.store (i32.const 16) (i32.const 0x4c494146))\n" /* "FAIL" */
           "    (i32.store8 (i32.const 20) (i32.const 32))\n"
           "    (call $hex (i32.const 21) (i64.extend_i32_u (local.get $id)) (i32.const 8))\n"
           "    (i32.store8 (i32.const 29) (i32.const 32))\n"
           "    (call $hex (i32.const 30) (local.get $got) (i32.const 16))\n"
           "    (i32.store8 (i32.const 46) (i32.const 10))\n"
           "    (i32.store (i32.const 0) (i32.const 16))\n"
           "    (i32.store (i32.const 4) (i32.const 31))\n"
           "    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))\n"
           "    (global.set $failed (i32.const 1)))\n"
           /* kind: 0 exact, 1 canonical NaN, 2 arithmetic NaN */
           "  (func $check32 (param $id i32) (param $got i32) (param $want i32) (param $kind "
           "i32)\n"
           "    (if (i32.eqz (if (result i32) (i32.eqz (local.get $kind))\n"
           "        (then (i32.eq (local.get $got) (local.get $want)))\n"
           "        (else (if (result i32) (i32.eq (local.get $kind) (i32.const 1))\n"
           "          (then (i32.eq (i32.and (local.get $got) (i32.const 0x7fffffff))\n"
           "                        (i32.const 0x7fc00000)))\n"
           "          (else (i32.eq (i32.and (local.get $got) (i32.const 0x7fc00000))\n"
           "                        (i32.const 0x7fc00000)))))))\n"
           "      (then (call $report (local.get $id) (i64.extend_i32_u (local.get $got))))))\n"
           "  (func $check64 (param $id i32) (param $got i64) (param $want i64) (param $kind "
           "i32)\n"
           "    (if (i32.eqz (if (result i32) (i32.eqz (local.get $kind))\n"
           "        (then (i64.eq (local.get $got) (local.get $want)))\n"
           "        (else (if (result i32) (i32.eq (local.get $kind) (i32.const 1))\n"
           "          (then (i64.eq (i64.and (local.get $got) (i64.const 0x7fffffffffffffff))\n"
           "                        (i64.const 0x7ff8000000000000)))\n"
           "          (else (i64.eq (i64.and (local.get $got) (i64.const 0x7ff8000000000000))\n"
           "                        (i64.const 0x7ff8000000000000)))))))\n"
           "      (then (call $report (local.get $id) (local.get $got)))))\n");
    wat_buf_printf(b, "  (data (i32.const %d) \"", DATA_BASE);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 16; k++)
            wat_buf_printf(b, "\\%02x",
                           (unsigned)(((k < 8 ? cases[i].a : cases[i].b) >> (8 * (k % 8))) & 0xff));
    wat_buf_printf(b, "\")\n");
}

/* One check of case `index`, variant `variant`, inside _start. */
static void put_check(WatBuf *b, const Case *c, size_t index, unsigned variant) {
    WatBuf e = {0};
    WaValType rt = put_expr(&e, c, index, variant);
    unsigned kind = c->want == EXACT ? 0 : c->want == CANON_NAN ? 1 : 2;
    unsigned id = (unsigned)index * 4 + variant;
    if (is_64(rt))
        wat_buf_printf(b,
                       "    (call $check64 (i32.const %u) %s%s%s (i64.const 0x%" PRIx64
                       ") (i32.const %u))\n",
                       id, rt == WA_VT_F64 ? "(i64.reinterpret_f64 " : "", e.p,
                       rt == WA_VT_F64 ? ")" : "", c->bits, kind);
    else
        wat_buf_printf(b,
                       "    (call $check32 (i32.const %u) %s%s%s (i32.const 0x%" PRIx32
                       ") (i32.const %u))\n",
                       id, rt == WA_VT_F32 ? "(i32.reinterpret_f32 " : "", e.p,
                       rt == WA_VT_F32 ? ")" : "", (uint32_t)c->bits, kind);
    free(e.p);
}

static const char *const value_flags[] = {"-O2", "-O0", "-O2 --cpu=x86-64", "-O3 --cpu=x86-64-v3"};

/* Runs every non-trapping case of the table in one program per compiler flag set. */
static void check_values(const Case *cases, size_t n) {
    WatBuf b = {0};
    put_head(&b, cases, n);
    wat_buf_printf(&b, "  (func (export \"_start\")\n");
    for (size_t i = 0; i < n; i++)
        if (cases[i].want != TRAPS)
            for (unsigned v = 0; v < variant_count(&cases[i]); v++)
                put_check(&b, &cases[i], i, v);
    wat_buf_printf(&b, "    (if (global.get $failed) (then (call $proc_exit (i32.const 1))))))\n");

    for (size_t f = 0; f < sizeof value_flags / sizeof value_flags[0]; f++) {
        WatRun *r = malloc(sizeof *r);
        wat_run(b.p, value_flags[f], true, r);
        cr_assert_eq(r->compile_status, 0, "[%s] compile failed: %s", value_flags[f],
                     r->compile_err);
        /* Name every failed case before failing the test. */
        for (const char *line = r->out; (line = strstr(line, "FAIL ")) != NULL; line++) {
            unsigned id;
            unsigned long long got;
            if (sscanf(line, "FAIL %x %llx", &id, &got) != 2)
                continue;
            const Case *c = &cases[id / 4];
            cr_log_error("[%s] %s(0x%" PRIx64 ", 0x%" PRIx64
                         ") variant %u (const mask): got 0x%llx, "
                         "want %s 0x%" PRIx64,
                         value_flags[f], c->ops, c->a, c->b, id % 4, got,
                         c->want == EXACT       ? "bits"
                         : c->want == CANON_NAN ? "canonical NaN"
                                                : "arithmetic NaN",
                         c->bits);
        }
        cr_expect_eq(r->exit_status, 0, "[%s] exit %d, stdout:\n%s\nstderr:\n%s", value_flags[f],
                     r->exit_status, r->out, r->err);
        free(r);
    }
    free(b.p);
}

/* Runs each trapping case alone, in every variant, expecting its trap. */
static void check_traps(const Case *cases, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const Case *c = &cases[i];
        if (c->want != TRAPS)
            continue;
        for (unsigned v = 0; v < variant_count(c); v++) {
            WatBuf b = {0};
            wat_buf_printf(&b, "(module (memory 1)\n  (data (i32.const %d) \"", DATA_BASE);
            for (int k = 0; k < 16; k++)
                wat_buf_printf(&b, "\\%02x",
                               (unsigned)(((k < 8 ? c->a : c->b) >> (8 * (k % 8))) & 0xff));
            wat_buf_printf(&b, "\")\n  (func (export \"_start\") (drop ");
            put_expr(&b, c, 0, v);
            wat_buf_printf(&b, ")))\n");
            WatRun *r = malloc(sizeof *r);
            wat_run(b.p, "-O2", true, r);
            cr_assert_eq(r->compile_status, 0, "compile failed: %s", r->compile_err);
            char want[128];
            snprintf(want, sizeof want, "wasm trap: %s", c->trap);
            cr_expect(r->exit_status == 134 && strstr(r->err, want) != NULL,
                      "%s(0x%" PRIx64 ", 0x%" PRIx64
                      ") const mask %u: want trap \"%s\", got exit %d, "
                      "stderr: %s",
                      c->ops, c->a, c->b, v, c->trap, r->exit_status, r->err);
            free(r);
            free(b.p);
        }
    }
}

#define CHECK_TABLE(t)                                                                             \
    do {                                                                                           \
        check_values(t, sizeof t / sizeof t[0]);                                                   \
        check_traps(t, sizeof t / sizeof t[0]);                                                    \
    } while (0)

/* ---- Integer arithmetic (spec 4.3.2; i32.wast, i64.wast) ---- */

static const Case int_arith[] = {
    EQ("i32.add", 0x7fffffff, 1, 0x80000000),
    EQ("i32.sub", 0x80000000, 1, 0x7fffffff),
    EQ("i32.mul", 0x01234567, 0x76543210, 0x358e7470),
    EQ("i32.mul", 0x80000000, 0xffffffff, 0x80000000),
    EQ("i64.add", 0x7fffffffffffffff, 1, 0x8000000000000000),
    EQ("i64.sub", 0x8000000000000000, 1, 0x7fffffffffffffff),
    EQ("i64.mul", 0x0123456789abcdef, 0xfedcba9876543210, 0x2236d88fe5618cf0),
    EQ("i32.and", 0xf0f0ffff, 0xfffff0f0, 0xf0f0f0f0),
    EQ("i32.or", 0xf0f0ffff, 0xfffff0f0, 0xffffffff),
    EQ("i32.xor", 0x80000000, 0xffffffff, 0x7fffffff),
    EQ("i64.xor", 0x8000000000000000, 0xffffffffffffffff, 0x7fffffffffffffff),

    /* Division: truncation toward zero, the remainder takes the dividend's sign. */
    EQ("i32.div_s", 7, 0xfffffffe, 0xfffffffd),
    EQ("i32.div_s", 0xfffffff9, 2, 0xfffffffd),
    EQ("i32.div_s", 0x80000000, 2, 0xc0000000),
    EQ("i32.div_s", 0x80000001, 0xffffffff, 0x7fffffff),
    EQ("i32.div_u", 0x80000000, 2, 0x40000000),
    EQ("i32.div_u", 0xfffffffb, 2, 0x7ffffffd),
    EQ("i32.div_u", 0x80000000, 0xffffffff, 0),
    EQ("i32.rem_s", 0x80000000, 0xffffffff, 0), /* defined as 0, x86 idiv would fault */
    EQ("i32.rem_s", 0x7fffffff, 0xffffffff, 0),
    EQ("i32.rem_s", 7, 0xfffffffd, 1),
    EQ("i32.rem_s", 0xfffffff9, 3, 0xffffffff),
    EQ("i32.rem_s", 0x80000000, 2, 0),
    EQ("i32.rem_u", 0x80000000, 0xffffffff, 0x80000000),
    EQ("i32.rem_u", 0xfffffffb, 2, 1),
    EQ("i64.div_s", 0x8000000000000000, 2, 0xc000000000000000),
    EQ("i64.div_s", 7, 0xfffffffffffffffe, 0xfffffffffffffffd),
    EQ("i64.div_u", 0x8000000000000000, 0xffffffffffffffff, 0),
    EQ("i64.div_u", 0xfffffffffffffffb, 2, 0x7ffffffffffffffd),
    EQ("i64.rem_s", 0x8000000000000000, 0xffffffffffffffff, 0),
    EQ("i64.rem_s", 0xfffffffffffffff9, 3, 0xffffffffffffffff),
    EQ("i64.rem_u", 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000),
    TRAP("i32.div_s", 1, 0, DIV0),
    TRAP("i32.div_s", 0x80000000, 0, DIV0), /* zero is checked before overflow */
    TRAP("i32.div_s", 0x80000000, 0xffffffff, OVF),
    TRAP("i32.div_u", 1, 0, DIV0),
    TRAP("i32.rem_s", 0x80000000, 0, DIV0),
    TRAP("i32.rem_u", 1, 0, DIV0),
    TRAP("i64.div_s", 0x8000000000000000, 0xffffffffffffffff, OVF),
    TRAP("i64.div_s", 1, 0, DIV0),
    TRAP("i64.div_u", 1, 0, DIV0),
    TRAP("i64.rem_s", 1, 0, DIV0),
    TRAP("i64.rem_u", 1, 0, DIV0),
};

Test(lower_numeric, int_arith, .timeout = 240) {
    CHECK_TABLE(int_arith);
}

/* ---- Shifts, rotates, bit counts, sign extension (spec 4.3.2) ---- */

static const Case int_bits[] = {
    /* The count is taken modulo the width. */
    EQ("i32.shl", 1, 31, 0x80000000),
    EQ("i32.shl", 1, 32, 1),
    EQ("i32.shl", 1, 33, 2),
    EQ("i32.shl", 1, 0xffffffff, 0x80000000),
    EQ("i32.shr_s", 0x80000000, 31, 0xffffffff),
    EQ("i32.shr_s", 0x80000000, 32, 0x80000000),
    EQ("i32.shr_s", 0x80000000, 33, 0xc0000000),
    EQ("i32.shr_s", 1, 0xffffffff, 0),
    EQ("i32.shr_u", 0x80000000, 31, 1),
    EQ("i32.shr_u", 0x80000000, 32, 0x80000000),
    EQ("i32.shr_u", 0xffffffff, 0x7fffffff, 1),
    EQ("i64.shl", 1, 63, 0x8000000000000000),
    EQ("i64.shl", 1, 64, 1),
    EQ("i64.shl", 1, 0xffffffffffffffff, 0x8000000000000000),
    EQ("i64.shr_s", 0x8000000000000000, 64, 0x8000000000000000),
    EQ("i64.shr_s", 0x8000000000000000, 65, 0xc000000000000000),
    EQ("i64.shr_u", 0x8000000000000000, 65, 0x4000000000000000),
    EQ("i64.shr_u", 0xffffffffffffffff, 0x7fffffffffffffff, 1),
    EQ("i32.rotl", 0xabcd9876, 1, 0x579b30ed),
    EQ("i32.rotl", 0xabcd9876, 32, 0xabcd9876),
    EQ("i32.rotl", 0xabcd9876, 0xffffffff, 0x55e6cc3b),
    EQ("i32.rotr", 0xabcd9876, 1, 0x55e6cc3b),
    EQ("i32.rotr", 0xabcd9876, 33, 0x55e6cc3b),
    EQ("i32.rotr", 0xabcd9876, 0, 0xabcd9876),
    EQ("i64.rotl", 0xabcd987602468ace, 1, 0x579b30ec048d159d),
    EQ("i64.rotl", 0xabcd987602468ace, 65, 0x579b30ec048d159d),
    EQ("i64.rotr", 0xabcd987602468ace, 1, 0x55e6cc3b01234567),
    EQ("i64.rotr", 0xabcd987602468ace, 0xffffffffffffffff, 0x579b30ec048d159d),
    /* clz/ctz of zero are the width (not undefined as in LLVM's default). */
    EQ("i32.clz", 0, 0, 32),
    EQ("i32.clz", 1, 0, 31),
    EQ("i32.clz", 0x80000000, 0, 0),
    EQ("i32.clz", 0x00008000, 0, 16),
    EQ("i32.ctz", 0, 0, 32),
    EQ("i32.ctz", 0x80000000, 0, 31),
    EQ("i32.ctz", 0x00010000, 0, 16),
    EQ("i32.popcnt", 0xffffffff, 0, 32),
    EQ("i32.popcnt", 0xaaaaaaaa, 0, 16),
    EQ("i32.popcnt", 0, 0, 0),
    EQ("i64.clz", 0, 0, 64),
    EQ("i64.clz", 0x0000000100000000, 0, 31),
    EQ("i64.ctz", 0, 0, 64),
    EQ("i64.ctz", 0x8000000000000000, 0, 63),
    EQ("i64.popcnt", 0xffffffffffffffff, 0, 64),
    EQ("i64.popcnt", 0x8000800080008000, 0, 4),
    EQ("i32.extend8_s", 0x80, 0, 0xffffff80),
    EQ("i32.extend8_s", 0x7f, 0, 0x7f),
    EQ("i32.extend8_s", 0x12345680, 0, 0xffffff80),
    EQ("i32.extend16_s", 0x8000, 0, 0xffff8000),
    EQ("i32.extend16_s", 0xffff7fff, 0, 0x7fff),
    EQ("i64.extend8_s", 0x0123456789abcd80, 0, 0xffffffffffffff80),
    EQ("i64.extend16_s", 0x8000, 0, 0xffffffffffff8000),
    EQ("i64.extend32_s", 0x80000000, 0, 0xffffffff80000000),
    EQ("i64.extend32_s", 0xffffffff7fffffff, 0, 0x7fffffff),
    EQ("i32.wrap_i64", 0xfedcba9800000005, 0, 5),
    EQ("i32.wrap_i64", 0x00000000ffffffff, 0, 0xffffffff),
    EQ("i64.extend_i32_s", 0x80000000, 0, 0xffffffff80000000),
    EQ("i64.extend_i32_u", 0x80000000, 0, 0x80000000),
};

Test(lower_numeric, int_bits, .timeout = 240) {
    CHECK_TABLE(int_bits);
}

/* ---- Comparisons (spec 4.3.2, 4.3.3; f32_cmp.wast) ---- */

static const Case compares[] = {
    EQ("i32.eqz", 0, 0, 1),
    EQ("i32.eqz", 0x80000000, 0, 0),
    EQ("i64.eqz", 0, 0, 1),
    EQ("i64.eqz", 0x100000000, 0, 0), /* all 64 bits count */
    EQ("i32.eq", 0x80000000, 0x80000000, 1),
    EQ("i32.ne", 0x80000000, 0x7fffffff, 1),
    EQ("i32.lt_s", 0xffffffff, 1, 1),
    EQ("i32.lt_u", 0xffffffff, 1, 0),
    EQ("i32.gt_s", 0x80000000, 0x7fffffff, 0),
    EQ("i32.gt_u", 0x80000000, 0x7fffffff, 1),
    EQ("i32.le_s", 0x80000000, 0x80000000, 1),
    EQ("i32.le_u", 0x80000001, 0x80000000, 0),
    EQ("i32.ge_s", 0x7fffffff, 0x80000000, 1),
    EQ("i32.ge_u", 0x7fffffff, 0x80000000, 0),
    EQ("i64.lt_s", 0x8000000000000000, 0x7fffffffffffffff, 1),
    EQ("i64.lt_u", 0x8000000000000000, 0x7fffffffffffffff, 0),
    EQ("i64.ge_u", 0xffffffffffffffff, 0, 1),
    EQ("i64.eq", 0x100000000, 0, 0),
    /* Float compares are ordered, except ne (true for NaN). -0 == +0. */
    EQ("f32.eq", F32_QNAN, F32_QNAN, 0),
    EQ("f32.eq", 0, F32_NZERO, 1),
    EQ("f32.ne", F32_QNAN, F32_QNAN, 1),
    EQ("f32.ne", F32_SNAN, F32_ONE, 1),
    EQ("f32.ne", 0, F32_NZERO, 0),
    EQ("f32.lt", F32_QNAN, F32_ONE, 0),
    EQ("f32.lt", F32_NZERO, 0, 0),
    EQ("f32.lt", F32_NINF, F32_ONE, 1),
    EQ("f32.le", F32_NZERO, 0, 1),
    EQ("f32.le", F32_ONE, F32_NQNAN, 0),
    EQ("f32.gt", F32_INF, F32_QNAN, 0),
    EQ("f32.gt", F32_ONE, F32_NONE, 1),
    EQ("f32.ge", F32_SNAN, F32_SNAN, 0),
    EQ("f32.ge", 0, F32_NZERO, 1),
    EQ("f64.eq", F64_QNAN, F64_QNAN, 0),
    EQ("f64.eq", 0, F64_NZERO, 1),
    EQ("f64.ne", F64_SNAN, F64_SNAN, 1),
    EQ("f64.lt", F64_NZERO, 0, 0),
    EQ("f64.lt", F64_QNAN, F64_INF, 0),
    EQ("f64.le", F64_ONE, F64_ONE, 1),
    EQ("f64.gt", F64_QNAN, F64_NINF, 0),
    EQ("f64.ge", F64_NINF, F64_NINF, 1),
};

Test(lower_numeric, compares, .timeout = 240) {
    CHECK_TABLE(compares);
}

/* ---- Float arithmetic (spec 4.3.3; f32.wast, f64.wast, float_exprs.wast) ---- */

static const Case float_arith[] = {
    EQ("f32.add", F32_ONE, F32_ONE, 0x40000000),
    EQ("f32.add", F32_NZERO, F32_NZERO, F32_NZERO),
    EQ("f32.add", 0, F32_NZERO, 0),
    CANON("f32.add", F32_INF, F32_NINF),
    CANON("f32.add", F32_QNAN, F32_ONE),
    CANON("f32.add", F32_ONE, F32_NQNAN),
    ARITH("f32.add", F32_SNAN, F32_ONE),
    ARITH("f32.add", F32_ONE, F32_NSNAN),
    /* x + -0.0, x - 0.0, x * 1.0, x / 1.0 must not fold to x for a signalling x. */
    ARITH("f32.add", F32_SNAN, F32_NZERO),
    ARITH("f32.add", F32_NZERO, F32_SNAN),
    ARITH("f32.sub", F32_SNAN, 0),
    ARITH("f32.sub", F32_NZERO, F32_SNAN),
    ARITH("f32.sub", 0, F32_SNAN),
    EQ("f32.sub", F32_NZERO, 0, F32_NZERO),
    EQ("f32.sub", 0, 0, 0),
    ARITH("f32.mul", F32_SNAN, F32_ONE),
    ARITH("f32.mul", F32_NONE, F32_SNAN),
    ARITH("f32.mul", F32_SNAN, 0),
    CANON("f32.mul", F32_INF, 0),
    EQ("f32.mul", F32_NZERO, 0x40000000, F32_NZERO),
    ARITH("f32.div", F32_SNAN, F32_ONE),
    ARITH("f32.div", F32_SNAN, F32_NONE),
    ARITH("f32.div", 0, F32_SNAN),
    CANON("f32.div", 0, 0),
    CANON("f32.div", F32_INF, F32_NINF),
    EQ("f32.div", F32_ONE, 0, F32_INF),
    EQ("f32.div", F32_ONE, F32_NZERO, F32_NINF),
    EQ("f32.div", F32_ONE, 0x40400000, 0x3eaaaaab),
    EQ("f32.sqrt", 0x40800000, 0, 0x40000000),
    EQ("f32.sqrt", F32_NZERO, 0, F32_NZERO),
    EQ("f32.sqrt", F32_INF, 0, F32_INF),
    CANON("f32.sqrt", F32_NONE, 0),
    ARITH("f32.sqrt", F32_SNAN, 0),
    EQ("f64.add", F64_NZERO, F64_NZERO, F64_NZERO),
    CANON("f64.add", F64_INF, F64_NINF),
    ARITH("f64.add", F64_SNAN, F64_NZERO),
    ARITH("f64.sub", F64_SNAN, 0),
    ARITH("f64.sub", F64_NZERO, F64_SNAN),
    ARITH("f64.mul", F64_NONE, F64_SNAN),
    ARITH("f64.mul", F64_SNAN, F64_ONE),
    ARITH("f64.div", F64_SNAN, F64_ONE),
    ARITH("f64.div", F64_SNAN, F64_NONE),
    CANON("f64.div", 0, F64_NZERO),
    EQ("f64.div", F64_NONE, 0, F64_NINF),
    EQ("f64.div", F64_ONE, 0x4008000000000000, 0x3fd5555555555555),
    EQ("f64.sqrt", 0x4010000000000000, 0, 0x4000000000000000),
    EQ("f64.sqrt", F64_NZERO, 0, F64_NZERO),
    CANON("f64.sqrt", F64_NINF, 0),
    ARITH("f64.sqrt", F64_SNAN, 0),
};

Test(lower_numeric, float_arith, .timeout = 240) {
    CHECK_TABLE(float_arith);
}

/* ---- min, max, copysign, abs, neg (spec 4.3.3 fmin, fmax, fcopysign, fabs, fneg) ---- */

static const Case float_sign[] = {
    /* -0 < +0; NaN if either operand is NaN, quiet even for a signalling input. */
    EQ("f32.min", 0, F32_NZERO, F32_NZERO),
    EQ("f32.min", F32_NZERO, 0, F32_NZERO),
    EQ("f32.min", F32_NZERO, F32_NZERO, F32_NZERO),
    EQ("f32.max", F32_NZERO, 0, 0),
    EQ("f32.max", 0, F32_NZERO, 0),
    EQ("f32.max", F32_NZERO, F32_NZERO, F32_NZERO),
    EQ("f32.min", F32_ONE, 0x40000000, F32_ONE),
    EQ("f32.min", F32_NINF, F32_ONE, F32_NINF),
    EQ("f32.max", F32_NONE, 0xc0000000, F32_NONE),
    EQ("f32.max", F32_NINF, F32_INF, F32_INF),
    CANON("f32.min", F32_QNAN, F32_ONE),
    CANON("f32.min", F32_ONE, F32_NQNAN),
    CANON("f32.max", F32_QNAN, F32_INF),
    CANON("f32.max", F32_NINF, F32_QNAN),
    ARITH("f32.min", F32_SNAN, F32_ONE),
    ARITH("f32.min", F32_ONE, F32_SNAN),
    ARITH("f32.min", F32_NZERO, F32_NSNAN),
    ARITH("f32.max", F32_SNAN, F32_NZERO),
    ARITH("f32.max", F32_SNAN, F32_SNAN),
    ARITH("f32.min", F32_INF, F32_SNAN),
    EQ("f64.min", 0, F64_NZERO, F64_NZERO),
    EQ("f64.min", F64_NZERO, 0, F64_NZERO),
    EQ("f64.max", F64_NZERO, 0, 0),
    EQ("f64.max", 0, F64_NZERO, 0),
    EQ("f64.min", F64_NINF, F64_ONE, F64_NINF),
    EQ("f64.max", F64_NONE, 0xc000000000000000, F64_NONE),
    CANON("f64.min", F64_QNAN, F64_ONE),
    CANON("f64.max", F64_ONE, F64_QNAN),
    ARITH("f64.min", F64_SNAN, F64_NZERO),
    ARITH("f64.max", F64_NZERO, F64_SNAN),
    ARITH("f64.max", F64_SNAN, F64_INF),
    /* copysign, abs and neg only touch the sign bit: NaN payloads survive exactly. */
    EQ("f32.copysign", F32_ONE, F32_NZERO, F32_NONE),
    EQ("f32.copysign", F32_SNAN, F32_NONE, F32_NSNAN),
    EQ("f32.copysign", F32_NSNAN, F32_ONE, F32_SNAN),
    EQ("f32.copysign", F32_NINF, 0, F32_INF),
    EQ("f32.copysign", F32_ONE, F32_NQNAN, F32_NONE),
    EQ("f32.abs", F32_NSNAN, 0, F32_SNAN),
    EQ("f32.abs", F32_NZERO, 0, 0),
    EQ("f32.abs", F32_NINF, 0, F32_INF),
    EQ("f32.neg", F32_SNAN, 0, F32_NSNAN),
    EQ("f32.neg", 0, 0, F32_NZERO),
    EQ("f32.neg", F32_QNAN, 0, F32_NQNAN),
    EQ("f64.copysign", F64_SNAN, F64_NONE, 0xfff4000000000000),
    EQ("f64.copysign", F64_ONE, F64_NZERO, F64_NONE),
    EQ("f64.abs", 0xfff4000000000000, 0, F64_SNAN),
    EQ("f64.neg", F64_SNAN, 0, 0xfff4000000000000),
    EQ("f64.neg", F64_NZERO, 0, 0),
};

Test(lower_numeric, float_sign, .timeout = 240) {
    CHECK_TABLE(float_sign);
}

/* ---- Rounding (spec 4.3.3 fceil, ffloor, ftrunc, fnearest) ---- */

static const Case float_round[] = {
    EQ("f32.ceil", 0xbf000000, 0, F32_NZERO), /* ceil(-0.5) = -0 */
    EQ("f32.ceil", 0x3f000000, 0, F32_ONE),
    EQ("f32.ceil", F32_NZERO, 0, F32_NZERO),
    EQ("f32.ceil", 0x3fc00000, 0, 0x40000000),
    ARITH("f32.ceil", F32_SNAN, 0),
    CANON("f32.ceil", F32_QNAN, 0),
    EQ("f32.floor", 0xbf000000, 0, F32_NONE),
    EQ("f32.floor", 0x3f000000, 0, 0),
    EQ("f32.floor", F32_NZERO, 0, F32_NZERO),
    ARITH("f32.floor", F32_NSNAN, 0),
    EQ("f32.trunc", 0xbfc00000, 0, F32_NONE),
    EQ("f32.trunc", 0xbf000000, 0, F32_NZERO),
    EQ("f32.trunc", 0x3fc00000, 0, F32_ONE),
    ARITH("f32.trunc", F32_SNAN, 0),
    /* nearest rounds half to even. */
    EQ("f32.nearest", 0x3f000000, 0, 0),
    EQ("f32.nearest", 0x3fc00000, 0, 0x40000000),
    EQ("f32.nearest", 0x40200000, 0, 0x40000000),
    EQ("f32.nearest", 0x40900000, 0, 0x40800000),
    EQ("f32.nearest", 0xbf000000, 0, F32_NZERO),
    EQ("f32.nearest", 0xbfc00000, 0, 0xc0000000),
    EQ("f32.nearest", 0x4affffff, 0, 0x4b000000), /* 8388607.5 -> 8388608 */
    EQ("f32.nearest", 0xcaffffff, 0, 0xcb000000),
    EQ("f32.nearest", 0x4b000001, 0, 0x4b000001),
    EQ("f32.nearest", F32_NZERO, 0, F32_NZERO),
    EQ("f32.nearest", F32_NINF, 0, F32_NINF),
    ARITH("f32.nearest", F32_SNAN, 0),
    CANON("f32.nearest", F32_NQNAN, 0),
    EQ("f64.ceil", 0xbfe0000000000000, 0, F64_NZERO),
    EQ("f64.ceil", 0x3ff8000000000000, 0, 0x4000000000000000),
    EQ("f64.floor", 0xbfe0000000000000, 0, F64_NONE),
    EQ("f64.floor", F64_NZERO, 0, F64_NZERO),
    EQ("f64.trunc", 0xbff8000000000000, 0, F64_NONE),
    EQ("f64.trunc", 0xbfe0000000000000, 0, F64_NZERO),
    ARITH("f64.trunc", F64_SNAN, 0),
    EQ("f64.nearest", 0x3fe0000000000000, 0, 0),
    EQ("f64.nearest", 0xbfe0000000000000, 0, F64_NZERO),
    EQ("f64.nearest", 0x3ff8000000000000, 0, 0x4000000000000000),
    EQ("f64.nearest", 0x4004000000000000, 0, 0x4000000000000000),
    EQ("f64.nearest", 0xc004000000000000, 0, 0xc000000000000000),
    EQ("f64.nearest", 0x432fffffffffffff, 0, 0x4330000000000000), /* 2^52 - 0.5 */
    ARITH("f64.nearest", F64_SNAN, 0),
};

Test(lower_numeric, float_round, .timeout = 240) {
    CHECK_TABLE(float_round);
}

/* ---- Conversions (spec 4.3.4; conversions.wast) ---- */

static const Case conversions[] = {
    /* Trapping truncation: exact bounds per (integer, float, signedness). */
    EQ("i32.trunc_f32_s", 0xcf000000, 0, 0x80000000), /* -2^31 */
    EQ("i32.trunc_f32_s", 0x4effffff, 0, 0x7fffff80), /* largest f32 below 2^31 */
    EQ("i32.trunc_f32_s", 0xbf666666, 0, 0),          /* -0.9 */
    EQ("i32.trunc_f32_s", F32_NZERO, 0, 0),
    TRAP("i32.trunc_f32_s", 0x4f000000, 0, OVF), /* 2^31 */
    TRAP("i32.trunc_f32_s", 0xcf000001, 0, OVF), /* next f32 below -2^31 */
    TRAP("i32.trunc_f32_s", F32_INF, 0, OVF),
    TRAP("i32.trunc_f32_s", F32_QNAN, 0, INVAL),
    TRAP("i32.trunc_f32_s", F32_NSNAN, 0, INVAL),
    EQ("i32.trunc_f32_u", 0x4f7fffff, 0, 0xffffff00),
    EQ("i32.trunc_f32_u", 0xbf7fffff, 0, 0),     /* -0.99999994 */
    TRAP("i32.trunc_f32_u", 0x4f800000, 0, OVF), /* 2^32 */
    TRAP("i32.trunc_f32_u", F32_NONE, 0, OVF),
    TRAP("i32.trunc_f32_u", F32_QNAN, 0, INVAL),
    EQ("i32.trunc_f64_s", 0xc1e00000001ccccd, 0, 0x80000000), /* -2147483648.9 */
    EQ("i32.trunc_f64_s", 0x41dffffffff9999a, 0, 0x7fffffff), /* 2147483647.9 */
    TRAP("i32.trunc_f64_s", 0xc1e0000000200000, 0, OVF),      /* -2147483649.0 */
    TRAP("i32.trunc_f64_s", 0x41e0000000000000, 0, OVF),      /* 2^31 */
    TRAP("i32.trunc_f64_s", F64_QNAN, 0, INVAL),
    EQ("i32.trunc_f64_u", 0x41effffffffccccd, 0, 0xffffffff), /* 4294967295.9 */
    EQ("i32.trunc_f64_u", 0xbfeccccccccccccd, 0, 0),          /* -0.9 */
    TRAP("i32.trunc_f64_u", 0x41f0000000000000, 0, OVF),      /* 2^32 */
    TRAP("i32.trunc_f64_u", F64_NONE, 0, OVF),
    TRAP("i32.trunc_f64_u", F64_SNAN, 0, INVAL),
    EQ("i64.trunc_f32_s", 0xdf000000, 0, 0x8000000000000000),
    EQ("i64.trunc_f32_s", 0x5effffff, 0, 0x7fffff8000000000),
    TRAP("i64.trunc_f32_s", 0x5f000000, 0, OVF),
    TRAP("i64.trunc_f32_s", 0xdf000001, 0, OVF),
    TRAP("i64.trunc_f32_s", F32_QNAN, 0, INVAL),
    EQ("i64.trunc_f32_u", 0x5f7fffff, 0, 0xffffff0000000000),
    EQ("i64.trunc_f32_u", 0xbf7fffff, 0, 0),
    TRAP("i64.trunc_f32_u", 0x5f800000, 0, OVF),
    TRAP("i64.trunc_f32_u", F32_NONE, 0, OVF),
    EQ("i64.trunc_f64_s", 0xc3e0000000000000, 0, 0x8000000000000000),
    EQ("i64.trunc_f64_s", 0x43dfffffffffffff, 0, 0x7ffffffffffffc00),
    TRAP("i64.trunc_f64_s", 0x43e0000000000000, 0, OVF),
    TRAP("i64.trunc_f64_s", 0xc3e0000000000001, 0, OVF),
    TRAP("i64.trunc_f64_s", F64_NINF, 0, OVF),
    TRAP("i64.trunc_f64_s", F64_QNAN, 0, INVAL),
    EQ("i64.trunc_f64_u", 0x43efffffffffffff, 0, 0xfffffffffffff800),
    EQ("i64.trunc_f64_u", 0xbfeccccccccccccd, 0, 0),
    TRAP("i64.trunc_f64_u", 0x43f0000000000000, 0, OVF),
    TRAP("i64.trunc_f64_u", F64_NONE, 0, OVF),
    TRAP("i64.trunc_f64_u", F64_SNAN, 0, INVAL),
    /* Saturating truncation: NaN -> 0, out of range -> the nearest bound. */
    EQ("i32.trunc_sat_f32_s", F32_QNAN, 0, 0),
    EQ("i32.trunc_sat_f32_s", 0x4f000000, 0, 0x7fffffff),
    EQ("i32.trunc_sat_f32_s", F32_NINF, 0, 0x80000000),
    EQ("i32.trunc_sat_f32_u", F32_NONE, 0, 0),
    EQ("i32.trunc_sat_f32_u", 0x4f800000, 0, 0xffffffff),
    EQ("i32.trunc_sat_f64_s", 0xc1e0000000200000, 0, 0x80000000),
    EQ("i32.trunc_sat_f64_u", 0x41effffffffccccd, 0, 0xffffffff),
    EQ("i32.trunc_sat_f64_u", F64_SNAN, 0, 0),
    EQ("i64.trunc_sat_f32_s", F32_INF, 0, 0x7fffffffffffffff),
    EQ("i64.trunc_sat_f32_u", F32_NINF, 0, 0),
    EQ("i64.trunc_sat_f64_s", 0x43e0000000000000, 0, 0x7fffffffffffffff),
    EQ("i64.trunc_sat_f64_s", F64_QNAN, 0, 0),
    EQ("i64.trunc_sat_f64_u", 0x43f0000000000000, 0, 0xffffffffffffffff),
    EQ("i64.trunc_sat_f64_u", 0x43efffffffffffff, 0, 0xfffffffffffff800),
    /* int -> float rounds to nearest even, in one rounding (no double rounding). */
    EQ("f32.convert_i32_s", 0x7fffffff, 0, 0x4f000000),
    EQ("f32.convert_i32_s", 0x80000000, 0, 0xcf000000),
    EQ("f32.convert_i32_u", 0xffffffff, 0, 0x4f800000),
    EQ("f32.convert_i32_u", 0x80000080, 0, 0x4f000000),
    EQ("f32.convert_i32_u", 0x80000081, 0, 0x4f000001),
    EQ("f32.convert_i64_s", 0x0020000020000001, 0, 0x5a000001),
    EQ("f32.convert_i64_s", 0xffdfffffdfffffff, 0, 0xda000001),
    EQ("f32.convert_i64_u", 0xffffffffffffffff, 0, 0x5f800000),
    EQ("f32.convert_i64_u", 0x8000008000000001, 0, 0x5f000001),
    EQ("f32.convert_i64_u", 0xfffffe8000000001, 0, 0x5f7fffff),
    EQ("f64.convert_i32_u", 0xffffffff, 0, 0x41efffffffe00000),
    EQ("f64.convert_i64_s", 0x0020000000000001, 0, 0x4340000000000000),
    EQ("f64.convert_i64_s", 0x8000000000000000, 0, 0xc3e0000000000000),
    EQ("f64.convert_i64_u", 0xffffffffffffffff, 0, 0x43f0000000000000),
    EQ("f64.convert_i64_u", 0x8000000000000401, 0, 0x43e0000000000001),
    EQ("f64.convert_i64_u", 0xfffffffffffff401, 0, 0x43efffffffffffff),
    /* demote/promote: correctly rounded; NaN becomes quiet. */
    EQ("f32.demote_f64", 0x3fb999999999999a, 0, 0x3dcccccd), /* 0.1 */
    EQ("f32.demote_f64", 0x7e37e43c8800759c, 0, F32_INF),    /* 1e300 */
    EQ("f32.demote_f64", 0x47efffffefffffff, 0, 0x7f7fffff), /* just below the overflow */
    EQ("f32.demote_f64", 0x3690000000000000, 0, 0),          /* 2^-150 ties to even 0 */
    EQ("f32.demote_f64", F64_NZERO, 0, F32_NZERO),
    ARITH("f32.demote_f64", F64_SNAN, 0),
    CANON("f32.demote_f64", F64_QNAN, 0),
    EQ("f64.promote_f32", 0x00000001, 0, 0x36a0000000000000),
    EQ("f64.promote_f32", F32_NINF, 0, F64_NINF),
    ARITH("f64.promote_f32", F32_SNAN, 0),
    CANON("f64.promote_f32", F32_QNAN, 0),
    /* demote(promote(x)) is not folded to x (float_exprs.wast no_fold_promote_demote). */
    ARITH("f64.promote_f32 f32.demote_f64", F32_SNAN, 0),
    EQ("f64.promote_f32 f32.demote_f64", F32_NZERO, 0, F32_NZERO),
    EQ("f64.promote_f32 f32.demote_f64", 0x00000001, 0, 0x00000001),
    /* reinterpret and float constants keep every bit, signalling NaNs included. */
    EQ("i32.reinterpret_f32", F32_NSNAN, 0, F32_NSNAN),
    EQ("i32.reinterpret_f32", 0xff800001, 0, 0xff800001),
    EQ("i64.reinterpret_f64", 0x7ff0000000000001, 0, 0x7ff0000000000001),
    EQ("f32.reinterpret_i32", 0x7fa00001, 0, 0x7fa00001),
    EQ("f64.reinterpret_i64", 0xfff4000000000001, 0, 0xfff4000000000001),
    EQ("f64.reinterpret_i64 i64.reinterpret_f64", 0x7ff0000000000001, 0, 0x7ff0000000000001),
};

Test(lower_numeric, conversions, .timeout = 240) {
    CHECK_TABLE(conversions);
}
