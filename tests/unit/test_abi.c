/*
 * test_abi.c: the two views of the ABI between generated code and the
 * runtime agree.
 *
 * runtime/wa_rt_layout.def is expanded into the C structs of wa_rt.h and
 * into the LLVM struct types the compiler emits and reads
 * (compiler/codegen/rt_abi.c); runtime/wa_rt_calls.def into the runtime's
 * prototypes and the compiler's declarations. Here every field is checked
 * for the same offset and size in both (LLVM's with the target data layout
 * the compiler uses), every struct for the same size and alignment, every
 * declaration for the runtime's name and parameter sizes; and a hash of the
 * rows of both tables is compared with the one recorded for
 * WA_RT_ABI_VERSION, so that changing the ABI without bumping the version
 * fails here.
 */
#include "codegen/context.h"

#include "../../runtime/wa_rt.h"

#include <criterion/criterion.h>
#include <stddef.h>
#include <string.h>

/*
 * The ABI version the tables below hash to. Changing a row of
 * wa_rt_layout.def or wa_rt_calls.def changes the ABI: bump
 * WA_RT_ABI_VERSION in wa_rt.h and record the new pair here (the failing
 * test prints the hash).
 */
#define RECORDED_ABI_VERSION 12
#define RECORDED_ABI_HASH UINT64_C(0x253cccf8fbabbb7b)

static WaDiag diag;
static WaModule empty_module;
static WaCodegen cg;

/* A code generation context for the host target, as the compiler makes it for a module. */
static void setup(void) {
    wa_diag_init(&diag, "abi");
    WaCodegenOptions o = {.opt_level = 2};
    cr_assert(wa_codegen_init(&cg, &empty_module, &o, &diag), "%s", diag.message);
}

static void teardown(void) {
    wa_codegen_dispose(&cg);
}

TestSuite(abi, .init = setup, .fini = teardown);

static LLVMTargetDataRef target_data(void) {
    return LLVMGetModuleDataLayout(cg.mod);
}

/* ---- Field offsets and sizes ---- */

/* The C type of each struct by its NAME column: c_<NAME> (c_MODULE is wa_rt_module_t). */
#define WA_RT_STRUCT(NAME, name) typedef wa_rt_##name##_t c_##NAME;
#define WA_RT_FIELD(STRUCT, NAME, name, CTYPE, ABI)
#define WA_RT_END(NAME, name)
#include "../../runtime/wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END

/* Per field: its struct, index, name, and the C view's offset and size. */
typedef struct FieldView {
    WaRtStruct s;
    unsigned index;
    const char *name;
    size_t offset, size;
} FieldView;

// clang-format off
static const FieldView c_fields[] = {
#define WA_RT_STRUCT(NAME, name)
#define WA_RT_FIELD(STRUCT, NAME, name, CTYPE, ABI)                                                \
    {WA_RT_STRUCT_##STRUCT, WA_RT_##STRUCT##_##NAME, #STRUCT "." #name, offsetof(c_##STRUCT, name), \
     sizeof(((c_##STRUCT *)0)->name)},
#define WA_RT_END(NAME, name)
#include "../../runtime/wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END
};

/* Per struct: its name, field count and the C view's size and alignment. */
static const struct {
    WaRtStruct s;
    const char *name;
    unsigned nfields;
    size_t size, align;
} c_structs[] = {
#define WA_RT_STRUCT(NAME, name)                                                                   \
    {WA_RT_STRUCT_##NAME, "wa_rt_" #name "_t", WA_RT_##NAME##_NFIELDS, sizeof(wa_rt_##name##_t),   \
     _Alignof(wa_rt_##name##_t)},
#define WA_RT_FIELD(STRUCT, NAME, name, CTYPE, ABI)
#define WA_RT_END(NAME, name)
#include "../../runtime/wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END
};
// clang-format on

Test(abi, every_field_has_the_c_offset_and_size) {
    for (size_t i = 0; i < sizeof c_fields / sizeof c_fields[0]; i++) {
        const FieldView *f = &c_fields[i];
        LLVMTypeRef t = wa_codegen_rt_struct(&cg, f->s);
        uint64_t offset = LLVMOffsetOfElement(target_data(), t, f->index);
        cr_expect_eq(offset, f->offset, "%s: offset %llu in LLVM, %zu in C", f->name,
                     (unsigned long long)offset, f->offset);
        cr_expect_eq(offset, wa_codegen_rt_offset(&cg, f->s, f->index), "%s", f->name);
        uint64_t size =
            LLVMABISizeOfType(target_data(), wa_codegen_rt_field_type(&cg, f->s, f->index));
        cr_expect_eq(size, f->size, "%s: %llu bytes in LLVM, %zu in C (ABI code and C type differ)",
                     f->name, (unsigned long long)size, f->size);
    }
}

Test(abi, every_struct_has_the_c_size_alignment_and_field_count) {
    cr_assert_eq(sizeof c_structs / sizeof c_structs[0], WA_RT_NSTRUCTS);
    for (size_t i = 0; i < WA_RT_NSTRUCTS; i++) {
        LLVMTypeRef t = wa_codegen_rt_struct(&cg, c_structs[i].s);
        cr_expect_eq(LLVMCountStructElementTypes(t), c_structs[i].nfields, "%s", c_structs[i].name);
        cr_expect_eq(LLVMABISizeOfType(target_data(), t), c_structs[i].size, "%s: size",
                     c_structs[i].name);
        cr_expect_eq(wa_codegen_rt_size(&cg, c_structs[i].s), c_structs[i].size, "%s",
                     c_structs[i].name);
        cr_expect_eq(LLVMABIAlignmentOfType(target_data(), t), c_structs[i].align, "%s: alignment",
                     c_structs[i].name);
    }
}

/* A struct used by value inside another is the same LLVM type (table_type.limits). */
Test(abi, nested_struct_is_the_shared_type) {
    LLVMTypeRef limits =
        wa_codegen_rt_field_type(&cg, WA_RT_STRUCT_TABLE_TYPE, WA_RT_TABLE_TYPE_LIMITS);
    cr_assert_eq(limits, wa_codegen_rt_struct(&cg, WA_RT_STRUCT_LIMITS));
}

/* ---- Runtime function declarations ---- */

// clang-format off
#define C_SIZE(code) sizeof(WA_RT_CTYPE(code))
static const struct {
    WaRtFn fn;
    const char *name;
    void (*address)(void); /* the runtime's definition: this test does not link without it */
    size_t param_sizes[6];
    unsigned nparams;
    const char *how;
} c_calls[] = {
#define WA_RT_CALL(NAME, name, RESULT, PARAMS, HOW)                                                \
    {WA_RT_##NAME, "wa_rt_" #name, (void (*)(void))wa_rt_##name, {WA_RT_MAP(C_SIZE, PARAMS)},     \
     WA_RT_COUNT(PARAMS), #HOW},
#include "../../runtime/wa_rt_calls.def"
#undef WA_RT_CALL
};
// clang-format on

static bool has_fn_attribute(LLVMValueRef fn, const char *name) {
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    return LLVMGetEnumAttributeAtIndex(fn, LLVMAttributeFunctionIndex, kind) != NULL;
}

Test(abi, every_runtime_function_is_declared_as_the_runtime_defines_it) {
    cr_assert_eq(sizeof c_calls / sizeof c_calls[0], WA_RT_NFNS);
    for (size_t i = 0; i < WA_RT_NFNS; i++) {
        LLVMValueRef decl = wa_codegen_rt_fn(&cg, c_calls[i].fn);
        cr_assert_eq(wa_codegen_rt_fn(&cg, c_calls[i].fn), decl, "declared once");
        size_t len;
        cr_expect_str_eq(LLVMGetValueName2(decl, &len), c_calls[i].name);
        LLVMTypeRef type = LLVMGlobalGetValueType(decl);
        cr_assert_eq(LLVMCountParamTypes(type), c_calls[i].nparams, "%s", c_calls[i].name);
        LLVMTypeRef params[6];
        LLVMGetParamTypes(type, params);
        for (unsigned k = 0; k < c_calls[i].nparams; k++)
            cr_expect_eq(LLVMABISizeOfType(target_data(), params[k]), c_calls[i].param_sizes[k],
                         "%s parameter %u", c_calls[i].name, k);
        bool noreturn = strcmp(c_calls[i].how, "NORETURN") == 0;
        cr_expect_eq(has_fn_attribute(decl, "noreturn"), noreturn, "%s", c_calls[i].name);
        cr_expect_eq(has_fn_attribute(decl, "cold"), noreturn, "%s", c_calls[i].name);
    }
}

/* A NOTAIL row's calls are never tail calls; the others are left to LLVM. */
Test(abi, notail_rows_make_notail_calls) {
    LLVMTypeRef fn_type = LLVMFunctionType(cg.t_void, &cg.t_ptr, 1, false);
    LLVMValueRef fn = LLVMAddFunction(cg.mod, "caller", fn_type);
    LLVMPositionBuilderAtEnd(cg.b, LLVMAppendBasicBlockInContext(cg.llvm, fn, "entry"));
    for (size_t i = 0; i < WA_RT_NFNS; i++) {
        LLVMTypeRef type = LLVMGlobalGetValueType(wa_codegen_rt_fn(&cg, c_calls[i].fn));
        LLVMTypeRef params[6];
        LLVMGetParamTypes(type, params);
        LLVMValueRef args[6];
        for (unsigned k = 0; k < c_calls[i].nparams; k++)
            args[k] = LLVMGetTypeKind(params[k]) == LLVMPointerTypeKind ? LLVMGetParam(fn, 0)
                                                                        : LLVMConstNull(params[k]);
        LLVMValueRef call = wa_codegen_rt_call(&cg, c_calls[i].fn, args, c_calls[i].nparams, "");
        bool notail = strcmp(c_calls[i].how, "NOTAIL") == 0;
        LLVMTailCallKind expected = notail ? LLVMTailCallKindNoTail : LLVMTailCallKindNone;
        cr_expect_eq(LLVMGetTailCallKind(call), expected, "%s", c_calls[i].name);
    }
}

/* ---- The ABI version ---- */

/*
 * Every row of both tables, then the ABI type codes they use (WA_RT_ABI_* in
 * wa_rt.h: a code's C type is part of the ABI too), as the preprocessor
 * spells them: tokens separated by single spaces, comments dropped. So
 * reformatting or commenting a row changes nothing, and changing a name, a
 * type, a code, a HOW or the order changes the text (conservatively: a
 * renamed field or C type spelt differently also asks for a new version).
 */
// clang-format off
static const char *const abi_rows[] = {
#define WA_RT_STRUCT(...) "STRUCT(" #__VA_ARGS__ ")",
#define WA_RT_FIELD(...) "FIELD(" #__VA_ARGS__ ")",
#define WA_RT_END(...) "END(" #__VA_ARGS__ ")",
#include "../../runtime/wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END
#define WA_RT_CALL(...) "CALL(" #__VA_ARGS__ ")",
#include "../../runtime/wa_rt_calls.def"
#undef WA_RT_CALL
#define ABI_CODE(...) "ABI(" #__VA_ARGS__ ")",
    WA_RT_ABI_VOID(ABI_CODE) WA_RT_ABI_U8(ABI_CODE) WA_RT_ABI_I32(ABI_CODE) WA_RT_ABI_U32(ABI_CODE)
    WA_RT_ABI_I64(ABI_CODE) WA_RT_ABI_U64(ABI_CODE) WA_RT_ABI_UPTR(ABI_CODE)
    WA_RT_ABI_TRAP(ABI_CODE) WA_RT_ABI_PTR(ABI_CODE) WA_RT_ABI_INST(ABI_CODE)
    WA_RT_ABI_MEMORY(ABI_CODE) WA_RT_ABI_LIMITS(ABI_CODE)
#undef ABI_CODE
};
// clang-format on

/* 64-bit FNV-1a of the rows, each followed by a newline. */
static uint64_t hash_rows(void) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < sizeof abi_rows / sizeof abi_rows[0]; i++) {
        for (const char *p = abi_rows[i];; p++) {
            h ^= *p != '\0' ? (unsigned char)*p : '\n';
            h *= UINT64_C(0x100000001b3);
            if (*p == '\0')
                break;
        }
    }
    return h;
}

Test(abi, version_is_bumped_when_the_tables_change) {
    uint64_t hash = hash_rows();
    cr_assert(hash == RECORDED_ABI_HASH && WA_RT_ABI_VERSION == RECORDED_ABI_VERSION,
              "the rows of runtime/wa_rt_layout.def, wa_rt_calls.def and the ABI type codes hash "
              "to 0x%016llx with "
              "WA_RT_ABI_VERSION %d; recorded in tests/unit/test_abi.c: 0x%016llx with version %d. "
              "If the tables changed, bump WA_RT_ABI_VERSION in runtime/wa_rt.h and record the "
              "new version and hash in RECORDED_ABI_VERSION and RECORDED_ABI_HASH.",
              (unsigned long long)hash, WA_RT_ABI_VERSION, (unsigned long long)RECORDED_ABI_HASH,
              RECORDED_ABI_VERSION);
}
