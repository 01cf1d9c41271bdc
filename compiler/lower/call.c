/*
 * call.c: call and call_indirect (spec 4.4.8).
 *
 * A function defined in this module is called directly, passing our own
 * instance. An imported function is called through its wa_rt_func_t in
 * ctx->funcs, passing the ctx stored there. call_indirect checks, in the
 * spec's order: index within the table ("undefined element"), entry not null
 * ("uninitialized element"), signature ("indirect call type mismatch", by
 * canonical type id so that equal types from other modules match).
 */
#include "lower.h"

/* Pops the call's arguments into args[1..n] (args[0] is left for the callee's ctx). */
static LLVMValueRef *pop_args(WaFuncGen *fg, const WaFuncType *ft) {
    LLVMValueRef *args = WA_NEW_ARRAY(&fg->cg->scratch, LLVMValueRef, ft->nparams + 1);
    for (uint32_t i = ft->nparams; i > 0; i--)
        args[i] = wa_fg_pop(fg);
    return args;
}

/* Pushes a call's results: none, one value, or the fields of a returned struct. */
static void push_results(WaFuncGen *fg, const WaFuncType *ft, LLVMValueRef ret) {
    if (ft->nresults == 1) {
        wa_fg_push(fg, ret, ft->results[0]);
        return;
    }
    for (uint32_t i = 0; i < ft->nresults; i++)
        wa_fg_push(fg, LLVMBuildExtractValue(fg->cg->b, ret, i, ""), ft->results[i]);
}

/* Calls `code` with `callee_ctx` and args[1..], the native way for type index `type_index`. */
static void emit_call(WaFuncGen *fg, uint32_t type_index, LLVMValueRef code,
                      LLVMValueRef callee_ctx, LLVMValueRef *args) {
    WaCodegen *cg = fg->cg;
    const WaFuncType *ft = &cg->m->types[type_index];
    args[0] = callee_ctx;
    LLVMValueRef ret =
        LLVMBuildCall2(cg->b, cg->fn_types[type_index], code, args, ft->nparams + 1, "");
    /*
     * Wasm has no implicit tail calls: unbounded recursion must exhaust the
     * stack and trap, not become a loop (LLVM's tail recursion elimination
     * would turn `f(x) = f(x) + 1` into one).
     */
    LLVMSetTailCallKind(ret, LLVMTailCallKindNoTail);
    push_results(fg, ft, ret);
}

/* Loads the code and ctx of the wa_rt_func_t at `ref`. */
static void load_func_ref(WaFuncGen *fg, LLVMValueRef ref, LLVMValueRef *code, LLVMValueRef *ctx) {
    WaCodegen *cg = fg->cg;
    *code = wa_codegen_rt_load(cg, ref, WA_RT_STRUCT_FUNC, WA_RT_FUNC_CODE, "code");
    *ctx = wa_codegen_rt_load(cg, ref, WA_RT_STRUCT_FUNC, WA_RT_FUNC_CTX, "callee_ctx");
}

/* Element `index` of the pointer array that instance field `field` points to. */
static LLVMValueRef load_ctx_array_elem(WaFuncGen *fg, unsigned field, uint32_t index) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef array = wa_fg_load_ctx_field_hoisted(fg, field, "");
    LLVMValueRef idx = LLVMConstInt(cg->t_i64, index, false);
    return LLVMBuildLoad2(cg->b, cg->t_ptr, LLVMBuildGEP2(cg->b, cg->t_ptr, array, &idx, 1, ""),
                          "");
}

static bool lower_direct(WaFuncGen *fg, uint32_t func_index) {
    WaCodegen *cg = fg->cg;
    const WaFunc *f = &cg->m->funcs[func_index];
    LLVMValueRef *args = pop_args(fg, &cg->m->types[f->type_index]);
    if (!f->imported) {
        emit_call(fg, f->type_index, cg->funcs[func_index], fg->ctx, args);
        return true;
    }
    LLVMValueRef ref = load_ctx_array_elem(fg, WA_RT_INSTANCE_FUNCS, func_index);
    LLVMValueRef code, callee_ctx;
    load_func_ref(fg, ref, &code, &callee_ctx);
    emit_call(fg, f->type_index, code, callee_ctx, args);
    return true;
}

static bool lower_indirect(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    uint32_t type_index = in->imm.call_indirect.type_index;
    LLVMValueRef index = wa_fg_pop(fg);
    LLVMValueRef *args = pop_args(fg, &cg->m->types[type_index]);

    LLVMValueRef table =
        load_ctx_array_elem(fg, WA_RT_INSTANCE_TABLES, in->imm.call_indirect.table_index);
    LLVMValueRef size =
        wa_codegen_rt_load(cg, table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_SIZE, "table_size");
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntUGE, index, size, ""),
                  WA_RT_TRAP_UNDEFINED_ELEMENT);

    LLVMValueRef elems =
        wa_codegen_rt_load(cg, table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_ELEMS, "elems");
    LLVMValueRef idx64 = LLVMBuildZExt(cg->b, index, cg->t_i64, "");
    LLVMValueRef ref = LLVMBuildLoad2(cg->b, cg->t_ptr,
                                      LLVMBuildGEP2(cg->b, cg->t_ptr, elems, &idx64, 1, ""), "ref");
    wa_fg_trap_if(fg, LLVMBuildIsNull(cg->b, ref, ""), WA_RT_TRAP_UNINITIALIZED_ELEMENT);

    LLVMValueRef actual = wa_codegen_rt_load(cg, ref, WA_RT_STRUCT_FUNC, WA_RT_FUNC_TYPE_ID, "");
    LLVMValueRef ids = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_TYPE_IDS, "type_ids");
    LLVMValueRef tidx = LLVMConstInt(cg->t_i64, type_index, false);
    LLVMValueRef expected = LLVMBuildLoad2(
        cg->b, cg->t_i32, LLVMBuildGEP2(cg->b, cg->t_i32, ids, &tidx, 1, ""), "expected_type");
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntNE, actual, expected, ""),
                  WA_RT_TRAP_INDIRECT_CALL_TYPE_MISMATCH);

    LLVMValueRef code, callee_ctx;
    load_func_ref(fg, ref, &code, &callee_ctx);
    emit_call(fg, type_index, code, callee_ctx, args);
    return true;
}

bool wa_lower_call(WaFuncGen *fg, const WaInstr *in) {
    if (in->op == WA_OP_CALL)
        return lower_direct(fg, in->imm.index);
    return lower_indirect(fg, in);
}
