/*
 * Unit tests for the validator (compiler/wasm/validate.c).
 *
 * Most modules are written as .wat text and assembled at test time with
 * `wat2wasm --no-check --debug-names` (so invalid modules assemble, and
 * functions carry names for the diagnostics); modules the text format cannot
 * express (a body without its final end, an else outside an if, no data count
 * section) are given as bytes. Each invalid module checks the message prefix
 * (the spec suite's wording), the function index, and where useful the
 * opcode at the reported offset.
 */
#include "wasm/decode.h"
#include "wasm/validate.h"
#include "wasm2_encodings.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The result of decoding and validating one module; `bytes` stays alive for offset checks. */
typedef struct Outcome {
    bool decoded;
    bool valid;
    WaDiag d;
    uint8_t *bytes;
    size_t size;
    char func_name[128]; /* copy of d.func_name, which points into the freed module */
} Outcome;

static uint8_t *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* Decodes and validates `size` bytes (a copy is kept in the outcome). */
static Outcome run_bytes(const uint8_t *bytes, size_t size) {
    Outcome o = {0};
    o.bytes = malloc(size ? size : 1);
    memcpy(o.bytes, bytes, size);
    o.size = size;
    wa_diag_init(&o.d, "test.wasm");
    WaModule m;
    o.decoded = wa_decode_module(o.bytes, size, "test.wasm", test_encoding, &m, &o.d);
    if (o.decoded) {
        o.valid = wa_validate_module(&m, &o.d);
        if (o.d.has_func_name)
            snprintf(o.func_name, sizeof o.func_name, "%s", o.d.func_name);
        wa_module_free(&m);
    }
    return o;
}

/* Assembles `wat` with wat2wasm (no validation, so invalid modules assemble) and runs it. */
static Outcome run_wat(const char *wat) {
    char wat_path[] = "/tmp/wa_validate_XXXXXX";
    int fd = mkstemp(wat_path);
    cr_assert_geq(fd, 0);
    size_t len = strlen(wat);
    cr_assert_eq(write(fd, wat, len), (ssize_t)len);
    close(fd);
    char wasm_path[64];
    snprintf(wasm_path, sizeof wasm_path, "%s.wasm", wat_path);
    char cmd[256];
    snprintf(cmd, sizeof cmd,
             "wat2wasm --no-check --debug-names --enable-multi-memory --enable-threads %s -o %s",
             wat_path, wasm_path);
    int rc = system(cmd);
    unlink(wat_path);
    cr_assert_eq(rc, 0, "wat2wasm failed on:\n%s", wat);
    size_t size;
    uint8_t *bytes = slurp(wasm_path, &size);
    unlink(wasm_path);
    Outcome o = run_bytes(bytes, size);
    free(bytes);
    return o;
}

static void expect_valid(const char *wat) {
    Outcome o = run_wat(wat);
    char buf[1024];
    cr_assert(o.decoded, "decode failed: %s", wa_diag_format(&o.d, buf, sizeof buf));
    cr_assert(o.valid, "expected valid, got: %s\n%s", wa_diag_format(&o.d, buf, sizeof buf), wat);
    free(o.bytes);
}

/* Expects decoding to succeed and validation to fail with `prefix`; returns the outcome. */
static Outcome expect_invalid_outcome(Outcome o, const char *prefix) {
    char buf[1024];
    cr_assert(o.decoded, "decode failed: %s", wa_diag_format(&o.d, buf, sizeof buf));
    cr_assert_not(o.valid, "expected \"%s\", but the module validated", prefix);
    cr_assert_eq(strncmp(o.d.message, prefix, strlen(prefix)), 0, "expected \"%s\", got \"%s\"",
                 prefix, o.d.message);
    return o;
}

/*
 * Expects decoding to fail with `prefix`: malformed instruction sequences are
 * the decoder's (it reads every body for structure before validation).
 */
static Outcome expect_malformed_outcome(Outcome o, const char *prefix) {
    cr_assert_not(o.decoded, "expected \"%s\", but the module decoded", prefix);
    cr_assert_eq(strncmp(o.d.message, prefix, strlen(prefix)), 0, "expected \"%s\", got \"%s\"",
                 prefix, o.d.message);
    return o;
}

/* Expects `prefix` in function `func` (WA_NO_FUNC for module-level errors). */
static Outcome expect_invalid(const char *wat, const char *prefix, uint32_t func) {
    Outcome o = expect_invalid_outcome(run_wat(wat), prefix);
    cr_assert_eq(o.d.func_index, func, "error in func %u, expected %u: %s", o.d.func_index, func,
                 o.d.message);
    return o;
}

static void check_invalid(const char *wat, const char *prefix, uint32_t func) {
    free(expect_invalid(wat, prefix, func).bytes);
}

/* The byte at the reported offset: the opcode of the offending instruction. */
static uint8_t byte_at_error(const Outcome *o) {
    cr_assert(o->d.has_offset);
    cr_assert_lt(o->d.offset, o->size);
    return o->bytes[o->d.offset];
}

/* ---- Valid modules ------------------------------------------------------------------------ */

/* Threads proposal: alignment exactly natural, a shared memory's maximum, typed operands. */
Test(validate, threads) {
    test_encoding = wa_features_default();
    expect_valid("(module (memory 1 1 shared) (func (result i32)"
                 " (i32.atomic.rmw8.cmpxchg_u (i32.const 0) (i32.const 1) (i32.const 2))))");
    expect_valid("(module (memory i64 1 1 shared) (func (result i32)"
                 " (memory.atomic.wait64 (i64.const 0) (i64.const 1) (i64.const -1))))");
    check_invalid("(module (memory 1 1 shared) (func (result i32)"
                  " (i32.atomic.load align=2 (i32.const 0))))",
                  "atomic alignment must be natural: i32.atomic.load align=2^1, natural 2^2", 0);
    check_invalid("(module (memory 1 1) (func (result i64)"
                  " (i64.atomic.load8_u align=2 (i32.const 0))))",
                  "atomic alignment must be natural", 0);
    check_invalid("(module (memory 1 shared))", "shared memory must have maximum", WA_NO_FUNC);
    check_invalid("(module (memory i64 1 1) (func (result i32)"
                  " (memory.atomic.notify (i32.const 0) (i32.const 1))))",
                  "type mismatch", 0);
}

Test(validate, accepts_numeric_and_control) {
    expect_valid("(module (func (param i32 i64) (result i64)"
                 "  (local f32)"
                 "  (block (result i64) (i64.extend_i32_u (local.get 0)) (br 0))"
                 "  (local.get 1) i64.add"
                 "  (loop (param i64) (result i64) (br_if 0 (i32.const 0)))"
                 "  (if (result i64) (i32.const 1) (then (i64.const 1)) (else (i64.const 2)))"
                 "  i64.mul))");
}

Test(validate, accepts_multi_value_blocks) {
    expect_valid("(module (type $t (func (param i32 i32) (result i32 i32)))"
                 "  (func (result i32) (i32.const 1) (i32.const 2)"
                 "    (block (type $t) (param i32 i32) (result i32 i32))"
                 "    (if (type $t) (param i32 i32) (result i32 i32) (i32.const 1)"
                 "      (then) (else))"
                 "    i32.add))");
}

Test(validate, accepts_polymorphic_stack) {
    expect_valid("(module (func (result i32) unreachable i32.add)"
                 "  (func (result f64) (block (result f64) (br 0 (f64.const 1)) f32.neg drop))"
                 "  (func (param i32) (result i32)"
                 "    (block (result i32) (block (result i32)"
                 "      (br_table 0 1 1 (i32.const 7) (local.get 0)))))"
                 "  (func unreachable select drop)"
                 "  (func (result i32) (return (i32.const 1)) select))");
}

Test(validate, accepts_memory_globals_and_refs) {
    expect_valid("(module (import \"env\" \"g\" (global $g i32))"
                 "  (memory 1 2) (table 2 funcref)"
                 "  (global $h (mut i32) (global.get $g))"
                 "  (global funcref (ref.func $f))"
                 "  (elem (i32.const 0) $f)"
                 "  (data (i32.const 0) \"hi\")"
                 "  (func $f (export \"f\") (param i32) (result i32)"
                 "    (i32.store8 offset=3 (local.get 0) (i32.load16_u align=2 (local.get 0)))"
                 "    (global.set $h (i32.const 5))"
                 "    (drop (ref.func $f))"
                 "    (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))"
                 "    (data.drop 0)"
                 "    (drop (memory.grow (memory.size)))"
                 "    (call_indirect (param i32) (result i32) (i32.const 0) (i32.const 0)))"
                 "  (start $s) (func $s))");
}

Test(validate, accepts_tables_and_simd) {
    expect_valid("(module (table $e 1 externref) (table $f 1 funcref) (memory 1)"
                 "  (elem $seg funcref (ref.null func))"
                 "  (func (param externref) (result v128)"
                 "    (table.set $e (i32.const 0) (local.get 0))"
                 "    (drop (table.grow $e (ref.null extern) (i32.const 1)))"
                 "    (table.init $f $seg (i32.const 0) (i32.const 0) (i32.const 1))"
                 "    (table.copy $f $f (i32.const 0) (i32.const 0) (i32.const 1))"
                 "    (elem.drop $seg)"
                 "    (drop (ref.is_null (table.get $e (i32.const 0))))"
                 "    (drop (i32x4.extract_lane 3 (v128.const i32x4 1 2 3 4)))"
                 "    (drop (select (result externref) (local.get 0) (local.get 0) (i32.const 1)))"
                 "    (v128.load8_lane 15 (i32.const 0) (v128.const i64x2 0 0))))");
}

/* ---- Function bodies ------------------------------------------------------------------------ */

Test(validate, rejects_operand_type_mismatch_in_right_function) {
    Outcome o = expect_invalid("(module (func $ok (result i32) (i32.const 1))"
                               "  (func $bad (result i32) (i32.add (i32.const 1) (f32.const 2))))",
                               "type mismatch", 1);
    cr_assert_str_eq(o.func_name, "bad");
    cr_assert_eq(byte_at_error(&o), 0x6A, "offset should point at i32.add");
    free(o.bytes);
}

Test(validate, rejects_stack_underflow_and_leftovers) {
    check_invalid("(module (func (result i32) (i32.add (i32.const 1))))", "type mismatch", 0);
    check_invalid("(module (func (i32.const 1)))", "type mismatch", 0);
    check_invalid("(module (func (result i32)))", "type mismatch", 0);
    check_invalid("(module (func (block (result i32) (i32.const 1)) (i32.const 2) drop))",
                  "type mismatch", 0);
}

Test(validate, rejects_block_and_branch_errors) {
    check_invalid("(module (func (block (result i32) (br 0))))", "type mismatch", 0);
    check_invalid("(module (func (br 1)))", "unknown label", 0);
    check_invalid(
        "(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))",
        "type mismatch", 0);
    check_invalid("(module (func (block (param i32))))", "type mismatch", 0);
    check_invalid("(module (func (loop (result i32) (br 0 (i32.const 1)))))", "type mismatch", 0);
    check_invalid("(module (func (block (result i32)"
                  "  (block (result f32) (br_table 0 1 (f32.const 1) (i32.const 0))) drop"
                  "  (i32.const 0))))",
                  "type mismatch", 0);
    check_invalid("(module (func (block (result i32) (br_table 0 1 (i32.const 1) (i32.const 0)))"
                  "  drop))",
                  "type mismatch", 0);
    check_invalid("(module (func (result i32) (return (f32.const 1))))", "type mismatch", 0);
}

Test(validate, rejects_variable_errors) {
    check_invalid("(module (func (param i32) (local i64) (drop (local.get 2))))", "unknown local 2",
                  0);
    check_invalid("(module (func (local f32) (local.set 0 (i32.const 1))))", "type mismatch", 0);
    check_invalid("(module (func (drop (global.get 0))))", "unknown global 0", 0);
    check_invalid("(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))",
                  "global is immutable", 0);
}

Test(validate, rejects_call_errors) {
    check_invalid("(module (func (call 7)))", "unknown function 7", 0);
    check_invalid("(module (func $f (param i32)) (func (call $f (i64.const 1))))", "type mismatch",
                  1);
    check_invalid("(module (func (call_indirect (i32.const 0))))", "unknown table", 0);
    check_invalid("(module (table 1 externref) (func (call_indirect (i32.const 0))))",
                  "type mismatch", 0);
}

Test(validate, rejects_select_errors) {
    check_invalid("(module (func (param externref) (drop (select (local.get 0) (local.get 0)"
                  "  (i32.const 1)))))",
                  "type mismatch", 0);
    check_invalid("(module (func (drop (select (i32.const 1) (i64.const 1) (i32.const 1)))))",
                  "type mismatch", 0);
    check_invalid("(module (func (result i32 i32) (select (result i32 i32) (i32.const 0)"
                  "  (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1))))",
                  "invalid result arity", 0);
}

Test(validate, rejects_memory_errors) {
    check_invalid("(module (func (drop (i32.load (i32.const 0)))))", "unknown memory 0", 0);
    check_invalid("(module (func (drop (memory.size))))", "unknown memory", 0);
    Outcome o = expect_invalid("(module (memory 1) (func (drop (i64.load16_s align=4 "
                               "(i32.const 0)))))",
                               "alignment must not be larger than natural", 0);
    cr_assert_eq(byte_at_error(&o), 0x32, "offset should point at i64.load16_s");
    free(o.bytes);
    check_invalid("(module (memory 1) (func (i32.store (i32.const 0) (i64.const 0))))",
                  "type mismatch", 0);
}

Test(validate, rejects_reference_errors) {
    check_invalid("(module (func $f (drop (ref.func $f))))", "undeclared function reference", 0);
    check_invalid("(module (func (drop (ref.is_null (i32.const 1)))))", "type mismatch", 0);
    check_invalid("(module (table 1 funcref) (func (param externref)"
                  "  (table.set 0 (i32.const 0) (local.get 0))))",
                  "type mismatch", 0);
    check_invalid("(module (table 1 funcref) (elem $e externref (ref.null extern))"
                  "  (func (table.init 0 $e (i32.const 0) (i32.const 0) (i32.const 0))))",
                  "type mismatch", 0);
    check_invalid("(module (table $a 1 funcref) (table $b 1 externref)"
                  "  (func (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0))))",
                  "type mismatch", 0);
    check_invalid("(module (func (elem.drop 4)))", "unknown elem segment 4", 0);
    check_invalid("(module (func (drop (table.size 0))))", "unknown table 0", 0);
}

Test(validate, rejects_bulk_memory_errors) {
    check_invalid("(module (memory 1) (data \"x\") (func (data.drop 1)))", "unknown data segment 1",
                  0);
    check_invalid("(module (data \"x\")"
                  "  (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))))",
                  "unknown memory 0", 0);
}

Test(validate, rejects_simd_lane_errors) {
    check_invalid("(module (func (drop (i8x16.extract_lane_s 16 (v128.const i64x2 0 0)))))",
                  "invalid lane index", 0);
    check_invalid("(module (func (drop (f64x2.replace_lane 2 (v128.const i64x2 0 0)"
                  "  (f64.const 0)))))",
                  "invalid lane index", 0);
    check_invalid("(module (memory 1) (func (drop (v128.load32_lane 4 (i32.const 0)"
                  "  (v128.const i64x2 0 0)))))",
                  "invalid lane index", 0);
    check_invalid("(module (func (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32"
                  "  (v128.const i64x2 0 0) (v128.const i64x2 0 0)))))",
                  "invalid lane index", 0);
}

/* Each shape's last lane is valid and the next one is not, for lane operations and accesses. */
Test(validate, lane_index_bounds_follow_the_shape) {
    static const struct {
        const char *op;  /* instruction with its lane index as %u */
        const char *arg; /* operands after the vector */
        unsigned lanes;
    } cases[] = {
        {"i8x16.extract_lane_u %u", "", 16},
        {"i16x8.extract_lane_s %u", "", 8},
        {"i16x8.replace_lane %u", " (i32.const 0)", 8},
        {"i32x4.replace_lane %u", " (i32.const 0)", 4},
        {"i64x2.extract_lane %u", "", 2},
        {"f32x4.extract_lane %u", "", 4},
        {"f64x2.replace_lane %u", " (f64.const 0)", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (unsigned lane = cases[i].lanes - 1; lane <= cases[i].lanes; lane++) {
            char op[64], wat[256];
            snprintf(op, sizeof op, cases[i].op, lane);
            snprintf(wat, sizeof wat, "(module (func (drop (%s (v128.const i64x2 0 0)%s))))", op,
                     cases[i].arg);
            if (lane < cases[i].lanes)
                expect_valid(wat);
            else
                check_invalid(wat, "invalid lane index", 0);
        }
    }
    static const struct {
        const char *access; /* with its lane index as %u */
        unsigned lanes;
    } accesses[] = {
        {"v128.load8_lane %u", 16},  {"v128.load64_lane %u", 2},  {"v128.store8_lane %u", 16},
        {"v128.store16_lane %u", 8}, {"v128.store32_lane %u", 4}, {"v128.load16_lane %u", 8},
    };
    for (size_t i = 0; i < sizeof accesses / sizeof accesses[0]; i++) {
        for (unsigned lane = accesses[i].lanes - 1; lane <= accesses[i].lanes; lane++) {
            char op[64], wat[256];
            snprintf(op, sizeof op, accesses[i].access, lane);
            bool store = strstr(op, "store") != NULL;
            snprintf(wat, sizeof wat,
                     "(module (memory 1) (func %s(%s (i32.const 0) (v128.const i64x2 0 0))%s))",
                     store ? "" : "(drop ", op, store ? "" : ")");
            if (lane < accesses[i].lanes)
                expect_valid(wat);
            else
                check_invalid(wat, "invalid lane index", 0);
        }
    }
}

/* ---- Module level -----------------------------------------------------------------------------
 */

Test(validate, rejects_limits) {
    check_invalid("(module (memory 2 1))", "size minimum must not be greater than maximum",
                  WA_NO_FUNC);
    check_invalid("(module (table 2 1 funcref))", "size minimum must not be greater than maximum",
                  WA_NO_FUNC);
    check_invalid("(module (memory 65537))", "memory size must be at most 65536 pages (4GiB)",
                  WA_NO_FUNC);
    check_invalid("(module (memory 0 65537))", "memory size must be at most 65536 pages (4GiB)",
                  WA_NO_FUNC);
    check_invalid("(module (memory 0) (memory 0))", "multiple memories", WA_NO_FUNC);
    check_invalid("(module (import \"a\" \"b\" (memory 0)) (memory 0))", "multiple memories",
                  WA_NO_FUNC);
}

Test(validate, rejects_constant_expression_errors) {
    check_invalid("(module (global i32 (i32.div_s (i32.const 1) (i32.const 2))))",
                  "constant expression required", WA_NO_FUNC);
    check_invalid("(module (global i32 (i64.const 1)))", "type mismatch", WA_NO_FUNC);
    check_invalid("(module (global i32 (i32.const 1) (i32.const 2)))", "type mismatch", WA_NO_FUNC);
    check_invalid("(module (global i32))", "type mismatch", WA_NO_FUNC);
    check_invalid("(module (global i32 (i32.const 0)) (global i32 (global.get 0)))",
                  "unknown global 0", WA_NO_FUNC);
    check_invalid("(module (import \"a\" \"b\" (global (mut i32))) (global i32 (global.get 0)))",
                  "constant expression required", WA_NO_FUNC);
    check_invalid("(module (memory 1) (data (i64.const 0) \"x\"))", "type mismatch", WA_NO_FUNC);
    check_invalid("(module (table 1 funcref) (elem (i32.const 0) 5))", "unknown function 5",
                  WA_NO_FUNC);
    check_invalid("(module (global funcref (ref.func 3)))", "unknown function 3", WA_NO_FUNC);
    check_invalid("(module (global v128 (i8x16.splat (i32.const 1))))",
                  "constant expression required: i8x16.splat is not constant", WA_NO_FUNC);
    check_invalid("(module (global i32 (block (result i32) (i32.const 1))))",
                  "constant expression required: block is not constant", WA_NO_FUNC);
}

/* Every instruction of the CONST column is accepted in a constant expression of its type. */
Test(validate, accepts_every_constant_instruction) {
    expect_valid("(module (import \"a\" \"g\" (global i64))"
                 "  (global i32 (i32.const 1)) (global i64 (i64.const 2))"
                 "  (global f32 (f32.const 3)) (global f64 (f64.const 4))"
                 "  (global v128 (v128.const i32x4 1 2 3 4)) (global i64 (global.get 0))"
                 "  (global externref (ref.null extern)) (global funcref (ref.func $f))"
                 "  (func $f))");
}

Test(validate, rejects_segment_errors) {
    check_invalid("(module (data (i32.const 0) \"x\"))", "unknown memory 0", WA_NO_FUNC);
    check_invalid("(module (func $f) (elem (i32.const 0) $f))", "unknown table 0", WA_NO_FUNC);
    check_invalid("(module (table 1 externref) (func $f) (elem (table 0) (i32.const 0) func $f))",
                  "type mismatch", WA_NO_FUNC);
    check_invalid("(module (table 1 funcref) (elem (i32.const 0) funcref (ref.null extern)))",
                  "type mismatch", WA_NO_FUNC);
}

/*
 * Names are arbitrary bytes; the message stays one printable line, the name
 * escaped (wa_rt_escape; found by tools/fuzz: a duplicate export name with a
 * newline in it made two lines).
 */
Test(validate, names_in_messages_stay_one_line) {
    char buf[1024];
    Outcome o = expect_invalid_outcome(
        run_wat("(module (func) (export \"a\\0ab\" (func 0)) (export \"a\\0ab\" (func 0)))"),
        "duplicate export name");
    cr_expect_str_eq(wa_diag_format(&o.d, buf, sizeof buf),
                     "test.wasm: duplicate export name \"a\\nb\"");
    free(o.bytes);
    /* A type error in a function the name section calls "f\n\x1b". */
    static const uint8_t named[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x02, 0x01, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0b, 0x00, 0x0d,
        0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x06, 0x01, 0x00, 0x03, 0x66, 0x0a, 0x1b,
    };
    o = expect_invalid_outcome(run_bytes(named, sizeof named), "type mismatch");
    wa_diag_format(&o.d, buf, sizeof buf);
    cr_expect(strstr(buf, "func 0 (f\\n\\x1b): type mismatch") != NULL, "%s", buf);
    cr_expect(strpbrk(buf, "\n\x1b") == NULL, "%s", buf);
    free(o.bytes);
}

Test(validate, rejects_export_and_start_errors) {
    check_invalid("(module (func) (export \"a\" (func 0)) (export \"a\" (func 0)))",
                  "duplicate export name", WA_NO_FUNC);
    check_invalid("(module (memory 1) (global i32 (i32.const 0))"
                  "  (export \"m\" (memory 0)) (export \"m\" (global 0)))",
                  "duplicate export name", WA_NO_FUNC);
    check_invalid("(module (export \"g\" (global 3)))", "unknown global 3", WA_NO_FUNC);
    check_invalid("(module (func (param i32)) (start 0))", "start function", WA_NO_FUNC);
    check_invalid("(module (func (result i32) (i32.const 0)) (start 0))", "start function",
                  WA_NO_FUNC);
    check_invalid("(module (start 1))", "unknown function 1", WA_NO_FUNC);
}

Test(validate, export_declares_function_reference) {
    expect_valid("(module (func $f (export \"f\") (drop (ref.func $f))))");
    expect_valid("(module (func $f (drop (ref.func $f))) (elem declare func $f))");
}

/* ---- Structure of the instruction sequence (given as bytes) -----------------------------------
 */

/* type () -> (); one function; the code section holds `body` (locals vector included). */
static Outcome run_body(const uint8_t *body, uint8_t body_len, bool with_memory) {
    uint8_t buf[128];
    size_t n = 0;
    static const uint8_t head[] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00,
                                   0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, /* type section */
                                   0x03, 0x02, 0x01, 0x00};                  /* function section */
    memcpy(buf, head, sizeof head);
    n = sizeof head;
    if (with_memory) {
        static const uint8_t mem[] = {0x05, 0x03, 0x01, 0x00, 0x01};
        memcpy(buf + n, mem, sizeof mem);
        n += sizeof mem;
    }
    buf[n++] = 0x0A;                     /* code section */
    buf[n++] = (uint8_t)(body_len + 2u); /* section size */
    buf[n++] = 0x01;                     /* one body */
    buf[n++] = body_len;
    memcpy(buf + n, body, body_len);
    n += body_len;
    if (with_memory) {
        static const uint8_t data[] = {0x0B, 0x04, 0x01, 0x01, 0x01, 0x61}; /* passive "a" */
        memcpy(buf + n, data, sizeof data);
        n += sizeof data;
    }
    return run_bytes(buf, n);
}

/*
 * A body without its final end is read on past its size, as the reference
 * decoder does; the suite's message depends on what follows (binary.wast).
 */
Test(validate, rejects_body_without_final_end) {
    static const uint8_t body[] = {0x00, 0x41, 0x01, 0x1A}; /* i32.const 1; drop */
    Outcome o = expect_malformed_outcome(run_body(body, sizeof body, false),
                                         "unexpected end of section or function");
    cr_assert_eq(o.d.func_index, 0);
    free(o.bytes);
    /* With the data section next, its id 0x0B reads as the end, beyond the body. */
    free(
        expect_malformed_outcome(run_body(body, sizeof body, true), "section size mismatch").bytes);
}

/* A malformed body wins over an earlier validation error: the spec decodes before validating. */
Test(validate, prefers_malformed_over_invalid) {
    static const uint8_t body[] = {0x00, 0x41, 0x01, 0x0B, 0x0B}; /* i32.const 1; end; end */
    Outcome o =
        expect_malformed_outcome(run_body(body, sizeof body, false), "section size mismatch");
    free(o.bytes);
    check_invalid("(module (memory 1) (memory 1) (func (drop (i32.const 1))))", "multiple memories",
                  WA_NO_FUNC);
}

Test(validate, rejects_else_outside_if) {
    static const uint8_t body[] = {0x00, 0x02, 0x40, 0x05, 0x0B, 0x0B}; /* block else end end */
    Outcome o = expect_malformed_outcome(run_body(body, sizeof body, false), "END opcode expected");
    cr_assert_eq(byte_at_error(&o), 0x05);
    free(o.bytes);
}

/*
 * An else is allowed once per if: a second else, and an else after an
 * instruction that is invalid, want an end too.
 */
Test(validate, rejects_second_else_and_else_outside_if_after_an_error) {
    static const uint8_t twice[] = {0x00, 0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B};
    Outcome o =
        expect_malformed_outcome(run_body(twice, sizeof twice, false), "END opcode expected");
    cr_assert_eq(byte_at_error(&o), 0x05);
    cr_assert_eq(o.d.offset, o.size - 3); /* the second else: the body ends the module */
    free(o.bytes);
    /* i32.add on an empty stack is invalid; the block's else after it is malformed and wins. */
    static const uint8_t after[] = {0x00, 0x6A, 0x02, 0x40, 0x05, 0x0B, 0x0B};
    o = expect_malformed_outcome(run_body(after, sizeof after, false), "END opcode expected");
    cr_assert_eq(byte_at_error(&o), 0x05);
    free(o.bytes);
    /* After an error inside an if, its else is still fine: the type mismatch stays. */
    static const uint8_t in_if[] = {0x00, 0x41, 0x00, 0x04, 0x40, 0x6A, 0x05, 0x0B, 0x0B};
    o = expect_invalid_outcome(run_body(in_if, sizeof in_if, false), "type mismatch");
    cr_assert_eq(byte_at_error(&o), 0x6A);
    free(o.bytes);
}

/* wat2wasm writes a block type whose index does not exist as the empty type, so use bytes. */
Test(validate, rejects_unknown_block_type) {
    static const uint8_t body[] = {0x00, 0x02, 0x07, 0x0B, 0x0B}; /* block (type 7) end */
    Outcome o = expect_invalid_outcome(run_body(body, sizeof body, false), "unknown type 7");
    cr_assert_eq(byte_at_error(&o), 0x02);
    free(o.bytes);
}

/* wat2wasm writes `select (result)` as untyped select, so the empty type vector is bytes. */
Test(validate, rejects_typed_select_without_type) {
    static const uint8_t body[] = {0x00, 0x41, 0x00, 0x41, 0x00, 0x41,
                                   0x01, 0x1C, 0x00, 0x1A, 0x0B}; /* select (result) ...; drop */
    Outcome o = expect_invalid_outcome(run_body(body, sizeof body, false), "invalid result arity");
    cr_assert_eq(byte_at_error(&o), 0x1C);
    free(o.bytes);
}

Test(validate, rejects_bytes_after_final_end) {
    static const uint8_t body[] = {0x00, 0x0B, 0x01}; /* end; nop */
    free(expect_malformed_outcome(run_body(body, sizeof body, false), "section size mismatch")
             .bytes);
}

Test(validate, requires_data_count_for_data_drop) {
    static const uint8_t body[] = {0x00, 0xFC, 0x09, 0x00, 0x0B}; /* data.drop 0 */
    Outcome o =
        expect_invalid_outcome(run_body(body, sizeof body, true), "data count section required");
    cr_assert_eq(byte_at_error(&o), 0xFC);
    free(o.bytes);
}

/* Function 0 is invalid (a value left over), function 1 is malformed (else outside if). */
Test(validate, reports_malformed_later_body_first) {
    static const uint8_t bytes[] = {
        0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, /* header */
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,             /* type () -> () */
        0x03, 0x03, 0x02, 0x00, 0x00,                   /* two functions */
        0x0A, 0x0A, 0x02,                               /* code section, two bodies */
        0x04, 0x00, 0x41, 0x01, 0x0B,                   /* i32.const 1; end */
        0x03, 0x00, 0x05, 0x0B,                         /* else; end */
    };
    Outcome o = expect_malformed_outcome(run_bytes(bytes, sizeof bytes), "END opcode expected");
    cr_assert_eq(o.d.func_index, 1);
    cr_assert_eq(byte_at_error(&o), 0x05);
    free(o.bytes);
}

Test(validate, segment_offsets_see_only_imported_globals) {
    check_invalid("(module (memory 1) (global i32 (i32.const 0)) (data (global.get 0) \"a\"))",
                  "unknown global 0", WA_NO_FUNC);
    expect_valid("(module (import \"a\" \"g\" (global i32)) (memory 1) (table 1 funcref)"
                 "  (data (global.get 0) \"a\") (elem (global.get 0) funcref (ref.func 0))"
                 "  (func (drop (ref.func 0))))");
}
