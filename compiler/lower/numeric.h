/*
 * numeric.h: helpers shared by the numeric lowering files (numeric.c,
 * convert.c). Not part of the lowering interface in lower.h.
 */
#ifndef WA_LOWER_NUMERIC_H
#define WA_LOWER_NUMERIC_H

#include "lower.h"

/*
 * Returns `v` passed through an empty inline-asm statement, so that LLVM sees
 * an unknown value of the same type and cannot fold through it, while the
 * machine code is unchanged (the asm is empty and ties input to output).
 *
 * Why: LLVM's NaN rules let it fold `x * 1.0` to `x` and
 * `fptrunc (fpext x)` to `x`, returning a signalling NaN unchanged, while
 * wasm requires the result of arithmetic to be a quiet (arithmetic) NaN
 * (spec 4.3.3, float_exprs.wast "no_fold_*"). llvm.canonicalize would say
 * this directly, but LLVM 19 cannot select it on x86-64.
 *
 * An integer `v` goes through a general register, anything else through an
 * FP/vector register. On targets without known register constraints, `v` is
 * returned unchanged.
 */
LLVMValueRef wa_numeric_opaque(WaCodegen *cg, LLVMValueRef v);

#endif
