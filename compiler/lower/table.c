/*
 * table.c: table instructions (spec 4.4.6) and reference instructions
 * (4.4.2).
 *
 * table.get / table.set / table.size are inline: the table's elems pointer
 * and size are reloaded on every access because table.grow may move them.
 * The rest call the runtime, which implements the spec's bounds checks.
 * A funcref is a pointer to the function's wa_rt_func_t; null is NULL.
 */
#include "lower.h"

/* ctx->tables[index] (hoisted: the wa_rt_table_t itself never moves). */
static LLVMValueRef table_object(WaFuncGen *fg, uint32_t index) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef tables = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_TABLES, "tables");
    LLVMValueRef idx = LLVMConstInt(cg->t_i64, index, false);
    return LLVMBuildLoad2(cg->b, cg->t_ptr, LLVMBuildGEP2(cg->b, cg->t_ptr, tables, &idx, 1, ""),
                          "table");
}

static LLVMValueRef table_size(WaFuncGen *fg, LLVMValueRef table) {
    return wa_codegen_rt_load(fg->cg, table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_SIZE, "table_size");
}

/* Address of element `index` after checking it is in bounds. */
static LLVMValueRef checked_elem(WaFuncGen *fg, uint32_t table_index, LLVMValueRef index) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef table = table_object(fg, table_index);
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntUGE, index, table_size(fg, table), ""),
                  WA_RT_TRAP_TABLE_OUT_OF_BOUNDS);
    LLVMValueRef elems =
        wa_codegen_rt_load(cg, table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_ELEMS, "elems");
    LLVMValueRef idx64 = LLVMBuildZExt(cg->b, index, cg->t_i64, "");
    return LLVMBuildGEP2(cg->b, cg->t_ptr, elems, &idx64, 1, "");
}

bool wa_lower_table(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    switch (in->op) {
    case WA_OP_TABLE_GET: {
        WaValType type = cg->m->tables[in->imm.index].type.elem;
        LLVMValueRef ptr = checked_elem(fg, in->imm.index, wa_fg_pop(fg));
        wa_fg_push(fg, LLVMBuildLoad2(cg->b, cg->t_ptr, ptr, "ref"), type);
        return true;
    }
    case WA_OP_TABLE_SET: {
        LLVMValueRef value = wa_fg_pop(fg);
        LLVMValueRef ptr = checked_elem(fg, in->imm.index, wa_fg_pop(fg));
        LLVMBuildStore(cg->b, value, ptr);
        return true;
    }
    case WA_OP_TABLE_SIZE:
        wa_fg_push(fg, table_size(fg, table_object(fg, in->imm.index)), WA_VT_I32);
        return true;
    case WA_OP_TABLE_GROW: {
        LLVMValueRef old_size = wa_fg_call_rt_op(fg, WA_RT_TABLE_GROW, &in->imm.index, 1, 2);
        wa_fg_push(fg, old_size, WA_VT_I32);
        return true;
    }
    case WA_OP_TABLE_FILL:
        wa_fg_call_rt_op(fg, WA_RT_TABLE_FILL, &in->imm.index, 1, 3);
        return true;
    case WA_OP_TABLE_COPY: {
        uint32_t imms[2] = {in->imm.pair.a, in->imm.pair.b}; /* destination, source */
        wa_fg_call_rt_op(fg, WA_RT_TABLE_COPY, imms, 2, 3);
        return true;
    }
    case WA_OP_TABLE_INIT: {
        uint32_t imms[2] = {in->imm.pair.b, in->imm.pair.a}; /* table, segment */
        wa_fg_call_rt_op(fg, WA_RT_TABLE_INIT, imms, 2, 3);
        return true;
    }
    case WA_OP_ELEM_DROP:
        wa_fg_call_rt_op(fg, WA_RT_ELEM_DROP, &in->imm.index, 1, 0);
        return true;
    default:
        return false;
    }
}

bool wa_lower_ref(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    switch (in->op) {
    case WA_OP_REF_NULL:
        wa_fg_push(fg, LLVMConstNull(cg->t_ptr), (WaValType)in->imm.index);
        return true;
    case WA_OP_REF_IS_NULL: {
        LLVMValueRef is_null = LLVMBuildIsNull(cg->b, wa_fg_pop(fg), "");
        wa_fg_push(fg, LLVMBuildZExt(cg->b, is_null, cg->t_i32, ""), WA_VT_I32);
        return true;
    }
    case WA_OP_REF_FUNC: {
        LLVMValueRef funcs = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_FUNCS, "funcs");
        LLVMValueRef idx = LLVMConstInt(cg->t_i64, in->imm.index, false);
        LLVMValueRef ref = LLVMBuildLoad2(
            cg->b, cg->t_ptr, LLVMBuildGEP2(cg->b, cg->t_ptr, funcs, &idx, 1, ""), "funcref");
        wa_fg_push(fg, ref, WA_VT_FUNCREF);
        return true;
    }
    default:
        return false;
    }
}
