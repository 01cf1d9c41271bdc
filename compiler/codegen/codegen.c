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

#include "../wasm/instr.h"

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

/* The signature of a tailcc body of type ft (see wa_codegen_tail_results_by_pointer). */
static LLVMTypeRef tail_fn_type(WaCodegen *cg, const WaFuncType *ft) {
    if (!wa_codegen_tail_results_by_pointer(ft))
        return native_fn_type(cg, ft);
    LLVMTypeRef *params = WA_NEW_ARRAY(&cg->scratch, LLVMTypeRef, ft->nparams + 2);
    params[0] = cg->t_ptr;
    params[1] = cg->t_ptr;
    for (uint32_t i = 0; i < ft->nparams; i++)
        params[i + 2] = wa_cg_type(cg, ft->params[i]);
    return LLVMFunctionType(cg->t_void, params, ft->nparams + 2, false);
}

/*
 * The functions that take part in tail calls, per function index: those
 * whose body holds return_call or return_call_indirect (a musttail call's
 * caller must be tailcc) and those a return_call names (its callee must be).
 * NULL if there are none: the module has no tail calls.
 */
static bool *tail_call_functions(WaCodegen *cg) {
    const WaModule *m = cg->m;
    bool *in_set = NULL;
    for (uint32_t f = m->nfunc_imports; f < m->nfuncs; f++) {
        WaReader r;
        wa_reader_init(&r, m->bytes, m->size, cg->d);
        r.p = m->funcs[f].code;
        r.end = m->funcs[f].code + m->funcs[f].code_size;
        while (!wa_reader_at_end(&r)) {
            WaInstr in;
            if (!wa_instr_read(&r, &cg->scratch, &in))
                break; /* cannot happen after validation */
            if (in.op != WA_OP_RETURN_CALL && in.op != WA_OP_RETURN_CALL_INDIRECT)
                continue;
            if (in_set == NULL)
                in_set = WA_NEW_ARRAY(&cg->arena, bool, m->nfuncs);
            in_set[f] = true;
            if (in.op == WA_OP_RETURN_CALL && in.imm.index < m->nfuncs &&
                !m->funcs[in.imm.index].imported)
                in_set[in.imm.index] = true;
        }
        wa_arena_reset(&cg->scratch);
    }
    return in_set;
}

static void add_fn_attribute(WaCodegen *cg, LLVMValueRef fn, const char *name) {
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    WA_CHECK(kind != 0);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(cg->llvm, kind, 0));
}

/* Adds function `name` of `type` with the attributes every wasm function's code has. */
static LLVMValueRef add_wasm_function(WaCodegen *cg, const char *name, LLVMTypeRef type) {
    LLVMValueRef fn = LLVMAddFunction(cg->mod, name, type);
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
    return fn;
}

/*
 * The C entry of tailcc body `body` (type index t): calls it and returns
 * its results the way wa_rt.h describes, for everything that calls a wasm
 * function through its wa_rt_func_t code (the runtime, other modules, the
 * embedding API, call_indirect). It is in wasm_text too, so that running
 * out of stack in it is "call stack exhausted".
 */
static void build_c_entry(WaCodegen *cg, LLVMValueRef entry, LLVMValueRef body, uint32_t t) {
    const WaFuncType *ft = &cg->m->types[t];
    bool by_pointer = wa_codegen_tail_results_by_pointer(ft);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->llvm, entry, "entry"));
    LLVMTypeRef ret_type = LLVMGetReturnType(cg->fn_types[t]);
    LLVMValueRef results = by_pointer ? LLVMBuildAlloca(cg->b, ret_type, "results") : NULL;
    uint32_t n = ft->nparams + 1 + by_pointer;
    LLVMValueRef *args = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, n);
    args[0] = LLVMGetParam(entry, 0);
    if (by_pointer)
        args[1] = results;
    for (uint32_t i = 0; i < ft->nparams; i++)
        args[i + 1 + by_pointer] = LLVMGetParam(entry, i + 1);
    LLVMValueRef call = LLVMBuildCall2(cg->b, cg->tail_fn_types[t], body, args, n, "");
    LLVMSetInstructionCallConv(call, LLVMGetFunctionCallConv(body));
    LLVMSetTailCallKind(call, LLVMTailCallKindNoTail);
    if (by_pointer)
        LLVMBuildRet(cg->b, LLVMBuildLoad2(cg->b, ret_type, results, ""));
    else if (ft->nresults == 0)
        LLVMBuildRetVoid(cg->b);
    else
        LLVMBuildRet(cg->b, call);
}

/*
 * Declares every defined function. A function that takes part in tail calls
 * (tail_call_functions) has its body in LLVM's tailcc convention, for which
 * LLVM guarantees that a musttail call is a jump whatever the two
 * signatures (LangRef, musttail: "the prototypes must match, unless both
 * use tailcc or swifttailcc"), and funcs[i] is its C entry. Every other
 * function keeps one C function, so tail calls cost nothing where they are
 * not used (ordinary calls of tailcc bodies cost a little: bench/access_cost
 * measured in the README).
 */
static void declare_functions(WaCodegen *cg) {
    const WaModule *m = cg->m;
    cg->fn_types = WA_NEW_ARRAY(&cg->arena, LLVMTypeRef, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++)
        cg->fn_types[i] = native_fn_type(cg, &m->types[i]);
    cg->funcs = WA_NEW_ARRAY(&cg->arena, LLVMValueRef, m->nfuncs);
    const bool *tail_set = tail_call_functions(cg);
    if (tail_set != NULL) {
        cg->tail_fn_types = WA_NEW_ARRAY(&cg->arena, LLVMTypeRef, m->ntypes);
        for (uint32_t i = 0; i < m->ntypes; i++)
            cg->tail_fn_types[i] = tail_fn_type(cg, &m->types[i]);
        cg->tail_funcs = WA_NEW_ARRAY(&cg->arena, LLVMValueRef, m->nfuncs);
    }
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        char *sym = wa_symbol_name(&cg->scratch, i, f->name);
        if (tail_set == NULL || !tail_set[i]) {
            cg->funcs[i] = add_wasm_function(cg, sym, cg->fn_types[f->type_index]);
            continue;
        }
        LLVMValueRef body = add_wasm_function(cg, sym, cg->tail_fn_types[f->type_index]);
        LLVMSetFunctionCallConv(body, WA_LLVM_TAILCC);
        cg->tail_funcs[i] = body;
        size_t len = strlen(sym);
        char *entry_name = WA_NEW_ARRAY(&cg->scratch, char, len + 8);
        memcpy(entry_name, sym, len);
        memcpy(entry_name + len, ".entry", 7);
        cg->funcs[i] = add_wasm_function(cg, entry_name, cg->fn_types[f->type_index]);
        build_c_entry(cg, cg->funcs[i], body, f->type_index);
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
