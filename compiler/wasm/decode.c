/*
 * decode.c: the binary-format decoder (spec chapter 5, Wasm 2.0, with the
 * encodings of the Wasm 3.0 features the feature set turns on: wasm/instr.h).
 *
 * One pass over the input: the header, then sections in the order of spec
 * 5.5.2 (type, import, function, table, memory, tag, global, export, start,
 * element, data count, code, data), each at most once, custom sections
 * anywhere. Every section must take exactly its declared size ("section size
 * mismatch"); as in the reference interpreter, that is checked after reading
 * it, so what runs past the declared end fails with the message of whatever
 * was being read there.
 *
 * What is decoding and what is validation follows the spec suite: malformed
 * encodings (bad bytes, lengths, counts, flags, LEB128s) fail here; index
 * bounds, types and constant-expression rules are left to the validator.
 * Function bodies are split into local declarations and code. Their
 * instructions, and those of constant expressions, are read here for
 * structure only (read_instr_seq: encodings, block nesting, the final
 * `end`), so every malformed module fails here, before validation, as the
 * spec orders it; the validator reads the instructions again for types.
 *
 * Error wording mirrors the spec's reference interpreter, so assert_malformed
 * messages match: running off a section's or body's end is "unexpected end of
 * section or function", off the file's end "unexpected end"; a length or
 * count larger than the rest of the file is "length out of bounds"; an
 * out-of-order or repeated section is "unexpected content after last section".
 *
 * The index spaces (funcs, tables, memories, globals) are collected in heap
 * vectors while imports and definitions arrive, then copied into the module's
 * arena at the end. The `name` custom section is parsed last, when the
 * function count is known; if it is malformed it is ignored.
 */
#include "decode.h"

#include "../base/check.h"
#include "../base/reader.h"
#include "../base/vec.h"
#include "instr.h"

#include <inttypes.h>
#include <string.h>

/* Section ids (spec 5.5.2). */
enum {
    SEC_CUSTOM = 0,
    SEC_TYPE = 1,
    SEC_IMPORT = 2,
    SEC_FUNCTION = 3,
    SEC_TABLE = 4,
    SEC_MEMORY = 5,
    SEC_GLOBAL = 6,
    SEC_EXPORT = 7,
    SEC_START = 8,
    SEC_ELEMENT = 9,
    SEC_CODE = 10,
    SEC_DATA = 11,
    SEC_DATA_COUNT = 12,
    SEC_TAG = 13, /* exception handling */
    SEC_LAST = SEC_TAG,
};

/*
 * Where each section id must appear: the data count section sits between
 * element and code, the tag section (exception handling) between memory and
 * global. Ranks are doubled so that the tag section fits between them.
 */
static const uint8_t section_rank[SEC_LAST + 1] = {
    [SEC_TYPE] = 2,    [SEC_IMPORT] = 4,   [SEC_FUNCTION] = 6,    [SEC_TABLE] = 8,
    [SEC_MEMORY] = 10, [SEC_TAG] = 11,     [SEC_GLOBAL] = 12,     [SEC_EXPORT] = 14,
    [SEC_START] = 16,  [SEC_ELEMENT] = 18, [SEC_DATA_COUNT] = 20, [SEC_CODE] = 22,
    [SEC_DATA] = 24,
};

static const char section_end_message[] = "unexpected end of section or function";

/* What may still end the instructions of an open block besides `end` (read_instr_seq). */
typedef enum OpenBlock {
    BLOCK_PLAIN,     /* nothing: block, loop, try_table, an if's else arm, a catch_all handler */
    BLOCK_IF,        /* else */
    BLOCK_TRY,       /* a legacy try's body: catch, catch_all, delegate */
    BLOCK_TRY_CATCH, /* one of its catch handlers: catch, catch_all */
} OpenBlock;
typedef WA_VEC(uint8_t) OpenBlocks;

typedef struct Decoder {
    WaModule *m;
    WaDiag *d;
    size_t file_size;
    WA_VEC(WaFunc) funcs;
    WA_VEC(WaTable) tables;
    WA_VEC(WaMemory) memories;
    WA_VEC(WaGlobal) globals;
    WA_VEC(WaTag) tags;
    WA_VEC(WaCustomSection) customs;
    const uint8_t *section_end; /* end of the section being read, as its size declares */
    bool has_function_section;
    uint32_t nfunc_decls;     /* entries of the function section */
    uint32_t ncode_bodies;    /* entries of the code section */
    size_t code_count_offset; /* where the code section's count is */
    bool has_code_section;
    bool has_data_section;
    bool has_name_section;
    WaReader name_section; /* the name section's payload after its name */
    WaArena scratch;       /* br_table labels met while reading instruction sequences */
    OpenBlocks open;       /* read_instr_seq's open blocks */
} Decoder;

/*
 * Reads a u32 length or vector count and checks it against the rest of the
 * file, measured from before the count as the reference interpreter does; a
 * count that fits there but not in the section fails later as "unexpected end
 * of section or function". Keeps allocations bounded by the input size.
 */
static bool read_length(Decoder *dc, WaReader *r, uint32_t *n) {
    size_t at = wa_reader_offset(r);
    WA_TRY(wa_read_u32(r, n));
    if (*n > dc->file_size - at)
        return wa_diag_error(r->d, at, "length out of bounds");
    return true;
}

/* A name (spec 5.2.4): length, then that many bytes of well-formed UTF-8. */
static bool read_name(Decoder *dc, WaReader *r, WaBytes *out) {
    uint32_t len;
    WA_TRY(read_length(dc, r, &len));
    size_t at = wa_reader_offset(r);
    const uint8_t *bytes;
    WA_TRY(wa_read_bytes(r, len, &bytes));
    if (!wa_utf8_valid(bytes, len))
        return wa_diag_error(r->d, at, "malformed UTF-8 encoding");
    out->data = bytes;
    out->len = len;
    return true;
}

/* A reference type (spec 5.3.3): funcref or externref. */
static bool read_reftype(WaReader *r, WaValType *out) {
    size_t at = wa_reader_offset(r);
    uint8_t byte;
    WA_TRY(wa_read_u8(r, &byte));
    if (byte != WA_VT_FUNCREF && byte != WA_VT_EXTERNREF)
        return wa_diag_error(r->d, at, "malformed reference type");
    *out = (WaValType)byte;
    return true;
}

/*
 * The u32 bounds of limits (spec 5.3.7) after their flag: bit 0 says a
 * maximum follows, bit 1 (threads) that the memory is shared.
 */
static bool read_u32_bounds(WaReader *r, uint64_t flag, WaLimits *out) {
    uint32_t v;
    WA_TRY(wa_read_u32(r, &v));
    out->min = v;
    out->is64 = false;
    out->shared = (flag & 2) != 0;
    out->has_max = (flag & 1) != 0;
    out->max = 0;
    if (out->has_max) {
        WA_TRY(wa_read_u32(r, &v));
        out->max = v;
    }
    return true;
}

/*
 * The u64 bounds of Wasm 3.0 limits (memory64) after their one-byte flag:
 * bit 0 says a maximum follows, bit 1 (threads) that the memory is shared,
 * bit 2 that it is addressed with i64.
 */
static bool read_u64_bounds(WaReader *r, uint8_t flag, WaLimits *out) {
    out->is64 = (flag & 4) != 0;
    out->shared = (flag & 2) != 0;
    out->has_max = (flag & 1) != 0;
    out->max = 0;
    WA_TRY(wa_read_u64(r, &out->min));
    if (out->has_max)
        WA_TRY(wa_read_u64(r, &out->max));
    return true;
}

/*
 * Limits (spec 5.3.7) with a `flag_bits`-bit LEB128 flag: 1 bit in the
 * reference interpreter, so 0x02 is "integer too large" and 0x81 0x00
 * "integer representation too long", as binary.wast expects; 2 bits for a
 * memory with the threads proposal (0x02 and 0x03: shared).
 */
static bool read_limits(WaReader *r, unsigned flag_bits, WaLimits *out) {
    uint64_t flag;
    WA_TRY(wa_read_uleb(r, flag_bits, &flag));
    return read_u32_bounds(r, flag, out);
}

/*
 * Without the threads proposal, a memory limits flag with bit 1 set (a
 * shared memory) is what Wasm 2.0 calls it, "integer too large" (binary.wast),
 * and the message goes on to name the feature. `at` is the flag's offset.
 */
static bool shared_needs_threads(WaReader *r, size_t at) {
    return wa_diag_error(r->d, at,
                         "integer too large: memory limits flag bit 1 (a shared memory) needs "
                         "the threads feature (--enable-threads)");
}

/*
 * Without memory64, limits flag bit 2 (an i64 memory or table) is what Wasm
 * 2.0 calls it, "integer too large", and the message goes on to name the
 * feature. `at` is the flag's offset, `what` "memory" or "table".
 */
static bool i64_needs_memory64(WaReader *r, size_t at, const char *what) {
    return wa_diag_error(r->d, at,
                         "integer too large: %s limits flag bit 2 (an i64 %s) needs the memory64 "
                         "feature (--enable-memory64)",
                         what, what);
}

/* Whether the next byte is a limits flag with bit 2 set, as memory64 has them (peeked). */
static bool next_flag_is64(const WaReader *r) {
    return !wa_reader_at_end(r) && *r->p >= 0x04 && *r->p <= 0x07;
}

/*
 * Memory type (spec 5.3.8, with the memory64 and threads proposals): limits
 * whose flag bit 2 makes the memory i64-addressed and bit 1 shared. With
 * memory64 the flags are one byte, "malformed limits flags" beyond bit 2 (as
 * the proposal's binary.wast expects) and both bounds are u64s for every
 * memory, as the reference interpreter reads them (binary-leb128.wast: a
 * 10-byte minimum with bits above 64 is "integer too large"); the validator
 * bounds them by the address type. Without memory64 they are read as Wasm
 * 2.0 limits, whose 1-bit LEB128 flag the threads proposal widens to 2 bits
 * (0x02 and 0x03: shared, without and with a maximum). Bit 1 without threads
 * stays Wasm 2.0's "integer too large". Whether a shared memory has its
 * maximum is validation ("shared memory must have maximum").
 */
static bool read_memory_type(WaReader *r, WaLimits *out) {
    size_t at = wa_reader_offset(r);
    bool threads = wa_encoding_has(r, WA_FEATURE_THREADS);
    if (!wa_encoding_has(r, WA_FEATURE_MEMORY64)) {
        if (next_flag_is64(r))
            return i64_needs_memory64(r, at, "memory");
        if (!threads) {
            /* Peek, so that the feature can be named; the reader reports any other flag. */
            if (!wa_reader_at_end(r) && (*r->p == 0x02 || *r->p == 0x03))
                return shared_needs_threads(r, at);
            return read_limits(r, 1, out);
        }
        return read_limits(r, 2, out);
    }
    uint8_t flag;
    WA_TRY(wa_read_u8(r, &flag));
    if ((flag & ~7u) != 0)
        return wa_diag_error(r->d, at, "malformed limits flags");
    if ((flag & 2) != 0 && !threads)
        return shared_needs_threads(r, at);
    return read_u64_bounds(r, flag, out);
}

/*
 * Table type (spec 5.3.9): reference type, then limits. With memory64 (Wasm
 * 3.0) the flags are one byte as for memories, "malformed limits flags"
 * beyond bits 0 and 2 (binary.wast of Wasm 3.0); bit 2 makes the table
 * i64-indexed (table64), and both bounds are u64s for every table, as the
 * reference interpreter reads them: the validator bounds them by the
 * address type ("table size must be at most 2^32-1" for an i32 table).
 */
static bool read_table_type(WaReader *r, WaTableType *out) {
    WA_TRY(read_reftype(r, &out->elem));
    size_t at = wa_reader_offset(r);
    if (!wa_encoding_has(r, WA_FEATURE_MEMORY64)) {
        if (next_flag_is64(r))
            return i64_needs_memory64(r, at, "table");
        return read_limits(r, 1, &out->limits);
    }
    uint8_t flag;
    WA_TRY(wa_read_u8(r, &flag));
    if ((flag & ~5u) != 0)
        return wa_diag_error(r->d, at, "malformed limits flags");
    return read_u64_bounds(r, flag, &out->limits); /* bit 1 is clear: never shared */
}

/*
 * A tag type (exception-handling proposal): the attribute byte, 0 for an
 * exception (the only kind), then the index of its function type.
 */
static bool read_tag_type(WaReader *r, WaTag *out) {
    size_t at = wa_reader_offset(r);
    uint8_t attribute;
    WA_TRY(wa_read_u8(r, &attribute));
    if (attribute != 0)
        return wa_diag_error(r->d, at, "malformed tag attribute");
    out->offset = wa_reader_offset(r);
    return wa_read_u32(r, &out->type_index);
}

/* Global type (spec 5.3.10): value type, then mutability 0x00 or 0x01 as a plain byte. */
static bool read_global_type(WaReader *r, WaGlobalType *out) {
    WA_TRY(wa_read_valtype(r, &out->type));
    size_t at = wa_reader_offset(r);
    uint8_t mut;
    WA_TRY(wa_read_u8(r, &mut));
    if (mut > 1)
        return wa_diag_error(r->d, at, "malformed mutability");
    out->is_mutable = mut == 1;
    return true;
}

/*
 * Instruction sequences (spec 5.4): a body or a constant expression is a
 * block ended by `end`. The decoder reads every one of them here, for
 * structure only (the instructions and their nesting; what they mean is the
 * validator's), so a malformed sequence is reported before anything later
 * in the module and before any validation error, as in the spec, which
 * decodes the whole module before validating it.
 *
 * Structure follows the reference decoder: a block's instructions run up to
 * the opcode that ends them, and one that may not end this block there
 * makes the reader expect an `end` ("END opcode expected"): an `else`
 * outside an `if` or a second one; for the legacy exception handling
 * encoding a `catch` or `catch_all` outside a `try` or after its catch_all,
 * and a `delegate` anywhere but right after a try's body. The reader is the
 * section's, unbounded (see read_sections), so a sequence missing its final
 * `end` reads on past its declared size as the reference decoder does, and
 * the message is what that reading meets: the end of input, a stray else,
 * an encoding that straddles the declared end, or an `end` beyond it (then
 * the size check fails).
 */
static bool read_instr_seq(Decoder *dc, WaReader *r) {
    OpenBlocks *open = &dc->open;
    open->len = 0;
    wa_vec_push(open, BLOCK_PLAIN); /* the sequence's own block */
    while (open->len > 0) {
        WaInstr in;
        WA_TRY(wa_instr_read(r, &dc->scratch, &in));
        uint8_t *top = &wa_vec_last(open);
        switch ((WaNesting)wa_op_nest[in.op]) {
        case WA_NEST_OPEN:
            wa_vec_push(open, in.op == WA_OP_TRY ? BLOCK_TRY : BLOCK_PLAIN);
            break;
        case WA_NEST_OPEN_ARMS:
            wa_vec_push(open, BLOCK_IF);
            break;
        case WA_NEST_ELSE:
            if (*top != BLOCK_IF)
                return wa_diag_error(r->d, in.offset, "END opcode expected (else without if)");
            *top = BLOCK_PLAIN;
            break;
        case WA_NEST_CATCH:
            if (*top != BLOCK_TRY && *top != BLOCK_TRY_CATCH)
                return wa_diag_error(r->d, in.offset, "END opcode expected (%s without try)",
                                     wa_op_name[in.op]);
            *top = in.op == WA_OP_CATCH ? BLOCK_TRY_CATCH : BLOCK_PLAIN;
            break;
        case WA_NEST_CLOSE:
            if (in.op == WA_OP_DELEGATE && *top != BLOCK_TRY)
                return wa_diag_error(r->d, in.offset, "END opcode expected (delegate without try)");
            open->len--;
            break;
        case WA_NEST__:
            break;
        }
    }
    wa_arena_reset(&dc->scratch);
    return true;
}

/*
 * A constant expression (spec 5.4.9): instructions up to the `end` that
 * closes it; what they are is checked by the validator.
 */
static bool read_const_expr(Decoder *dc, WaReader *r, WaConstExpr *out) {
    out->offset = wa_reader_offset(r);
    out->code = r->p;
    WA_TRY(read_instr_seq(dc, r));
    out->size = wa_reader_offset(r) - out->offset;
    return true;
}

/* Type section (spec 5.5.4): function types 0x60 vec(valtype) vec(valtype). */
static bool read_type_section(Decoder *dc, WaReader *r) {
    WaModule *m = dc->m;
    WA_TRY(read_length(dc, r, &m->ntypes));
    m->types = WA_NEW_ARRAY(&m->arena, WaFuncType, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        WaFuncType *ft = &m->types[i];
        ft->offset = wa_reader_offset(r);
        /* The form is an s7 (-0x20 = 0x60), so an over-long encoding of it is reported as such. */
        size_t at = wa_reader_offset(r);
        int64_t form;
        WA_TRY(wa_read_sleb(r, 7, &form));
        if (form != -0x20)
            return wa_diag_error(r->d, at, "malformed functype");
        WA_TRY(read_length(dc, r, &ft->nparams));
        ft->params = WA_NEW_ARRAY(&m->arena, WaValType, ft->nparams);
        for (uint32_t k = 0; k < ft->nparams; k++)
            WA_TRY(wa_read_valtype(r, &ft->params[k]));
        WA_TRY(read_length(dc, r, &ft->nresults));
        ft->results = WA_NEW_ARRAY(&m->arena, WaValType, ft->nresults);
        for (uint32_t k = 0; k < ft->nresults; k++)
            WA_TRY(wa_read_valtype(r, &ft->results[k]));
    }
    return true;
}

/* Import section (spec 5.5.5): each import also opens an entry in its kind's index space. */
static bool read_import_section(Decoder *dc, WaReader *r) {
    WaModule *m = dc->m;
    WA_TRY(read_length(dc, r, &m->nimports));
    m->imports = WA_NEW_ARRAY(&m->arena, WaImport, m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        WaImport *imp = &m->imports[i];
        imp->offset = wa_reader_offset(r);
        WA_TRY(read_name(dc, r, &imp->module));
        WA_TRY(read_name(dc, r, &imp->name));
        size_t at = wa_reader_offset(r);
        uint8_t kind;
        WA_TRY(wa_read_u8(r, &kind));
        switch (kind) {
        case WA_EXTERN_FUNC: {
            WaFunc f = {.imported = true, .import_index = i};
            WA_TRY(wa_read_u32(r, &f.type_index));
            imp->index = (uint32_t)dc->funcs.len;
            wa_vec_push(&dc->funcs, f);
            break;
        }
        case WA_EXTERN_TABLE: {
            WaTable t = {.imported = true, .import_index = i, .offset = wa_reader_offset(r)};
            WA_TRY(read_table_type(r, &t.type));
            imp->index = (uint32_t)dc->tables.len;
            wa_vec_push(&dc->tables, t);
            break;
        }
        case WA_EXTERN_MEMORY: {
            WaMemory mem = {.imported = true, .import_index = i};
            WA_TRY(read_memory_type(r, &mem.limits));
            imp->index = (uint32_t)dc->memories.len;
            wa_vec_push(&dc->memories, mem);
            break;
        }
        case WA_EXTERN_GLOBAL: {
            WaGlobal g = {.imported = true, .import_index = i, .offset = wa_reader_offset(r)};
            WA_TRY(read_global_type(r, &g.type));
            imp->index = (uint32_t)dc->globals.len;
            wa_vec_push(&dc->globals, g);
            break;
        }
        case WA_EXTERN_TAG:
            if (wa_encoding_has(r, WA_FEATURE_EXCEPTIONS)) {
                WaTag t = {.imported = true, .import_index = i};
                WA_TRY(read_tag_type(r, &t));
                imp->index = (uint32_t)dc->tags.len;
                wa_vec_push(&dc->tags, t);
                break;
            }
            return wa_diag_error(r->d, at,
                                 "malformed import kind: a tag import needs the exceptions "
                                 "feature (--enable-exceptions)");
        default:
            return wa_diag_error(r->d, at, "malformed import kind");
        }
        imp->kind = (WaExternKind)kind;
    }
    m->ntag_imports = (uint32_t)dc->tags.len;
    m->nfunc_imports = (uint32_t)dc->funcs.len;
    m->ntable_imports = (uint32_t)dc->tables.len;
    m->nmemory_imports = (uint32_t)dc->memories.len;
    m->nglobal_imports = (uint32_t)dc->globals.len;
    return true;
}

/* Function section (spec 5.5.6): the type of each defined function; bodies come later. */
static bool read_function_section(Decoder *dc, WaReader *r) {
    size_t at = wa_reader_offset(r);
    WA_TRY(read_length(dc, r, &dc->nfunc_decls));
    dc->has_function_section = true;
    for (uint32_t i = 0; i < dc->nfunc_decls; i++) {
        WaFunc f = {0};
        WA_TRY(wa_read_u32(r, &f.type_index));
        wa_vec_push(&dc->funcs, f);
    }
    /* Checked once the section is read, so a malformed one gets the spec's message. */
    if (dc->funcs.len > WA_MAX_FUNCS)
        return wa_diag_error(r->d, at, "too many functions: %zu, more than wasmaot's limit of %d",
                             dc->funcs.len, WA_MAX_FUNCS);
    return true;
}

/* Table section (spec 5.5.7): defined tables follow the imported ones. */
static bool read_table_section(Decoder *dc, WaReader *r) {
    uint32_t n;
    WA_TRY(read_length(dc, r, &n));
    for (uint32_t i = 0; i < n; i++) {
        WaTable t = {.offset = wa_reader_offset(r)};
        WA_TRY(read_table_type(r, &t.type));
        wa_vec_push(&dc->tables, t);
    }
    return true;
}

/* Memory section (spec 5.5.8): limits in pages; how many memories is validation. */
static bool read_memory_section(Decoder *dc, WaReader *r) {
    uint32_t n;
    WA_TRY(read_length(dc, r, &n));
    for (uint32_t i = 0; i < n; i++) {
        WaMemory mem = {0};
        WA_TRY(read_memory_type(r, &mem.limits));
        wa_vec_push(&dc->memories, mem);
    }
    return true;
}

/* Global section (spec 5.5.9): type and initializer of each defined global. */
static bool read_global_section(Decoder *dc, WaReader *r) {
    uint32_t n;
    WA_TRY(read_length(dc, r, &n));
    for (uint32_t i = 0; i < n; i++) {
        WaGlobal g = {.offset = wa_reader_offset(r)};
        WA_TRY(read_global_type(r, &g.type));
        WA_TRY(read_const_expr(dc, r, &g.init));
        wa_vec_push(&dc->globals, g);
    }
    return true;
}

/* Tag section (exception handling, id 13): defined tags follow the imported ones. */
static bool read_tag_section(Decoder *dc, WaReader *r) {
    uint32_t n;
    WA_TRY(read_length(dc, r, &n));
    for (uint32_t i = 0; i < n; i++) {
        WaTag t = {0};
        WA_TRY(read_tag_type(r, &t));
        wa_vec_push(&dc->tags, t);
    }
    return true;
}

/* Export section (spec 5.5.10): name, kind byte, index; duplicate names are validation. */
static bool read_export_section(Decoder *dc, WaReader *r) {
    WaModule *m = dc->m;
    WA_TRY(read_length(dc, r, &m->nexports));
    m->exports = WA_NEW_ARRAY(&m->arena, WaExport, m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++) {
        WaExport *e = &m->exports[i];
        e->offset = wa_reader_offset(r);
        WA_TRY(read_name(dc, r, &e->name));
        size_t at = wa_reader_offset(r);
        uint8_t kind;
        WA_TRY(wa_read_u8(r, &kind));
        if (kind == WA_EXTERN_TAG && !wa_encoding_has(r, WA_FEATURE_EXCEPTIONS))
            return wa_diag_error(r->d, at,
                                 "malformed export kind: a tag export needs the exceptions "
                                 "feature (--enable-exceptions)");
        if (kind > WA_EXTERN_TAG)
            return wa_diag_error(r->d, at, "malformed export kind");
        e->kind = (WaExternKind)kind;
        WA_TRY(wa_read_u32(r, &e->index));
    }
    return true;
}

/* Start section (spec 5.5.11): one function index. */
static bool read_start_section(Decoder *dc, WaReader *r) {
    dc->m->has_start = true;
    return wa_read_u32(r, &dc->m->start);
}

/*
 * One element segment (spec 5.5.12). The flags' bits: 0 = passive or
 * declarative (else active), 1 = explicit table index (active) or
 * declarative (not active), 2 = elements are expressions (else function
 * indices). Encodings 1..3 and 5..7 carry an element kind (0x00 = funcref)
 * or a reference type; 0 and 4 imply funcref.
 */
static bool read_elem_segment(Decoder *dc, WaReader *r, WaElemSegment *seg) {
    WaModule *m = dc->m;
    seg->offset_in_file = wa_reader_offset(r);
    uint32_t flags;
    WA_TRY(wa_read_u32(r, &flags));
    if (flags > 7)
        return wa_diag_error(r->d, seg->offset_in_file, "malformed elements segment kind");
    seg->flags = flags;
    bool passive_or_declarative = flags & 1;
    bool has_table_or_declarative = flags & 2;
    bool uses_exprs = flags & 4;

    seg->type = WA_VT_FUNCREF;
    seg->table_index = 0;
    if (!passive_or_declarative) {
        seg->mode = WA_SEGMENT_ACTIVE;
        if (has_table_or_declarative)
            WA_TRY(wa_read_u32(r, &seg->table_index));
        WA_TRY(read_const_expr(dc, r, &seg->offset));
    } else {
        seg->mode = has_table_or_declarative ? WA_SEGMENT_DECLARATIVE : WA_SEGMENT_PASSIVE;
    }
    /* Encodings 0 and 4 have no kind/type byte; all others have one. */
    if (flags != 0 && flags != 4) {
        if (uses_exprs) {
            WA_TRY(read_reftype(r, &seg->type));
        } else {
            size_t at = wa_reader_offset(r);
            uint8_t kind;
            WA_TRY(wa_read_u8(r, &kind));
            if (kind != 0x00)
                return wa_diag_error(r->d, at, "malformed element kind");
        }
    }
    WA_TRY(read_length(dc, r, &seg->count));
    if (uses_exprs) {
        seg->exprs = WA_NEW_ARRAY(&m->arena, WaConstExpr, seg->count);
        for (uint32_t i = 0; i < seg->count; i++)
            WA_TRY(read_const_expr(dc, r, &seg->exprs[i]));
    } else {
        seg->func_indices = WA_NEW_ARRAY(&m->arena, uint32_t, seg->count);
        for (uint32_t i = 0; i < seg->count; i++)
            WA_TRY(wa_read_u32(r, &seg->func_indices[i]));
    }
    return true;
}

/* Element section (spec 5.5.12). */
static bool read_element_section(Decoder *dc, WaReader *r) {
    WaModule *m = dc->m;
    WA_TRY(read_length(dc, r, &m->nelems));
    m->elems = WA_NEW_ARRAY(&m->arena, WaElemSegment, m->nelems);
    for (uint32_t i = 0; i < m->nelems; i++)
        WA_TRY(read_elem_segment(dc, r, &m->elems[i]));
    return true;
}

/* Data count section (spec 5.5.15): lets bodies name data segments before the data section. */
static bool read_data_count_section(Decoder *dc, WaReader *r) {
    dc->m->has_data_count = true;
    dc->m->data_count_offset = wa_reader_offset(r);
    return wa_read_u32(r, &dc->m->data_count);
}

/*
 * One function body (spec 5.5.13): its size, local runs, then code. The
 * local total must fit in u32 (the spec's rule) and in WA_MAX_LOCALS (ours);
 * both are "too many locals". The size must be at most WA_MAX_BODY_SIZE.
 *
 * Like a section, the body is read unbounded and its size checked after,
 * as the reference interpreter does: its instructions are decoded here, up
 * to the final `end` (read_instr_seq), so an encoding that straddles the
 * declared end is reported as what it is (binary-leb128.wast: a memarg
 * offset running past the body is "integer representation too long"). The
 * validator and lowering read the code again, bounded by the body.
 */
static bool read_body(Decoder *dc, WaReader *r, WaFunc *f) {
    WaModule *m = dc->m;
    uint32_t size;
    WA_TRY(read_length(dc, r, &size));
    if (size > wa_reader_left(r)) {
        /* The body runs past its section. */
        r->p = r->end;
        return wa_diag_error(r->d, wa_reader_offset(r), section_end_message);
    }
    if (size > WA_MAX_BODY_SIZE)
        return wa_diag_error(r->d, wa_reader_offset(r),
                             "function body too large: %" PRIu32
                             " bytes, more than wasmaot's limit of %d",
                             size, WA_MAX_BODY_SIZE);
    const uint8_t *body_end = r->p + size;

    size_t runs_at = wa_reader_offset(r);
    WA_TRY(read_length(dc, r, &f->nlocal_runs));
    f->local_runs = WA_NEW_ARRAY(&m->arena, WaLocalRun, f->nlocal_runs);
    uint64_t total = 0;
    for (uint32_t i = 0; i < f->nlocal_runs; i++) {
        WaLocalRun *run = &f->local_runs[i];
        WA_TRY(wa_read_u32(r, &run->count));
        total += run->count;
        if (total > UINT32_MAX)
            return wa_diag_error(r->d, runs_at, "too many locals");
        WA_TRY(wa_read_valtype(r, &run->type));
    }
    if (total > WA_MAX_LOCALS)
        return wa_diag_error(r->d, runs_at,
                             "too many locals: %" PRIu64 ", more than wasmaot's limit of %d", total,
                             WA_MAX_LOCALS);
    f->nlocals = (uint32_t)total;
    f->code = r->p;
    f->code_offset = wa_reader_offset(r);
    WA_TRY(read_instr_seq(dc, r));
    if (r->p != body_end)
        return wa_diag_error(r->d, wa_reader_offset(r),
                             "section size mismatch: function body %s its declared size",
                             r->p < body_end ? "ends before" : "runs past");
    f->code_size = (size_t)(body_end - f->code);
    return true;
}

/*
 * Code section (spec 5.5.13): one body per function section entry, in order.
 * A count that differs from the function section's is reported once all
 * sections are read, as the reference interpreter does (a later duplicate
 * section is "unexpected content after last section" first); the extra
 * bodies are still decoded.
 */
static bool read_code_section(Decoder *dc, WaReader *r) {
    dc->code_count_offset = wa_reader_offset(r);
    dc->m->code_section_offset = dc->code_count_offset;
    WA_TRY(read_length(dc, r, &dc->ncode_bodies));
    dc->has_code_section = true;
    for (uint32_t i = 0; i < dc->ncode_bodies; i++) {
        uint32_t index = dc->m->nfunc_imports + i;
        WaFunc extra;
        WaFunc *f = i < dc->nfunc_decls ? &dc->funcs.data[index] : &extra;
        if (!read_body(dc, r, f)) {
            wa_diag_set_func(dc->d, index, NULL);
            return false;
        }
    }
    return true;
}

/* Data segments (spec 5.5.14): 0 = active in memory 0, 1 = passive, 2 = active with a memory
 * index. */
static bool read_data_section(Decoder *dc, WaReader *r) {
    WaModule *m = dc->m;
    size_t at = wa_reader_offset(r);
    WA_TRY(read_length(dc, r, &m->ndatas));
    if (m->has_data_count && m->data_count != m->ndatas)
        return wa_diag_error(r->d, at, "data count and data section have inconsistent lengths");
    dc->has_data_section = true;
    m->datas = WA_NEW_ARRAY(&m->arena, WaDataSegment, m->ndatas);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        WaDataSegment *seg = &m->datas[i];
        seg->offset_in_file = wa_reader_offset(r);
        uint32_t flags;
        WA_TRY(wa_read_u32(r, &flags));
        if (flags > 2)
            return wa_diag_error(r->d, seg->offset_in_file, "malformed data segment kind");
        seg->flags = flags;
        seg->memory_index = 0;
        if (flags == 1) {
            seg->mode = WA_SEGMENT_PASSIVE;
        } else {
            seg->mode = WA_SEGMENT_ACTIVE;
            if (flags == 2)
                WA_TRY(wa_read_u32(r, &seg->memory_index));
            WA_TRY(read_const_expr(dc, r, &seg->offset));
        }
        WA_TRY(read_length(dc, r, &seg->size));
        WA_TRY(wa_read_bytes(r, seg->size, &seg->bytes));
    }
    return true;
}

/* A custom section (spec 5.5.3): a name and an opaque payload. The `name` section is kept. */
static bool read_custom_section(Decoder *dc, WaReader *r) {
    WaCustomSection c;
    WA_TRY(read_name(dc, r, &c.name));
    if (r->p > dc->section_end) /* the name ran past the declared size */
        return wa_diag_error(r->d, wa_reader_offset(r), section_end_message);
    c.payload = r->p;
    c.size = (size_t)(dc->section_end - r->p);
    c.offset = wa_reader_offset(r);
    if (c.name.len == 4 && memcmp(c.name.data, "name", 4) == 0 && !dc->has_name_section) {
        dc->has_name_section = true;
        dc->name_section = wa_reader_sub(r, c.size);
    }
    r->p = dc->section_end;
    wa_vec_push(&dc->customs, c);
    return true;
}

/* Dispatches a section payload by id (already checked to be known). */
static bool read_section_payload(Decoder *dc, uint8_t id, WaReader *r) {
    switch (id) {
    case SEC_CUSTOM:
        return read_custom_section(dc, r);
    case SEC_TYPE:
        return read_type_section(dc, r);
    case SEC_IMPORT:
        return read_import_section(dc, r);
    case SEC_FUNCTION:
        return read_function_section(dc, r);
    case SEC_TABLE:
        return read_table_section(dc, r);
    case SEC_MEMORY:
        return read_memory_section(dc, r);
    case SEC_GLOBAL:
        return read_global_section(dc, r);
    case SEC_EXPORT:
        return read_export_section(dc, r);
    case SEC_START:
        return read_start_section(dc, r);
    case SEC_ELEMENT:
        return read_element_section(dc, r);
    case SEC_CODE:
        return read_code_section(dc, r);
    case SEC_DATA:
        return read_data_section(dc, r);
    case SEC_DATA_COUNT:
        return read_data_count_section(dc, r);
    case SEC_TAG:
        return read_tag_section(dc, r);
    }
    WA_UNREACHABLE(); /* read_sections checked the id */
}

/* The header: magic "\0asm" and version 1 (spec 5.5.16). */
static bool read_header(WaReader *r) {
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
    static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
    const uint8_t *b;
    WA_TRY(wa_read_bytes(r, 4, &b));
    if (memcmp(b, magic, 4) != 0) {
        /* A hint for the usual mistake: the text format, which starts with "(module" or ";;". */
        size_t i = 0;
        while (i < 4 && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
            i++;
        if (i < 4 && (b[i] == '(' || b[i] == ';'))
            return wa_diag_error(r->d, 0,
                                 "magic header not detected: this looks like WebAssembly text; "
                                 "wasmaot reads the binary format (convert it with wat2wasm)");
        return wa_diag_error(r->d, 0, "magic header not detected");
    }
    WA_TRY(wa_read_bytes(r, 4, &b));
    if (memcmp(b, version, 4) != 0) {
        /* Components (the component model) share the magic; their version is 0x0d, layer 1. */
        static const uint8_t component[4] = {0x0d, 0x00, 0x01, 0x00};
        if (memcmp(b, component, 4) == 0)
            return wa_diag_error(r->d, 4,
                                 "unknown binary version: this is a WebAssembly component "
                                 "(component model), which wasmaot does not support yet: it "
                                 "compiles core modules");
        return wa_diag_error(r->d, 4, "unknown binary version");
    }
    return true;
}

/* All sections, in order, each consumed exactly. */
static bool read_sections(Decoder *dc, WaReader *r) {
    uint8_t last_rank = 0;
    while (!wa_reader_at_end(r)) {
        size_t section_at = wa_reader_offset(r);
        uint8_t id;
        WA_TRY(wa_read_u8(r, &id));
        /* The tag section exists only with exception handling: Wasm 2.0 knows ids up to 12. */
        if (id == SEC_TAG && !wa_encoding_has(r, WA_FEATURE_EXCEPTIONS))
            return wa_diag_error(r->d, section_at,
                                 "malformed section id 13: the tag section needs the exceptions "
                                 "feature (--enable-exceptions)");
        /* The data count section came with bulk memory: Wasm 1.0 knows ids up to 11. */
        if (id == SEC_DATA_COUNT && !wa_encoding_has(r, WA_FEATURE_BULK_MEMORY))
            return wa_diag_error(r->d, section_at,
                                 "malformed section id 12: the data count section needs the "
                                 "bulk-memory feature (--enable-bulk-memory)");
        if (id > SEC_LAST)
            return wa_diag_error(r->d, section_at, "malformed section id");
        if (id != SEC_CUSTOM) {
            if (section_rank[id] <= last_rank)
                return wa_diag_error(r->d, section_at, "unexpected content after last section");
            last_rank = section_rank[id];
        }
        size_t size_at = wa_reader_offset(r);
        uint32_t size;
        WA_TRY(wa_read_u32(r, &size));
        if (size > wa_reader_left(r))
            return wa_diag_error(r->d, size_at, "length out of bounds");
        /* Like the reference interpreter, read the payload unbounded and then check that it
           took exactly `size` bytes: the spec suite's messages depend on it (an over-long
           LEB128 straddling the section end is "integer representation too long"). */
        WaReader sec = *r;
        sec.end_message = section_end_message;
        dc->section_end = r->p + size;
        WA_TRY(read_section_payload(dc, id, &sec));
        if (sec.p != dc->section_end)
            return wa_diag_error(r->d, section_at, "section size mismatch");
        r->p = dc->section_end;
    }
    return true;
}

/* Counts that must agree across sections, checked once all sections are read. */
static bool check_section_counts(Decoder *dc, size_t end) {
    WaModule *m = dc->m;
    if (!dc->has_code_section && dc->nfunc_decls != 0)
        return wa_diag_error(dc->d, end, "function and code section have inconsistent lengths");
    if (dc->has_code_section && dc->ncode_bodies != dc->nfunc_decls)
        return wa_diag_error(dc->d, dc->code_count_offset,
                             "function and code section have inconsistent lengths");
    if (m->has_data_count && !dc->has_data_section && m->data_count != 0)
        return wa_diag_error(dc->d, end, "data count and data section have inconsistent lengths");
    return true;
}

/*
 * The name section (Wasm 2.0 appendix 7.4): subsections in id order, each at
 * most once; 0 = module name, 1 = function names (a name map in increasing
 * index order), 2 = local names (skipped). Reads with its own WaDiag, and
 * assigns names only if the whole section is well-formed: a bad name section
 * is ignored, as custom sections must be.
 */
static bool parse_name_section(Decoder *dc, const char **module_name, const char **func_names) {
    WaDiag quiet;
    wa_diag_init(&quiet, NULL);
    WaReader r = dc->name_section;
    r.d = &quiet;
    WaArena *a = &dc->m->arena;
    int last_id = -1;
    while (!wa_reader_at_end(&r)) {
        uint8_t id;
        uint32_t size;
        WA_TRY(wa_read_u8(&r, &id));
        WA_TRY(wa_read_u32(&r, &size));
        if ((int)id <= last_id || size > wa_reader_left(&r))
            return false;
        last_id = id;
        WaReader sub = wa_reader_sub(&r, size);
        r.p += size;
        WaBytes name;
        if (id == 0) {
            WA_TRY(read_name(dc, &sub, &name));
            *module_name = wa_arena_strndup(a, (const char *)name.data, name.len);
        } else if (id == 1) {
            uint32_t n;
            int64_t last_index = -1;
            WA_TRY(read_length(dc, &sub, &n));
            for (uint32_t i = 0; i < n; i++) {
                uint32_t index;
                WA_TRY(wa_read_u32(&sub, &index));
                WA_TRY(read_name(dc, &sub, &name));
                if ((int64_t)index <= last_index || index >= dc->funcs.len)
                    return false;
                last_index = index;
                func_names[index] = wa_arena_strndup(a, (const char *)name.data, name.len);
            }
        } else {
            sub.p = sub.end;
        }
        if (!wa_reader_at_end(&sub))
            return false;
    }
    return true;
}

/* Applies the name section, if any and well-formed, to the funcs vector and the module. */
static void apply_name_section(Decoder *dc) {
    if (!dc->has_name_section)
        return;
    const char *module_name = NULL;
    const char **func_names = WA_NEW_ARRAY(&dc->scratch, const char *, dc->funcs.len + 1);
    bool ok = parse_name_section(dc, &module_name, func_names);
    if (ok) {
        dc->m->name = module_name;
        for (size_t i = 0; i < dc->funcs.len; i++)
            dc->funcs.data[i].name = func_names[i];
    }
    wa_arena_reset(&dc->scratch);
}

/* Copies a heap vector's elements into the module arena; returns the copy. */
static void *copy_to_arena(WaArena *a, const void *data, size_t count, size_t size) {
    void *copy = wa_arena_array(a, count, size);
    if (count)
        memcpy(copy, data, count * size);
    return copy;
}

/* Moves the index spaces and custom sections from heap vectors into the module arena. */
static void finish_module(Decoder *dc) {
    WaModule *m = dc->m;
    WaArena *a = &m->arena;
    m->funcs = copy_to_arena(a, dc->funcs.data, dc->funcs.len, sizeof(WaFunc));
    m->nfuncs = (uint32_t)dc->funcs.len;
    m->tables = copy_to_arena(a, dc->tables.data, dc->tables.len, sizeof(WaTable));
    m->ntables = (uint32_t)dc->tables.len;
    m->memories = copy_to_arena(a, dc->memories.data, dc->memories.len, sizeof(WaMemory));
    m->nmemories = (uint32_t)dc->memories.len;
    m->globals = copy_to_arena(a, dc->globals.data, dc->globals.len, sizeof(WaGlobal));
    m->nglobals = (uint32_t)dc->globals.len;
    m->tags = copy_to_arena(a, dc->tags.data, dc->tags.len, sizeof(WaTag));
    m->ntags = (uint32_t)dc->tags.len;
    m->customs = copy_to_arena(a, dc->customs.data, dc->customs.len, sizeof(WaCustomSection));
    m->ncustoms = (uint32_t)dc->customs.len;
}

/* Frees the decoder's temporaries (never the module). */
static void free_decoder(Decoder *dc) {
    wa_vec_free(&dc->funcs);
    wa_vec_free(&dc->tables);
    wa_vec_free(&dc->memories);
    wa_vec_free(&dc->globals);
    wa_vec_free(&dc->tags);
    wa_vec_free(&dc->customs);
    wa_arena_free(&dc->scratch);
    wa_vec_free(&dc->open);
}

bool wa_decode_module(const uint8_t *bytes, size_t size, const char *filename, WaFeatures features,
                      WaModule *m, WaDiag *d) {
    memset(m, 0, sizeof(*m));
    wa_arena_init(&m->arena);
    m->filename = filename;
    m->bytes = bytes;
    m->size = size;
    m->features = features;

    Decoder dc = {.m = m, .d = d, .file_size = size};
    wa_arena_init(&dc.scratch);
    WaReader r;
    wa_reader_init(&r, bytes, size, d);
    r.features = features; /* every reader below is a copy of r */

    bool ok = read_header(&r) && read_sections(&dc, &r) && check_section_counts(&dc, size);
    if (ok) {
        apply_name_section(&dc);
        finish_module(&dc);
    }
    free_decoder(&dc);
    if (!ok)
        wa_module_free(m);
    return ok;
}
