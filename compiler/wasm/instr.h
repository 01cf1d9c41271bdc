/*
 * instr.h: opcodes and the instruction reader shared by the validator and
 * lowering (spec 5.4).
 *
 * Each instruction is read into a WaInstr: its opcode (one enum value per row
 * of opcodes.def) and its decoded immediates. Facts about an opcode (name,
 * immediates, lowering class, signature, memory access width, operation, SIMD
 * lane shape, block nesting, constant-ness) come from the table through the
 * wa_op_* arrays.
 */
#ifndef WA_WASM_INSTR_H
#define WA_WASM_INSTR_H

#include "../base/arena.h"
#include "../base/reader.h"
#include "features.h"
#include "module.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum WaOpcode {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST,     \
              CONST)                                                                               \
    WA_OP_##NAME,
#include "opcodes.def"
#undef WA_OP
    WA_OP_COUNT
} WaOpcode;

/* The kinds of immediates an instruction carries (the IMM column). */
typedef enum WaImmKind {
    WA_IMM_NONE,
    WA_IMM_BLOCK,         /* block type */
    WA_IMM_LABEL,         /* label index */
    WA_IMM_BR_TABLE,      /* vec(label) + default label */
    WA_IMM_FUNC,          /* function index */
    WA_IMM_CALL_INDIRECT, /* type index, table index */
    WA_IMM_LOCAL,         /* local index */
    WA_IMM_GLOBAL,        /* global index */
    WA_IMM_TABLE,         /* table index */
    WA_IMM_MEMARG,        /* alignment (log2), offset */
    WA_IMM_MEMIDX,        /* a memory index: the reserved zero byte in Wasm 2.0 */
    WA_IMM_I32,
    WA_IMM_I64,
    WA_IMM_F32,
    WA_IMM_F64,
    WA_IMM_SELECT_T,    /* vec(valtype) */
    WA_IMM_HEAPTYPE,    /* funcref / externref */
    WA_IMM_DATA,        /* data segment index */
    WA_IMM_ELEM,        /* element segment index */
    WA_IMM_MEMORY_INIT, /* data index, memory index */
    WA_IMM_MEMORY_COPY, /* destination memory, source memory */
    WA_IMM_TABLE_INIT,  /* element index, table index */
    WA_IMM_TABLE_COPY,  /* destination table, source table */
    WA_IMM_V128,        /* 16 bytes */
    WA_IMM_SHUFFLE,     /* 16 lane indices */
    WA_IMM_LANE,        /* 1 lane index */
    WA_IMM_MEMARG_LANE, /* memarg, then 1 lane index */
    WA_IMM_FENCE,       /* atomic.fence's reserved byte, 0x00 (threads proposal) */
    WA_IMM_TAG,         /* tag index (exception handling) */
    WA_IMM_TRY_TABLE,   /* block type, then vec(catch clause) */
} WaImmKind;

/* Lowering classes (the CLASS column): which lower/ file handles an opcode. */
typedef enum WaOpClass {
    WA_CLASS_CONTROL,
    WA_CLASS_CALL,
    WA_CLASS_PARAMETRIC,
    WA_CLASS_VARIABLE,
    WA_CLASS_TABLE,
    WA_CLASS_REF,
    WA_CLASS_LOAD,
    WA_CLASS_STORE,
    WA_CLASS_MEMORY,
    WA_CLASS_BULK,
    WA_CLASS_CONST,
    WA_CLASS_UNARY,
    WA_CLASS_BINARY,
    WA_CLASS_COMPARE,
    WA_CLASS_CONVERT,
    WA_CLASS_SIMD,
    WA_CLASS_ATOMIC,    /* threads proposal: atomic accesses, wait/notify, fence (atomic.c) */
    WA_CLASS_EXCEPTION, /* throw, try, catch, ...: lower/exception.c */
} WaOpClass;

/* Operations within a class (the AUX column). */
// clang-format off
#define WA_AUX_LIST(X)                                                                             \
    X(_) X(PLAIN) X(SEXT) X(ZEXT)                                                                  \
    X(ADD) X(SUB) X(MUL) X(DIV) X(DIV_S) X(DIV_U) X(REM_S) X(REM_U) X(AND) X(OR) X(XOR)            \
    X(SHL) X(SHR_S) X(SHR_U) X(ROTL) X(ROTR) X(CLZ) X(CTZ) X(POPCNT)                               \
    X(ABS) X(NEG) X(CEIL) X(FLOOR) X(TRUNC) X(NEAREST) X(SQRT) X(MIN) X(MAX) X(COPYSIGN)           \
    X(EQZ) X(EQ) X(NE) X(LT) X(GT) X(LE) X(GE) X(LT_S) X(LT_U) X(GT_S) X(GT_U) X(LE_S) X(LE_U)     \
    X(GE_S) X(GE_U)                                                                                \
    X(WRAP) X(EXTEND_S) X(EXTEND_U) X(TRUNC_S) X(TRUNC_U) X(TRUNC_SAT_S) X(TRUNC_SAT_U)            \
    X(CONVERT_S) X(CONVERT_U) X(DEMOTE) X(PROMOTE) X(REINTERPRET)                                  \
    X(EXTEND8_S) X(EXTEND16_S) X(EXTEND32_S)                                                       \
    /* SIMD only (opcodes_simd.def); the lane shape is the SHAPE column */                         \
    X(NOT) X(ANDNOT) X(BITSELECT) X(ANY_TRUE) X(ALL_TRUE) X(BITMASK)                               \
    X(SPLAT) X(EXTRACT) X(EXTRACT_S) X(EXTRACT_U) X(REPLACE) X(SHUFFLE) X(SWIZZLE)                 \
    X(ADD_SAT_S) X(ADD_SAT_U) X(SUB_SAT_S) X(SUB_SAT_U) X(MIN_S) X(MIN_U) X(MAX_S) X(MAX_U)        \
    X(AVGR_U) X(PMIN) X(PMAX) X(NARROW_S) X(NARROW_U)                                              \
    X(EXTEND_LOW_S) X(EXTEND_HIGH_S) X(EXTEND_LOW_U) X(EXTEND_HIGH_U)                              \
    X(EXTMUL_LOW_S) X(EXTMUL_HIGH_S) X(EXTMUL_LOW_U) X(EXTMUL_HIGH_U) X(EXTADD_S) X(EXTADD_U)      \
    X(DOT_S) X(Q15MULR_SAT_S) X(LOAD_SPLAT) X(LOAD_ZERO) X(LOAD_LANE) X(STORE_LANE)                \
    X(TRUNC_SAT_ZERO_S) X(TRUNC_SAT_ZERO_U) X(CONVERT_LOW_S) X(CONVERT_LOW_U)                     \
    /* threads only (CLASS ATOMIC); the read-modify-writes also use ADD SUB AND OR XOR */          \
    X(ATOMIC_LOAD) X(ATOMIC_STORE) X(XCHG) X(CMPXCHG) X(WAIT) X(NOTIFY) X(FENCE)
// clang-format on

typedef enum WaAux {
#define X(name) WA_AUX_##name,
    WA_AUX_LIST(X)
#undef X
} WaAux;

/*
 * The lanes of a v128 as a SIMD operation sees them (the SHAPE column).
 * WA_SHAPE_<SHAPE> is the initialiser of each token, so the column expands
 * straight into wa_op_shape; `_` (no lanes) is all zero.
 */
typedef struct WaLaneShape {
    uint8_t lane_bits; /* 8, 16, 32 or 64; 0: no lanes */
    uint8_t lanes;     /* 128 / lane_bits; 0: no lanes */
    bool is_float;     /* f32x4, f64x2 */
} WaLaneShape;

// clang-format off
#define WA_SHAPE__     {0, 0, false}
#define WA_SHAPE_I8X16 {8, 16, false}
#define WA_SHAPE_I16X8 {16, 8, false}
#define WA_SHAPE_I32X4 {32, 4, false}
#define WA_SHAPE_I64X2 {64, 2, false}
#define WA_SHAPE_F32X4 {32, 4, true}
#define WA_SHAPE_F64X2 {64, 2, true}
// clang-format on

/*
 * How an instruction changes block nesting (the NEST column). The decoder
 * (finding the end of a constant expression), the validator (block structure)
 * and the lowering (skipping dead code) all track nesting with this.
 */
typedef enum WaNesting {
    WA_NEST__,         /* none */
    WA_NEST_OPEN,      /* opens a block: block, loop */
    WA_NEST_OPEN_ARMS, /* opens a block that an ELSE may split into two arms: if */
    WA_NEST_ELSE,      /* ends the first arm of the innermost OPEN_ARMS block, starts the second */
    WA_NEST_CLOSE,     /* ends the innermost block: end */
    WA_NEST_CATCH,     /* ends the body or a handler of the innermost (legacy) try and starts
                          a handler: catch, catch_all; any number of them may come */
} WaNesting;

/* Per-opcode facts, indexed by WaOpcode, each expanded from a column of opcodes.def. */
extern const char *const wa_op_name[WA_OP_COUNT];
extern const uint8_t wa_op_imm[WA_OP_COUNT];       /* WaImmKind */
extern const uint8_t wa_op_class[WA_OP_COUNT];     /* WaOpClass */
extern const uint8_t wa_op_sig[WA_OP_COUNT][4];    /* WaValType T1, T2, T3, TR */
extern const uint8_t wa_op_memlog2[WA_OP_COUNT];   /* natural alignment, log2 bytes */
extern const uint8_t wa_op_aux[WA_OP_COUNT];       /* WaAux */
extern const WaLaneShape wa_op_shape[WA_OP_COUNT]; /* SIMD lanes; all zero for none */
extern const uint8_t wa_op_nest[WA_OP_COUNT];      /* WaNesting */
extern const uint8_t
    wa_op_const[WA_OP_COUNT]; /* in a constant expression: 1 yes, 2 extended-const */

/*
 * Whether op computes floats whose NaN results the spec leaves
 * nondeterministic (spec 4.3.3, nans_N: any arithmetic NaN when an input NaN
 * is not canonical): the float arithmetic, rounding, min/max and
 * demote/promote, scalar or SIMD. Not loads, constants, abs/neg/copysign,
 * pmin/pmax or lane moves, which copy bits exactly.
 */
bool wa_op_makes_nan(WaOpcode op);

/* A block type (spec 5.4.1): empty, one value type, or a type index. */
typedef struct WaBlockType {
    enum { WA_BLOCK_EMPTY, WA_BLOCK_VALUE, WA_BLOCK_TYPEIDX } kind;
    WaValType value;     /* WA_BLOCK_VALUE */
    uint32_t type_index; /* WA_BLOCK_TYPEIDX */
} WaBlockType;

/* A catch clause of try_table (exception handling): kind, tag (catch, catch_ref), label. */
typedef enum WaCatchKind {
    WA_CATCH = 0,
    WA_CATCH_REF = 1,
    WA_CATCH_ALL = 2,
    WA_CATCH_ALL_REF = 3,
} WaCatchKind;

typedef struct WaCatchClause {
    WaCatchKind kind;
    uint32_t tag; /* WA_CATCH, WA_CATCH_REF only */
    uint32_t label;
} WaCatchClause;

typedef struct WaMemArg {
    uint32_t align_log2;
    uint32_t memory;
    uint64_t offset;
} WaMemArg;

/* One decoded instruction. Which immediate field is set follows wa_op_imm[op]. */
typedef struct WaInstr {
    WaOpcode op;
    size_t offset; /* file offset of the opcode */
    union {
        WaBlockType block;
        uint32_t
            index; /* LABEL FUNC LOCAL GLOBAL TABLE MEMIDX DATA ELEM TAG HEAPTYPE(as WaValType) */
        struct {
            uint32_t *labels; /* in the scratch arena given to the reader */
            uint32_t count;
            uint32_t default_label;
        } br_table;
        struct {
            uint32_t type_index;
            uint32_t table_index;
        } call_indirect;
        WaMemArg memarg; /* MEMARG, MEMARG_LANE (with lane) */
        int32_t i32;
        int64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        uint8_t bytes[16]; /* V128, SHUFFLE */
        struct {
            uint32_t count; /* how many types the vector had (valid: exactly 1) */
            WaValType type; /* the first, if any */
        } select_t;
        struct {
            WaBlockType block;
            WaCatchClause *catches; /* in the scratch arena given to the reader */
            uint32_t ncatches;
        } try_table;
        struct {
            uint32_t a, b; /* MEMORY_INIT: data, memory; TABLE_INIT: elem, table;
                              MEMORY_COPY / TABLE_COPY: destination, source */
        } pair;
    } imm;
    uint8_t lane; /* LANE, MEMARG_LANE */
} WaInstr;

/*
 * Whether feature f is on for the encoding r reads. Some features change how
 * a module is encoded, so the decoder asks while reading (not in the feature
 * check after it), at the places where a module first shows the feature;
 * off, every construct is read exactly as the earlier standard reads it:
 *   multi-memory     memarg bit 6 and a memory index; u32 memory indices
 *   memory64         u64 limits and memarg offsets; one-byte limits flags
 *   threads          limits flag bit 1 (a shared memory)
 *   reference-types  call_indirect's table index (else 1.0's zero byte)
 *   bulk-memory      the data count section, id 12 (else malformed, as in 1.0)
 *   exceptions       the tag section, tag imports and exports, exnref and exn
 * The set is the decoder's argument (wa_decode_module), kept in the module
 * and in every reader made from it (wa_module_reader).
 */
static inline bool wa_encoding_has(const WaReader *r, WaFeature f) {
    return (r->features & WA_FEATURE_BIT(f)) != 0;
}

/* A value type byte (spec 5.3.4); "malformed value type" otherwise. */
bool wa_read_valtype(WaReader *r, WaValType *out);

/*
 * Reads one instruction at r. Immediates that need memory (br_table labels)
 * are allocated in `scratch`. Fails with "illegal opcode" for an unknown
 * opcode and with the reader's messages for bad immediates.
 */
bool wa_instr_read(WaReader *r, WaArena *scratch, WaInstr *out);

#endif
