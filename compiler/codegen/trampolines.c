/*
 * trampolines.c: the glue between the native calling convention of wasm
 * functions and the array convention of the embedding API (wa_rt.h):
 *
 *   trampoline, per type:  void wasm_trampoline_<t>(ptr code, ptr ctx, ptr values)
 *       loads the arguments from values[], calls code(ctx, args...), stores
 *       the results back into values[]: the host calls any wasm function.
 *   host thunk, per type:  R wasm_host_thunk_<t>(ptr host_func, P...)
 *       stores its arguments into a values[] array on its stack, calls
 *       host_func->callback(host_func->env, values) and returns the results:
 *       wasm calls a host function as if it were wasm.
 *
 * Each wa_rt_value_t slot is 16 bytes; a value sits at the start of its slot.
 */
#include "codegen.h"

#include <stdio.h>

enum { SLOT = sizeof(wa_rt_value_t) };

static LLVMValueRef slot_ptr(WaCodegen *cg, LLVMValueRef values, uint32_t i) {
    LLVMValueRef off = LLVMConstInt(cg->t_i64, (uint64_t)i * SLOT, false);
    return LLVMBuildGEP2(cg->b, cg->t_i8, values, &off, 1, "");
}

static LLVMValueRef add_helper(WaCodegen *cg, const char *kind, uint32_t type_index,
                               LLVMTypeRef type) {
    char name[64];
    snprintf(name, sizeof name, "wasm_%s_%u", kind, type_index);
    LLVMValueRef fn = LLVMAddFunction(cg->mod, name, type);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    /* Exceptions unwind through host thunks and trampolines (exception handling). */
    wa_cg_set_unwind(cg, fn);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->llvm, fn, "entry"));
    return fn;
}

static LLVMValueRef build_trampoline(WaCodegen *cg, uint32_t type_index) {
    const WaFuncType *ft = &cg->m->types[type_index];
    LLVMTypeRef params[3] = {cg->t_ptr, cg->t_ptr, cg->t_ptr};
    LLVMValueRef fn =
        add_helper(cg, "trampoline", type_index, LLVMFunctionType(cg->t_void, params, 3, false));
    LLVMValueRef values = LLVMGetParam(fn, 2);
    LLVMValueRef *args = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, ft->nparams + 1);
    args[0] = LLVMGetParam(fn, 1);
    for (uint32_t i = 0; i < ft->nparams; i++)
        args[i + 1] =
            LLVMBuildLoad2(cg->b, wa_cg_type(cg, ft->params[i]), slot_ptr(cg, values, i), "");
    LLVMValueRef ret = LLVMBuildCall2(cg->b, cg->fn_types[type_index], LLVMGetParam(fn, 0), args,
                                      ft->nparams + 1, "");
    for (uint32_t i = 0; i < ft->nresults; i++) {
        LLVMValueRef v = ft->nresults == 1 ? ret : LLVMBuildExtractValue(cg->b, ret, i, "");
        LLVMBuildStore(cg->b, v, slot_ptr(cg, values, i));
    }
    LLVMBuildRetVoid(cg->b);
    return fn;
}

static LLVMValueRef build_host_thunk(WaCodegen *cg, uint32_t type_index) {
    const WaFuncType *ft = &cg->m->types[type_index];
    LLVMValueRef fn = add_helper(cg, "host_thunk", type_index, cg->fn_types[type_index]);
    uint32_t nslots = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
    LLVMTypeRef slots_type = LLVMArrayType2(LLVMVectorType(cg->t_i64, 2), nslots ? nslots : 1);
    LLVMValueRef values = LLVMBuildAlloca(cg->b, slots_type, "values");
    for (uint32_t i = 0; i < ft->nparams; i++)
        LLVMBuildStore(cg->b, LLVMGetParam(fn, i + 1), slot_ptr(cg, values, i));

    LLVMValueRef host = LLVMGetParam(fn, 0);
    LLVMValueRef callback =
        wa_codegen_rt_load(cg, host, WA_RT_STRUCT_HOST_FUNC, WA_RT_HOST_FUNC_CALLBACK, "callback");
    LLVMValueRef env =
        wa_codegen_rt_load(cg, host, WA_RT_STRUCT_HOST_FUNC, WA_RT_HOST_FUNC_ENV, "env");
    LLVMTypeRef cb_params[2] = {cg->t_ptr, cg->t_ptr};
    LLVMValueRef cb_args[2] = {env, values};
    LLVMBuildCall2(cg->b, LLVMFunctionType(cg->t_void, cb_params, 2, false), callback, cb_args, 2,
                   "");

    if (ft->nresults == 0) {
        LLVMBuildRetVoid(cg->b);
        return fn;
    }
    LLVMValueRef *results = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, ft->nresults);
    for (uint32_t i = 0; i < ft->nresults; i++)
        results[i] =
            LLVMBuildLoad2(cg->b, wa_cg_type(cg, ft->results[i]), slot_ptr(cg, values, i), "");
    if (ft->nresults == 1)
        LLVMBuildRet(cg->b, results[0]);
    else
        LLVMBuildAggregateRet(cg->b, results, ft->nresults);
    return fn;
}

void wa_codegen_trampolines(WaCodegen *cg, LLVMValueRef *trampolines, LLVMValueRef *host_thunks) {
    for (uint32_t i = 0; i < cg->m->ntypes; i++) {
        trampolines[i] = build_trampoline(cg, i);
        host_thunks[i] = build_host_thunk(cg, i);
    }
}
