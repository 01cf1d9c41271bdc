/*
 * atomic.c: the threads proposal's instructions (0xFE prefix): atomic loads,
 * stores, read-modify-writes and compare-exchanges, memory.atomic.wait32/64,
 * memory.atomic.notify and atomic.fence (the proposal's Overview.md,
 * "Atomic Memory Accesses", "Wait and Notify Operators", "Fence").
 *
 * Ordering: every atomic access is sequentially consistent (the proposal has
 * only that ordering), so each is an LLVM seq_cst atomic of its width,
 * atomic.fence is `fence seq_cst`. Each is also volatile, for the reason
 * memory.c gives for every wasm access: it may trap, so it is never deleted
 * (an atomic load whose value is dead still faults out of bounds) nor moved
 * across the other accesses. A narrow access reads or writes its low N bits;
 * the value pushed (a load's, a read-modify-write's old value, a
 * compare-exchange's loaded value) is zero-extended (the `_u` forms are the
 * only narrow ones), a narrow compare-exchange compares the expected
 * operand wrapped to N bits, which is what an N-bit cmpxchg of the wrapped
 * operands does.
 *
 * Traps, in the reference interpreter's order: first "unaligned atomic"
 * when the effective address ea = index + offset is not a multiple of the
 * access size N (validation made the alignment immediate exactly N, but the
 * address is dynamic; base is page-aligned, so the low bits of ea are
 * those of the host address), then "out of bounds memory access" when ea + N
 * exceeds the memory's size, exactly as for an ordinary access: guard pages
 * for i32 memories, memory64's explicit compare (wa_fg_effective_address).
 * An aligned access never straddles a page, so it faults at its start or
 * not at all; LLVM gets the natural alignment, so it emits one locked (or
 * plain, for loads and stores on x86-64) instruction, never a libcall.
 *
 * Atomics on an unshared memory are valid and behave the same (only this
 * thread can see that memory). memory.atomic.wait32/64 check alignment and
 * bounds explicitly (the runtime reads the value under its parking-lot
 * lock, so it is not an access generated code makes), then on an unshared
 * memory trap "expected shared memory" (nobody could ever notify), and call
 * the runtime for a shared one. memory.atomic.notify checks the same and
 * returns 0 on an unshared memory (no thread can wait on it), else the
 * number of waiters the runtime woke.
 */
#include "lower.h"

#include "../base/check.h"

/* The integer type of an access of 2^log2 bytes. */
static LLVMTypeRef int_type(WaCodegen *cg, unsigned log2) {
    return LLVMIntTypeInContext(cg->llvm, 8u << log2);
}

/*
 * The effective address ea = index + offset as an i64, for the alignment
 * check (low bits only) and for wait/notify's bounds check. For an i32
 * memory it cannot wrap; for an i64 memory it saturates, so that an address
 * past 2^64 stays out of bounds.
 */
static LLVMValueRef effective_index(WaFuncGen *fg, const WaMemArg *ma, LLVMValueRef index) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef off = LLVMConstInt(cg->t_i64, ma->offset, false);
    if (!wa_module_memory_is64(cg->m, ma->memory)) {
        LLVMValueRef ea = LLVMBuildZExt(cg->b, index, cg->t_i64, "");
        return ma->offset != 0 ? LLVMBuildNUWAdd(cg->b, ea, off, "ea") : ea;
    }
    if (ma->offset == 0)
        return index;
    LLVMValueRef args[2] = {index, off};
    return wa_cg_call_intrinsic(cg, "llvm.uadd.sat", &cg->t_i64, 1, args, 2);
}

/* Traps "unaligned atomic" unless ea is a multiple of the 2^log2-byte access. */
static void check_alignment(WaFuncGen *fg, const WaMemArg *ma, LLVMValueRef index, unsigned log2) {
    WaCodegen *cg = fg->cg;
    if (log2 == 0)
        return;
    /* Only the low bits matter, and the sum's low bits do not depend on saturation. */
    LLVMValueRef ea = LLVMBuildZExt(cg->b, index, cg->t_i64, "");
    if (wa_module_memory_is64(cg->m, ma->memory))
        ea = index;
    ea = LLVMBuildAdd(cg->b, ea, LLVMConstInt(cg->t_i64, ma->offset, false), "");
    LLVMValueRef low =
        LLVMBuildAnd(cg->b, ea, LLVMConstInt(cg->t_i64, (1u << log2) - 1, false), "");
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntNE, low, LLVMConstInt(cg->t_i64, 0, false), ""),
                  WA_RT_TRAP_UNALIGNED_ATOMIC);
}

/* The host address of an aligned access, bounds-checked as an ordinary access is. */
static LLVMValueRef access_address(WaFuncGen *fg, const WaInstr *in, LLVMValueRef index) {
    unsigned log2 = wa_op_memlog2[in->op];
    check_alignment(fg, &in->imm.memarg, index, log2);
    return wa_fg_effective_address(fg, &in->imm.memarg, index, UINT64_C(1) << log2);
}

/* Makes an atomic instruction what every wasm access is: volatile, natural alignment, tagged. */
static void finish_access(WaFuncGen *fg, LLVMValueRef inst, unsigned log2) {
    LLVMSetVolatile(inst, true);
    LLVMSetAlignment(inst, 1u << log2);
    wa_fg_set_tbaa(fg, inst, WA_TBAA_MEMORY);
}

/* Widens an N-bit result to the instruction's result type (the _u forms). */
static LLVMValueRef widen(WaCodegen *cg, LLVMValueRef v, WaValType result) {
    LLVMTypeRef t = wa_cg_type(cg, result);
    return LLVMTypeOf(v) == t ? v : LLVMBuildZExt(cg->b, v, t, "");
}

/* Narrows an operand to the access's N bits. */
static LLVMValueRef narrow(WaCodegen *cg, LLVMValueRef v, unsigned log2) {
    LLVMTypeRef t = int_type(cg, log2);
    return LLVMTypeOf(v) == t ? v : LLVMBuildTrunc(cg->b, v, t, "");
}

static LLVMAtomicRMWBinOp rmw_op(WaAux aux) {
    switch (aux) {
    case WA_AUX_ADD:
        return LLVMAtomicRMWBinOpAdd;
    case WA_AUX_SUB:
        return LLVMAtomicRMWBinOpSub;
    case WA_AUX_AND:
        return LLVMAtomicRMWBinOpAnd;
    case WA_AUX_OR:
        return LLVMAtomicRMWBinOpOr;
    case WA_AUX_XOR:
        return LLVMAtomicRMWBinOpXor;
    case WA_AUX_XCHG:
        return LLVMAtomicRMWBinOpXchg;
    default:
        WA_UNREACHABLE();
    }
}

/*
 * memory.atomic.wait32/64 and notify: alignment, then an explicit bounds
 * check of ea + N against the current size; the host address of ea.
 */
static LLVMValueRef wait_notify_address(WaFuncGen *fg, const WaInstr *in, LLVMValueRef index) {
    WaCodegen *cg = fg->cg;
    const WaMemArg *ma = &in->imm.memarg;
    unsigned log2 = wa_op_memlog2[in->op];
    check_alignment(fg, ma, index, log2);
    LLVMValueRef ea = effective_index(fg, ma, index);
    LLVMValueRef size = wa_fg_memory_size(fg, ma->memory);
    /* ea + N > size, as ea > size - N: size is at least 0 pages, N at most 8 bytes. */
    LLVMValueRef n = LLVMConstInt(cg->t_i64, UINT64_C(1) << log2, false);
    LLVMValueRef too_small = LLVMBuildICmp(cg->b, LLVMIntULT, size, n, "");
    LLVMValueRef past = LLVMBuildICmp(cg->b, LLVMIntUGT, ea, LLVMBuildSub(cg->b, size, n, ""), "");
    wa_fg_trap_if(fg, LLVMBuildOr(cg->b, too_small, past, "oob"), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    LLVMValueRef base = wa_codegen_rt_load(cg, wa_fg_memory(fg, ma->memory), WA_RT_STRUCT_MEMORY,
                                           WA_RT_MEMORY_BASE, "base");
    return LLVMBuildGEP2(cg->b, cg->t_i8, base, &ea, 1, "addr");
}

static void lower_wait(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef timeout = wa_fg_pop(fg);
    LLVMValueRef expected = wa_fg_pop(fg);
    LLVMValueRef ptr = wait_notify_address(fg, in, wa_fg_pop(fg));
    if (!wa_module_memory_is_shared(cg->m, in->imm.memarg.memory)) {
        wa_fg_trap(fg, WA_RT_TRAP_EXPECTED_SHARED_MEMORY);
        return;
    }
    LLVMValueRef args[3] = {ptr, expected, timeout};
    WaRtFn fn = in->op == WA_OP_MEMORY_ATOMIC_WAIT32 ? WA_RT_ATOMIC_WAIT32 : WA_RT_ATOMIC_WAIT64;
    wa_fg_push(fg, wa_codegen_rt_call(cg, fn, args, 3, "wait"), WA_VT_I32);
}

static void lower_notify(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef count = wa_fg_pop(fg);
    LLVMValueRef ptr = wait_notify_address(fg, in, wa_fg_pop(fg));
    if (!wa_module_memory_is_shared(cg->m, in->imm.memarg.memory)) {
        wa_fg_push(fg, LLVMConstInt(cg->t_i32, 0, false), WA_VT_I32);
        return;
    }
    LLVMValueRef args[2] = {ptr, count};
    wa_fg_push(fg, wa_codegen_rt_call(cg, WA_RT_ATOMIC_NOTIFY, args, 2, "woken"), WA_VT_I32);
}

bool wa_lower_atomic(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    unsigned log2 = wa_op_memlog2[in->op];
    WaValType result = (WaValType)wa_op_sig[in->op][3];
    const LLVMAtomicOrdering seq_cst = LLVMAtomicOrderingSequentiallyConsistent;
    switch ((WaAux)wa_op_aux[in->op]) {
    case WA_AUX_FENCE:
        LLVMBuildFence(cg->b, seq_cst, false, "");
        return true;
    case WA_AUX_WAIT:
        lower_wait(fg, in);
        return true;
    case WA_AUX_NOTIFY:
        lower_notify(fg, in);
        return true;
    case WA_AUX_ATOMIC_LOAD: {
        LLVMValueRef ptr = access_address(fg, in, wa_fg_pop(fg));
        LLVMValueRef v = LLVMBuildLoad2(cg->b, int_type(cg, log2), ptr, "");
        LLVMSetOrdering(v, seq_cst);
        finish_access(fg, v, log2);
        wa_fg_push(fg, widen(cg, v, result), result);
        return true;
    }
    case WA_AUX_ATOMIC_STORE: {
        LLVMValueRef value = wa_fg_pop(fg);
        LLVMValueRef ptr = access_address(fg, in, wa_fg_pop(fg));
        LLVMValueRef st = LLVMBuildStore(cg->b, narrow(cg, value, log2), ptr);
        LLVMSetOrdering(st, seq_cst);
        finish_access(fg, st, log2);
        return true;
    }
    case WA_AUX_CMPXCHG: {
        LLVMValueRef replacement = wa_fg_pop(fg);
        LLVMValueRef expected = wa_fg_pop(fg);
        LLVMValueRef ptr = access_address(fg, in, wa_fg_pop(fg));
        LLVMValueRef pair =
            LLVMBuildAtomicCmpXchg(cg->b, ptr, narrow(cg, expected, log2),
                                   narrow(cg, replacement, log2), seq_cst, seq_cst, false);
        finish_access(fg, pair, log2);
        LLVMValueRef old = LLVMBuildExtractValue(cg->b, pair, 0, "old");
        wa_fg_push(fg, widen(cg, old, result), result);
        return true;
    }
    default: {
        /* add, sub, and, or, xor, xchg: the old value. */
        LLVMValueRef value = wa_fg_pop(fg);
        LLVMValueRef ptr = access_address(fg, in, wa_fg_pop(fg));
        LLVMValueRef old = LLVMBuildAtomicRMW(cg->b, rmw_op((WaAux)wa_op_aux[in->op]), ptr,
                                              narrow(cg, value, log2), seq_cst, false);
        finish_access(fg, old, log2);
        wa_fg_push(fg, widen(cg, old, result), result);
        return true;
    }
    }
}
