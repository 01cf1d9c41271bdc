/*
 * instr.c: the per-opcode tables and the instruction reader (spec 5.4).
 *
 * Every table here is expanded from opcodes.def, so an opcode's facts live in
 * one row. The opcode lookup is a static map from (prefix, code) to WaOpcode,
 * also expanded from the rows (designated initializers, so a duplicate CODE
 * is a compiler warning, and an unlisted code stays 0 = illegal). Prefixed
 * sub-opcodes are u32 LEB128s (spec 5.4: "0xFC u32", "0xFD u32", threads "0xFE u32"); every row's
 * sub-opcode is below 256, so a larger one is illegal.
 *
 * Immediates follow the spec's binary grammar exactly. Wasm 2.0 has one memory,
 * so memory indices are the reserved single zero byte ("zero byte expected"
 * for anything else, including a zero in an over-long LEB128), while table
 * indices are full u32s; with the multi-memory proposal memory indices are
 * u32s too, and a memarg may carry one (read_memarg). Bounds (label depth, local index, lane < 16,
 * ...) are validation, not decoding, and are left to the validator.
 */
#include "instr.h"

#include "features.h"

#include "../base/check.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

// clang-format off
const char *const wa_op_name[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = TEXT,
#include "opcodes.def"
#undef WA_OP
};

const uint8_t wa_op_imm[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = WA_IMM_##IMM,
#include "opcodes.def"
#undef WA_OP
};

const uint8_t wa_op_class[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = WA_CLASS_##CLASS,
#include "opcodes.def"
#undef WA_OP
};

const uint8_t wa_op_sig[WA_OP_COUNT][4] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = {WA_VT_##T1, WA_VT_##T2, WA_VT_##T3, WA_VT_##TR},
#include "opcodes.def"
#undef WA_OP
};

const uint8_t wa_op_memlog2[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = MEMLOG2,
#include "opcodes.def"
#undef WA_OP
};

const uint8_t wa_op_aux[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = WA_AUX_##AUX,
#include "opcodes.def"
#undef WA_OP
};

const WaLaneShape wa_op_shape[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = WA_SHAPE_##SHAPE,
#include "opcodes.def"
#undef WA_OP
};

const uint8_t wa_op_nest[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = WA_NEST_##NEST,
#include "opcodes.def"
#undef WA_OP
};

const uint8_t wa_op_const[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [WA_OP_##NAME] = CONST,
#include "opcodes.def"
#undef WA_OP
};

bool wa_op_makes_nan(WaOpcode op) {
    WaValType result = wa_op_sig[op][3];
    if (result != WA_VT_F32 && result != WA_VT_F64 && !wa_op_shape[op].is_float)
        return false;
    switch ((WaAux)wa_op_aux[op]) {
    case WA_AUX_ADD:
    case WA_AUX_SUB:
    case WA_AUX_MUL:
    case WA_AUX_DIV:
    case WA_AUX_SQRT:
    case WA_AUX_MIN:
    case WA_AUX_MAX:
    case WA_AUX_CEIL:
    case WA_AUX_FLOOR:
    case WA_AUX_TRUNC:
    case WA_AUX_NEAREST:
    case WA_AUX_DEMOTE:
    case WA_AUX_PROMOTE:
        return true;
    default:
        return false;
    }
}

/*
 * The opcode map: opcode_map[space][code] = WaOpcode + 1, or 0 for an illegal
 * code. Space 0 is the one-byte opcodes, 1 the 0xFC prefix, 2 the 0xFD prefix,
 * 3 the 0xFE prefix (threads proposal).
 */
enum { SPACE_PLAIN, SPACE_FC, SPACE_FD, SPACE_FE, SPACE_COUNT };
#define SPACE_OF(PREFIX)                                                                           \
    ((PREFIX) == 0      ? SPACE_PLAIN                                                              \
     : (PREFIX) == 0xFC ? SPACE_FC                                                                 \
     : (PREFIX) == 0xFD ? SPACE_FD                                                                 \
                        : SPACE_FE)

static const uint16_t opcode_map[SPACE_COUNT][256] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST, CONST) \
    [SPACE_OF(PREFIX)][CODE] = WA_OP_##NAME + 1,
#include "opcodes.def"
#undef WA_OP
};
// clang-format on

_Static_assert(WA_OP_COUNT < UINT16_MAX, "opcode_map entries are uint16_t");

/*
 * Looks up the opcode at r (after any prefix), or fails with "illegal
 * opcode" and its bytes in hex as the reference interpreter writes them
 * ("illegal opcode ff", "illegal opcode fc 12"), which the spec suite expects.
 */
static bool read_opcode(WaReader *r, WaOpcode *op) {
    size_t at = wa_reader_offset(r);
    uint8_t byte;
    WA_TRY(wa_read_u8(r, &byte));
    if (byte != 0xFC && byte != 0xFD && byte != 0xFE) {
        uint16_t entry = opcode_map[SPACE_PLAIN][byte];
        if (entry == 0)
            return wa_diag_error(r->d, at, "illegal opcode %02x", byte);
        *op = (WaOpcode)(entry - 1);
        return true;
    }
    uint32_t sub;
    WA_TRY(wa_read_u32(r, &sub));
    uint16_t entry = sub < 256 ? opcode_map[SPACE_OF(byte)][sub] : 0;
    if (entry == 0)
        return wa_diag_error(r->d, at, "illegal opcode %02x %02" PRIx32, byte, sub);
    *op = (WaOpcode)(entry - 1);
    return true;
}

/* The reserved memory index of Wasm 2.0: exactly one 0x00 byte (spec 5.4.6). */
static bool read_zero_byte(WaReader *r) {
    size_t at = wa_reader_offset(r);
    uint8_t byte;
    WA_TRY(wa_read_u8(r, &byte));
    if (byte != 0)
        return wa_diag_error(r->d, at, "zero byte expected");
    return true;
}

bool wa_read_valtype(WaReader *r, WaValType *out) {
    size_t at = wa_reader_offset(r);
    uint8_t byte;
    WA_TRY(wa_read_u8(r, &byte));
    switch (byte) {
    case WA_VT_I32:
    case WA_VT_I64:
    case WA_VT_F32:
    case WA_VT_F64:
    case WA_VT_V128:
    case WA_VT_FUNCREF:
    case WA_VT_EXTERNREF:
        *out = (WaValType)byte;
        return true;
    case WA_VT_EXNREF:
        if (!wa_encoding_has(r, WA_FEATURE_EXCEPTIONS))
            return wa_diag_error(r->d, at,
                                 "malformed value type: exnref needs the exceptions feature "
                                 "(--enable-exceptions)");
        *out = (WaValType)byte;
        return true;
    default:
        return wa_diag_error(r->d, at, "malformed value type");
    }
}

/*
 * Block type (spec 5.4.1): 0x40 for empty, a value type byte, or a type index
 * as a non-negative s33. A first byte in 0x40..0x7F is a one-byte negative s33,
 * so it must be 0x40 or a value type; anything else starts a type index.
 */
static bool read_block_type(WaReader *r, WaBlockType *out) {
    if (wa_reader_at_end(r)) {
        uint8_t unused;
        return wa_read_u8(r, &unused); /* reports the end of input */
    }
    uint8_t first = *r->p;
    if (first == 0x40) {
        r->p++;
        out->kind = WA_BLOCK_EMPTY;
        return true;
    }
    if ((first & 0xC0) == 0x40) {
        out->kind = WA_BLOCK_VALUE;
        return wa_read_valtype(r, &out->value);
    }
    size_t at = wa_reader_offset(r);
    int64_t index;
    WA_TRY(wa_read_s33(r, &index));
    if (index < 0)
        return wa_diag_error(r->d, at, "malformed value type");
    out->kind = WA_BLOCK_TYPEIDX;
    out->type_index = (uint32_t)index;
    return true;
}

/* br_table's label vector and default label; the labels go into scratch. */
static bool read_br_table(WaReader *r, WaArena *scratch, WaInstr *in) {
    size_t at = wa_reader_offset(r);
    uint32_t count;
    WA_TRY(wa_read_u32(r, &count));
    /* Each label takes at least one byte: a larger count cannot be there. */
    if (count > wa_reader_left(r))
        return wa_diag_error(r->d, at, "length out of bounds");
    uint32_t *labels = WA_NEW_ARRAY(scratch, uint32_t, count ? count : 1);
    for (uint32_t i = 0; i < count; i++)
        WA_TRY(wa_read_u32(r, &labels[i]));
    in->imm.br_table.labels = labels;
    in->imm.br_table.count = count;
    return wa_read_u32(r, &in->imm.br_table.default_label);
}

/*
 * try_table's immediates (exception handling): a block type, then
 * vec(catch clause), each a kind byte 0..3 (catch, catch_ref, catch_all,
 * catch_all_ref), the tag index for the first two, and a label index.
 */
static bool read_try_table(WaReader *r, WaArena *scratch, WaInstr *in) {
    WA_TRY(read_block_type(r, &in->imm.try_table.block));
    size_t at = wa_reader_offset(r);
    uint32_t count;
    WA_TRY(wa_read_u32(r, &count));
    /* Each clause takes at least two bytes: a larger count cannot be there. */
    if (count > wa_reader_left(r) / 2)
        return wa_diag_error(r->d, at, "length out of bounds");
    WaCatchClause *catches = WA_NEW_ARRAY(scratch, WaCatchClause, count ? count : 1);
    for (uint32_t i = 0; i < count; i++) {
        size_t kind_at = wa_reader_offset(r);
        uint8_t kind;
        WA_TRY(wa_read_u8(r, &kind));
        if (kind > WA_CATCH_ALL_REF)
            return wa_diag_error(r->d, kind_at, "malformed catch clause");
        catches[i].kind = (WaCatchKind)kind;
        catches[i].tag = 0;
        if (kind == WA_CATCH || kind == WA_CATCH_REF)
            WA_TRY(wa_read_u32(r, &catches[i].tag));
        WA_TRY(wa_read_u32(r, &catches[i].label));
    }
    in->imm.try_table.catches = catches;
    in->imm.try_table.ncatches = count;
    return true;
}

/*
 * memarg (spec 5.4.6, with the multi-memory and memory64 proposals): the
 * alignment flags, then the memory index if bit 6 of the flags is set (the
 * multi-memory encoding; memory 0 otherwise), then the offset. memory64 reads
 * the offset as a u64 for every memory, as the reference interpreter does
 * (binary-leb128.wast: an 11-byte offset is "integer representation too
 * long"); the validator bounds it by the memory's address type. In Wasm 2.0
 * both are u32, and bit 6 is just part of an (invalid) alignment.
 */
static bool read_memarg(WaReader *r, WaMemArg *out) {
    uint32_t flags;
    WA_TRY(wa_read_u32(r, &flags));
    out->memory = 0;
    if ((flags & 0x40) != 0 && wa_encoding_has(r, WA_FEATURE_MULTI_MEMORY)) {
        WA_TRY(wa_read_u32(r, &out->memory));
        flags &= ~UINT32_C(0x40);
    }
    out->align_log2 = flags;
    if (wa_encoding_has(r, WA_FEATURE_MEMORY64))
        return wa_read_u64(r, &out->offset);
    uint32_t offset;
    WA_TRY(wa_read_u32(r, &offset));
    out->offset = offset;
    return true;
}

/*
 * A memory index immediate (memory.size, memory.grow, memory.fill,
 * memory.copy, memory.init): a u32 with multi-memory, else the reserved
 * single zero byte of Wasm 2.0.
 */
static bool read_memidx(WaReader *r, uint32_t *out) {
    if (wa_encoding_has(r, WA_FEATURE_MULTI_MEMORY))
        return wa_read_u32(r, out);
    *out = 0;
    return read_zero_byte(r);
}

/* Reads the immediates of kind `imm` into in. */
static bool read_immediates(WaReader *r, WaArena *scratch, WaImmKind imm, WaInstr *in) {
    const uint8_t *bytes;
    uint8_t byte;
    size_t at = wa_reader_offset(r);
    switch (imm) {
    case WA_IMM_NONE:
        return true;
    case WA_IMM_BLOCK:
        return read_block_type(r, &in->imm.block);
    case WA_IMM_LABEL:
    case WA_IMM_FUNC:
    case WA_IMM_LOCAL:
    case WA_IMM_GLOBAL:
    case WA_IMM_TABLE:
    case WA_IMM_DATA:
    case WA_IMM_ELEM:
        return wa_read_u32(r, &in->imm.index);
    case WA_IMM_BR_TABLE:
        return read_br_table(r, scratch, in);
    case WA_IMM_CALL_INDIRECT:
        WA_TRY(wa_read_u32(r, &in->imm.call_indirect.type_index));
        /* The table index is a u32 with reference types, else Wasm 1.0's reserved zero byte. */
        if (wa_encoding_has(r, WA_FEATURE_REFERENCE_TYPES))
            return wa_read_u32(r, &in->imm.call_indirect.table_index);
        in->imm.call_indirect.table_index = 0;
        return read_zero_byte(r);
    case WA_IMM_MEMARG:
        return read_memarg(r, &in->imm.memarg);
    case WA_IMM_MEMIDX:
        return read_memidx(r, &in->imm.index);
    case WA_IMM_I32:
        return wa_read_s32(r, &in->imm.i32);
    case WA_IMM_I64:
        return wa_read_s64(r, &in->imm.i64);
    case WA_IMM_F32:
        return wa_read_f32(r, &in->imm.f32_bits);
    case WA_IMM_F64:
        return wa_read_f64(r, &in->imm.f64_bits);
    case WA_IMM_SELECT_T: {
        /* vec(valtype): validation requires exactly one, decoding takes any number. */
        uint32_t count;
        WA_TRY(wa_read_u32(r, &count));
        in->imm.select_t.count = count;
        in->imm.select_t.type = WA_VT_X;
        for (uint32_t i = 0; i < count; i++) {
            WaValType t;
            WA_TRY(wa_read_valtype(r, &t));
            if (i == 0)
                in->imm.select_t.type = t;
        }
        return true;
    }
    case WA_IMM_HEAPTYPE:
        WA_TRY(wa_read_u8(r, &byte));
        if (byte != WA_VT_FUNCREF && byte != WA_VT_EXTERNREF &&
            !(byte == WA_VT_EXNREF && wa_encoding_has(r, WA_FEATURE_EXCEPTIONS)))
            return wa_diag_error(r->d, at, "malformed reference type");
        in->imm.index = byte;
        return true;
    case WA_IMM_TAG:
        return wa_read_u32(r, &in->imm.index);
    case WA_IMM_TRY_TABLE:
        return read_try_table(r, scratch, in);
    case WA_IMM_MEMORY_INIT:
        WA_TRY(wa_read_u32(r, &in->imm.pair.a));
        return read_memidx(r, &in->imm.pair.b);
    case WA_IMM_MEMORY_COPY:
        WA_TRY(read_memidx(r, &in->imm.pair.a));
        return read_memidx(r, &in->imm.pair.b);
    case WA_IMM_TABLE_INIT:
        WA_TRY(wa_read_u32(r, &in->imm.pair.a));
        return wa_read_u32(r, &in->imm.pair.b);
    case WA_IMM_TABLE_COPY:
        WA_TRY(wa_read_u32(r, &in->imm.pair.a));
        return wa_read_u32(r, &in->imm.pair.b);
    case WA_IMM_V128:
    case WA_IMM_SHUFFLE:
        WA_TRY(wa_read_bytes(r, 16, &bytes));
        for (int i = 0; i < 16; i++)
            in->imm.bytes[i] = bytes[i];
        return true;
    case WA_IMM_LANE:
        return wa_read_u8(r, &in->lane);
    case WA_IMM_MEMARG_LANE:
        WA_TRY(read_memarg(r, &in->imm.memarg));
        return wa_read_u8(r, &in->lane);
    case WA_IMM_FENCE:
        /* Threads proposal: atomic.fence 0x00, the byte reserved for future orderings. */
        return read_zero_byte(r);
    }
    WA_UNREACHABLE();
}

bool wa_instr_read(WaReader *r, WaArena *scratch, WaInstr *out) {
    out->offset = wa_reader_offset(r);
    out->lane = 0;
    WA_TRY(read_opcode(r, &out->op));
    return read_immediates(r, scratch, (WaImmKind)wa_op_imm[out->op], out);
}
