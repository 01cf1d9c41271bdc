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
 * The result is plain C data, read-only once made, so the chunks that
 * compile on several threads share one. A later `-g` translation of the
 * module's DWARF can start from the same reader.
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

typedef struct WaWasmDwarf {
    char **func_names; /* per function index: DW_AT_linkage_name, else DW_AT_name, or NULL */
    uint32_t nfunc_names;
    WaDwarfRow *rows; /* sorted by offset */
    size_t nrows;
    char **files; /* absolute paths as the line table gives them (comp_dir/dir/name) */
    uint32_t nfiles;
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
} WaDwarfInput;

/*
 * Reads the module's DWARF into *out: func_names has in->nfuncs entries. Returns false, with *out
 * empty, when the module has no .debug_info or .debug_line, or they cannot be read (a module's
 * custom sections may hold anything: that is not an error).
 */
bool wa_wasm_dwarf_read(const WaDwarfInput *in, WaWasmDwarf *out);

struct WaModule;

/* wa_wasm_dwarf_read with the input made from decoded module m (wasm_dwarf.c). */
bool wa_wasm_dwarf_read_module(const struct WaModule *m, WaWasmDwarf *out);

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
