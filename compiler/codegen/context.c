/*
 * context.c: creating and disposing of the LLVM context of a module's
 * compilation, and the type helpers every part of code generation shares.
 */
#include "context.h"

#include "../lower/lower.h"
#include "codegen.h"
#include "sites.h"

#include "../base/check.h"

#include <string.h>

static void init_types(WaCodegen *cg) {
    LLVMContextRef c = cg->llvm;
    cg->t_void = LLVMVoidTypeInContext(c);
    cg->t_i1 = LLVMInt1TypeInContext(c);
    cg->t_i8 = LLVMInt8TypeInContext(c);
    cg->t_i16 = LLVMInt16TypeInContext(c);
    cg->t_i32 = LLVMInt32TypeInContext(c);
    cg->t_i64 = LLVMInt64TypeInContext(c);
    cg->t_f32 = LLVMFloatTypeInContext(c);
    cg->t_f64 = LLVMDoubleTypeInContext(c);
    cg->t_v128 = LLVMVectorType(cg->t_i64, 2);
    cg->t_ptr = LLVMPointerTypeInContext(c, 0);
}

bool wa_codegen_init(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d) {
    memset(cg, 0, sizeof *cg);
    cg->m = m;
    cg->d = d;
    cg->canonical_nans = o->canonical_nans;
    cg->debug_info = o->debug_info && o->dwarf != NULL;
    cg->fuel = o->fuel;
    cg->timeout = o->timeout;
    cg->embeddable = o->embeddable;
    cg->split = o->split;
    cg->fixed_tables = o->fixed_tables;
    cg->tail_set = o->tail_set;
    cg->tail_set_given = o->tail_set_given;
    cg->test_fail_func = o->test_fail_func;
    cg->progress = o->progress;
    wa_arena_init(&cg->arena);
    wa_arena_init(&cg->scratch);
    cg->llvm = LLVMContextCreate();
    cg->mod = LLVMModuleCreateWithNameInContext(m->filename ? m->filename : "wasm", cg->llvm);
    cg->b = LLVMCreateBuilderInContext(cg->llvm);
    WA_TRY(wa_codegen_target(cg, o));
    init_types(cg);
    cg->exceptions = wa_lower_uses_exceptions(m, &cg->scratch);
    cg->dwarf = o->dwarf;
    cg->nchunks = o->nchunks != 0 ? o->nchunks : 1;
    if (o->sites)
        wa_sites_begin(cg);
    return true;
}

void wa_codegen_dispose(WaCodegen *cg) {
    wa_sites_dispose(cg);
    if (cg->b)
        LLVMDisposeBuilder(cg->b);
    if (cg->mod)
        LLVMDisposeModule(cg->mod);
    if (cg->llvm)
        LLVMContextDispose(cg->llvm);
    if (cg->tm)
        LLVMDisposeTargetMachine(cg->tm);
    wa_arena_free(&cg->scratch);
    wa_arena_free(&cg->arena);
    memset(cg, 0, sizeof *cg);
}

LLVMTypeRef wa_cg_type(WaCodegen *cg, WaValType t) {
    switch (t) {
    case WA_VT_I32:
        return cg->t_i32;
    case WA_VT_I64:
        return cg->t_i64;
    case WA_VT_F32:
        return cg->t_f32;
    case WA_VT_F64:
        return cg->t_f64;
    case WA_VT_V128:
        return cg->t_v128;
    case WA_VT_FUNCREF:
    case WA_VT_EXTERNREF:
    case WA_VT_EXNREF: /* a wa_rt_exception_t * (lower/exception.c) */
        return cg->t_ptr;
    default:
        WA_UNREACHABLE();
    }
}

static void add_attribute(WaCodegen *cg, LLVMValueRef fn, const char *name, uint64_t value) {
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    WA_CHECK(kind != 0);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(cg->llvm, kind, value));
}

void wa_cg_set_unwind(WaCodegen *cg, LLVMValueRef fn) {
    if (!cg->exceptions)
        add_attribute(cg, fn, "nounwind", 0);
    /*
     * Always unwind tables, so debuggers, profilers and the trap backtrace
     * (runtime/backtrace.c) walk wasm frames. uwtable's value: 2
     * asynchronous (every instruction), as the C runtime's own tables, since
     * a trap may stop the code at any instruction.
     */
    add_attribute(cg, fn, "uwtable", 2);
}

LLVMValueRef wa_cg_zero(WaCodegen *cg, WaValType t) {
    return LLVMConstNull(wa_cg_type(cg, t));
}

LLVMValueRef wa_cg_call_intrinsic(WaCodegen *cg, const char *name, LLVMTypeRef *overload,
                                  unsigned noverload, LLVMValueRef *args, unsigned nargs) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    WA_CHECK(id != 0);
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, overload, noverload);
    LLVMTypeRef fn_type = LLVMIntrinsicGetType(cg->llvm, id, overload, noverload);
    return LLVMBuildCall2(cg->b, fn_type, fn, args, nargs, "");
}
