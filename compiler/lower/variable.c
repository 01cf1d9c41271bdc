/*
 * variable.c: locals, globals (spec 4.4.5) and the parametric instructions
 * drop and select (4.4.4).
 *
 * Locals are allocas (promoted to SSA by LLVM). A global the module defines
 * lives in the instance itself, right after the wa_rt_instance_t (wa_rt.h,
 * WA_RT_INSTANCE_GLOBALS_OFFSET), so its address is ctx plus a constant and
 * global.get is one load. An imported global lives in its exporter's
 * storage, reached through ctx->globals[i]; that pointer never changes once
 * the instance exists, so it is loaded once per function, in the entry block.
 * Exported globals are shared through the same storage: the importer's
 * ctx->globals[i] points at the exporter's cell.
 */
#include "lower.h"

static LLVMValueRef global_ptr(WaFuncGen *fg, uint32_t index) {
    WaCodegen *cg = fg->cg;
    if (fg->global_ptrs[index] != NULL)
        return fg->global_ptrs[index];
    LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->llvm);
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(fg->entry));
    LLVMValueRef p;
    if (index >= cg->m->nglobal_imports) {
        uint64_t offset = wa_codegen_rt_size(cg, WA_RT_STRUCT_INSTANCE) +
                          (uint64_t)(index - cg->m->nglobal_imports) * WA_RT_GLOBAL_CELL_SIZE;
        LLVMValueRef off = LLVMConstInt(cg->t_i64, offset, false);
        p = LLVMBuildInBoundsGEP2(b, cg->t_i8, fg->ctx, &off, 1, "global");
    } else {
        LLVMValueRef globals = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_GLOBALS, "globals");
        LLVMValueRef idx = LLVMConstInt(cg->t_i64, index, false);
        p = LLVMBuildLoad2(b, cg->t_ptr, LLVMBuildGEP2(b, cg->t_ptr, globals, &idx, 1, ""),
                           "global");
        /* Filled in before any code runs, never changed: just as invariant as the array. */
        LLVMSetMetadata(p, LLVMGetMDKindIDInContext(cg->llvm, "invariant.load", 14),
                        LLVMMetadataAsValue(cg->llvm, LLVMMDNodeInContext2(cg->llvm, NULL, 0)));
    }
    LLVMDisposeBuilder(b);
    fg->global_ptrs[index] = p;
    return p;
}

void wa_fg_set_local(WaFuncGen *fg, uint32_t index, LLVMValueRef value) {
    LLVMBuildStore(fg->cg->b, value, fg->locals[index]);
    if (fg->debug_addresses != NULL && fg->debug_addresses[index] != NULL)
        wa_debug_vars_address_set(fg, index, value);
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
        wa_fg_set_local(fg, i, wa_fg_pop(fg));
        return true;
    case WA_OP_LOCAL_TEE:
        wa_fg_set_local(fg, i, wa_vec_last(&fg->stack).value);
        return true;
    case WA_OP_GLOBAL_GET: {
        WaValType type = cg->m->globals[i].type.type;
        LLVMValueRef v = LLVMBuildLoad2(cg->b, wa_cg_type(cg, type), global_ptr(fg, i), "");
        wa_fg_set_tbaa(fg, v, WA_TBAA_GLOBAL); /* global.set stays untagged: memory.c says why */
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
