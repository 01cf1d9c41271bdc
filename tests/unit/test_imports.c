/*
 * test_imports.c: the compiler's import check (compiler/imports/imports.c)
 * against the WASI table wasi-libc-shim/wasi_funcs.def, through the real
 * wasmaot: every row is accepted with its type and then resolved by the
 * start-up code, and the refusals keep their messages.
 */
#include "wat_run.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* One import per row of the table, with the row's type, as wasm text. */
static const char *const wasi_imports[] = {
#define WA_WASI_FUNC(name, result, params)                                                         \
    "(import \"wasi_snapshot_preview1\" \"" #name "\" (func" WA_WASI_PARAMS params RESULT_##result \
        "))",
#define WA_WASI_PARAMS(...) " (param" __VA_ARGS__ ")"
#define RESULT_ERRNO " (result i32)"
#define RESULT_EXIT ""
#define WA_WASI_I32(name) " i32"
#define WA_WASI_I64(name) " i64"
#define RESULT_I32 " (result i32)"
#define WA_WASI_FUNC_OF(module, name, cname, result, params)                                       \
    "(import \"" module "\" \"" name "\" (func" WA_WASI_PARAMS params RESULT_##result "))",
#include "wasi_funcs.def"
};

Test(imports, every_wasi_function_is_accepted_and_resolved_at_start_up) {
    WatBuf b = {0};
    wat_buf_printf(&b, "(module\n");
    for (size_t i = 0; i < sizeof wasi_imports / sizeof wasi_imports[0]; i++)
        wat_buf_printf(&b, "  %s\n", wasi_imports[i]);
    wat_buf_printf(&b, "  (func (export \"_start\")))");
    WatRun r;
    wat_run(b.p, "", true, &r);
    free(b.p);
    /* A type the start-up code disagreed with would refuse to start ("incompatible import type").
     */
    cr_assert_eq(r.compile_status, 0, "%s", r.compile_err);
    cr_expect_eq(r.exit_status, 0, "stderr: %s", r.err);
    cr_expect_str_empty(r.err);
}

Test(imports, a_wasi_function_with_another_type_is_refused) {
    WatRun r;
    wat_run("(module (import \"wasi_snapshot_preview1\" \"fd_write\" (func (param i32 i32 i32 i64) "
            "(result i32))) (func (export \"_start\")))",
            "", true, &r);
    cr_assert_neq(r.compile_status, 0);
    cr_expect(strstr(r.compile_err, ": offset 0x") != NULL, "%s", r.compile_err);
    cr_expect(strstr(r.compile_err,
                     ": import wasi_snapshot_preview1.fd_write has the wrong type for WASI\n") !=
                  NULL,
              "%s", r.compile_err);
    wat_run("(module (import \"wasi_snapshot_preview1\" \"proc_exit\" (func (param i32) (result "
            "i32))) (func (export \"_start\")))",
            "--allow-unknown-imports", true, &r);
    cr_expect(strstr(r.compile_err, "proc_exit has the wrong type for WASI") != NULL, "%s",
              r.compile_err);
}

Test(imports, unknown_imports_are_listed_together) {
    WatRun r;
    wat_run("(module (import \"env\" \"foo\" (func)) (import \"wasi_snapshot_preview1\" \"fd_dup\" "
            "(func (param i32) (result i32))) (func (export \"_start\")))",
            "", true, &r);
    cr_assert_neq(r.compile_status, 0);
    cr_expect(strstr(r.compile_err,
                     ": unknown imports: env.foo, wasi_snapshot_preview1.fd_dup "
                     "(use --allow-unknown-imports to compile them as traps)\n") != NULL,
              "%s", r.compile_err);
}

/*
 * A name is the whole byte string: "fd_write\0" is not fd_write. The start-up
 * code, which sees names as C strings, could not resolve it either.
 */
Test(imports, a_name_with_a_nul_byte_is_not_a_wasi_function) {
    WatRun r;
    wat_run("(module (import \"wasi_snapshot_preview1\" \"fd_write\\00\" (func (param i32 i32 i32 "
            "i32) (result i32))) (func (export \"_start\")))",
            "", true, &r);
    cr_assert_neq(r.compile_status, 0);
    cr_expect(strstr(r.compile_err,
                     ": unknown import: wasi_snapshot_preview1.fd_write\\x00 (use") != NULL,
              "%s", r.compile_err);
}

Test(imports, only_functions_can_be_imported) {
    WatRun r;
    wat_run("(module (import \"env\" \"mem\" (memory 1)) (func (export \"_start\")))", "", true,
            &r);
    cr_assert_neq(r.compile_status, 0);
    cr_expect(strstr(r.compile_err,
                     ": unsupported import env.mem: only WASI functions can be imported\n") != NULL,
              "%s", r.compile_err);
}
