/*
 * trap.c: traps in generated code.
 *
 * Each check that can trap branches, with the condition marked unlikely, to
 * a cold block of its own: `call wa_rt_trap_site(kind, func, offset);
 * unreachable`. The call passes the function's index, so the runtime names
 * it even where it was inlined into a caller, and the file offset of the
 * instruction that traps. The offset also keeps the blocks apart: LLVM
 * would merge identical calls to a function that does not return into one,
 * and the merged call would have lost each check's debug location, which
 * is what the trap backtrace reads (codegen/sites.h): the call is built
 * with the location of the instruction being lowered.
 */
#include "lower.h"

#include "../codegen/sites.h"

static LLVMBasicBlockRef trap_block(WaFuncGen *fg, wa_rt_trap_t kind) {
    WaCodegen *cg = fg->cg;
    LLVMBasicBlockRef saved = LLVMGetInsertBlock(cg->b);
    LLVMBasicBlockRef block = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "trap");
    LLVMPositionBuilderAtEnd(cg->b, block);
    LLVMValueRef args[3] = {
        LLVMConstInt(cg->t_i32, (unsigned)kind, false),
        LLVMConstInt(cg->t_i32, fg->func != NULL ? fg->func_index : UINT32_MAX, false),
        LLVMConstInt(cg->t_i32, fg->offset <= UINT32_MAX ? fg->offset : 0, false),
    };
    wa_codegen_rt_call(cg, WA_RT_TRAP_SITE, args, 3, "");
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, saved);
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
