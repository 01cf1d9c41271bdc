/*
 * codegen.c: the LLVM module for a wasm module.
 *
 * Declares one LLVM function per defined wasm function, with the native
 * signature of wa_rt.h (instance pointer first; several results as a
 * struct), in the section "wasm_text" so the runtime can tell wasm code from
 * its own when it names the function a trap happened in. Then lowers every
 * body and emits the descriptor.
 */
#include "codegen.h"

#include "../base/check.h"

#include <llvm-c/Target.h>
#include <string.h>

/* The native signature of a wasm function type. */
static LLVMTypeRef native_fn_type(WaCodegen *cg, const WaFuncType *ft) {
    LLVMTypeRef *params = WA_NEW_ARRAY(&cg->scratch, LLVMTypeRef, ft->nparams + 1);
    params[0] = cg->t_ptr;
    for (uint32_t i = 0; i < ft->nparams; i++)
        params[i + 1] = wa_cg_type(cg, ft->params[i]);
    LLVMTypeRef ret;
    if (ft->nresults == 0) {
        ret = cg->t_void;
    } else if (ft->nresults == 1) {
        ret = wa_cg_type(cg, ft->results[0]);
    } else {
        LLVMTypeRef *fields = WA_NEW_ARRAY(&cg->scratch, LLVMTypeRef, ft->nresults);
        for (uint32_t i = 0; i < ft->nresults; i++)
            fields[i] = wa_cg_type(cg, ft->results[i]);
        ret = LLVMStructTypeInContext(cg->llvm, fields, ft->nresults, false);
    }
    return LLVMFunctionType(ret, params, ft->nparams + 1, false);
}

static void add_fn_attribute(WaCodegen *cg, LLVMValueRef fn, const char *name) {
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    WA_CHECK(kind != 0);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(cg->llvm, kind, 0));
}

static void declare_functions(WaCodegen *cg) {
    const WaModule *m = cg->m;
    cg->fn_types = WA_NEW_ARRAY(&cg->arena, LLVMTypeRef, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++)
        cg->fn_types[i] = native_fn_type(cg, &m->types[i]);
    cg->funcs = WA_NEW_ARRAY(&cg->arena, LLVMValueRef, m->nfuncs);
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        char *sym = wa_symbol_name(&cg->scratch, i, f->name);
        LLVMValueRef fn = LLVMAddFunction(cg->mod, sym, cg->fn_types[f->type_index]);
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        LLVMSetSection(fn, "wasm_text");
        /* Traps leave wasm code by longjmp, never by unwinding. */
        add_fn_attribute(cg, fn, "nounwind");
        /*
         * Probe large frames page by page, so that a frame bigger than the
         * guard page still faults on it (the runtime reports that as stack
         * exhaustion) instead of jumping over it.
         */
        LLVMAddAttributeAtIndex(
            fn, LLVMAttributeFunctionIndex,
            LLVMCreateStringAttribute(cg->llvm, "probe-stack", 11, "inline-asm", 10));
        cg->funcs[i] = fn;
    }
    wa_arena_reset(&cg->scratch);
}

bool wa_codegen_begin(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d) {
    WA_TRY(wa_codegen_init(cg, m, o, d));
    declare_functions(cg);
    return true;
}

bool wa_codegen_functions(WaCodegen *cg) {
    for (uint32_t i = cg->m->nfunc_imports; i < cg->m->nfuncs; i++)
        WA_TRY(wa_lower_function(cg, i));
    return true;
}

bool wa_codegen_module(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d) {
    LLVMValueRef init;
    WA_TRY(wa_codegen_begin(cg, m, o, d) && wa_codegen_functions(cg) &&
           wa_codegen_initializer(cg, &init));
    wa_codegen_descriptor(cg, init, o->embeddable);
    return true;
}
