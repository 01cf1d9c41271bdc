/*
 * numeric.c: constants, unary and binary numeric operators (spec 4.3.2,
 * 4.3.3; 4.4.1 for t.const).
 *
 * Handlers dispatch on the AUX column of opcodes.def (the operation) and the
 * operand type in wa_op_sig; the uniform operators map AUX straight to an
 * LLVM opcode or intrinsic through the tables below. What is not uniform is
 * where LLVM's semantics and wasm's differ:
 *
 *  - Integer division traps instead of being undefined: "integer divide by
 *    zero" for a zero divisor, "integer overflow" for div_s INT_MIN / -1;
 *    rem_s INT_MIN % -1 is 0, computed with a divisor of 1 instead of -1 so
 *    the machine's divide (which faults on x86) never sees that pair.
 *  - Shift counts are taken modulo the width (LLVM: poison when >= width).
 *  - clz/ctz of zero are the width (is_zero_poison = false).
 *  - Float constants are built from their bits (never through a C double,
 *    which would lose NaN payloads); abs, neg and copysign are sign-bit
 *    operations that keep payloads (llvm.fabs, fneg, llvm.copysign).
 *  - min/max propagate NaN and order -0 below +0 (IEEE 754-2019
 *    minimum/maximum); see lower_min_max for why not llvm.minimum.
 *  - No fast-math flags anywhere. Operations whose NaN result must be quiet
 *    are protected from LLVM's identity folds (see wa_numeric_opaque).
 */
#include "numeric.h"

#include "../base/check.h"

#include <llvm-c/TargetMachine.h>
#include <string.h>

/*
 * Uniform binary operators, indexed by AUX: the LLVM opcode for integer and
 * for float operands (0 = not uniform for that type, handled explicitly).
 * Shifts appear here too; their count is masked before the instruction.
 */
static const LLVMOpcode int_binop[] = {
    [WA_AUX_ADD] = LLVMAdd, [WA_AUX_SUB] = LLVMSub,    [WA_AUX_MUL] = LLVMMul,
    [WA_AUX_AND] = LLVMAnd, [WA_AUX_OR] = LLVMOr,      [WA_AUX_XOR] = LLVMXor,
    [WA_AUX_SHL] = LLVMShl, [WA_AUX_SHR_S] = LLVMAShr, [WA_AUX_SHR_U] = LLVMLShr,
};
static const LLVMOpcode float_binop[] = {
    [WA_AUX_ADD] = LLVMFAdd,
    [WA_AUX_SUB] = LLVMFSub,
    [WA_AUX_MUL] = LLVMFMul,
    [WA_AUX_DIV] = LLVMFDiv,
};

/*
 * Unary operators that are one overloaded LLVM intrinsic on the operand,
 * indexed by AUX. clz/ctz take a second argument (is_zero_poison), added by
 * lower_unary. f32.neg is not here: it is the fneg instruction.
 */
static const char *const unary_intrinsic[] = {
    [WA_AUX_CLZ] = "llvm.ctlz",     [WA_AUX_CTZ] = "llvm.cttz",
    [WA_AUX_POPCNT] = "llvm.ctpop", [WA_AUX_ABS] = "llvm.fabs",
    [WA_AUX_CEIL] = "llvm.ceil",    [WA_AUX_FLOOR] = "llvm.floor",
    [WA_AUX_TRUNC] = "llvm.trunc",  [WA_AUX_NEAREST] = "llvm.roundeven",
    [WA_AUX_SQRT] = "llvm.sqrt",
};

static bool is_float(WaValType t) {
    return t == WA_VT_F32 || t == WA_VT_F64;
}

LLVMValueRef wa_numeric_opaque(WaCodegen *cg, LLVMValueRef v) {
    const char *triple = LLVMGetTarget(cg->mod);
    char *host = NULL;
    if (triple == NULL || triple[0] == '\0')
        triple = host = LLVMGetDefaultTargetTriple();
    /* A register of the value's kind, tied to the input: the asm is a no-op. */
    bool integer = LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMIntegerTypeKind;
    const char *constraint = NULL;
    if (strncmp(triple, "x86_64", 6) == 0 || strncmp(triple, "i686", 4) == 0 ||
        strncmp(triple, "i386", 4) == 0)
        constraint = integer ? "=r,0" : "=x,0";
    else if (strncmp(triple, "aarch64", 7) == 0 || strncmp(triple, "arm64", 5) == 0)
        constraint = integer ? "=r,0" : "=w,0";
    if (host != NULL)
        LLVMDisposeMessage(host);
    if (constraint == NULL)
        return v;
    LLVMTypeRef t = LLVMTypeOf(v);
    LLVMTypeRef fn_type = LLVMFunctionType(t, &t, 1, false);
    LLVMValueRef asm_fn = LLVMGetInlineAsm(fn_type, "", 0, constraint, strlen(constraint), false,
                                           false, LLVMInlineAsmDialectATT, false);
    return LLVMBuildCall2(cg->b, fn_type, asm_fn, &v, 1, "opaque");
}

bool wa_lower_const(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    WaValType t = wa_op_sig[in->op][3];
    LLVMValueRef v;
    switch (t) {
    case WA_VT_I32:
        v = LLVMConstInt(cg->t_i32, (uint32_t)in->imm.i32, false);
        break;
    case WA_VT_I64:
        v = LLVMConstInt(cg->t_i64, (uint64_t)in->imm.i64, false);
        break;
    case WA_VT_F32:
        /* From the bits, so NaN payloads and the signalling bit survive. */
        v = LLVMConstBitCast(LLVMConstInt(cg->t_i32, in->imm.f32_bits, false), cg->t_f32);
        break;
    case WA_VT_F64:
        v = LLVMConstBitCast(LLVMConstInt(cg->t_i64, in->imm.f64_bits, false), cg->t_f64);
        break;
    default:
        WA_UNREACHABLE();
    }
    wa_fg_push(fg, v, t);
    return true;
}

bool wa_lower_unary(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    WaValType t = wa_op_sig[in->op][0];
    WaAux aux = wa_op_aux[in->op];
    LLVMValueRef x = wa_fg_pop(fg);
    LLVMTypeRef type = wa_cg_type(cg, t);
    LLVMValueRef r;
    if (aux == WA_AUX_NEG) {
        /* fneg flips the sign bit only, payload kept (spec: neg is not arithmetic). */
        r = LLVMBuildFNeg(cg->b, x, "neg");
    } else {
        WA_CHECK(aux < sizeof unary_intrinsic / sizeof unary_intrinsic[0] &&
                 unary_intrinsic[aux] != NULL);
        LLVMValueRef args[2] = {x, LLVMConstInt(cg->t_i1, 0, false)};
        /* clz/ctz: the second argument false makes the result defined (= width) for 0. */
        unsigned nargs = (aux == WA_AUX_CLZ || aux == WA_AUX_CTZ) ? 2 : 1;
        r = wa_cg_call_intrinsic(cg, unary_intrinsic[aux], &type, 1, args, nargs);
    }
    wa_fg_push(fg, r, wa_op_sig[in->op][3]);
    return true;
}

/* Branches to the trap block for `kind` if cond holds, unless cond is known false. */
static void trap_if(WaFuncGen *fg, LLVMValueRef cond, wa_rt_trap_t kind) {
    if (LLVMIsAConstantInt(cond) && LLVMConstIntGetZExtValue(cond) == 0)
        return;
    wa_fg_trap_if(fg, cond, kind);
}

/*
 * div_s, div_u, rem_s, rem_u (spec 4.3.2 idiv, irem). Constant divisors fold
 * the checks away at build time (the builder folds icmp of constants).
 */
static LLVMValueRef lower_div_rem(WaFuncGen *fg, WaAux aux, LLVMValueRef lhs, LLVMValueRef rhs) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    LLVMTypeRef type = LLVMTypeOf(lhs);
    unsigned width = LLVMGetIntTypeWidth(type);
    LLVMValueRef zero = LLVMConstNull(type);
    LLVMValueRef minus_one = LLVMConstAllOnes(type);
    LLVMValueRef int_min = LLVMConstInt(type, 1ull << (width - 1), false);

    trap_if(fg, LLVMBuildICmp(b, LLVMIntEQ, rhs, zero, "div_zero"), WA_RT_TRAP_DIVIDE_BY_ZERO);
    switch (aux) {
    case WA_AUX_DIV_S: {
        /* The quotient 2^(N-1) is not representable: "integer overflow". */
        LLVMValueRef ovf = LLVMBuildAnd(b, LLVMBuildICmp(b, LLVMIntEQ, lhs, int_min, ""),
                                        LLVMBuildICmp(b, LLVMIntEQ, rhs, minus_one, ""), "div_ovf");
        trap_if(fg, ovf, WA_RT_TRAP_INTEGER_OVERFLOW);
        return LLVMBuildSDiv(b, lhs, rhs, "div_s");
    }
    case WA_AUX_DIV_U:
        return LLVMBuildUDiv(b, lhs, rhs, "div_u");
    case WA_AUX_REM_S: {
        /*
         * INT_MIN % -1 is 0 in wasm but undefined in LLVM (and faults in x86
         * idiv). Any x % -1 equals x % 1 = 0, so divide by 1 instead.
         */
        LLVMValueRef is_m1 = LLVMBuildICmp(b, LLVMIntEQ, rhs, minus_one, "");
        LLVMValueRef safe = LLVMBuildSelect(b, is_m1, LLVMConstInt(type, 1, false), rhs, "");
        return LLVMBuildSRem(b, lhs, safe, "rem_s");
    }
    case WA_AUX_REM_U:
        return LLVMBuildURem(b, lhs, rhs, "rem_u");
    default:
        WA_UNREACHABLE();
    }
}

/* Is v a floating-point constant equal to +-0.0 or +-1.0? */
static bool is_identity_const(LLVMValueRef v) {
    if (!LLVMIsAConstantFP(v))
        return false;
    LLVMBool loses;
    double d = LLVMConstRealGetDouble(v, &loses);
    return d == 0.0 || d == 1.0 || d == -1.0;
}

/*
 * fadd/fsub/fmul/fdiv. With an operand of +-0.0 or +-1.0, LLVM folds
 * `x + -0.0`, `x - 0.0`, `x * 1.0`, `x / 1.0` to x and `-0.0 - x`,
 * `x * -1.0`, `x / -1.0` to fneg x; for a signalling NaN x that result is not
 * the arithmetic NaN wasm requires. Such constants are hidden from the
 * folder; the machine code still uses the constant as is.
 */
static LLVMValueRef lower_float_arith(WaCodegen *cg, LLVMOpcode op, LLVMValueRef lhs,
                                      LLVMValueRef rhs) {
    if (is_identity_const(lhs))
        lhs = wa_numeric_opaque(cg, lhs);
    if (is_identity_const(rhs))
        rhs = wa_numeric_opaque(cg, rhs);
    return LLVMBuildBinOp(cg->b, op, lhs, rhs, "");
}

/*
 * f32/f64.min and max (spec 4.3.3 fmin, fmax): NaN if either operand is NaN,
 * -0 < +0, otherwise the smaller (larger) operand. llvm.minimum has these
 * semantics, but LLVM 19's x86 lowering returns a NaN operand unchanged, so a
 * signalling NaN would come out signalling; wasm wants it quiet. Explicitly:
 *
 *     NaN    ? a + b                   (quiet NaN, payload of a NaN input)
 *     a == b ? bits(a) | bits(b)       (min: -0 if either is -0; max: &)
 *     a < b  ? a : b                   (min; a > b for max)
 *
 * built inside out as selects, so no branches.
 */
static LLVMValueRef lower_min_max(WaCodegen *cg, bool is_min, LLVMValueRef a, LLVMValueRef c) {
    LLVMBuilderRef b = cg->b;
    LLVMTypeRef ftype = LLVMTypeOf(a);
    LLVMTypeRef itype = ftype == cg->t_f32 ? cg->t_i32 : cg->t_i64;
    LLVMRealPredicate first = is_min ? LLVMRealOLT : LLVMRealOGT;
    LLVMValueRef pick = LLVMBuildSelect(b, LLVMBuildFCmp(b, first, a, c, ""), a, c, "");
    LLVMValueRef ai = LLVMBuildBitCast(b, a, itype, "");
    LLVMValueRef ci = LLVMBuildBitCast(b, c, itype, "");
    LLVMValueRef eq_bits = is_min ? LLVMBuildOr(b, ai, ci, "") : LLVMBuildAnd(b, ai, ci, "");
    LLVMValueRef eq = LLVMBuildFCmp(b, LLVMRealOEQ, a, c, "");
    pick = LLVMBuildSelect(b, eq, LLVMBuildBitCast(b, eq_bits, ftype, ""), pick, "");
    /* Through lower_float_arith: a constant -0 operand would let LLVM fold a + -0 to a. */
    LLVMValueRef nan = lower_float_arith(cg, LLVMFAdd, a, c);
    LLVMValueRef uno = LLVMBuildFCmp(b, LLVMRealUNO, a, c, "");
    return LLVMBuildSelect(b, uno, nan, pick, is_min ? "min" : "max");
}

bool wa_lower_binary(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    WaValType t = wa_op_sig[in->op][0];
    WaAux aux = wa_op_aux[in->op];
    LLVMValueRef rhs = wa_fg_pop(fg);
    LLVMValueRef lhs = wa_fg_pop(fg);
    LLVMTypeRef type = wa_cg_type(cg, t);
    LLVMValueRef r;

    if (is_float(t)) {
        switch (aux) {
        case WA_AUX_MIN:
        case WA_AUX_MAX:
            r = lower_min_max(cg, aux == WA_AUX_MIN, lhs, rhs);
            break;
        case WA_AUX_COPYSIGN: {
            LLVMValueRef args[2] = {lhs, rhs};
            r = wa_cg_call_intrinsic(cg, "llvm.copysign", &type, 1, args, 2);
            break;
        }
        default:
            WA_CHECK(aux < sizeof float_binop / sizeof float_binop[0] && float_binop[aux] != 0);
            r = lower_float_arith(cg, float_binop[aux], lhs, rhs);
            break;
        }
    } else {
        unsigned width = LLVMGetIntTypeWidth(type);
        switch (aux) {
        case WA_AUX_DIV_S:
        case WA_AUX_DIV_U:
        case WA_AUX_REM_S:
        case WA_AUX_REM_U:
            r = lower_div_rem(fg, aux, lhs, rhs);
            break;
        case WA_AUX_ROTL:
        case WA_AUX_ROTR: {
            /* A funnel shift of x with itself is a rotate; it takes the count modulo the width. */
            LLVMValueRef args[3] = {lhs, lhs, rhs};
            const char *name = aux == WA_AUX_ROTL ? "llvm.fshl" : "llvm.fshr";
            r = wa_cg_call_intrinsic(cg, name, &type, 1, args, 3);
            break;
        }
        case WA_AUX_SHL:
        case WA_AUX_SHR_S:
        case WA_AUX_SHR_U:
            /* wasm shifts by k mod N; LLVM's shift by >= N is poison. */
            rhs = LLVMBuildAnd(b, rhs, LLVMConstInt(type, width - 1, false), "count");
            r = LLVMBuildBinOp(b, int_binop[aux], lhs, rhs, "");
            break;
        default:
            WA_CHECK(aux < sizeof int_binop / sizeof int_binop[0] && int_binop[aux] != 0);
            r = LLVMBuildBinOp(b, int_binop[aux], lhs, rhs, "");
            break;
        }
    }
    wa_fg_push(fg, r, wa_op_sig[in->op][3]);
    return true;
}
