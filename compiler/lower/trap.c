/*
 * trap.c: traps in generated code.
 *
 * Each function has at most one trap block per trap kind (created on first
 * use): `call wa_rt_trap(kind); unreachable`. Conditional traps branch there
 * with the condition marked unlikely, so the hot path stays straight-line and
 * the many checks of a function share one call site per kind. The call
 * passes the function's index, so the runtime names it even where it was
 * inlined into a caller.
 *
 * The call's debug location (codegen/sites.h) is that of the block's first
 * user, the instruction that traps; when a second one branches there the
 * trap's exact instruction is no longer known, and the location becomes
 * WA_SITE_UNKNOWN_OFFSET, a site of the function at an unknown offset (the
 * code stays as it is: one call site per kind).
 */
#include "lower.h"

#include "../codegen/sites.h"

static LLVMBasicBlockRef trap_block(WaFuncGen *fg, wa_rt_trap_t kind) {
    if (fg->trap_blocks[kind] != NULL) {
        if (fg->di_scope != NULL)
            LLVMInstructionSetDebugLoc(
                fg->trap_calls[kind],
                wa_sites_location(fg->cg, fg->di_scope, WA_SITE_UNKNOWN_OFFSET, true));
        return fg->trap_blocks[kind];
    }
    WaCodegen *cg = fg->cg;
    LLVMBasicBlockRef saved = LLVMGetInsertBlock(cg->b);
    LLVMBasicBlockRef block = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "trap");
    LLVMPositionBuilderAtEnd(cg->b, block);
    /* The function index survives inlining, so the message names the right function. */
    LLVMValueRef args[2] = {
        LLVMConstInt(cg->t_i32, (unsigned)kind, false),
        LLVMConstInt(cg->t_i32, fg->func != NULL ? fg->func_index : UINT32_MAX, false),
    };
    fg->trap_calls[kind] = wa_codegen_rt_call(cg, WA_RT_TRAP, args, 2, "");
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, saved);
    fg->trap_blocks[kind] = block;
    return block;
}

void wa_fg_trap_if(WaFuncGen *fg, LLVMValueRef cond, wa_rt_trap_t kind) {
    WaCodegen *cg = fg->cg;
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "ok");
    LLVMValueRef br = LLVMBuildCondBr(cg->b, cond, trap_block(fg, kind), cont);
    /* Traps are cold: weight the edge so the fall-through is the hot path. */
    LLVMMetadataRef md[3] = {
        LLVMMDStringInContext2(cg->llvm, "branch_weights", 14),
        LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, 1, false)),
        LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, 1u << 20, false)),
    };
    LLVMSetMetadata(br, LLVMGetMDKindIDInContext(cg->llvm, "prof", 4),
                    LLVMMetadataAsValue(cg->llvm, LLVMMDNodeInContext2(cg->llvm, md, 3)));
    LLVMPositionBuilderAtEnd(cg->b, cont);
}

void wa_fg_trap(WaFuncGen *fg, wa_rt_trap_t kind) {
    LLVMBuildBr(fg->cg->b, trap_block(fg, kind));
    wa_vec_last(&fg->control).unreachable = true;
}
