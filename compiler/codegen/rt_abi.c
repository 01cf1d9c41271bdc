/*
 * rt_abi.c: the runtime functions and shared structs of runtime/wa_rt.h as
 * LLVM declarations and struct types, expanded from the runtime's tables
 * (wa_rt_calls.def, wa_rt_layout.def) and built on first use.
 *
 * An ABI type code (WA_RT_ABI_* in wa_rt.h) becomes an LLVM type by its
 * KIND: an integer of the C type's size, a pointer, void, or the LLVM type
 * of a shared struct. The C types' sizes are the host C compiler's, which is
 * right because code is generated for the host; tests/unit/test_abi.c checks
 * that every field then has the same offset and size in both views.
 *
 * Also where the compiler's own codes for wasm facts meet the runtime's: the
 * value type and extern kind codes are the binary format's in both, and the
 * static assertions below keep them so.
 */
#include "rt_abi.h"
#include "context.h"

#include "../base/check.h"

#include <llvm-c/Target.h>

_Static_assert(WA_VT_I32 == WA_RT_I32 && WA_VT_I64 == WA_RT_I64 && WA_VT_F32 == WA_RT_F32 &&
                   WA_VT_F64 == WA_RT_F64 && WA_VT_V128 == WA_RT_V128 &&
                   WA_VT_FUNCREF == WA_RT_FUNCREF && WA_VT_EXTERNREF == WA_RT_EXTERNREF &&
                   WA_VT_EXNREF == WA_RT_EXNREF,
               "value type codes: the descriptor's wa_rt_functype_t, tables and globals carry "
               "the compiler's WaValType as the runtime's WA_RT_<type>");
_Static_assert(WA_EXTERN_FUNC == WA_RT_EXTERN_FUNC && WA_EXTERN_TABLE == WA_RT_EXTERN_TABLE &&
                   WA_EXTERN_MEMORY == WA_RT_EXTERN_MEMORY &&
                   WA_EXTERN_GLOBAL == WA_RT_EXTERN_GLOBAL && WA_EXTERN_TAG == WA_RT_EXTERN_TAG,
               "extern kinds: the descriptor's imports and exports carry the compiler's "
               "WaExternKind as the runtime's WA_RT_EXTERN_<kind>");

/* What an ABI type code is to LLVM (the KIND column of WA_RT_ABI_*). */
typedef enum AbiKind { KIND_VOID, KIND_INT, KIND_PTR, KIND_STRUCT } AbiKind;

typedef struct AbiType {
    AbiKind kind;
    unsigned size;      /* KIND_INT: bytes */
    WaRtStruct struct_; /* KIND_STRUCT: which */
} AbiType;

#define ABI_TYPE(CODE, CTYPE, KIND) ABI_TYPE_##KIND(CODE, CTYPE)
#define ABI_TYPE_VOID(CODE, CTYPE) {KIND_VOID, 0, 0}
#define ABI_TYPE_INT(CODE, CTYPE) {KIND_INT, sizeof(CTYPE), 0}
#define ABI_TYPE_PTR(CODE, CTYPE) {KIND_PTR, 0, 0}
#define ABI_TYPE_STRUCT(CODE, CTYPE) {KIND_STRUCT, 0, WA_RT_STRUCT_##CODE}
#define ABI_OF(code) WA_RT_ABI_##code(ABI_TYPE)

enum { MAX_PARAMS = 6 }; /* the most wa_rt_calls.def allows */

/* How a runtime function is called (the HOW column). */
typedef enum CallHow { HOW_PLAIN, HOW_NOTAIL, HOW_NORETURN } CallHow;

typedef struct RtCall {
    const char *name;
    AbiType result;
    AbiType params[MAX_PARAMS];
    unsigned nparams;
    CallHow how;
} RtCall;

// clang-format off
static const RtCall rt_calls[WA_RT_NFNS] = {
#define WA_RT_CALL(NAME, name, RESULT, PARAMS, HOW) \
    [WA_RT_##NAME] = {"wa_rt_" #name, ABI_OF(RESULT), {WA_RT_MAP(ABI_OF, PARAMS)}, WA_RT_COUNT(PARAMS), HOW_##HOW},
#include "../../runtime/wa_rt_calls.def"
#undef WA_RT_CALL
};

/* The field types of each struct, in order. */
#define WA_RT_STRUCT(NAME, name) static const AbiType fields_##name[] = {
#define WA_RT_FIELD(STRUCT, NAME, name, CTYPE, ABI) ABI_OF(ABI),
#define WA_RT_END(NAME, name) };
#include "../../runtime/wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END

static const struct {
    const AbiType *fields;
    unsigned nfields;
} rt_structs[WA_RT_NSTRUCTS] = {
#define WA_RT_STRUCT(NAME, name) [WA_RT_STRUCT_##NAME] = {fields_##name, WA_RT_##NAME##_NFIELDS},
#define WA_RT_FIELD(STRUCT, NAME, name, CTYPE, ABI)
#define WA_RT_END(NAME, name)
#include "../../runtime/wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END
};
// clang-format on

static LLVMTypeRef llvm_type(WaCodegen *cg, AbiType t) {
    switch (t.kind) {
    case KIND_VOID:
        return cg->t_void;
    case KIND_INT:
        return LLVMIntTypeInContext(cg->llvm, 8 * t.size);
    case KIND_PTR:
        return cg->t_ptr;
    case KIND_STRUCT:
        return wa_codegen_rt_struct(cg, t.struct_);
    }
    WA_UNREACHABLE();
}

static void add_fn_attribute(WaCodegen *cg, LLVMValueRef fn, const char *name, unsigned len) {
    unsigned kind = LLVMGetEnumAttributeKindForName(name, len);
    WA_CHECK(kind != 0);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(cg->llvm, kind, 0));
}

LLVMValueRef wa_codegen_rt_fn(WaCodegen *cg, WaRtFn fn) {
    if (cg->rt_fns[fn] != NULL)
        return cg->rt_fns[fn];
    const RtCall *c = &rt_calls[fn];
    LLVMTypeRef params[MAX_PARAMS];
    for (unsigned i = 0; i < c->nparams; i++)
        params[i] = llvm_type(cg, c->params[i]);
    LLVMTypeRef type = LLVMFunctionType(llvm_type(cg, c->result), params, c->nparams, false);
    LLVMValueRef decl = LLVMAddFunction(cg->mod, c->name, type);
    if (c->how == HOW_NORETURN) {
        add_fn_attribute(cg, decl, "noreturn", 8);
        add_fn_attribute(cg, decl, "cold", 4);
    }
    cg->rt_fns[fn] = decl;
    return decl;
}

LLVMValueRef wa_codegen_rt_call(WaCodegen *cg, WaRtFn fn, LLVMValueRef *args, unsigned nargs,
                                const char *name) {
    LLVMValueRef decl = wa_codegen_rt_fn(cg, fn);
    LLVMTypeRef type = LLVMGlobalGetValueType(decl);
    WA_CHECK(nargs == LLVMCountParamTypes(type));
    LLVMTypeRef params[MAX_PARAMS];
    LLVMGetParamTypes(type, params);
    for (unsigned i = 0; i < nargs; i++)
        WA_CHECK(LLVMTypeOf(args[i]) == params[i]);
    LLVMValueRef call = LLVMBuildCall2(cg->b, type, decl, args, nargs, name);
    if (rt_calls[fn].how == HOW_NOTAIL)
        LLVMSetTailCallKind(call, LLVMTailCallKindNoTail);
    return call;
}

LLVMTypeRef wa_codegen_rt_struct(WaCodegen *cg, WaRtStruct s) {
    if (cg->rt_structs[s] != NULL)
        return cg->rt_structs[s];
    unsigned n = rt_structs[s].nfields;
    LLVMTypeRef *fields = WA_NEW_ARRAY(&cg->arena, LLVMTypeRef, n);
    for (unsigned i = 0; i < n; i++)
        fields[i] = llvm_type(cg, rt_structs[s].fields[i]);
    cg->rt_structs[s] = LLVMStructTypeInContext(cg->llvm, fields, n, false);
    return cg->rt_structs[s];
}

LLVMTypeRef wa_codegen_rt_field_type(WaCodegen *cg, WaRtStruct s, unsigned field) {
    WA_CHECK(field < rt_structs[s].nfields);
    return LLVMStructGetTypeAtIndex(wa_codegen_rt_struct(cg, s), field);
}

uint64_t wa_codegen_rt_offset(WaCodegen *cg, WaRtStruct s, unsigned field) {
    WA_CHECK(field < rt_structs[s].nfields);
    LLVMTargetDataRef td = LLVMGetModuleDataLayout(cg->mod);
    return LLVMOffsetOfElement(td, wa_codegen_rt_struct(cg, s), field);
}

uint64_t wa_codegen_rt_size(WaCodegen *cg, WaRtStruct s) {
    return LLVMABISizeOfType(LLVMGetModuleDataLayout(cg->mod), wa_codegen_rt_struct(cg, s));
}

LLVMValueRef wa_codegen_rt_field_ptr(WaCodegen *cg, LLVMBuilderRef b, LLVMValueRef base,
                                     WaRtStruct s, unsigned field) {
    uint64_t offset = wa_codegen_rt_offset(cg, s, field);
    if (offset == 0)
        return base;
    LLVMValueRef off = LLVMConstInt(cg->t_i64, offset, false);
    return LLVMBuildGEP2(b, cg->t_i8, base, &off, 1, "");
}

LLVMValueRef wa_codegen_rt_load(WaCodegen *cg, LLVMValueRef base, WaRtStruct s, unsigned field,
                                const char *name) {
    LLVMValueRef ptr = wa_codegen_rt_field_ptr(cg, cg->b, base, s, field);
    return LLVMBuildLoad2(cg->b, wa_codegen_rt_field_type(cg, s, field), ptr, name);
}
