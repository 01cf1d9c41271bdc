/*
 * module.h: a decoded WebAssembly module (spec 2.5), as the decoder produces
 * it and the validator and lowering read it.
 *
 * Ownership: everything hangs off WaModule.arena, except that byte ranges
 * (names, code, data) point into the input buffer, which must outlive the
 * module. Index spaces are unified as in the spec: funcs, tables, memories and
 * globals list the imported ones first (their `imported` flag set), then the
 * module's own.
 */
#ifndef WA_WASM_MODULE_H
#define WA_WASM_MODULE_H

#include "../base/arena.h"
#include "../base/reader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types, by their binary encoding (spec 5.3.3, 5.3.4). */
typedef enum WaValType {
    WA_VT_X = 0, /* "no type": used by opcodes.def for absent operands */
    WA_VT_I32 = 0x7F,
    WA_VT_I64 = 0x7E,
    WA_VT_F32 = 0x7D,
    WA_VT_F64 = 0x7C,
    WA_VT_V128 = 0x7B,
    WA_VT_FUNCREF = 0x70,
    WA_VT_EXTERNREF = 0x6F,
    WA_VT_EXNREF = 0x69, /* exception handling: a caught exception (catch_ref, throw_ref) */
    WA_VT_SPECIAL = 1,   /* opcodes.def: the validator types this instruction itself */
} WaValType;

/* "i32", "funcref", ...; "?" for anything else. */
const char *wa_valtype_name(WaValType t);
static inline bool wa_valtype_is_ref(WaValType t) {
    return t == WA_VT_FUNCREF || t == WA_VT_EXTERNREF || t == WA_VT_EXNREF;
}

/* A byte string inside the input: a name or an opaque payload. Not NUL-terminated. */
typedef struct WaBytes {
    const uint8_t *data;
    uint32_t len;
} WaBytes;

typedef struct WaFuncType {
    uint32_t nparams;
    uint32_t nresults;
    WaValType *params;
    WaValType *results;
    size_t offset; /* file offset of the type's entry, for messages */
} WaFuncType;

typedef struct WaLimits {
    uint64_t min;
    uint64_t max; /* meaningful only if has_max */
    bool has_max;
    bool is64; /* addressed/indexed with i64 (memory64 proposal, limits flag bit 2; tables: table64)
                */
    bool shared; /* memories: shared between threads (threads proposal, limits flag bit 1) */
} WaLimits;

typedef struct WaTableType {
    WaValType elem; /* funcref or externref */
    WaLimits limits;
} WaTableType;

typedef struct WaGlobalType {
    WaValType type;
    bool is_mutable;
} WaGlobalType;

typedef enum WaExternKind {
    WA_EXTERN_FUNC = 0,
    WA_EXTERN_TABLE = 1,
    WA_EXTERN_MEMORY = 2,
    WA_EXTERN_GLOBAL = 3,
    WA_EXTERN_TAG = 4, /* exception handling */
} WaExternKind;

/*
 * A constant expression (spec 3.3.10): its raw instruction bytes, including
 * the final `end`. The validator checks it; lowering evaluates it.
 */
typedef struct WaConstExpr {
    size_t offset; /* file offset of the first instruction */
    const uint8_t *code;
    size_t size;
} WaConstExpr;

typedef struct WaImport {
    WaBytes module;
    WaBytes name;
    WaExternKind kind;
    uint32_t index; /* index in the kind's index space that this import defines */
    size_t offset;  /* file offset of the import entry, for messages */
} WaImport;

typedef struct WaExport {
    WaBytes name;
    WaExternKind kind;
    uint32_t index;
    size_t offset; /* file offset of the export entry, for messages */
} WaExport;

/* A run of locals of one type, as declared in a function body (spec 5.5.13). */
typedef struct WaLocalRun {
    uint32_t count;
    WaValType type;
} WaLocalRun;

typedef struct WaFunc {
    uint32_t type_index;
    bool imported;
    uint32_t import_index; /* into WaModule.imports, if imported */
    /* Defined functions only: */
    WaLocalRun *local_runs;
    uint32_t nlocal_runs;
    uint32_t nlocals;    /* declared locals, not counting parameters */
    const uint8_t *code; /* the body's instructions, ending with `end` */
    size_t code_size;
    size_t code_offset; /* file offset of code[0] */
    const char *name;   /* from the name section (NUL-terminated copy), or NULL */
} WaFunc;

typedef struct WaTable {
    WaTableType type;
    bool imported;
    uint32_t import_index;
    size_t offset; /* file offset of the table type, for messages */
} WaTable;

typedef struct WaMemory {
    WaLimits limits; /* in 64 KiB pages */
    bool imported;
    uint32_t import_index;
} WaMemory;

typedef struct WaGlobal {
    WaGlobalType type;
    bool imported;
    uint32_t import_index;
    WaConstExpr init; /* defined globals only */
    size_t offset;    /* file offset of the global type, for messages */
} WaGlobal;

/*
 * An exception tag (exception-handling proposal, tag section id 13): its
 * payload is the parameters of function type type_index, whose results
 * must be empty.
 */
typedef struct WaTag {
    uint32_t type_index;
    bool imported;
    uint32_t import_index;
    size_t offset; /* file offset of the tag type, for messages */
} WaTag;

typedef enum WaSegmentMode {
    WA_SEGMENT_ACTIVE,
    WA_SEGMENT_PASSIVE,
    WA_SEGMENT_DECLARATIVE,
} WaSegmentMode;

typedef struct WaElemSegment {
    WaSegmentMode mode;
    WaValType type;       /* funcref or externref */
    uint32_t table_index; /* active only */
    WaConstExpr offset;   /* active only */
    uint32_t count;
    /* Exactly one of these is set: plain function indices, or one expression per element. */
    uint32_t *func_indices;
    WaConstExpr *exprs;
    size_t offset_in_file;
    uint32_t flags; /* the encoding's flags (spec 5.5.12): 0 is Wasm 1.0's only form */
} WaElemSegment;

typedef struct WaDataSegment {
    WaSegmentMode mode; /* active or passive */
    uint32_t memory_index;
    WaConstExpr offset; /* active only */
    const uint8_t *bytes;
    uint32_t size;
    size_t offset_in_file;
    uint32_t flags; /* the encoding's flags (spec 5.5.14): 0 is Wasm 1.0's only form */
} WaDataSegment;

typedef struct WaCustomSection {
    WaBytes name;
    const uint8_t *payload;
    size_t size;
    size_t offset; /* file offset of the payload */
} WaCustomSection;

typedef struct WaModule {
    WaArena arena;
    const char *filename; /* for messages */
    const uint8_t *bytes; /* the whole input */
    size_t size;
    uint32_t features; /* the WaFeatures set (features.h) it was decoded with: its encoding */

    WaFuncType *types;
    uint32_t ntypes;
    WaImport *imports;
    uint32_t nimports;
    WaFunc *funcs;
    uint32_t nfuncs, nfunc_imports;
    WaTable *tables;
    uint32_t ntables, ntable_imports;
    WaMemory *memories;
    uint32_t nmemories, nmemory_imports;
    WaGlobal *globals;
    uint32_t nglobals, nglobal_imports;
    WaTag *tags; /* imported first, as the other index spaces */
    uint32_t ntags, ntag_imports;
    WaExport *exports;
    uint32_t nexports;
    bool has_start;
    uint32_t start;
    WaElemSegment *elems;
    uint32_t nelems;
    bool has_data_count;
    uint32_t data_count;
    size_t data_count_offset; /* file offset of the data count section's payload */
    WaDataSegment *datas;
    uint32_t ndatas;
    WaCustomSection *customs;
    uint32_t ncustoms;
    size_t code_section_offset; /* file offset of the code section's payload (wasm DWARF's 0) */
    const char *name;           /* module name from the name section, or NULL */
} WaModule;

/*
 * A reader over code[0, size) of module m (a body, a constant expression),
 * with file offsets when the input is kept (m->bytes), and m's encoding.
 */
static inline WaReader wa_module_reader(const WaModule *m, const uint8_t *code, size_t size,
                                        WaDiag *d) {
    WaReader r;
    wa_reader_init(&r, m->bytes ? m->bytes : code, m->bytes ? m->size : size, d);
    r.p = code;
    r.end = code + size;
    r.features = m->features;
    return r;
}

/* Whether memory `index` is addressed with i64 (memory64 proposal): its address type. */
static inline bool wa_module_memory_is64(const WaModule *m, uint32_t index) {
    return m->memories[index].limits.is64;
}

/* Whether table `index` is indexed with i64 (table64, of the memory64 proposal): its address type.
 */
static inline bool wa_module_table_is64(const WaModule *m, uint32_t index) {
    return m->tables[index].type.limits.is64;
}

/* Whether memory `index` is shared (threads proposal). */
static inline bool wa_module_memory_is_shared(const WaModule *m, uint32_t index) {
    return m->memories[index].limits.shared;
}

/* The function type of function `func_index`. */
static inline const WaFuncType *wa_module_func_type(const WaModule *m, uint32_t func_index) {
    return &m->types[m->funcs[func_index].type_index];
}

/* Frees everything the module owns (not the input bytes). */
void wa_module_free(WaModule *m);

#endif
