/*
 * sites.c: the debug locations lowering gives LLVM instructions, from which
 * the backtrace table is made (sites.h): one compile unit per LLVM module
 * (line tables only, no types or variables), a DISubprogram per wasm
 * function named by its decimal index, and per wasm instruction a
 * DILocation whose line is its file offset (0: not a site).
 *
 * With -g (sites.h) the locations are the module's own source positions
 * instead, in the innermost lexical block of the module's DWARF their
 * offset is in, and a site's offset is the discriminator of its scope.
 */
#include "sites.h"

#include "../debug/wasm_dwarf.h"
#include "demangle.h"

#include <llvm-c/DebugInfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wa_sites_begin(WaCodegen *cg) {
    cg->dib = LLVMCreateDIBuilderDisallowUnresolved(cg->mod);
    cg->di_file = LLVMDIBuilderCreateFile(cg->dib, "wasm", 4, "", 0);
    /*
     * Line tables only; "for profiling" so that LLVM writes the subprogram of
     * every function, not only of those with inlined calls (it changes no
     * pass here: its discriminators come only with sample profiles). With
     * -g, full debug info, which writes every subprogram anyway, and not "for
     * profiling": its passes would rewrite the discriminators that carry the
     * sites' offsets then.
     */
    bool g = cg->debug_info;
    cg->di_cu = LLVMDIBuilderCreateCompileUnit(
        cg->dib, LLVMDWARFSourceLanguageC, cg->di_file, "wasmaot", 7, true, "", 0, 0, "", 0,
        g ? LLVMDWARFEmissionFull : LLVMDWARFEmissionLineTablesOnly, 0, false, !g, "", 0, "", 0);
    cg->di_type = LLVMDIBuilderCreateSubroutineType(cg->dib, cg->di_file, NULL, 0, LLVMDIFlagZero);
    /* DWARF 4: what LLVM's reader and writer handle in every form; version 3 of LLVM's debug
       metadata, without which LLVM drops it. */
    LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13,
                      LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, 4, false)));
    LLVMAddModuleFlag(
        cg->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
        LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, LLVMDebugMetadataVersion(), false)));
}

LLVMMetadataRef wa_sites_source_file(WaCodegen *cg, uint32_t index) {
    const char *path = cg->dwarf->files[index];
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash != NULL ? (size_t)(slash - path) : 0;
    const char *name = slash != NULL ? slash + 1 : path;
    return LLVMDIBuilderCreateFile(cg->dib, name, strlen(name), path, dir_len);
}

/* -g: the function's scope in source file `index`, made once per function. */
static LLVMMetadataRef file_scope(WaCodegen *cg, LLVMMetadataRef sp, uint32_t index) {
    if (cg->di_file_scopes[index] == NULL)
        cg->di_file_scopes[index] =
            LLVMDIBuilderCreateLexicalBlockFile(cg->dib, sp, wa_sites_source_file(cg, index), 0);
    return cg->di_file_scopes[index];
}

LLVMMetadataRef wa_sites_function(WaCodegen *cg, LLVMValueRef fn, uint32_t func_index) {
    char index[16];
    int len = snprintf(index, sizeof index, "%u", func_index);
    if (!cg->debug_info) {
        LLVMMetadataRef sp = LLVMDIBuilderCreateFunction(cg->dib, cg->di_file, index, (size_t)len,
                                                         "", 0, cg->di_file, 0, cg->di_type, true,
                                                         true, 0, LLVMDIFlagZero, true);
        LLVMSetSubprogram(fn, sp);
        return sp;
    }
    /*
     * -g: the subprogram has the function's source name (demangled) and the
     * file of its first instruction; its line, DW_AT_decl_line, is 1 + the
     * index, which the table's reader takes (sites_llvm.cpp). A linkage name
     * would carry it too, but gdb shows the linkage name as the function's.
     */
    const WaFunc *f = &cg->m->funcs[func_index];
    char *demangled = f->name != NULL ? wa_demangle(f->name) : NULL;
    const char *name = demangled != NULL ? demangled : f->name != NULL ? f->name : index;
    const WaDwarfRow *row = wa_wasm_dwarf_row(cg->dwarf, (uint32_t)f->code_offset);
    LLVMMetadataRef file = row != NULL ? wa_sites_source_file(cg, row->file) : cg->di_file;
    cg->di_vars = cg->dwarf->func_vars != NULL && func_index < cg->dwarf->nfunc_names
                      ? &cg->dwarf->func_vars[func_index]
                      : NULL;
    /*
     * The scope line, where LLVM puts the function's first row (the code
     * before the module's own, that gives the locals their first values): its
     * declaration's line, as a native compiler does, so that a breakpoint on
     * the first line of its body lands after that code, where -g's address
     * slots are filled (lower/debug_vars.c). Else its first instruction's.
     */
    unsigned scope_line = cg->di_vars != NULL && cg->di_vars->decl_line != 0
                              ? cg->di_vars->decl_line
                          : row != NULL ? row->line
                                        : 0;
    LLVMMetadataRef sp =
        LLVMDIBuilderCreateFunction(cg->dib, file, name, strlen(name), "", 0, file, func_index + 1,
                                    cg->di_type, false, true, scope_line, LLVMDIFlagZero, false);
    free(demangled);
    LLVMSetSubprogram(fn, sp);
    cg->di_file_scopes = WA_NEW_ARRAY(&cg->scratch, LLVMMetadataRef, cg->dwarf->nfiles);
    cg->di_sp = sp;
    uint32_t nblocks = cg->di_vars != NULL ? cg->di_vars->nblocks : 0;
    cg->di_blocks = WA_NEW_ARRAY(&cg->scratch, LLVMMetadataRef, nblocks + 1);
    memset(cg->di_blocks, 0, (nblocks + 1) * sizeof *cg->di_blocks);
    return sp;
}

LLVMMetadataRef wa_sites_block(WaCodegen *cg, uint32_t block) {
    if (block == WA_DWARF_NONE || cg->di_vars == NULL || block >= cg->di_vars->nblocks)
        return cg->di_sp;
    if (cg->di_blocks[block] == NULL) {
        const WaDwarfBlock *b = &cg->dwarf->blocks[cg->di_vars->first_block + block];
        /* Parents come first in DWARF order, so this recursion ends. */
        LLVMMetadataRef parent = b->parent < block ? wa_sites_block(cg, b->parent) : cg->di_sp;
        const WaDwarfRow *row = wa_wasm_dwarf_row(cg->dwarf, b->offset);
        cg->di_blocks[block] = LLVMDIBuilderCreateLexicalBlock(
            cg->dib, parent, row != NULL ? wa_sites_source_file(cg, row->file) : cg->di_file,
            row != NULL ? row->line : 0, row != NULL ? row->column : 0);
    }
    return cg->di_blocks[block];
}

/* -g: the innermost lexical block (its scope) that the code at `offset` is in. */
static LLVMMetadataRef block_at(WaCodegen *cg, uint32_t offset) {
    const WaDwarfFuncVars *fv = cg->di_vars;
    if (fv == NULL || fv->nspans == 0)
        return cg->di_sp;
    const WaDwarfSpan *spans = &cg->dwarf->spans[fv->first_span];
    uint32_t lo = 0, hi = fv->nspans; /* the last span at or before offset */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (spans[mid].offset <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? cg->di_sp : wa_sites_block(cg, spans[lo - 1].block);
}

bool wa_sites_is_site(WaOpcode op) {
    switch ((WaOpClass)wa_op_class[op]) {
    case WA_CLASS_CALL:
    case WA_CLASS_TABLE:
    case WA_CLASS_REF:
    case WA_CLASS_LOAD:
    case WA_CLASS_STORE:
    case WA_CLASS_MEMORY:
    case WA_CLASS_BULK:
    case WA_CLASS_ATOMIC:
    case WA_CLASS_EXCEPTION:
        return true;
    case WA_CLASS_SIMD:
        /* loads and stores */
        return wa_op_imm[op] == WA_IMM_MEMARG || wa_op_imm[op] == WA_IMM_MEMARG_LANE;
    case WA_CLASS_CONTROL:
        return op == WA_OP_UNREACHABLE;
    case WA_CLASS_BINARY:
        switch ((WaAux)wa_op_aux[op]) {
        case WA_AUX_DIV_S:
        case WA_AUX_DIV_U:
        case WA_AUX_REM_S:
        case WA_AUX_REM_U:
            return true;
        default:
            return false;
        }
    case WA_CLASS_CONVERT:
        return wa_op_aux[op] == WA_AUX_TRUNC_S || wa_op_aux[op] == WA_AUX_TRUNC_U;
    default:
        return false;
    }
}

LLVMMetadataRef wa_sites_location(WaCodegen *cg, LLVMMetadataRef scope, size_t offset, bool site) {
    unsigned wasm_offset = offset <= UINT32_MAX ? (unsigned)offset : 0;
    if (!cg->debug_info)
        return LLVMDIBuilderCreateDebugLocation(cg->llvm, site ? wasm_offset : 0, 0, scope, NULL);
    /*
     * -g: the source position the module's DWARF gives the instruction, in
     * the function's scope for its file; a site's offset is the
     * discriminator of a scope of its own, so that the reader finds it.
     */
    const WaDwarfRow *row =
        wasm_offset > WA_SITE_UNKNOWN_OFFSET ? wa_wasm_dwarf_row(cg->dwarf, wasm_offset) : NULL;
    LLVMMetadataRef block = scope == cg->di_sp ? block_at(cg, wasm_offset) : scope;
    LLVMMetadataRef in_file = row == NULL ? block
                              : block == scope
                                  ? file_scope(cg, scope, row->file)
                                  : LLVMDIBuilderCreateLexicalBlockFile(
                                        cg->dib, block, wa_sites_source_file(cg, row->file), 0);
    if (site)
        in_file = LLVMDIBuilderCreateLexicalBlockFile(
            cg->dib, block, row != NULL ? wa_sites_source_file(cg, row->file) : cg->di_file,
            wasm_offset);
    /*
     * A site the module's DWARF gives no position keeps its offset as its
     * line in the file "wasm", as without -g: LLVM writes no discriminator
     * for a location of line 0, and the reader would lose the site.
     */
    unsigned line = row != NULL ? row->line : site ? wasm_offset : 0;
    return LLVMDIBuilderCreateDebugLocation(cg->llvm, line, row != NULL ? row->column : 0, in_file,
                                            NULL);
}

void wa_sites_finish(WaCodegen *cg) {
    if (cg->dib != NULL)
        LLVMDIBuilderFinalize(cg->dib);
}

void wa_sites_dispose(WaCodegen *cg) {
    if (cg->dib != NULL)
        LLVMDisposeDIBuilder(cg->dib);
    cg->dib = NULL;
}
