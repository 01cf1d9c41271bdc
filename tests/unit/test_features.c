/*
 * test_features.c: the feature table (compiler/wasm/features.def), its flag
 * parser and --help text, and the check that a module uses only enabled
 * features (wa_features_check): one module per construct of every feature,
 * refused with the feature's message when that feature alone is off, and
 * accepted with every feature on. Then the wasmaot command with the flags.
 */
#include "wasm/decode.h"
#include "wasm/features.h"
#include "wasm/validate.h"

#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...) {
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int raw = system(cmd);
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

static char *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (size != NULL)
        *size = (size_t)n;
    return buf;
}

/* Assembles wat (every feature on) into path. */
static void assemble(const char *wat, const char *path) {
    char wat_path[] = "/tmp/wa_features_XXXXXX";
    int fd = mkstemp(wat_path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, wat, strlen(wat)), (ssize_t)strlen(wat));
    close(fd);
    int rc = sh("wat2wasm --enable-all --no-check %s -o %s", wat_path, path);
    unlink(wat_path);
    cr_assert_eq(rc, 0, "wat2wasm failed on:\n%s", wat);
}

/* Decodes wat's module and checks it against `set`: true if accepted, else d holds why. */
static bool check(const char *wat, WaFeatures set, WaDiag *d) {
    char path[] = "/tmp/wa_features_wasm_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    assemble(wat, path);
    size_t size;
    uint8_t *bytes = (uint8_t *)slurp(path, &size);
    unlink(path);
    wa_diag_init(d, "m.wasm");
    WaModule m;
    cr_assert(wa_decode_module(bytes, size, "m.wasm", wa_features_default(), &m, d),
              "decode failed: %s", d->message);
    bool ok = wa_features_check(&m, set, d);
    if (ok)
        cr_assert(wa_validate_module(&m, d), "invalid test module: %s\n%s", d->message, wat);
    wa_module_free(&m);
    free(bytes);
    return ok;
}

/*
 * wat is accepted with every feature and refused without f, with
 * "[prefix]what needs the f feature (--enable-f)".
 */
static void gate_prefixed(WaFeature f, const char *wat, const char *prefix, const char *what) {
    WaDiag d;
    cr_assert(check(wat, wa_features_all(), &d), "refused with every feature: %s\n%s", d.message,
              wat);
    cr_assert_not(check(wat, wa_features_all() & ~WA_FEATURE_BIT(f), &d),
                  "accepted without %s:\n%s", wa_feature_name(f), wat);
    char want[256];
    snprintf(want, sizeof want, "%s%s needs the %s feature (--enable-%s)", prefix, what,
             wa_feature_name(f), wa_feature_name(f));
    cr_assert_str_eq(d.message, want);
    cr_assert(d.has_offset);
}

static void gate(WaFeature f, const char *wat, const char *what) {
    gate_prefixed(f, wat, "", what);
}

Test(features, the_table) {
    WaFeatures def = wa_features_default();
    static const WaFeature on[] = {
        WA_FEATURE_SIGN_EXT,        WA_FEATURE_SAT_FLOAT_TO_INT, WA_FEATURE_MULTI_VALUE,
        WA_FEATURE_BULK_MEMORY,     WA_FEATURE_REFERENCE_TYPES,  WA_FEATURE_SIMD,
        WA_FEATURE_MUTABLE_GLOBALS, WA_FEATURE_TAIL_CALL,        WA_FEATURE_EXTENDED_CONST,
        WA_FEATURE_MULTI_MEMORY,    WA_FEATURE_MEMORY64,         WA_FEATURE_THREADS,
        WA_FEATURE_EXCEPTIONS};
    for (size_t i = 0; i < sizeof on / sizeof *on; i++)
        cr_assert(def & WA_FEATURE_BIT(on[i]), "%s is off by default", wa_feature_name(on[i]));
    static const WaFeature missing[] = {WA_FEATURE_RELAXED_SIMD, WA_FEATURE_FUNCTION_REFERENCES,
                                        WA_FEATURE_GC};
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
        cr_assert_not(wa_feature_implemented(missing[i]));
        cr_assert_not(wa_features_all() & WA_FEATURE_BIT(missing[i]));
    }
    for (int f = 0; f < WA_FEATURE_COUNT; f++) {
        const char *name = wa_feature_name((WaFeature)f);
        cr_assert_eq(wa_feature_lookup(name, strlen(name)), (WaFeature)f);
    }
    cr_assert_eq(wa_feature_lookup("tail", 4), WA_FEATURE_COUNT);
    /* The names wast2json knows (wabt 1.0.32), with its defaults. */
    cr_assert_str_eq(wa_feature_name(WA_FEATURE_TAIL_CALL), "tail-call");
    cr_assert_str_eq(wa_feature_name(WA_FEATURE_SIGN_EXT), "sign-extension");
    cr_assert(wa_feature_wabt_default(WA_FEATURE_SIMD));
    cr_assert_not(wa_feature_wabt_default(WA_FEATURE_EXTENDED_CONST));
}

Test(features, flags) {
    char why[256];
    WaFeatures set = wa_features_default();
    cr_assert_eq(wa_features_parse_arg(&set, "--disable-simd", why, sizeof why), WA_FEATURE_ARG_OK);
    cr_assert_not(set & WA_FEATURE_BIT(WA_FEATURE_SIMD));
    cr_assert_eq(wa_features_parse_arg(&set, "--enable-simd", why, sizeof why), WA_FEATURE_ARG_OK);
    cr_assert_eq(set, wa_features_default());
    set = 0;
    cr_assert_eq(wa_features_parse_arg(&set, "--enable-all", why, sizeof why), WA_FEATURE_ARG_OK);
    cr_assert_eq(set, wa_features_all());
    cr_assert_eq(wa_features_parse_arg(&set, "--enable-tail-calls", why, sizeof why),
                 WA_FEATURE_ARG_ERROR);
    cr_assert_str_eq(why, "unknown feature 'tail-calls' in --enable-tail-calls (see --help for "
                          "the features)");
    cr_assert_eq(wa_features_parse_arg(&set, "--enable-gc", why, sizeof why), WA_FEATURE_ARG_ERROR);
    cr_assert_str_eq(why, "wasmaot does not support gc yet (garbage-collected structs and arrays)");
    cr_assert_eq(wa_features_parse_arg(&set, "--emit=obj", why, sizeof why), WA_FEATURE_ARG_NONE);
    cr_assert_eq(set, wa_features_all());
}

Test(features, help_lists_every_row) {
    char *buf;
    size_t size;
    FILE *f = open_memstream(&buf, &size);
    wa_features_print_help(f, "  ");
    fclose(f);
    for (int i = 0; i < WA_FEATURE_COUNT; i++)
        cr_assert_not_null(strstr(buf, wa_feature_name((WaFeature)i)), "%s",
                           wa_feature_name((WaFeature)i));
    cr_assert_not_null(strstr(buf, "not supported yet"));
    free(buf);
}

Test(features, threads) {
    gate(WA_FEATURE_THREADS, "(module (func (atomic.fence)))", "atomic.fence");
    gate(WA_FEATURE_THREADS,
         "(module (memory 1 1) (func (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))))",
         "i32.atomic.rmw.add");
    gate(WA_FEATURE_THREADS,
         "(module (memory 1 1) (func (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))))",
         "memory.atomic.notify");
}

Test(features, sign_extension_and_saturating_conversions) {
    gate(WA_FEATURE_SIGN_EXT, "(module (func (drop (i32.extend8_s (i32.const 1)))))",
         "i32.extend8_s");
    gate(WA_FEATURE_SIGN_EXT, "(module (func (drop (i64.extend32_s (i64.const 1)))))",
         "i64.extend32_s");
    gate(WA_FEATURE_SAT_FLOAT_TO_INT, "(module (func (drop (i32.trunc_sat_f32_s (f32.const 1)))))",
         "i32.trunc_sat_f32_s");
    gate(WA_FEATURE_SAT_FLOAT_TO_INT, "(module (func (drop (i64.trunc_sat_f64_u (f64.const 1)))))",
         "i64.trunc_sat_f64_u");
}

Test(features, multi_value) {
    gate(WA_FEATURE_MULTI_VALUE, "(module (func (result i32 i32) (i32.const 1) (i32.const 2)))",
         "a function type with several results");
    gate(WA_FEATURE_MULTI_VALUE,
         "(module (type (func (param i32))) (func (i32.const 1) (block (type 0) (drop))))",
         "a block type by type index");
}

Test(features, bulk_memory) {
    gate(WA_FEATURE_BULK_MEMORY,
         "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))",
         "memory.fill");
    gate(WA_FEATURE_BULK_MEMORY,
         "(module (memory 1) (func (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))))",
         "memory.copy");
    gate(WA_FEATURE_BULK_MEMORY, "(module (memory 1) (data \"x\"))",
         "a passive or explicit-memory data segment");
    gate(WA_FEATURE_BULK_MEMORY, "(module (memory 1) (data \"x\") (func (data.drop 0)))",
         "the data count section");
    gate(WA_FEATURE_BULK_MEMORY, "(module (table 1 funcref) (func) (elem func 0))",
         "an element segment of this encoding (passive, declarative, explicit table or "
         "expressions)");
    gate(WA_FEATURE_BULK_MEMORY,
         "(module (table 1 funcref) (func (table.copy (i32.const 0) (i32.const 0) (i32.const "
         "0))))",
         "table.copy");
}

Test(features, reference_types) {
    gate(WA_FEATURE_REFERENCE_TYPES, "(module (func (param externref)))", "type externref");
    gate(WA_FEATURE_REFERENCE_TYPES, "(module (func (result funcref) (ref.null func)))",
         "a funcref value");
    gate(WA_FEATURE_REFERENCE_TYPES, "(module (table 1 externref))", "a table of externref");
    gate(WA_FEATURE_REFERENCE_TYPES, "(module (table 1 funcref) (table 1 funcref))",
         "multiple tables: a second table");
    gate(WA_FEATURE_REFERENCE_TYPES,
         "(module (func (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))))",
         "select");
    gate(WA_FEATURE_REFERENCE_TYPES, "(module (table 1 funcref) (func (drop (table.size 0))))",
         "table.size");
    gate(WA_FEATURE_REFERENCE_TYPES, "(module (func (drop (ref.is_null (ref.null extern)))))",
         "ref.null");
}

Test(features, simd) {
    gate(WA_FEATURE_SIMD, "(module (func (param v128)))", "type v128");
    gate(WA_FEATURE_SIMD, "(module (func (drop (i32x4.splat (i32.const 1)))))", "i32x4.splat");
    gate(WA_FEATURE_SIMD, "(module (global v128 (v128.const i64x2 0 0)))", "type v128");
}

Test(features, mutable_globals) {
    gate(WA_FEATURE_MUTABLE_GLOBALS, "(module (import \"a\" \"g\" (global (mut i32))))",
         "importing a mutable global");
    gate(WA_FEATURE_MUTABLE_GLOBALS, "(module (global (export \"g\") (mut i32) (i32.const 0)))",
         "exporting a mutable global");
}

Test(features, tail_call) {
    gate(WA_FEATURE_EXCEPTIONS, "(module (tag) (func (throw 0)))", "throw");
    gate(WA_FEATURE_EXCEPTIONS, "(module (func (try (do) (catch_all))))", "try");
    gate(WA_FEATURE_TAIL_CALL, "(module (func $f (return_call $f)))", "return_call");
    gate(WA_FEATURE_TAIL_CALL,
         "(module (type $t (func)) (table 1 funcref) "
         "(func (return_call_indirect (type $t) (i32.const 0))))",
         "return_call_indirect");
}

Test(features, extended_const) {
    gate_prefixed(WA_FEATURE_EXTENDED_CONST,
                  "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))",
                  "constant expression required: ", "i32.add");
    gate_prefixed(WA_FEATURE_EXTENDED_CONST,
                  "(module (memory 1) (data (i32.mul (i32.const 2) (i32.const 8)) \"x\"))",
                  "constant expression required: ", "i32.mul");
    gate_prefixed(WA_FEATURE_EXTENDED_CONST,
                  "(module (global i64 (i64.sub (i64.const 1) (i64.const 2))))",
                  "constant expression required: ", "i64.sub");
}

/* Through the command: one line naming file, offset, construct, feature and flag. */
Test(features, the_command) {
    char dir[] = "/tmp/wa_features_cli_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char wasm[128];
    snprintf(wasm, sizeof wasm, "%s/m.wasm", dir);
    assemble("(module (func $f (export \"f\") (return_call $f)))", wasm);
    cr_assert_eq(
        sh("cd %s && '%s' m.wasm -o m --emit=obj --disable-tail-call 2> err.txt", dir, WA_WASMAOT),
        1);
    char path[160];
    snprintf(path, sizeof path, "%s/err.txt", dir);
    char *err = slurp(path, NULL);
    cr_assert_str_eq(err, "m.wasm: offset 0x1e: func 0: return_call needs the tail-call "
                          "feature (--enable-tail-call)\n");
    free(err);
    cr_assert_eq(sh("cd %s && '%s' m.wasm -o m.o --emit=obj", dir, WA_WASMAOT), 0);
    cr_assert_eq(sh("cd %s && '%s' m.wasm -o m --enable-relaxed-simd 2> err.txt", dir, WA_WASMAOT),
                 2);
    err = slurp(path, NULL);
    cr_assert_str_eq(err, "wasmaot: wasmaot does not support relaxed-simd yet (relaxed SIMD "
                          "(relaxed_madd, relaxed_swizzle, ...)) (see wasmaot --help)\n");
    free(err);
    cr_assert_eq(sh("cd %s && '%s' m.wasm -o m --enable-foo 2> err.txt", dir, WA_WASMAOT), 2);
    err = slurp(path, NULL);
    cr_assert_str_eq(err, "wasmaot: unknown feature 'foo' in --enable-foo (see --help for the "
                          "features) (see wasmaot --help)\n");
    free(err);
    cr_assert_eq(sh("cd %s && '%s' --help > help.txt", dir, WA_WASMAOT), 0);
    snprintf(path, sizeof path, "%s/help.txt", dir);
    char *help = slurp(path, NULL);
    for (int i = 0; i < WA_FEATURE_COUNT; i++)
        cr_assert_not_null(strstr(help, wa_feature_name((WaFeature)i)));
    free(help);
    cr_assert_eq(sh("rm -rf '%s'", dir), 0);
}

/* wasmaot-spec: the same flags, and wast2json is told them (it refuses return_call without). */
Test(features, the_spec_runner) {
    char dir[] = "/tmp/wa_features_spec_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[160];
    snprintf(path, sizeof path, "%s/t.wast", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("(module (func $f (export \"f\") (result i32) (return_call $g))\n"
          "        (func $g (result i32) (i32.const 7)))\n"
          "(assert_return (invoke \"f\") (i32.const 7))\n",
          f);
    fclose(f);
    cr_assert_eq(sh("cd %s && '%s' t.wast > out.txt", dir, WA_WASMAOT_SPEC), 0);
    snprintf(path, sizeof path, "%s/out.txt", dir);
    char *out = slurp(path, NULL);
    cr_assert_not_null(strstr(out, "2 passed, 0 failed"), "%s", out);
    free(out);
    cr_assert_eq(sh("cd %s && '%s' --disable-tail-call t.wast > out.txt", dir, WA_WASMAOT_SPEC), 1);
    out = slurp(path, NULL);
    cr_assert_not_null(strstr(out, "wast2json failed"), "%s", out);
    free(out);
    cr_assert_eq(sh("cd %s && '%s' --enable-gc t.wast 2> out.txt", dir, WA_WASMAOT_SPEC), 2);
    out = slurp(path, NULL);
    cr_assert_str_eq(out, "wasmaot-spec: wasmaot does not support gc yet (garbage-collected "
                          "structs and arrays)\n");
    free(out);
    cr_assert_eq(sh("cd %s && '%s' --help > out.txt", dir, WA_WASMAOT_SPEC), 0);
    out = slurp(path, NULL);
    for (int i = 0; i < WA_FEATURE_COUNT; i++)
        cr_assert_not_null(strstr(out, wa_feature_name((WaFeature)i)));
    free(out);
    cr_assert_eq(sh("cd %s && '%s' run --help > out.txt", dir, WA_WASMAOT), 0);
    out = slurp(path, NULL);
    for (int i = 0; i < WA_FEATURE_COUNT; i++)
        cr_assert_not_null(strstr(out, wa_feature_name((WaFeature)i)));
    free(out);
    cr_assert_eq(sh("rm -rf '%s'", dir), 0);
}
