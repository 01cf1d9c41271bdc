/*
 * nan.c: NaN canonicalisation (`--canonical-nans`), for programs that must
 * compute the same bits on every machine, and for differential testing.
 *
 * The spec lets a float operation whose input NaN is not canonical return
 * any arithmetic NaN (spec 4.3.3, nans_N): x86-64 keeps the first NaN
 * operand's payload and sign, AArch64 the same with other rules, other
 * engines canonicalise, so the bits differ between machines and engines
 * although each is correct. With the option, every result of an operation
 * wa_op_makes_nan names that is a NaN becomes the canonical NaN, positive
 * (0x7fc00000, 0x7ff8000000000000 per lane), which is one of the results the
 * spec allows, so the program's results are fully determined (as wasmtime's
 * nan-canonicalization). Bit-exact operations (loads, abs, neg, copysign,
 * reinterpret, lane moves) are left alone, as the spec requires.
 *
 * The check is `x != x`, then a select: one compare and a blend per
 * operation, added after it by the lowering loop (lower.c).
 */
#include "lower.h"

#include "../base/check.h"

#include <math.h>

/* The canonical positive NaN of float type t (a scalar or a vector of lanes). */
static LLVMValueRef canonical_nan(LLVMTypeRef t) {
    if (LLVMGetTypeKind(t) != LLVMVectorTypeKind)
        return LLVMConstReal(t, NAN); /* C's NAN: quiet, payload 0, positive */
    unsigned n = LLVMGetVectorSize(t);
    LLVMValueRef lane = LLVMConstReal(LLVMGetElementType(t), NAN);
    LLVMValueRef lanes[4];
    WA_CHECK(n <= 4);
    for (unsigned i = 0; i < n; i++)
        lanes[i] = lane;
    return LLVMConstVector(lanes, n);
}

static LLVMValueRef make_canonical(WaCodegen *cg, LLVMValueRef x) {
    LLVMValueRef is_nan = LLVMBuildFCmp(cg->b, LLVMRealUNO, x, x, "is_nan");
    return LLVMBuildSelect(cg->b, is_nan, canonical_nan(LLVMTypeOf(x)), x, "canonical");
}

void wa_lower_canonical_nan(WaFuncGen *fg, WaOpcode op) {
    WaCodegen *cg = fg->cg;
    WaStackValue top = wa_fg_pop_typed(fg);
    if (top.type != WA_VT_V128) {
        wa_fg_push(fg, make_canonical(cg, top.value), top.type);
        return;
    }
    WaLaneShape s = wa_op_shape[op];
    WA_CHECK(s.is_float);
    LLVMTypeRef lane = s.lane_bits == 32 ? cg->t_f32 : cg->t_f64;
    LLVMValueRef lanes = LLVMBuildBitCast(cg->b, top.value, LLVMVectorType(lane, s.lanes), "");
    wa_fg_push(fg, LLVMBuildBitCast(cg->b, make_canonical(cg, lanes), cg->t_v128, ""), WA_VT_V128);
}
