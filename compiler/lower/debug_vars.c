/*
 * debug_vars.c: -g's variables of a function (wasm_dwarf.h), so that a
 * debugger can print the locals and parameters of the source.
 *
 * Unoptimised C and Rust keep them in a frame in linear memory, at an offset
 * from a frame base that is a wasm local; a struct passed by pointer is
 * where a local points (WA_DWARF_AT_INDIRECT). Such a local changes at run
 * time, so it gets a native slot (an alloca) that holds the native address
 * its value is, memory 0's base + the value, stored again at every write of
 * the local (the prologue's, mostly), and each variable there is declared
 * at that slot's contents plus its offset (dbg.declare, DW_OP_deref,
 * DW_OP_plus_uconst). The stores are volatile so that the optimiser keeps
 * the slot, which nothing else reads; one per write of such a local, only
 * under -g.
 *
 * A variable held in a wasm local is declared at the local's alloca, which
 * LLVM follows as it promotes it. A static is a global of the function
 * (codegen/debug_types.h). Any other is declared without a location: the
 * debugger knows it and shows it as optimised out.
 */
#include "lower.h"

#include "../codegen/debug_types.h"
#include "../codegen/sites.h"

#include <llvm-c/DebugInfo.h>
#include <string.h>

enum { DW_OP_DEREF = 0x06, DW_OP_CONSTU = 0x10, DW_OP_MINUS = 0x1c, DW_OP_PLUS_UCONST = 0x23 };

/* The expression of a variable `offset` bytes from the address a slot holds. */
static LLVMMetadataRef slot_offset(WaCodegen *cg, int64_t offset) {
    if (offset < 0) {
        uint64_t down[4] = {DW_OP_DEREF, DW_OP_CONSTU, -(uint64_t)offset, DW_OP_MINUS};
        return LLVMDIBuilderCreateExpression(cg->dib, down, 4);
    }
    uint64_t up[3] = {DW_OP_DEREF, DW_OP_PLUS_UCONST, (uint64_t)offset};
    return LLVMDIBuilderCreateExpression(cg->dib, up, offset == 0 ? 1 : 3);
}

/* Whether v is in linear memory where local v->local points, and -g can follow it. */
static bool is_indirect(const WaFuncGen *fg, const WaDwarfVar *v) {
    return v->where == WA_DWARF_AT_INDIRECT && v->local < fg->nlocals &&
           fg->local_types[v->local] == WA_VT_I32 && wa_debug_memory_described(fg->cg);
}

/*
 * The address slot of local `index`, made on first use in the entry block
 * (the insert point) and filled there with the local's first value (its
 * parameter, or 0). Without a source position: LLVM marks the function's
 * first instruction with one as the end of its prologue, where a debugger
 * puts a breakpoint on the function or its first line, and the slot must
 * be filled by then (a leaf function's first line is all of its code).
 */
static LLVMValueRef address_slot(WaFuncGen *fg, uint32_t index) {
    WaCodegen *cg = fg->cg;
    if (fg->debug_addresses == NULL) {
        fg->debug_addresses = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, fg->nlocals);
        memset(fg->debug_addresses, 0, fg->nlocals * sizeof *fg->debug_addresses);
    }
    if (fg->debug_addresses[index] == NULL) {
        fg->debug_addresses[index] = LLVMBuildAlloca(cg->b, cg->t_ptr, "debug_address");
        LLVMMetadataRef at = LLVMGetCurrentDebugLocation2(cg->b);
        LLVMSetCurrentDebugLocation2(cg->b, NULL);
        wa_debug_vars_address_set(fg, index,
                                  index < fg->type->nparams
                                      ? LLVMGetParam(fg->fn, index + fg->first_param)
                                      : LLVMConstInt(cg->t_i32, 0, false));
        LLVMSetCurrentDebugLocation2(cg->b, at);
    }
    return fg->debug_addresses[index];
}

void wa_debug_vars_begin(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    const WaWasmDwarf *w = cg->dwarf;
    if (!cg->debug_info || cg->dib == NULL || w->func_vars == NULL ||
        fg->func_index >= w->nfunc_names)
        return;
    const WaDwarfFuncVars *fv = &w->func_vars[fg->func_index];
    for (uint32_t i = 0; i < fv->nvars; i++) {
        const WaDwarfVar *v = &w->vars[fv->first_var + i];
        if (v->where == WA_DWARF_AT_MEMORY) {
            /* In the function's scope, as clang puts a block's static: LLVM 19's DWARF writer
               crashes on a global variable in a lexical block (found by tools/fuzz). */
            wa_debug_memory_variable(cg, fg->di_scope, v);
            continue;
        }
        LLVMMetadataRef file =
            v->file != WA_DWARF_NONE ? wa_sites_source_file(cg, v->file) : cg->di_file;
        LLVMMetadataRef type = wa_debug_value_type(cg, v->type);
        LLVMMetadataRef scope = wa_sites_block(cg, v->block);
        size_t len = strlen(v->name);
        /* Kept (AlwaysPreserve) when it has no location too, so the debugger knows it. */
        LLVMMetadataRef var =
            v->arg != 0
                ? LLVMDIBuilderCreateParameterVariable(cg->dib, scope, v->name, len, v->arg, file,
                                                       v->line, type, true, LLVMDIFlagZero)
                : LLVMDIBuilderCreateAutoVariable(cg->dib, scope, v->name, len, file, v->line, type,
                                                  true, LLVMDIFlagZero, 0);
        LLVMValueRef storage = NULL;
        LLVMMetadataRef expr = NULL;
        if (is_indirect(fg, v)) {
            storage = address_slot(fg, v->local);
            expr = slot_offset(cg, (int64_t)v->at);
        } else if (v->where == WA_DWARF_AT_LOCAL && v->local < fg->nlocals) {
            storage = fg->locals[v->local];
            expr = LLVMDIBuilderCreateExpression(cg->dib, NULL, 0);
        }
        if (storage == NULL)
            continue;
        LLVMMetadataRef at = LLVMDIBuilderCreateDebugLocation(cg->llvm, v->line, 0, scope, NULL);
        LLVMDIBuilderInsertDeclareRecordAtEnd(cg->dib, storage, var, expr, at,
                                              LLVMGetInsertBlock(cg->b));
    }
}

void wa_debug_vars_address_set(WaFuncGen *fg, uint32_t index, LLVMValueRef value) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef offset = LLVMBuildZExt(cg->b, value, cg->t_i64, "");
    LLVMValueRef address =
        LLVMBuildGEP2(cg->b, cg->t_i8, wa_fg_memory_base(fg, 0), &offset, 1, "debug_address");
    LLVMSetVolatile(LLVMBuildStore(cg->b, address, fg->debug_addresses[index]), true);
}
