/*
 * sites.c: the debug locations lowering gives LLVM instructions, from which
 * the backtrace table is made (sites.h): one compile unit per LLVM module
 * (line tables only, no types or variables), a DISubprogram per wasm
 * function named by its decimal index, and per wasm instruction a
 * DILocation whose line is its file offset (0: not a site).
 */
#include "sites.h"

#include <llvm-c/DebugInfo.h>
#include <stdio.h>
#include <string.h>

void wa_sites_begin(WaCodegen *cg) {
    cg->dib = LLVMCreateDIBuilderDisallowUnresolved(cg->mod);
    cg->di_file = LLVMDIBuilderCreateFile(cg->dib, "wasm", 4, "", 0);
    /*
     * Line tables only; "for profiling" so that LLVM writes the subprogram of
     * every function, not only of those with inlined calls (it changes no
     * pass here: its discriminators come only with sample profiles).
     */
    LLVMDIBuilderCreateCompileUnit(cg->dib, LLVMDWARFSourceLanguageC, cg->di_file, "wasmaot", 7,
                                   true, "", 0, 0, "", 0, LLVMDWARFEmissionLineTablesOnly, 0, false,
                                   true, "", 0, "", 0);
    cg->di_type = LLVMDIBuilderCreateSubroutineType(cg->dib, cg->di_file, NULL, 0, LLVMDIFlagZero);
    /* DWARF 4: what LLVM's reader and writer handle in every form; version 3 of LLVM's debug
       metadata, without which LLVM drops it. */
    LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13,
                      LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, 4, false)));
    LLVMAddModuleFlag(
        cg->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
        LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, LLVMDebugMetadataVersion(), false)));
}

LLVMMetadataRef wa_sites_function(WaCodegen *cg, LLVMValueRef fn, uint32_t func_index) {
    char name[16];
    int len = snprintf(name, sizeof name, "%u", func_index);
    LLVMMetadataRef sp =
        LLVMDIBuilderCreateFunction(cg->dib, cg->di_file, name, (size_t)len, "", 0, cg->di_file, 0,
                                    cg->di_type, true, true, 0, LLVMDIFlagZero, true);
    LLVMSetSubprogram(fn, sp);
    return sp;
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

LLVMMetadataRef wa_sites_location(WaCodegen *cg, LLVMMetadataRef scope, size_t offset) {
    unsigned line = offset <= UINT32_MAX ? (unsigned)offset : 0;
    return LLVMDIBuilderCreateDebugLocation(cg->llvm, line, 0, scope, NULL);
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
