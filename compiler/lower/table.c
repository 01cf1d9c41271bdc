/*
 * table.c: table instructions (spec 4.4.6) and reference instructions
 * (4.4.2).
 *
 * table.get / table.set / table.size are inline: the table's elems pointer
 * and size are reloaded on every access because table.grow may move them.
 * The rest call the runtime, which implements the spec's bounds checks.
 * A funcref is a pointer to the function's wa_rt_func_t; null is NULL.
 *
 * An i64 table (table64) keeps its size as a u32 like any other (tables
 * never exceed WA_RT_TABLE_LIMIT elements): inline checks compare its i64
 * indices with the size zero-extended, the runtime calls get them
 * saturated to u32 (wa_fg_table_operand_u32), and table.size and
 * table.grow give i64 results.
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

LLVMValueRef wa_fg_table_operand_u32(WaFuncGen *fg, LLVMValueRef v) {
    WaCodegen *cg = fg->cg;
    if (LLVMTypeOf(v) != cg->t_i64)
        return v;
    LLVMValueRef max = LLVMConstInt(cg->t_i64, UINT32_MAX, false);
    LLVMValueRef above = LLVMBuildICmp(cg->b, LLVMIntUGT, v, max, "");
    return LLVMBuildTrunc(cg->b, LLVMBuildSelect(cg->b, above, max, v, ""), cg->t_i32, "");
}

/* The top `n` operands, those of them that are i64 (table64) saturated to u32. */
static void narrow_table_operands(WaFuncGen *fg, unsigned n) {
    for (unsigned i = 0; i < n; i++) {
        WaStackValue *v = &fg->stack.data[fg->stack.len - 1 - i];
        if (v->type == WA_VT_I64) {
            v->value = wa_fg_table_operand_u32(fg, v->value);
            v->type = WA_VT_I32;
        }
    }
}

/* Address of element `index` (i32, or i64 for table64) after checking it is in bounds. */
static LLVMValueRef checked_elem(WaFuncGen *fg, uint32_t table_index, LLVMValueRef index) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef table = table_object(fg, table_index);
    LLVMValueRef size = table_size(fg, table);
    if (LLVMTypeOf(index) == cg->t_i64)
        size = LLVMBuildZExt(cg->b, size, cg->t_i64, "");
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntUGE, index, size, ""),
                  WA_RT_TRAP_TABLE_OUT_OF_BOUNDS);
    LLVMValueRef elems =
        wa_codegen_rt_load(cg, table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_ELEMS, "elems");
    LLVMValueRef idx64 = LLVMBuildZExt(cg->b, index, cg->t_i64, "");
    return LLVMBuildGEP2(cg->b, cg->t_ptr, elems, &idx64, 1, "");
}

/* table.grow's result for an i64 table: the old size zero-extended, or -1 (u32 -1 from the
 * runtime). */
static LLVMValueRef grow_result64(WaCodegen *cg, LLVMValueRef old) {
    LLVMValueRef failed = LLVMBuildICmp(cg->b, LLVMIntEQ, old, LLVMConstAllOnes(cg->t_i32), "");
    return LLVMBuildSelect(cg->b, failed, LLVMConstAllOnes(cg->t_i64),
                           LLVMBuildZExt(cg->b, old, cg->t_i64, ""), "");
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
    case WA_OP_TABLE_SIZE: {
        LLVMValueRef size = table_size(fg, table_object(fg, in->imm.index));
        if (wa_module_table_is64(cg->m, in->imm.index))
            wa_fg_push(fg, LLVMBuildZExt(cg->b, size, cg->t_i64, ""), WA_VT_I64);
        else
            wa_fg_push(fg, size, WA_VT_I32);
        return true;
    }
    case WA_OP_TABLE_GROW: {
        narrow_table_operands(fg, 1);
        LLVMValueRef old_size = wa_fg_call_rt_op(fg, WA_RT_TABLE_GROW, &in->imm.index, 1, 2);
        if (wa_module_table_is64(cg->m, in->imm.index))
            wa_fg_push(fg, grow_result64(cg, old_size), WA_VT_I64);
        else
            wa_fg_push(fg, old_size, WA_VT_I32);
        return true;
    }
    case WA_OP_TABLE_FILL:
        narrow_table_operands(fg, 3);
        wa_fg_call_rt_op(fg, WA_RT_TABLE_FILL, &in->imm.index, 1, 3);
        return true;
    case WA_OP_TABLE_COPY: {
        uint32_t imms[2] = {in->imm.pair.a, in->imm.pair.b}; /* destination, source */
        narrow_table_operands(fg, 3);
        wa_fg_call_rt_op(fg, WA_RT_TABLE_COPY, imms, 2, 3);
        return true;
    }
    case WA_OP_TABLE_INIT: {
        uint32_t imms[2] = {in->imm.pair.b, in->imm.pair.a}; /* table, segment */
        narrow_table_operands(fg, 3);
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
