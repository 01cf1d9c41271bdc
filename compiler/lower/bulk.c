/*
 * bulk.c: bulk memory instructions (spec 4.4.7): memory.init, data.drop,
 * memory.copy, memory.fill.
 *
 * memory.copy and memory.fill are hot in programs built with bulk memory
 * (they are memcpy and memset), so they are inlined: one bounds check, then
 * llvm.memmove / llvm.memset. Segment operations call the runtime.
 */
#include "lower.h"

/* Traps unless [start, start + n) lies within memory `mem`'s current size; returns base+start. */
static LLVMValueRef checked_range(WaFuncGen *fg, LLVMValueRef mem, LLVMValueRef start,
                                  LLVMValueRef n64) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef size =
        wa_codegen_rt_load(cg, mem, WA_RT_STRUCT_MEMORY, WA_RT_MEMORY_SIZE, "mem_bytes");
    LLVMValueRef start64 = LLVMBuildZExt(cg->b, start, cg->t_i64, "");
    LLVMValueRef end = LLVMBuildAdd(cg->b, start64, n64, ""); /* < 2^33: no overflow */
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntUGT, end, size, ""),
                  WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    LLVMValueRef base = wa_codegen_rt_load(cg, mem, WA_RT_STRUCT_MEMORY, WA_RT_MEMORY_BASE, "base");
    return LLVMBuildGEP2(cg->b, cg->t_i8, base, &start64, 1, "");
}

static void lower_copy(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef n = wa_fg_pop(fg);
    LLVMValueRef src = wa_fg_pop(fg);
    LLVMValueRef dst = wa_fg_pop(fg);
    LLVMValueRef n64 = LLVMBuildZExt(cg->b, n, cg->t_i64, "");
    /* Both ranges are checked before anything is copied (Wasm 2.0). */
    LLVMValueRef dst_ptr = checked_range(fg, wa_fg_memory(fg, in->imm.pair.a), dst, n64);
    LLVMValueRef src_ptr = checked_range(fg, wa_fg_memory(fg, in->imm.pair.b), src, n64);
    LLVMBuildMemMove(cg->b, dst_ptr, 1, src_ptr, 1, n64);
}

static void lower_fill(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef n = wa_fg_pop(fg);
    LLVMValueRef value = wa_fg_pop(fg);
    LLVMValueRef dst = wa_fg_pop(fg);
    LLVMValueRef n64 = LLVMBuildZExt(cg->b, n, cg->t_i64, "");
    LLVMValueRef dst_ptr = checked_range(fg, wa_fg_memory(fg, in->imm.index), dst, n64);
    LLVMValueRef byte = LLVMBuildTrunc(cg->b, value, cg->t_i8, "");
    LLVMBuildMemSet(cg->b, dst_ptr, byte, n64, 1);
}

bool wa_lower_bulk(WaFuncGen *fg, const WaInstr *in) {
    switch (in->op) {
    case WA_OP_MEMORY_INIT: {
        uint32_t imms[2] = {in->imm.pair.b, in->imm.pair.a}; /* memory, segment */
        wa_fg_call_rt_op(fg, WA_RT_MEMORY_INIT, imms, 2, 3);
        return true;
    }
    case WA_OP_DATA_DROP:
        wa_fg_call_rt_op(fg, WA_RT_DATA_DROP, &in->imm.index, 1, 0);
        return true;
    case WA_OP_MEMORY_COPY:
        lower_copy(fg, in);
        return true;
    case WA_OP_MEMORY_FILL:
        lower_fill(fg, in);
        return true;
    default:
        return false;
    }
}
