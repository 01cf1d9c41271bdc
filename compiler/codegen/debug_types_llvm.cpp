/*
 * debug_types_llvm.cpp: what debug_types.c needs beyond LLVM's C API, whose
 * LLVMGlobalSetMetadata replaces a global's !dbg: one global carries the
 * debug info of every variable in linear memory (debug_types.h).
 */
#include "debug_types.h"

#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/GlobalVariable.h>

extern "C" void wa_debug_global_add(LLVMValueRef g, LLVMMetadataRef gve) {
    llvm::unwrap<llvm::GlobalVariable>(g)->addDebugInfo(
        llvm::unwrap<llvm::DIGlobalVariableExpression>(gve));
}
