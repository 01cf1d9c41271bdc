/*
 * codegen.h: from a validated module to an LLVM module, and from that to
 * output files.
 *
 * The passes, in the order the driver runs them: begin (the LLVM module for
 * the target, one declaration per function), functions (a native function
 * per wasm function, lower/), initializer and descriptor (the module
 * initialiser and the wa_rt_module_t descriptor the runtime instantiates
 * from, instance.c), then verify, optimize and write (an object file,
 * assembly or LLVM IR, emit.c). wa_codegen_module runs the first four, for
 * callers that need no step between (the lowering fuzzer).
 * Each returns false with one error in cg's WaDiag on failure; either way
 * the caller disposes cg once begin has run.
 */
#ifndef WA_CODEGEN_CODEGEN_H
#define WA_CODEGEN_CODEGEN_H

#include "../base/diag.h"
#include "../lower/lower.h"
#include "../wasm/module.h"
#include "context.h"

#include <stdbool.h>

typedef enum WaOutputKind {
    WA_OUTPUT_OBJECT,
    WA_OUTPUT_ASSEMBLY,
    WA_OUTPUT_LLVM_IR,
} WaOutputKind;

/* Initialises cg: an LLVM module for the options' target, a declaration per function. */
bool wa_codegen_begin(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d);

/* Lowers the body of every function defined in the module (lower/lower.c). */
bool wa_codegen_functions(WaCodegen *cg);

/*
 * The module initialiser (instance.c): global initialisers, element
 * expressions, then the active segments in order. *init is its function.
 */
bool wa_codegen_initializer(WaCodegen *cg, LLVMValueRef *init);

/* The wa_rt_module_t descriptor `wasmaot_module`, pointing at init (instance.c). */
void wa_codegen_descriptor(WaCodegen *cg, LLVMValueRef init, bool embeddable);

/* begin, functions, initializer and descriptor in turn. */
bool wa_codegen_module(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d);

/* Creates the target machine for the host (emit.c); false with a message in d on failure. */
bool wa_codegen_target(WaCodegen *cg, const WaCodegenOptions *o);

/* Checks the LLVM module (a failure is a wasmaot bug, reported as an internal error). */
bool wa_codegen_verify(WaCodegen *cg);

/* Runs LLVM's default<O1..3> pipeline; nothing at -O0. */
bool wa_codegen_optimize(WaCodegen *cg, int opt_level);

/* Writes the module to `path` as an object file, assembly or LLVM IR. */
bool wa_codegen_write(WaCodegen *cg, WaOutputKind kind, const char *path);

/*
 * One trampoline and one host thunk per function type (trampolines.c), for
 * the descriptor of an embeddable module; both arrays have m->ntypes entries.
 */
void wa_codegen_trampolines(WaCodegen *cg, LLVMValueRef *trampolines, LLVMValueRef *host_thunks);

/*
 * The symbol of wasm function `index`: "wasm_<index>" or, when the name
 * section names it, "wasm_<index>_<name>" with every byte outside [A-Za-z0-9]
 * written as "_XX" (two lowercase hex digits), so the wasm name can be read
 * back from the symbol. Allocated in `arena`.
 */
char *wa_symbol_name(WaArena *arena, uint32_t index, const char *name);

#endif
