/*
 * wasm_dwarf_llvm.h: what the two C++ readers of a module's DWARF share
 * (wasm_dwarf_llvm.cpp: names and lines; wasm_dwarf_vars_llvm.cpp: the
 * variables and types of -g): the source files they name, one index per
 * path, and how a code address finds its function.
 */
#ifndef WA_DEBUG_WASM_DWARF_LLVM_H
#define WA_DEBUG_WASM_DWARF_LLVM_H

#include "wasm_dwarf.h"

#include <llvm/DebugInfo/DWARF/DWARFContext.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wa_dwarf {

/* The source files, as WaWasmDwarf.files will hold them. */
struct Files {
    std::vector<std::string> paths;
    std::map<std::string, uint32_t> index;

    /* The index of `path`, added if new. */
    uint32_t file(const std::string &path);
};

/* A malloc'd copy of s (NULL if out of memory). */
char *copy(const std::string &s);

/* Addresses wasm-ld gives the DWARF of code it dropped. */
bool is_tombstone(uint64_t address);

/* The defined function whose body starts at file offset `at`, or -1. */
int64_t function_at(const WaDwarfInput *in, uint64_t at);

/*
 * Reads the variables of every function with code, the module's globals and
 * their types into out (func_vars has in->nfuncs entries); false if out of
 * memory, with what was read freed by wa_wasm_dwarf_free.
 */
bool read_variables(llvm::DWARFContext &ctx, const WaDwarfInput *in, Files &files,
                    WaWasmDwarf *out);

} // namespace wa_dwarf

#endif
