/*
 * convert.c: conversion operators (spec 4.3.4): wrap, extend, sign-extension
 * (extendN_s), float-to-int truncation (trapping and saturating),
 * int-to-float conversion, demote, promote, reinterpret.
 *
 * Dispatch is on the AUX column; the operand and result types come from
 * wa_op_sig, so each case covers every type pair of its operation.
 *
 * The trapping truncations (trunc_s, trunc_u) are the only subtle ones: LLVM's
 * fptosi/fptoui are poison out of range, wasm traps. The checks are made in
 * the float domain, exactly (see trunc_bounds), NaN first ("invalid
 * conversion to integer"), then the range ("integer overflow").
 */
#include "numeric.h"

#include "../base/check.h"

#include <math.h>

/* Significand precision of an LLVM float type, in bits (including the implicit one). */
static unsigned float_precision(WaCodegen *cg, LLVMTypeRef t) {
    return t == cg->t_f32 ? 24 : 53;
}

/*
 * The exact valid range of trunc for an N-bit integer: the input x is valid
 * iff lo < x < hi (or lo <= x when *lo_inclusive), i.e. iff trunc(x) is
 * representable. All bounds are exactly representable in the float type and
 * are not NaN, so building them from a C double is exact.
 *
 *   unsigned: -1 < x < 2^N.  Anything in (-1, 0) truncates to 0.
 *   signed:   -2^(N-1) - 1 < x < 2^(N-1).  The lower bound -2^(N-1) - 1 has N
 *             significant bits, so it is representable iff N <= precision
 *             (i32 from f64: x > -2147483649.0). Otherwise the float spacing
 *             at 2^(N-1) is 2^(N - precision) >= 2, no float lies strictly
 *             between -2^(N-1) - 1 and -2^(N-1), and the test is
 *             x >= -2^(N-1) (i32 from f32: x >= -2147483648.0; i64 from f32
 *             or f64: x >= -2^63).
 */
static void trunc_bounds(unsigned n, unsigned precision, bool is_signed, double *lo,
                         bool *lo_inclusive, double *hi) {
    if (!is_signed) {
        *lo = -1.0;
        *lo_inclusive = false;
        *hi = ldexp(1.0, (int)n);
    } else if (n <= precision) {
        *lo = -ldexp(1.0, (int)n - 1) - 1.0;
        *lo_inclusive = false;
        *hi = ldexp(1.0, (int)n - 1);
    } else {
        *lo = -ldexp(1.0, (int)n - 1);
        *lo_inclusive = true;
        *hi = ldexp(1.0, (int)n - 1);
    }
}

/* i32/i64.trunc_f32/f64_s/u (spec 4.3.4 trunc_s, trunc_u): traps where the result is undefined. */
static LLVMValueRef lower_trunc(WaFuncGen *fg, LLVMValueRef x, LLVMTypeRef to, bool is_signed) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    LLVMTypeRef from = LLVMTypeOf(x);
    double lo, hi;
    bool lo_inclusive;
    trunc_bounds(LLVMGetIntTypeWidth(to), float_precision(cg, from), is_signed, &lo, &lo_inclusive,
                 &hi);

    wa_fg_trap_if(fg, LLVMBuildFCmp(b, LLVMRealUNO, x, x, "is_nan"), WA_RT_TRAP_INVALID_CONVERSION);
    /* The complement of lo < x < hi (x is not NaN here). */
    LLVMValueRef below =
        LLVMBuildFCmp(b, lo_inclusive ? LLVMRealULT : LLVMRealULE, x, LLVMConstReal(from, lo), "");
    LLVMValueRef above = LLVMBuildFCmp(b, LLVMRealUGE, x, LLVMConstReal(from, hi), "");
    wa_fg_trap_if(fg, LLVMBuildOr(b, below, above, "out_of_range"), WA_RT_TRAP_INTEGER_OVERFLOW);
    return is_signed ? LLVMBuildFPToSI(b, x, to, "") : LLVMBuildFPToUI(b, x, to, "");
}

bool wa_lower_convert(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    WaAux aux = wa_op_aux[in->op];
    WaValType rt = wa_op_sig[in->op][3];
    LLVMTypeRef to = wa_cg_type(cg, rt);
    LLVMValueRef x = wa_fg_pop(fg);
    LLVMValueRef r;
    switch (aux) {
    case WA_AUX_WRAP:
        r = LLVMBuildTrunc(b, x, to, "");
        break;
    case WA_AUX_EXTEND_S:
        r = LLVMBuildSExt(b, x, to, "");
        break;
    case WA_AUX_EXTEND_U:
        r = LLVMBuildZExt(b, x, to, "");
        break;
    case WA_AUX_EXTEND8_S:
    case WA_AUX_EXTEND16_S:
    case WA_AUX_EXTEND32_S: {
        /* Sign-extend the low 8/16/32 bits in place (spec 4.3.2 iextendN_s). */
        unsigned bits = aux == WA_AUX_EXTEND8_S ? 8 : aux == WA_AUX_EXTEND16_S ? 16 : 32;
        LLVMValueRef low = LLVMBuildTrunc(b, x, LLVMIntTypeInContext(cg->llvm, bits), "");
        r = LLVMBuildSExt(b, low, to, "");
        break;
    }
    case WA_AUX_TRUNC_S:
    case WA_AUX_TRUNC_U:
        r = lower_trunc(fg, x, to, aux == WA_AUX_TRUNC_S);
        break;
    case WA_AUX_TRUNC_SAT_S:
    case WA_AUX_TRUNC_SAT_U: {
        /* Saturating truncation is exactly llvm.fpto[su]i.sat: NaN -> 0, clamps out of range. */
        LLVMTypeRef overload[2] = {to, LLVMTypeOf(x)};
        const char *name = aux == WA_AUX_TRUNC_SAT_S ? "llvm.fptosi.sat" : "llvm.fptoui.sat";
        r = wa_cg_call_intrinsic(cg, name, overload, 2, &x, 1);
        break;
    }
    case WA_AUX_CONVERT_S:
        r = LLVMBuildSIToFP(b, x, to, "");
        break;
    case WA_AUX_CONVERT_U:
        /*
         * LLVM 19's SLP vectorizer narrows a vectorised uitofp whose operand
         * has many equal top bits (sign bits) to the narrow type, which is
         * right for sitofp but wrong for uitofp of a negative value: two
         * f64.convert_i64_u of i64.load32_s of 0xb9000000 came out as
         * 2 * 3103784960 instead of 2 * (2^64 - 1191182336) at -O2 (found by
         * tools/fuzz/run, seed 101 module 4272; tests/difffuzz/). Hiding the
         * operand stops that analysis; a zext operand (top bits zero) is
         * narrowed correctly, and a constant is folded exactly.
         */
        if (!LLVMIsConstant(x) && !LLVMIsAZExtInst(x))
            x = wa_numeric_opaque(cg, x);
        r = LLVMBuildUIToFP(b, x, to, "");
        break;
    case WA_AUX_DEMOTE:
        /*
         * LLVM folds fptrunc (fpext x) to x, which would return a signalling
         * NaN unquieted; wasm wants an arithmetic NaN (float_exprs.wast
         * no_fold_promote_demote).
         */
        if (LLVMIsAFPExtInst(x))
            x = wa_numeric_opaque(cg, x);
        r = LLVMBuildFPTrunc(b, x, to, "");
        break;
    case WA_AUX_PROMOTE:
        r = LLVMBuildFPExt(b, x, to, "");
        break;
    case WA_AUX_REINTERPRET:
        r = LLVMBuildBitCast(b, x, to, "");
        break;
    default:
        WA_UNREACHABLE();
    }
    wa_fg_push(fg, r, rt);
    return true;
}
