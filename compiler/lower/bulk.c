/*
 * bulk.c: bulk memory instructions (spec 4.4.7): memory.init, data.drop,
 * memory.copy, memory.fill.
 *
 * memory.copy and memory.fill are hot in programs built with bulk memory
 * (they are memcpy and memset), so they are inlined: one bounds check, then
 * llvm.memmove / llvm.memset. Segment operations call the runtime.
 */
#include "lower.h"

/* llvm.uadd.sat.i64(a, b): a + b, or 2^64-1 if that wraps. */
static LLVMValueRef add_saturating(WaCodegen *cg, LLVMValueRef a, LLVMValueRef b) {
    LLVMValueRef args[2] = {a, b};
    return wa_cg_call_intrinsic(cg, "llvm.uadd.sat", &cg->t_i64, 1, args, 2);
}

/* An operand of memory `index`'s address type as an i64: memory64's as is, an i32 zero-extended. */
static LLVMValueRef address64(WaFuncGen *fg, uint32_t index, LLVMValueRef v) {
    if (wa_module_memory_is64(fg->cg->m, index))
        return v;
    return LLVMBuildZExt(fg->cg->b, v, fg->cg->t_i64, "");
}

/*
 * Traps unless [start, start + n) lies within memory `index`'s current size;
 * returns base+start. start and n are i64; with memory64 both may be any
 * u64, so the end is a saturating sum (one that wraps exceeds every size).
 */
static LLVMValueRef checked_range(WaFuncGen *fg, uint32_t index, LLVMValueRef start64,
                                  LLVMValueRef n64) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef mem = wa_fg_memory(fg, index);
    LLVMValueRef size = wa_fg_memory_size(fg, index);
    LLVMValueRef end = wa_module_memory_is64(cg->m, index)
                           ? add_saturating(cg, start64, n64)
                           : LLVMBuildAdd(cg->b, start64, n64, ""); /* < 2^33: no overflow */
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntUGT, end, size, ""),
                  WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    LLVMValueRef base = wa_codegen_rt_load(cg, mem, WA_RT_STRUCT_MEMORY, WA_RT_MEMORY_BASE, "base");
    return LLVMBuildGEP2(cg->b, cg->t_i8, base, &start64, 1, "");
}

/*
 * memory.copy between memories pair.a (destination) and pair.b (source),
 * which may differ (multi-memory) and have different address types
 * (memory64: each address has its memory's type, the count is i64 only if
 * both are, so it is at most 2^32-1 when either is i32).
 */
static void lower_copy(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    uint32_t dmem = in->imm.pair.a, smem = in->imm.pair.b;
    bool n64_typed = wa_module_memory_is64(cg->m, dmem) && wa_module_memory_is64(cg->m, smem);
    LLVMValueRef n = wa_fg_pop(fg);
    LLVMValueRef src = address64(fg, smem, wa_fg_pop(fg));
    LLVMValueRef dst = address64(fg, dmem, wa_fg_pop(fg));
    LLVMValueRef n64 = n64_typed ? n : LLVMBuildZExt(cg->b, n, cg->t_i64, "");
    /* Both ranges are checked before anything is copied (Wasm 2.0). */
    LLVMValueRef dst_ptr = checked_range(fg, dmem, dst, n64);
    LLVMValueRef src_ptr = checked_range(fg, smem, src, n64);
    LLVMBuildMemMove(cg->b, dst_ptr, 1, src_ptr, 1, n64);
}

/* memory.fill: destination and count of the memory's address type. */
static void lower_fill(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    uint32_t mem = in->imm.index;
    LLVMValueRef n64 = address64(fg, mem, wa_fg_pop(fg));
    LLVMValueRef value = wa_fg_pop(fg);
    LLVMValueRef dst = address64(fg, mem, wa_fg_pop(fg));
    LLVMValueRef dst_ptr = checked_range(fg, mem, dst, n64);
    LLVMValueRef byte = LLVMBuildTrunc(cg->b, value, cg->t_i8, "");
    LLVMBuildMemSet(cg->b, dst_ptr, byte, n64, 1);
}

/* memory.init: the runtime takes the destination as a u64 (memory64's i64, or zero-extended). */
static void lower_init(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    uint32_t mem = in->imm.pair.b;
    LLVMValueRef n = wa_fg_pop(fg);
    LLVMValueRef src = wa_fg_pop(fg);
    LLVMValueRef dst = address64(fg, mem, wa_fg_pop(fg));
    LLVMValueRef args[6] = {fg->ctx,
                            LLVMConstInt(cg->t_i32, mem, false),
                            LLVMConstInt(cg->t_i32, in->imm.pair.a, false),
                            dst,
                            src,
                            n};
    wa_codegen_rt_call(cg, WA_RT_MEMORY_INIT, args, 6, "");
}

bool wa_lower_bulk(WaFuncGen *fg, const WaInstr *in) {
    switch (in->op) {
    case WA_OP_MEMORY_INIT:
        lower_init(fg, in);
        return true;
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
