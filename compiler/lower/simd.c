/*
 * simd.c: 128-bit SIMD instructions (spec 4.4.3).
 *
 * The decoder and validator accept every SIMD instruction; lowering them to
 * LLVM vector operations is the work of the spec-conformance issue. Until
 * then a module using SIMD is refused with a clear message naming the
 * instruction, rather than compiled wrongly.
 */
#include "lower.h"

bool wa_lower_simd(WaFuncGen *fg, const WaInstr *in) {
    return wa_diag_error(fg->cg->d, in->offset, "unsupported feature: SIMD instruction %s",
                         wa_op_name[in->op]);
}
