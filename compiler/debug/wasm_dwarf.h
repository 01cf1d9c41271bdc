/*
 * wasm_dwarf.h: what wasmaot reads of a module's own DWARF (the `.debug_*`
 * custom sections clang and rustc write with -g), through LLVM's DWARF
 * library (wasm_dwarf_llvm.cpp; lookups in wasm_dwarf.c): the function
 * names of DW_TAG_subprogram, matched to wasm functions by DW_AT_low_pc,
 * and the line table. Wasm DWARF addresses are offsets from the start of
 * the code section's payload (WaModule.code_section_offset), so file
 * offset = that + address; a subprogram's DW_AT_low_pc is the start of its
 * function's body (the locals before the first instruction).
 *
 * For -g, also each function's variables and lexical blocks, the module's
 * globals, and their types (wasm_dwarf_vars_llvm.cpp): where each variable
 * is in wasm terms (linear memory, a wasm local), which codegen turns into
 * native DWARF (codegen/debug_types.h, lower/debug_vars.c).
 *
 * The result is plain C data, read-only once made, so the chunks that
 * compile on several threads share one.
 */
#ifndef WA_DEBUG_WASM_DWARF_H
#define WA_DEBUG_WASM_DWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One row of the line table: the position of the code from `offset` to the next row's. */
typedef struct WaDwarfRow {
    uint32_t offset; /* file offset in the module */
    uint32_t file;   /* index into files, or UINT32_MAX: no position (end of a sequence) */
    uint32_t line;
    uint32_t column; /* 0: unknown */
} WaDwarfRow;

/* No type (void), no file, no frame base: an index that is none. */
#define WA_DWARF_NONE UINT32_MAX

/*
 * The kinds of type -g describes (wasm_dwarf_vars_llvm.cpp maps DWARF's
 * tags onto them). A pointer or reference of wasm32 is an ADDRESS: a
 * 4-byte offset into linear memory, named as the source names its type
 * ("char *"), whose target is not followed: a debugger could only read it at
 * that native address, which it is not. So no type refers to itself.
 */
typedef enum WaDwarfTypeKind {
    WA_DWARF_TYPE_BASE,     /* name, size, encoding (DW_ATE_*) */
    WA_DWARF_TYPE_ADDRESS,  /* name, size */
    WA_DWARF_TYPE_STRUCT,   /* name, size, fields: members (also C++ classes, Rust structs) */
    WA_DWARF_TYPE_UNION,    /* name, size, fields: members */
    WA_DWARF_TYPE_ENUM,     /* name, size, fields: enumerators; type: the underlying type */
    WA_DWARF_TYPE_ARRAY,    /* type: the element's; fields: dimensions */
    WA_DWARF_TYPE_TYPEDEF,  /* name, type */
    WA_DWARF_TYPE_CONST,    /* type */
    WA_DWARF_TYPE_VOLATILE, /* type */
    WA_DWARF_TYPE_OPAQUE,   /* name, size: any other type, or one met again inside itself */
} WaDwarfTypeKind;

typedef struct WaDwarfType {
    uint8_t kind;                  /* WaDwarfTypeKind */
    uint8_t encoding;              /* BASE: DW_ATE_* */
    char *name;                    /* NULL: anonymous */
    uint64_t size;                 /* in bytes */
    uint32_t type;                 /* the type it is made from, or WA_DWARF_NONE */
    uint32_t first_field, nfields; /* its fields in WaWasmDwarf.fields */
} WaDwarfType;

/* A member of a struct or union, an enumerator, or an array's dimension. */
typedef struct WaDwarfField {
    char *name;        /* NULL for a dimension (and an anonymous member) */
    uint32_t type;     /* a member's */
    uint32_t bit_size; /* a bit-field member's width, else 0 */
    uint64_t value;    /* member: offset in bits; enumerator: value; dimension: element count,
                          UINT64_MAX if unknown */
} WaDwarfField;

/* Where a variable is, in wasm terms. */
typedef enum WaDwarfWhere {
    WA_DWARF_AT_NOWHERE,  /* no single place (a location list, an expression -g does not map) */
    WA_DWARF_AT_INDIRECT, /* linear memory at the value of wasm local `local` plus `at` (signed):
                             DW_OP_fbreg from a frame base in a local, or DW_OP_WASM_location 0
                             without DW_OP_stack_value (a struct passed by pointer) */
    WA_DWARF_AT_LOCAL,    /* the value of wasm local `local` (DW_OP_WASM_location 0,
                             DW_OP_stack_value) */
    WA_DWARF_AT_MEMORY,   /* linear memory at address `at` (DW_OP_addr: a global or a static) */
} WaDwarfWhere;

typedef struct WaDwarfVar {
    char *name;
    uint32_t type;  /* or WA_DWARF_NONE */
    uint32_t file;  /* declared in: index into files, or WA_DWARF_NONE */
    uint32_t line;  /* declared on, or 0 */
    uint32_t arg;   /* a parameter's position from 1; 0 for other variables */
    uint32_t block; /* the lexical block it is declared in (its function's), or NONE: the
                       function's outermost scope */
    uint8_t where;  /* WaDwarfWhere */
    uint32_t local; /* INDIRECT, LOCAL: the wasm local */
    uint64_t at;    /* INDIRECT: the offset; MEMORY: the address */
} WaDwarfVar;

/* A lexical block of a function (a `{ }` that declares variables). */
typedef struct WaDwarfBlock {
    uint32_t parent; /* the block it is in, or NONE: the function's outermost scope */
    uint32_t offset; /* file offset of its first code */
} WaDwarfBlock;

/* From file offset `offset` to the next span's, the innermost block is `block` (or NONE). */
typedef struct WaDwarfSpan {
    uint32_t offset;
    uint32_t block;
} WaDwarfSpan;

/*
 * A function's variables, vars[first_var, first_var + nvars) in the order
 * DWARF lists them; its blocks, blocks[first_block, first_block + nblocks),
 * to which its variables' and blocks' `block` indices are relative; and
 * which block its code is in, spans[first_span, first_span + nspans)
 * sorted by offset (none: all of it in the outermost scope).
 */
typedef struct WaDwarfFuncVars {
    uint32_t decl_line; /* the line its subprogram is declared on (DW_AT_decl_line), or 0 */
    uint32_t first_var, nvars;
    uint32_t first_block, nblocks;
    uint32_t first_span, nspans;
} WaDwarfFuncVars;

typedef struct WaWasmDwarf {
    char **func_names; /* per function index: DW_AT_linkage_name, else DW_AT_name, or NULL */
    uint32_t nfunc_names;
    WaDwarfRow *rows; /* sorted by offset */
    size_t nrows;
    char **files; /* absolute paths as the line table gives them (comp_dir/dir/name) */
    uint32_t nfiles;
    /* The variables of -g: per function index (nfunc_names of them), and the module's globals,
       vars[first_global, first_global + nglobals). */
    WaDwarfFuncVars *func_vars;
    WaDwarfVar *vars;
    uint32_t nvars, first_global, nglobals;
    WaDwarfType *types;
    uint32_t ntypes;
    WaDwarfField *fields;
    uint32_t nfields;
    WaDwarfBlock *blocks;
    WaDwarfSpan *spans;
    uint32_t nblocks, nspans;
    /* Set when the read failed because .debug_info is malformed (dwarf_check.h), not absent. */
    bool malformed;
} WaWasmDwarf;

/* A custom section of the module. */
typedef struct WaDwarfSection {
    const char *name; /* not NUL-terminated */
    size_t name_len;
    const uint8_t *data;
    size_t size;
} WaDwarfSection;

/* What the reader needs of the module (wa_wasm_dwarf_input makes it from a WaModule). */
typedef struct WaDwarfInput {
    const WaDwarfSection *sections; /* its custom sections */
    size_t nsections;
    size_t code_section_offset; /* file offset of the code section's payload */
    uint32_t nfuncs;
    const size_t *body_ends;    /* per function: file offset of its body's end (0 for imports) */
    const size_t *code_offsets; /* per function: file offset of its first instruction */
    bool variables;             /* also the variables, blocks and types (-g) */
} WaDwarfInput;

/*
 * Reads the module's DWARF into *out: func_names has in->nfuncs entries. Returns false, with *out
 * empty, when the module has no .debug_info or .debug_line, or they cannot be read (a module's
 * custom sections may hold anything: that is not an error).
 */
bool wa_wasm_dwarf_read(const WaDwarfInput *in, WaWasmDwarf *out);

struct WaModule;

/* wa_wasm_dwarf_read with the input made from decoded module m (wasm_dwarf.c). */
bool wa_wasm_dwarf_read_module(const struct WaModule *m, bool variables, WaWasmDwarf *out);

/*
 * The source position of the code at file offset `offset`: the row
 * covering it. False if no row does.
 */
bool wa_wasm_dwarf_position(const WaWasmDwarf *w, uint32_t offset, const char **file,
                            uint32_t *line, uint32_t *column);

/* The row of the line table covering file offset `offset` with a position, or NULL. */
const WaDwarfRow *wa_wasm_dwarf_row(const WaWasmDwarf *w, uint32_t offset);

/* Frees what wa_wasm_dwarf_read allocated. */
void wa_wasm_dwarf_free(WaWasmDwarf *w);

#ifdef __cplusplus
}
#endif

#endif
