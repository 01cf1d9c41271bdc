/*
 * simd.c: 128-bit SIMD instructions (spec 4.3.6 vector numerics, 4.4.3
 * vector instructions, 4.4.7 vector memory instructions).
 *
 * A v128 lives on the operand stack as <2 x i64> (cg->t_v128). Each handler
 * bitcasts its operands to the lane shape of the operation (<16 x i8>,
 * <8 x i16>, <4 x i32>, <2 x i64>, <4 x float>, <2 x double>), works on LLVM
 * vectors, and bitcasts the result back. The shape is the SHAPE column of
 * opcodes_simd.def (i16x8 for "i16x8.add"); for the widening, narrowing and
 * converting operations it is the shape of the result and the operand shape
 * follows from the operation.
 *
 * Dispatch is on the AUX column. The lane-uniform operations (arithmetic,
 * saturating arithmetic, integer min/max, comparisons, float rounding) map
 * AUX to an LLVM opcode, intrinsic or predicate through the tables below; the
 * rest have a case each. Everything is generic LLVM IR, no target intrinsic,
 * so the same code compiles for any CPU; the x86 backend recognises the
 * patterns (pshufb for swizzle, packsswb for narrow, pmaddwd for dot,
 * pavgb for avgr_u, pmovmskb for bitmask) when the CPU has the instruction.
 *
 * Where wasm and LLVM differ:
 *  - Shift counts are taken modulo the lane width (LLVM: poison if >= width).
 *  - i8x16.swizzle gives 0 for an index >= 16 (LLVM: extractelement poison),
 *    so the lanes picked with such an index are replaced by 0 with a select.
 *  - iNxM.abs of INT_MIN is INT_MIN: llvm.abs with is_int_min_poison false.
 *  - Float min/max propagate NaN and order -0 below +0, as the scalar ones
 *    (numeric.c); pmin/pmax are the exact selects b < a ? b : a and
 *    a < b ? b : a, which return an operand's bits unchanged.
 *  - Arithmetic float results that are NaN must be quiet (spec 4.3.3). LLVM
 *    folds x * 1.0, x + -0.0, fptrunc (fpext x) and the like to x, which
 *    would return a signalling NaN unquieted, and may fold constants through
 *    the host's libm; constant operands of float arithmetic are therefore
 *    hidden behind wa_numeric_opaque, and so is the operand of demote.
 *  - Narrowing saturates (signed input, signed or unsigned result);
 *    trunc_sat has llvm.fpto[su]i.sat's semantics (NaN -> 0, clamps), built
 *    from compares and selects because LLVM scalarises that intrinsic;
 *    q15mulr_sat_s saturates INT16_MIN * INT16_MIN to INT16_MAX.
 *
 * Memory accesses use the scalar path's effective address (memory.c): no
 * bounds check, out-of-bounds accesses fault on the guard pages; alignment is
 * a hint, so every access is emitted with alignment 1.
 */
#include "numeric.h"

#include "../base/check.h"

/*
 * The lanes of an LLVM vector an operation works on: a v128 as its SHAPE
 * column sees it, or a narrower or wider vector of intermediate values.
 */
typedef struct Shape {
    unsigned lane_bits; /* 8, 16, 32 or 64 */
    unsigned lanes;     /* 128 / lane_bits for a v128 */
    bool is_float;
} Shape;

/* An integer shape of `lanes` lanes of `bits` bits (not necessarily 128 bits wide in total). */
static Shape int_shape(unsigned bits, unsigned lanes) {
    return (Shape){bits, lanes, false};
}

/*
 * The shape of an opcode, from its SHAPE column. The operations without one
 * work on the whole vector (bitwise, any_true, v128.load/store/const) and see
 * it as the stack does, <2 x i64>.
 */
static Shape shape_of(WaOpcode op) {
    WaLaneShape s = wa_op_shape[op];
    if (s.lanes == 0)
        return int_shape(64, 2);
    return (Shape){s.lane_bits, s.lanes, s.is_float};
}

static LLVMTypeRef lane_type(WaCodegen *cg, Shape s) {
    if (s.is_float)
        return s.lane_bits == 32 ? cg->t_f32 : cg->t_f64;
    return LLVMIntTypeInContext(cg->llvm, s.lane_bits);
}

static LLVMTypeRef vector_type(WaCodegen *cg, Shape s) {
    return LLVMVectorType(lane_type(cg, s), s.lanes);
}

/* A v128 from the stack, as a vector of shape s. */
static LLVMValueRef as_shape(WaCodegen *cg, LLVMValueRef v, Shape s) {
    return LLVMBuildBitCast(cg->b, v, vector_type(cg, s), "");
}

static LLVMValueRef pop_shape(WaFuncGen *fg, Shape s) {
    return as_shape(fg->cg, wa_fg_pop(fg), s);
}

/* Pushes a 128-bit vector of any shape as a v128. */
static void push_v128(WaFuncGen *fg, LLVMValueRef v) {
    wa_fg_push(fg, LLVMBuildBitCast(fg->cg->b, v, fg->cg->t_v128, ""), WA_VT_V128);
}

/* A vector of shape s with every lane equal to the integer c. */
static LLVMValueRef splat_int(WaCodegen *cg, Shape s, unsigned long long c) {
    LLVMValueRef lanes[16];
    LLVMValueRef lane = LLVMConstInt(lane_type(cg, s), c, false);
    for (unsigned i = 0; i < s.lanes; i++)
        lanes[i] = lane;
    return LLVMConstVector(lanes, s.lanes);
}

/* A shufflevector mask: n indices start, start + step, start + 2 * step, ... */
static LLVMValueRef index_mask(WaCodegen *cg, unsigned n, unsigned start, unsigned step) {
    LLVMValueRef idx[32];
    WA_CHECK(n <= 32);
    for (unsigned i = 0; i < n; i++)
        idx[i] = LLVMConstInt(cg->t_i32, start + i * step, false);
    return LLVMConstVector(idx, n);
}

/* Lanes [start, start + n) of v, with stride `step`, as a vector of n lanes. */
static LLVMValueRef pick_lanes(WaCodegen *cg, LLVMValueRef v, unsigned n, unsigned start,
                               unsigned step) {
    return LLVMBuildShuffleVector(cg->b, v, LLVMGetPoison(LLVMTypeOf(v)),
                                  index_mask(cg, n, start, step), "");
}

/* The 2n-lane vector of a's n lanes followed by b's. */
static LLVMValueRef concat(WaCodegen *cg, LLVMValueRef a, LLVMValueRef b) {
    unsigned n = LLVMGetVectorSize(LLVMTypeOf(a));
    return LLVMBuildShuffleVector(cg->b, a, b, index_mask(cg, 2 * n, 0, 1), "");
}

/* Widens each integer lane of v to `bits` bits, sign- or zero-extending. */
static LLVMValueRef widen(WaCodegen *cg, LLVMValueRef v, unsigned bits, bool is_signed) {
    LLVMTypeRef t =
        LLVMVectorType(LLVMIntTypeInContext(cg->llvm, bits), LLVMGetVectorSize(LLVMTypeOf(v)));
    return is_signed ? LLVMBuildSExt(cg->b, v, t, "") : LLVMBuildZExt(cg->b, v, t, "");
}

/* Calls a vector intrinsic overloaded on the type of its first argument. */
static LLVMValueRef call_overloaded(WaCodegen *cg, const char *name, LLVMValueRef *args,
                                    unsigned nargs) {
    LLVMTypeRef t = LLVMTypeOf(args[0]);
    return wa_cg_call_intrinsic(cg, name, &t, 1, args, nargs);
}

/*
 * A float operand of arithmetic whose NaN result must be quiet: a constant is
 * hidden from LLVM's folds (see the file comment). Non-constants pass as is.
 */
static LLVMValueRef float_operand(WaCodegen *cg, LLVMValueRef v) {
    return LLVMIsConstant(v) ? wa_numeric_opaque(cg, v) : v;
}

/* ---- Lane-uniform operations: the tables ---- */

/* Integer binary operators per AUX (0: not one). */
static const LLVMOpcode int_binop[] = {
    [WA_AUX_ADD] = LLVMAdd, [WA_AUX_SUB] = LLVMSub, [WA_AUX_MUL] = LLVMMul,
    [WA_AUX_AND] = LLVMAnd, [WA_AUX_OR] = LLVMOr,   [WA_AUX_XOR] = LLVMXor,
};

/* Float binary operators per AUX. */
static const LLVMOpcode float_binop[] = {
    [WA_AUX_ADD] = LLVMFAdd,
    [WA_AUX_SUB] = LLVMFSub,
    [WA_AUX_MUL] = LLVMFMul,
    [WA_AUX_DIV] = LLVMFDiv,
};

/* Integer binary operators that are one intrinsic, overloaded on the lane vector. */
static const char *const int_binary_intrinsic[] = {
    [WA_AUX_ADD_SAT_S] = "llvm.sadd.sat", [WA_AUX_ADD_SAT_U] = "llvm.uadd.sat",
    [WA_AUX_SUB_SAT_S] = "llvm.ssub.sat", [WA_AUX_SUB_SAT_U] = "llvm.usub.sat",
    [WA_AUX_MIN_S] = "llvm.smin",         [WA_AUX_MIN_U] = "llvm.umin",
    [WA_AUX_MAX_S] = "llvm.smax",         [WA_AUX_MAX_U] = "llvm.umax",
};

/*
 * Unary intrinsics per AUX, integer and float. llvm.abs takes a second
 * argument, is_int_min_poison, given as false: abs(INT_MIN) = INT_MIN.
 */
static const char *const int_unary_intrinsic[] = {
    [WA_AUX_ABS] = "llvm.abs",
    [WA_AUX_POPCNT] = "llvm.ctpop",
};
static const char *const float_unary_intrinsic[] = {
    [WA_AUX_ABS] = "llvm.fabs",    [WA_AUX_SQRT] = "llvm.sqrt",
    [WA_AUX_CEIL] = "llvm.ceil",   [WA_AUX_FLOOR] = "llvm.floor",
    [WA_AUX_TRUNC] = "llvm.trunc", [WA_AUX_NEAREST] = "llvm.roundeven",
};

/*
 * Comparison predicates per AUX. A lane compares to all ones (true) or all
 * zeros. Float ne is unordered (true for NaN), the others ordered.
 */
static const LLVMIntPredicate int_pred[] = {
    [WA_AUX_EQ] = LLVMIntEQ,    [WA_AUX_NE] = LLVMIntNE,    [WA_AUX_LT_S] = LLVMIntSLT,
    [WA_AUX_LT_U] = LLVMIntULT, [WA_AUX_GT_S] = LLVMIntSGT, [WA_AUX_GT_U] = LLVMIntUGT,
    [WA_AUX_LE_S] = LLVMIntSLE, [WA_AUX_LE_U] = LLVMIntULE, [WA_AUX_GE_S] = LLVMIntSGE,
    [WA_AUX_GE_U] = LLVMIntUGE,
};
static const LLVMRealPredicate float_pred[] = {
    [WA_AUX_EQ] = LLVMRealOEQ, [WA_AUX_NE] = LLVMRealUNE, [WA_AUX_LT] = LLVMRealOLT,
    [WA_AUX_GT] = LLVMRealOGT, [WA_AUX_LE] = LLVMRealOLE, [WA_AUX_GE] = LLVMRealOGE,
};

#define TABLE_HAS(table, aux) ((size_t)(aux) < sizeof(table) / sizeof((table)[0]) && (table)[aux])

/*
 * The lane-uniform operations: comparisons, binary operators and intrinsics,
 * unary intrinsics. Returns false if `aux` is none of them.
 */
static bool lower_uniform(WaFuncGen *fg, WaAux aux, Shape s, bool binary) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    LLVMValueRef r;
    if (binary) {
        bool is_cmp = s.is_float ? TABLE_HAS(float_pred, aux) : TABLE_HAS(int_pred, aux);
        bool is_op = s.is_float ? TABLE_HAS(float_binop, aux)
                                : TABLE_HAS(int_binop, aux) || TABLE_HAS(int_binary_intrinsic, aux);
        if (!is_cmp && !is_op)
            return false;
        LLVMValueRef rhs = pop_shape(fg, s);
        LLVMValueRef lhs = pop_shape(fg, s);
        if (is_cmp) {
            LLVMValueRef c = s.is_float ? LLVMBuildFCmp(b, float_pred[aux], lhs, rhs, "")
                                        : LLVMBuildICmp(b, int_pred[aux], lhs, rhs, "");
            r = LLVMBuildSExt(b, c, vector_type(cg, int_shape(s.lane_bits, s.lanes)), "");
        } else if (s.is_float) {
            r = LLVMBuildBinOp(b, float_binop[aux], float_operand(cg, lhs), float_operand(cg, rhs),
                               "");
        } else if (TABLE_HAS(int_binop, aux)) {
            r = LLVMBuildBinOp(b, int_binop[aux], lhs, rhs, "");
        } else {
            LLVMValueRef args[2] = {lhs, rhs};
            r = call_overloaded(cg, int_binary_intrinsic[aux], args, 2);
        }
    } else {
        const char *name = NULL;
        if (s.is_float && TABLE_HAS(float_unary_intrinsic, aux))
            name = float_unary_intrinsic[aux];
        else if (!s.is_float && TABLE_HAS(int_unary_intrinsic, aux))
            name = int_unary_intrinsic[aux];
        if (name == NULL)
            return false;
        LLVMValueRef x = pop_shape(fg, s);
        /* fabs only clears sign bits; the others must quiet a signalling NaN. */
        if (s.is_float && aux != WA_AUX_ABS)
            x = float_operand(cg, x);
        LLVMValueRef args[2] = {x, LLVMConstInt(cg->t_i1, 0, false)};
        r = call_overloaded(cg, name, args, aux == WA_AUX_ABS && !s.is_float ? 2 : 1);
    }
    push_v128(fg, r);
    return true;
}

/* ---- Memory ---- */

/* The pointer a memory instruction accesses, from its popped address (i32, or i64 for memory64). */
static LLVMValueRef pop_address(WaFuncGen *fg, const WaInstr *in) {
    return wa_fg_effective_address(fg, &in->imm.memarg, wa_fg_pop(fg),
                                   UINT64_C(1) << wa_op_memlog2[in->op]);
}

/* A vector of shape s with lane 0 set to x and the others copies of it (splat) or zero. */
static LLVMValueRef splat(WaCodegen *cg, Shape s, LLVMValueRef x) {
    LLVMValueRef v = LLVMBuildInsertElement(cg->b, LLVMGetPoison(vector_type(cg, s)), x,
                                            LLVMConstInt(cg->t_i32, 0, false), "");
    return LLVMBuildShuffleVector(cg->b, v, LLVMGetPoison(vector_type(cg, s)),
                                  LLVMConstNull(LLVMVectorType(cg->t_i32, s.lanes)), "splat");
}

/*
 * v128.load, v128.store, v128.loadNxM_s/u (8 bytes, each N-bit lane
 * extended to 2N bits), load splat, load zero, load lane, store lane. The
 * shape s is the lanes of the result (of the stored vector for store lane):
 * a splat, zero or lane access moves one lane of it.
 */
static bool lower_memory(WaFuncGen *fg, const WaInstr *in, WaAux aux, Shape s) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    switch (aux) {
    case WA_AUX_PLAIN:
        if (in->op == WA_OP_V128_STORE) {
            LLVMValueRef v = wa_fg_pop(fg);
            wa_fg_store_memory(fg, v, pop_address(fg, in));
        } else {
            push_v128(fg, wa_fg_load_memory(fg, cg->t_v128, pop_address(fg, in)));
        }
        return true;
    case WA_AUX_SEXT:
    case WA_AUX_ZEXT: {
        /* v128.load16x4_s: 4 lanes of 16 bits, each extended to the 32 bits of an i32x4 lane. */
        Shape narrow = int_shape(s.lane_bits / 2, s.lanes);
        LLVMValueRef v = wa_fg_load_memory(fg, vector_type(cg, narrow), pop_address(fg, in));
        push_v128(fg, widen(cg, v, s.lane_bits, aux == WA_AUX_SEXT));
        return true;
    }
    case WA_AUX_LOAD_SPLAT: {
        push_v128(fg, splat(cg, s, wa_fg_load_memory(fg, lane_type(cg, s), pop_address(fg, in))));
        return true;
    }
    case WA_AUX_LOAD_ZERO: {
        LLVMValueRef x = wa_fg_load_memory(fg, lane_type(cg, s), pop_address(fg, in));
        push_v128(fg, LLVMBuildInsertElement(b, LLVMConstNull(vector_type(cg, s)), x,
                                             LLVMConstInt(cg->t_i32, 0, false), ""));
        return true;
    }
    case WA_AUX_LOAD_LANE: {
        LLVMValueRef v = pop_shape(fg, s);
        LLVMValueRef x = wa_fg_load_memory(fg, lane_type(cg, s), pop_address(fg, in));
        push_v128(fg,
                  LLVMBuildInsertElement(b, v, x, LLVMConstInt(cg->t_i32, in->lane, false), ""));
        return true;
    }
    case WA_AUX_STORE_LANE: {
        LLVMValueRef v = pop_shape(fg, s);
        LLVMValueRef x =
            LLVMBuildExtractElement(b, v, LLVMConstInt(cg->t_i32, in->lane, false), "");
        wa_fg_store_memory(fg, x, pop_address(fg, in));
        return true;
    }
    default:
        return false;
    }
}

/* ---- Lanes: constants, shuffles, splat, extract, replace ---- */

static bool lower_lanes(WaFuncGen *fg, const WaInstr *in, WaAux aux, Shape s) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    switch (aux) {
    case WA_AUX__: { /* v128.const: 16 bytes, little-endian */
        LLVMValueRef halves[2];
        for (unsigned h = 0; h < 2; h++) {
            unsigned long long bits = 0;
            for (unsigned i = 0; i < 8; i++)
                bits |= (unsigned long long)in->imm.bytes[8 * h + i] << (8 * i);
            halves[h] = LLVMConstInt(cg->t_i64, bits, false);
        }
        wa_fg_push(fg, LLVMConstVector(halves, 2), WA_VT_V128);
        return true;
    }
    case WA_AUX_SHUFFLE: {
        /* Lane indices 0-15 pick from a, 16-31 from b (validated < 32). */
        Shape i8 = int_shape(8, 16);
        LLVMValueRef rhs = pop_shape(fg, i8);
        LLVMValueRef lhs = pop_shape(fg, i8);
        LLVMValueRef idx[16];
        for (unsigned i = 0; i < 16; i++)
            idx[i] = LLVMConstInt(cg->t_i32, in->imm.bytes[i], false);
        push_v128(fg, LLVMBuildShuffleVector(b, lhs, rhs, LLVMConstVector(idx, 16), "shuffle"));
        return true;
    }
    case WA_AUX_SWIZZLE: {
        /*
         * r[i] = a[s[i]] if s[i] < 16, else 0. A lane extracted with an index
         * >= 16 is poison, which the select discards; x86 turns the pattern
         * into pshufb.
         */
        Shape i8 = int_shape(8, 16);
        LLVMValueRef sel = pop_shape(fg, i8);
        LLVMValueRef a = pop_shape(fg, i8);
        LLVMValueRef r = LLVMGetPoison(vector_type(cg, i8));
        for (unsigned i = 0; i < 16; i++) {
            LLVMValueRef lane = LLVMConstInt(cg->t_i32, i, false);
            LLVMValueRef k = LLVMBuildExtractElement(b, sel, lane, "");
            r = LLVMBuildInsertElement(b, r, LLVMBuildExtractElement(b, a, k, ""), lane, "");
        }
        LLVMValueRef in_range = LLVMBuildICmp(b, LLVMIntULT, sel, splat_int(cg, i8, 16), "");
        push_v128(fg,
                  LLVMBuildSelect(b, in_range, r, LLVMConstNull(vector_type(cg, i8)), "swizzle"));
        return true;
    }
    case WA_AUX_SPLAT: {
        LLVMValueRef x = wa_fg_pop(fg);
        if (!s.is_float && s.lane_bits < 32)
            x = LLVMBuildTrunc(b, x, lane_type(cg, s), "");
        push_v128(fg, splat(cg, s, x));
        return true;
    }
    case WA_AUX_EXTRACT:
    case WA_AUX_EXTRACT_S:
    case WA_AUX_EXTRACT_U: {
        LLVMValueRef v = pop_shape(fg, s);
        LLVMValueRef x =
            LLVMBuildExtractElement(b, v, LLVMConstInt(cg->t_i32, in->lane, false), "");
        if (aux == WA_AUX_EXTRACT_S)
            x = LLVMBuildSExt(b, x, cg->t_i32, "");
        else if (aux == WA_AUX_EXTRACT_U)
            x = LLVMBuildZExt(b, x, cg->t_i32, "");
        wa_fg_push(fg, x, (WaValType)wa_op_sig[in->op][3]);
        return true;
    }
    case WA_AUX_REPLACE: {
        LLVMValueRef x = wa_fg_pop(fg);
        LLVMValueRef v = pop_shape(fg, s);
        if (!s.is_float && s.lane_bits < 32)
            x = LLVMBuildTrunc(b, x, lane_type(cg, s), "");
        push_v128(fg,
                  LLVMBuildInsertElement(b, v, x, LLVMConstInt(cg->t_i32, in->lane, false), ""));
        return true;
    }
    default:
        return false;
    }
}

/* ---- Bitwise operations and boolean reductions ---- */

static bool lower_bitwise(WaFuncGen *fg, WaAux aux, Shape s) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    switch (aux) {
    case WA_AUX_NOT:
        push_v128(fg, LLVMBuildNot(b, wa_fg_pop(fg), ""));
        return true;
    case WA_AUX_ANDNOT: {
        LLVMValueRef rhs = wa_fg_pop(fg);
        LLVMValueRef lhs = wa_fg_pop(fg);
        push_v128(fg, LLVMBuildAnd(b, lhs, LLVMBuildNot(b, rhs, ""), "andnot"));
        return true;
    }
    case WA_AUX_BITSELECT: {
        /* Bits of v1 where c is 1, of v2 where c is 0. */
        LLVMValueRef c = wa_fg_pop(fg);
        LLVMValueRef v2 = wa_fg_pop(fg);
        LLVMValueRef v1 = wa_fg_pop(fg);
        LLVMValueRef r = LLVMBuildOr(b, LLVMBuildAnd(b, v1, c, ""),
                                     LLVMBuildAnd(b, v2, LLVMBuildNot(b, c, ""), ""), "bitselect");
        push_v128(fg, r);
        return true;
    }
    case WA_AUX_ANY_TRUE: {
        LLVMTypeRef i128 = LLVMIntTypeInContext(cg->llvm, 128);
        LLVMValueRef x = LLVMBuildBitCast(b, wa_fg_pop(fg), i128, "");
        LLVMValueRef nz = LLVMBuildICmp(b, LLVMIntNE, x, LLVMConstNull(i128), "any_true");
        wa_fg_push(fg, LLVMBuildZExt(b, nz, cg->t_i32, ""), WA_VT_I32);
        return true;
    }
    case WA_AUX_ALL_TRUE:
    case WA_AUX_BITMASK: {
        /*
         * One bit per lane, packed into an integer of `lanes` bits: lane != 0
         * for all_true (true if every bit is set), the lane's sign for bitmask.
         */
        LLVMValueRef v = pop_shape(fg, s);
        LLVMValueRef zero = LLVMConstNull(vector_type(cg, s));
        LLVMValueRef bits = aux == WA_AUX_ALL_TRUE ? LLVMBuildICmp(b, LLVMIntNE, v, zero, "")
                                                   : LLVMBuildICmp(b, LLVMIntSLT, v, zero, "");
        LLVMTypeRef mask_type = LLVMIntTypeInContext(cg->llvm, s.lanes);
        LLVMValueRef mask = LLVMBuildBitCast(b, bits, mask_type, "");
        if (aux == WA_AUX_ALL_TRUE)
            mask = LLVMBuildICmp(b, LLVMIntEQ, mask, LLVMConstAllOnes(mask_type), "all_true");
        wa_fg_push(fg, LLVMBuildZExt(b, mask, cg->t_i32, ""), WA_VT_I32);
        return true;
    }
    default:
        return false;
    }
}

/* ---- Integer operations that are not lane-uniform ---- */

static bool lower_integer(WaFuncGen *fg, WaAux aux, Shape s) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    Shape half = int_shape(s.lane_bits / 2, s.lanes * 2); /* operand of widening operations */
    switch (aux) {
    case WA_AUX_NEG:
        push_v128(fg, LLVMBuildNeg(b, pop_shape(fg, s), "neg"));
        return true;
    case WA_AUX_SHL:
    case WA_AUX_SHR_S:
    case WA_AUX_SHR_U: {
        /* The count is an i32 taken modulo the lane width. */
        LLVMValueRef count = wa_fg_pop(fg);
        LLVMValueRef v = pop_shape(fg, s);
        count = LLVMBuildAnd(b, count, LLVMConstInt(cg->t_i32, s.lane_bits - 1, false), "");
        if (s.lane_bits < 32)
            count = LLVMBuildTrunc(b, count, lane_type(cg, s), "");
        else if (s.lane_bits > 32)
            count = LLVMBuildZExt(b, count, lane_type(cg, s), "");
        LLVMOpcode op = aux == WA_AUX_SHL ? LLVMShl : aux == WA_AUX_SHR_S ? LLVMAShr : LLVMLShr;
        push_v128(fg, LLVMBuildBinOp(b, op, v, splat(cg, s, count), ""));
        return true;
    }
    case WA_AUX_AVGR_U: {
        /* (a + b + 1) / 2 without overflow: in lanes of twice the width. */
        LLVMValueRef rhs = widen(cg, pop_shape(fg, s), 2 * s.lane_bits, false);
        LLVMValueRef lhs = widen(cg, pop_shape(fg, s), 2 * s.lane_bits, false);
        Shape wide = int_shape(2 * s.lane_bits, s.lanes);
        LLVMValueRef sum =
            LLVMBuildAdd(b, LLVMBuildAdd(b, lhs, rhs, ""), splat_int(cg, wide, 1), "");
        sum = LLVMBuildLShr(b, sum, splat_int(cg, wide, 1), "");
        push_v128(fg, LLVMBuildTrunc(b, sum, vector_type(cg, s), "avgr_u"));
        return true;
    }
    case WA_AUX_NARROW_S:
    case WA_AUX_NARROW_U: {
        /*
         * The 2 * lanes wide lanes of a then b, each read as signed and
         * clamped to the narrow lane's signed or unsigned range.
         */
        Shape wide = int_shape(2 * s.lane_bits, s.lanes / 2);
        Shape all = int_shape(2 * s.lane_bits, s.lanes);
        LLVMValueRef rhs = pop_shape(fg, wide);
        LLVMValueRef lhs = pop_shape(fg, wide);
        LLVMValueRef v = concat(cg, lhs, rhs);
        unsigned long long lo = aux == WA_AUX_NARROW_S ? -(1ull << (s.lane_bits - 1)) : 0;
        unsigned long long hi =
            aux == WA_AUX_NARROW_S ? (1ull << (s.lane_bits - 1)) - 1 : (1ull << s.lane_bits) - 1;
        LLVMValueRef args[2] = {v, splat_int(cg, all, lo)};
        args[0] = call_overloaded(cg, "llvm.smax", args, 2);
        args[1] = splat_int(cg, all, hi);
        v = call_overloaded(cg, "llvm.smin", args, 2);
        push_v128(fg, LLVMBuildTrunc(b, v, vector_type(cg, s), "narrow"));
        return true;
    }
    case WA_AUX_EXTEND_LOW_S:
    case WA_AUX_EXTEND_HIGH_S:
    case WA_AUX_EXTEND_LOW_U:
    case WA_AUX_EXTEND_HIGH_U: {
        bool high = aux == WA_AUX_EXTEND_HIGH_S || aux == WA_AUX_EXTEND_HIGH_U;
        bool is_signed = aux == WA_AUX_EXTEND_LOW_S || aux == WA_AUX_EXTEND_HIGH_S;
        LLVMValueRef v = pick_lanes(cg, pop_shape(fg, half), s.lanes, high ? s.lanes : 0, 1);
        push_v128(fg, widen(cg, v, s.lane_bits, is_signed));
        return true;
    }
    case WA_AUX_EXTMUL_LOW_S:
    case WA_AUX_EXTMUL_HIGH_S:
    case WA_AUX_EXTMUL_LOW_U:
    case WA_AUX_EXTMUL_HIGH_U: {
        /* The product of two extended half-width lanes always fits. */
        bool high = aux == WA_AUX_EXTMUL_HIGH_S || aux == WA_AUX_EXTMUL_HIGH_U;
        bool is_signed = aux == WA_AUX_EXTMUL_LOW_S || aux == WA_AUX_EXTMUL_HIGH_S;
        unsigned start = high ? s.lanes : 0;
        LLVMValueRef rhs = widen(cg, pick_lanes(cg, pop_shape(fg, half), s.lanes, start, 1),
                                 s.lane_bits, is_signed);
        LLVMValueRef lhs = widen(cg, pick_lanes(cg, pop_shape(fg, half), s.lanes, start, 1),
                                 s.lane_bits, is_signed);
        push_v128(fg, LLVMBuildMul(b, lhs, rhs, "extmul"));
        return true;
    }
    case WA_AUX_EXTADD_S:
    case WA_AUX_EXTADD_U: {
        /* r[i] = ext(a[2i]) + ext(a[2i + 1]). */
        LLVMValueRef v = pop_shape(fg, half);
        bool is_signed = aux == WA_AUX_EXTADD_S;
        LLVMValueRef even = widen(cg, pick_lanes(cg, v, s.lanes, 0, 2), s.lane_bits, is_signed);
        LLVMValueRef odd = widen(cg, pick_lanes(cg, v, s.lanes, 1, 2), s.lane_bits, is_signed);
        push_v128(fg, LLVMBuildAdd(b, even, odd, "extadd"));
        return true;
    }
    case WA_AUX_DOT_S: {
        /* i32x4.dot_i16x8_s: r[i] = a[2i] * b[2i] + a[2i+1] * b[2i+1], wrapping. */
        LLVMValueRef rhs = widen(cg, pop_shape(fg, half), s.lane_bits, true);
        LLVMValueRef lhs = widen(cg, pop_shape(fg, half), s.lane_bits, true);
        LLVMValueRef prod = LLVMBuildMul(b, lhs, rhs, "");
        LLVMValueRef even = pick_lanes(cg, prod, s.lanes, 0, 2);
        LLVMValueRef odd = pick_lanes(cg, prod, s.lanes, 1, 2);
        push_v128(fg, LLVMBuildAdd(b, even, odd, "dot"));
        return true;
    }
    case WA_AUX_Q15MULR_SAT_S: {
        /*
         * (a * b + 2^14) >> 15 in 32-bit lanes, saturated to i16. Only
         * INT16_MIN * INT16_MIN (= 2^30) exceeds INT16_MAX; nothing is below
         * INT16_MIN, so one smin suffices.
         */
        Shape wide = int_shape(32, 8);
        LLVMValueRef rhs = widen(cg, pop_shape(fg, s), 32, true);
        LLVMValueRef lhs = widen(cg, pop_shape(fg, s), 32, true);
        LLVMValueRef r = LLVMBuildMul(b, lhs, rhs, "");
        r = LLVMBuildAdd(b, r, splat_int(cg, wide, 1u << 14), "");
        r = LLVMBuildAShr(b, r, splat_int(cg, wide, 15), "");
        LLVMValueRef args[2] = {r, splat_int(cg, wide, 0x7fff)};
        r = call_overloaded(cg, "llvm.smin", args, 2);
        push_v128(fg, LLVMBuildTrunc(b, r, vector_type(cg, s), "q15mulr"));
        return true;
    }
    default:
        return false;
    }
}

/* ---- Float operations that are not lane-uniform, and conversions ---- */

/*
 * fN.min/max per lane (spec 4.3.3 fmin, fmax), as lower_min_max in numeric.c:
 *
 *     NaN    ? a + b                   (quiet NaN, payload of a NaN input)
 *     a == b ? bits(a) | bits(b)       (min: -0 if either is -0; max: &)
 *     a < b  ? a : b                   (min; a > b for max)
 */
static LLVMValueRef float_min_max(WaCodegen *cg, Shape s, bool is_min, LLVMValueRef a,
                                  LLVMValueRef c) {
    LLVMBuilderRef b = cg->b;
    LLVMTypeRef ftype = vector_type(cg, s);
    LLVMTypeRef itype = vector_type(cg, int_shape(s.lane_bits, s.lanes));
    LLVMValueRef pick = LLVMBuildSelect(
        b, LLVMBuildFCmp(b, is_min ? LLVMRealOLT : LLVMRealOGT, a, c, ""), a, c, "");
    LLVMValueRef ai = LLVMBuildBitCast(b, a, itype, "");
    LLVMValueRef ci = LLVMBuildBitCast(b, c, itype, "");
    LLVMValueRef eq_bits = is_min ? LLVMBuildOr(b, ai, ci, "") : LLVMBuildAnd(b, ai, ci, "");
    pick = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOEQ, a, c, ""),
                           LLVMBuildBitCast(b, eq_bits, ftype, ""), pick, "");
    LLVMValueRef nan = LLVMBuildFAdd(b, float_operand(cg, a), float_operand(cg, c), "");
    return LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealUNO, a, c, ""), nan, pick,
                           is_min ? "min" : "max");
}

static bool lower_float(WaFuncGen *fg, WaAux aux, Shape s) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    switch (aux) {
    case WA_AUX_NEG:
        /* Sign bit only: neg is not an arithmetic operation, payloads stay. */
        push_v128(fg, LLVMBuildFNeg(b, pop_shape(fg, s), "neg"));
        return true;
    case WA_AUX_MIN:
    case WA_AUX_MAX:
    case WA_AUX_PMIN:
    case WA_AUX_PMAX: {
        LLVMValueRef rhs = pop_shape(fg, s);
        LLVMValueRef lhs = pop_shape(fg, s);
        LLVMValueRef r;
        if (aux == WA_AUX_MIN || aux == WA_AUX_MAX)
            r = float_min_max(cg, s, aux == WA_AUX_MIN, lhs, rhs);
        else if (aux == WA_AUX_PMIN) /* b < a ? b : a */
            r = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, rhs, lhs, ""), rhs, lhs, "pmin");
        else /* a < b ? b : a, written b > a ? b : a: compare and select in one order (maxps) */
            r = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGT, rhs, lhs, ""), rhs, lhs, "pmax");
        push_v128(fg, r);
        return true;
    }
    default:
        return false;
    }
}

/*
 * Saturating float -> i32 truncation of every lane of x (spec 4.3.4
 * trunc_sat): NaN -> 0, out of range -> the nearest bound. This is
 * llvm.fpto[su]i.sat, but LLVM 19 scalarises that intrinsic on x86 vectors;
 * converting only in-range lanes (others as 0.0, so the conversion is never
 * poison) and then selecting the bounds gives cvttps2dq plus compares. The
 * bounds -2^31, 2^31 and 2^32 are exact in both float types; -1 < x < 2^32
 * truncates to a valid u32, -2^31 <= x < 2^31 to a valid i32 (f64 lanes in
 * (-2^31 - 1, -2^31) are below the range test but saturate to INT32_MIN,
 * which is also their truncation).
 */
static LLVMValueRef trunc_sat(WaCodegen *cg, LLVMValueRef x, bool is_signed) {
    LLVMBuilderRef b = cg->b;
    LLVMTypeRef ftype = LLVMTypeOf(x);
    unsigned n = LLVMGetVectorSize(ftype);
    LLVMTypeRef elem = LLVMGetElementType(ftype);
    LLVMTypeRef itype = LLVMVectorType(cg->t_i32, n);
    double lo = is_signed ? -2147483648.0 : -1.0, hi = is_signed ? 2147483648.0 : 4294967296.0;
    LLVMValueRef lo_lanes[4], hi_lanes[4];
    for (unsigned i = 0; i < n; i++) {
        lo_lanes[i] = LLVMConstReal(elem, lo);
        hi_lanes[i] = LLVMConstReal(elem, hi);
    }
    LLVMValueRef lo_v = LLVMConstVector(lo_lanes, n), hi_v = LLVMConstVector(hi_lanes, n);
    /* Ordered compares: false for NaN, which therefore converts as 0.0. */
    LLVMValueRef above_lo = LLVMBuildFCmp(b, is_signed ? LLVMRealOGE : LLVMRealOGT, x, lo_v, "");
    LLVMValueRef below_hi = LLVMBuildFCmp(b, LLVMRealOLT, x, hi_v, "");
    LLVMValueRef safe =
        LLVMBuildSelect(b, LLVMBuildAnd(b, above_lo, below_hi, ""), x, LLVMConstNull(ftype), "");
    LLVMValueRef r =
        is_signed ? LLVMBuildFPToSI(b, safe, itype, "") : LLVMBuildFPToUI(b, safe, itype, "");
    LLVMValueRef max =
        is_signed ? splat_int(cg, int_shape(32, n), 0x7fffffff) : LLVMConstAllOnes(itype);
    r = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOGE, x, hi_v, ""), max, r, "");
    if (is_signed) /* unsigned: lanes below the range are already 0 */
        r = LLVMBuildSelect(b, LLVMBuildFCmp(b, LLVMRealOLT, x, lo_v, ""),
                            splat_int(cg, int_shape(32, n), 0x80000000u), r, "");
    return r;
}

/*
 * Conversions between lane types (s is the result's shape): int -> float,
 * float -> int (saturating), f64x2 <-> f32x4. The "_zero" results fill the
 * upper half with zeros, the "_low" operations read the lower half.
 */
static bool lower_convert(WaFuncGen *fg, WaAux aux, Shape s) {
    WaCodegen *cg = fg->cg;
    LLVMBuilderRef b = cg->b;
    Shape f32 = {32, 4, true}, f64 = {64, 2, true};
    Shape i32 = int_shape(32, 4);
    switch (aux) {
    case WA_AUX_CONVERT_S:
    case WA_AUX_CONVERT_U: { /* f32x4.convert_i32x4_s/u */
        LLVMValueRef v = pop_shape(fg, i32);
        LLVMTypeRef to = vector_type(cg, s);
        push_v128(fg, aux == WA_AUX_CONVERT_S ? LLVMBuildSIToFP(b, v, to, "")
                                              : LLVMBuildUIToFP(b, v, to, ""));
        return true;
    }
    case WA_AUX_CONVERT_LOW_S:
    case WA_AUX_CONVERT_LOW_U: { /* f64x2.convert_low_i32x4_s/u: lanes 0 and 1 */
        LLVMValueRef v = pick_lanes(cg, pop_shape(fg, i32), 2, 0, 1);
        LLVMTypeRef to = vector_type(cg, s);
        push_v128(fg, aux == WA_AUX_CONVERT_LOW_S ? LLVMBuildSIToFP(b, v, to, "")
                                                  : LLVMBuildUIToFP(b, v, to, ""));
        return true;
    }
    case WA_AUX_TRUNC_SAT_S:
    case WA_AUX_TRUNC_SAT_U:
    case WA_AUX_TRUNC_SAT_ZERO_S:
    case WA_AUX_TRUNC_SAT_ZERO_U: {
        bool zero = aux == WA_AUX_TRUNC_SAT_ZERO_S || aux == WA_AUX_TRUNC_SAT_ZERO_U;
        bool is_signed = aux == WA_AUX_TRUNC_SAT_S || aux == WA_AUX_TRUNC_SAT_ZERO_S;
        LLVMValueRef r = trunc_sat(cg, pop_shape(fg, zero ? f64 : f32), is_signed);
        if (zero) /* i32x4.trunc_sat_f64x2_s/u_zero */
            r = concat(cg, r, LLVMConstNull(LLVMTypeOf(r)));
        push_v128(fg, r);
        return true;
    }
    case WA_AUX_DEMOTE: {
        /*
         * f32x4.demote_f64x2_zero. The operand is always hidden: LLVM folds
         * fptrunc (fpext x) to x, which would let a signalling NaN through
         * promote_low + demote unquieted.
         */
        LLVMValueRef v = wa_numeric_opaque(cg, pop_shape(fg, f64));
        v = LLVMBuildFPTrunc(b, v, vector_type(cg, (Shape){32, 2, true}), "");
        push_v128(fg, concat(cg, v, LLVMConstNull(LLVMTypeOf(v))));
        return true;
    }
    case WA_AUX_PROMOTE: { /* f64x2.promote_low_f32x4 */
        LLVMValueRef v = pick_lanes(cg, float_operand(cg, pop_shape(fg, f32)), 2, 0, 1);
        push_v128(fg, LLVMBuildFPExt(b, v, vector_type(cg, s), ""));
        return true;
    }
    default:
        return false;
    }
}

bool wa_lower_simd(WaFuncGen *fg, const WaInstr *in) {
    WaAux aux = wa_op_aux[in->op];
    const uint8_t *sig = wa_op_sig[in->op];
    Shape s = shape_of(in->op);
    if (lower_memory(fg, in, aux, s))
        return true;
    bool binary =
        sig[0] == WA_VT_V128 && sig[1] == WA_VT_V128 && sig[2] == WA_VT_X && sig[3] == WA_VT_V128;
    bool unary = sig[0] == WA_VT_V128 && sig[1] == WA_VT_X && sig[3] == WA_VT_V128;
    if ((binary || unary) && lower_uniform(fg, aux, s, binary))
        return true;
    if (lower_lanes(fg, in, aux, s) || lower_bitwise(fg, aux, s) || lower_convert(fg, aux, s))
        return true;
    if (s.is_float ? lower_float(fg, aux, s) : lower_integer(fg, aux, s))
        return true;
    /* Every row of opcodes_simd.def is handled above; a new row needs a case. */
    WA_UNREACHABLE();
}
