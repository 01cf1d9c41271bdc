/*
 * sites_llvm.h: the part of sites.h written in C++ (sites_llvm.cpp), with
 * LLVM's DWARF and objcopy libraries: from an object with the debug
 * locations sites.c gave, the same object with the backtrace table.
 */
#ifndef WA_CODEGEN_SITES_LLVM_H
#define WA_CODEGEN_SITES_LLVM_H

#include "../debug/wasm_dwarf.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the table needs from the module besides the object. */
typedef struct WaSitesInput {
    uint32_t nfuncs;          /* the module's function count (subprograms name indices below) */
    const WaWasmDwarf *dwarf; /* the module's DWARF, for source positions, or NULL */
    uint32_t chunk;           /* the table's symbol is wasmaot_sites_<chunk> */
    uint32_t first_func, end_func; /* the functions whose code the object holds */
    const size_t *code_offsets;    /* per function: file offset of its body's first instruction */
    bool debug_info;               /* -g: sites in discriminators, the debug sections kept */
} WaSitesInput;

/*
 * Writes object obj[0, size) to `path` with its DWARF turned into the
 * `wasmaot_sites` section (the blob runtime/wa_rt.h describes under
 * WA_RT_SITES_MAGIC; hidden symbol wasmaot_sites_<chunk>, which the
 * descriptor points to) and its debug sections removed. Returns NULL, or a
 * malloc'd message on failure.
 */
char *wa_sites_write_object(const char *obj, size_t size, const WaSitesInput *in, const char *path);

#ifdef __cplusplus
}
#endif

#endif
