/*
 * compare.c: comparison operators (spec 4.3.2 ieqz, ieq, ilt_s, ...; 4.3.3
 * feq, flt, ...). Every comparison yields an i32 0 or 1.
 *
 * The predicate comes from the AUX column through one table per operand
 * kind. Float comparisons are ordered (false if either operand is NaN),
 * except ne, which is true for NaN (unordered-or-not-equal): wasm's f.ne is
 * the negation of f.eq.
 */
#include "lower.h"

#include "../base/check.h"

/* Integer predicate per AUX (eqz compares with zero). */
static const LLVMIntPredicate int_pred[] = {
    [WA_AUX_EQZ] = LLVMIntEQ,   [WA_AUX_EQ] = LLVMIntEQ,    [WA_AUX_NE] = LLVMIntNE,
    [WA_AUX_LT_S] = LLVMIntSLT, [WA_AUX_LT_U] = LLVMIntULT, [WA_AUX_GT_S] = LLVMIntSGT,
    [WA_AUX_GT_U] = LLVMIntUGT, [WA_AUX_LE_S] = LLVMIntSLE, [WA_AUX_LE_U] = LLVMIntULE,
    [WA_AUX_GE_S] = LLVMIntSGE, [WA_AUX_GE_U] = LLVMIntUGE,
};

/* Float predicate per AUX; 0 (LLVMRealPredicateFalse) marks "not a float comparison". */
static const LLVMRealPredicate float_pred[] = {
    [WA_AUX_EQ] = LLVMRealOEQ, [WA_AUX_NE] = LLVMRealUNE, [WA_AUX_LT] = LLVMRealOLT,
    [WA_AUX_GT] = LLVMRealOGT, [WA_AUX_LE] = LLVMRealOLE, [WA_AUX_GE] = LLVMRealOGE,
};

bool wa_lower_compare(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    WaValType t = wa_op_sig[in->op][0];
    WaAux aux = wa_op_aux[in->op];
    LLVMValueRef cond;
    if (t == WA_VT_F32 || t == WA_VT_F64) {
        WA_CHECK(aux < sizeof float_pred / sizeof float_pred[0] &&
                 float_pred[aux] != LLVMRealPredicateFalse);
        LLVMValueRef rhs = wa_fg_pop(fg);
        LLVMValueRef lhs = wa_fg_pop(fg);
        cond = LLVMBuildFCmp(b, float_pred[aux], lhs, rhs, "");
    } else {
        WA_CHECK(aux < sizeof int_pred / sizeof int_pred[0] && int_pred[aux] != 0);
        LLVMValueRef rhs = aux == WA_AUX_EQZ ? wa_cg_zero(cg, t) : wa_fg_pop(fg);
        LLVMValueRef lhs = wa_fg_pop(fg);
        cond = LLVMBuildICmp(b, int_pred[aux], lhs, rhs, "");
    }
    wa_fg_push(fg, LLVMBuildZExt(b, cond, cg->t_i32, ""), WA_VT_I32);
    return true;
}
