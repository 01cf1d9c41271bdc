/*
 * codegen.h: from a validated module to an LLVM module, and from that to
 * output files.
 *
 * wa_codegen_module builds the whole LLVM module: a native function per wasm
 * function (lower/), the module initialiser and the wa_rt_module_t
 * descriptor the runtime instantiates from (instance.c). wa_codegen_emit
 * optimises it and writes an object file, assembly or LLVM IR (emit.c).
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

/*
 * Builds the LLVM module for m into cg (which it initialises), for the host
 * target with the options' CPU. On failure returns false with the error in
 * d; either way the caller disposes cg.
 */
bool wa_codegen_module(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d);

/* Creates the target machine for the host (emit.c); false with a message in d on failure. */
bool wa_codegen_target(WaCodegen *cg, const WaCodegenOptions *o);

/* Verifies and optimises cg's module at the options' level and writes it to `path`. */
bool wa_codegen_emit(WaCodegen *cg, const WaCodegenOptions *o, WaOutputKind kind, const char *path);

/* The wa_rt_module_t descriptor and initialiser (instance.c). */
bool wa_codegen_instance(WaCodegen *cg, bool embeddable);

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
