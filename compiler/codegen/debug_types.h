/*
 * debug_types.h: -g's native debug info for the data of the module's
 * sources (sites.h has the code's): the types of the module's DWARF
 * (wasm_dwarf.h) as LLVM DITypes, and the variables that live in linear
 * memory at a fixed address, globals and statics.
 *
 * A debugger finds linear memory through one native variable,
 * `wasmaot_debug_memory0_base`, which holds memory 0's base address (the
 * module initialiser stores it: instance.c). A variable at wasm address A
 * is described as that variable's contents plus A (DW_OP_addr holder,
 * DW_OP_deref, DW_OP_plus_uconst A). The base never moves for a wasm32
 * memory (its address space is reserved once), and with several instances
 * of one module in a process it is the last one's.
 */
#ifndef WA_CODEGEN_DEBUG_TYPES_H
#define WA_CODEGEN_DEBUG_TYPES_H

#include "../debug/wasm_dwarf.h"
#include "context.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Whether -g describes variables in linear memory: memory 0 exists and is a
 * wasm32 memory, whose base never moves and whose DWARF has 4-byte addresses
 * (the DWARF reader's); a memory64 module's are not described.
 */
bool wa_debug_memory_described(const WaCodegen *cg);

/* The DIType of type `index` of the module's DWARF, made once per chunk; NULL for none (void). */
LLVMMetadataRef wa_debug_type(WaCodegen *cg, uint32_t index);

/* wa_debug_type for what must have a type (a variable, a member, an array's elements): an
   unspecified "<unknown type>" for none, which only a broken module's DWARF gives. */
LLVMMetadataRef wa_debug_value_type(WaCodegen *cg, uint32_t index);

/*
 * Describes variable v, which is in linear memory (WA_DWARF_AT_MEMORY), as a
 * global of `scope`: the compile unit for a global, the subprogram for a
 * function's static.
 */
void wa_debug_memory_variable(WaCodegen *cg, LLVMMetadataRef scope, const WaDwarfVar *v);

/* Chunk 0: defines the holder of memory 0's base and describes the module's globals. */
void wa_debug_globals(WaCodegen *cg);

/* Attaches DIGlobalVariableExpression gve to global g, beside any it has (debug_types_llvm.cpp). */
void wa_debug_global_add(LLVMValueRef g, LLVMMetadataRef gve);

#ifdef __cplusplus
}
#endif

#endif
