/*
 * variable.c: locals, globals (spec 4.4.5) and the parametric instructions
 * drop and select (4.4.4).
 *
 * Locals are allocas (promoted to SSA by LLVM). A global lives in storage the
 * runtime allocated (for an import, the exporter's), reached through
 * ctx->globals[i]; that pointer never changes, so it is loaded once per
 * function in the entry block.
 */
#include "lower.h"

static LLVMValueRef global_ptr(WaFuncGen *fg, uint32_t index) {
    WaCodegen *cg = fg->cg;
    if (fg->global_ptrs[index] != NULL)
        return fg->global_ptrs[index];
    LLVMValueRef globals = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_GLOBALS, "globals");
    /* Hoist the element load next to the array load: it is just as invariant. */
    LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->llvm);
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(fg->entry));
    LLVMValueRef idx = LLVMConstInt(cg->t_i64, index, false);
    LLVMValueRef p =
        LLVMBuildLoad2(b, cg->t_ptr, LLVMBuildGEP2(b, cg->t_ptr, globals, &idx, 1, ""), "global");
    LLVMDisposeBuilder(b);
    fg->global_ptrs[index] = p;
    return p;
}

bool wa_lower_variable(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    uint32_t i = in->imm.index;
    switch (in->op) {
    case WA_OP_LOCAL_GET: {
        LLVMTypeRef t = wa_cg_type(cg, fg->local_types[i]);
        wa_fg_push(fg, LLVMBuildLoad2(cg->b, t, fg->locals[i], ""), fg->local_types[i]);
        return true;
    }
    case WA_OP_LOCAL_SET:
        LLVMBuildStore(cg->b, wa_fg_pop(fg), fg->locals[i]);
        return true;
    case WA_OP_LOCAL_TEE:
        LLVMBuildStore(cg->b, wa_vec_last(&fg->stack).value, fg->locals[i]);
        return true;
    case WA_OP_GLOBAL_GET: {
        WaValType type = cg->m->globals[i].type.type;
        LLVMValueRef v = LLVMBuildLoad2(cg->b, wa_cg_type(cg, type), global_ptr(fg, i), "");
        wa_fg_push(fg, v, type);
        return true;
    }
    case WA_OP_GLOBAL_SET:
        LLVMBuildStore(cg->b, wa_fg_pop(fg), global_ptr(fg, i));
        return true;
    default:
        return false;
    }
}

bool wa_lower_parametric(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    if (in->op == WA_OP_DROP) {
        wa_fg_pop(fg);
        return true;
    }
    /* select and typed select: the condition is on top, then the false and true operands. */
    LLVMValueRef cond = wa_fg_pop(fg);
    LLVMValueRef if_false = wa_fg_pop(fg);
    WaStackValue if_true = wa_fg_pop_typed(fg);
    LLVMValueRef is_true =
        LLVMBuildICmp(cg->b, LLVMIntNE, cond, LLVMConstInt(cg->t_i32, 0, false), "");
    wa_fg_push(fg, LLVMBuildSelect(cg->b, is_true, if_true.value, if_false, ""), if_true.type);
    return true;
}
