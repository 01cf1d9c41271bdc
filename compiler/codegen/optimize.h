/*
 * optimize.h: LLVM's optimisation pipeline for generated code, with one pass
 * of ours (bounds_versioning.cpp) that runs at the start of LLVM's
 * vectorizer: a loop whose wasm memory accesses provably stay in bounds for
 * its whole run gets a copy with ordinary (non-volatile) accesses, which
 * LLVM may vectorise, hoist and merge; the original, volatile loop runs
 * whenever the proof fails at run time.
 *
 * Lowering marks every load and store of a wasm linear memory with the
 * metadata kind WA_MD_MEMORY_ACCESS. The pass recognises memory 0's base as
 * the load of the instance's mem0_base field through the function's first
 * parameter: every function in the section "wasm_text" takes its instance
 * there, and a callee LLVM inlines took the same one (a call to another
 * instance's function, imported or through a table, is never inlined).
 */
#ifndef WA_CODEGEN_OPTIMIZE_H
#define WA_CODEGEN_OPTIMIZE_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WA_MD_MEMORY_ACCESS "wasmaot.memory_access"
/* On the branch between a fast copy and its checked loop (the pass sets it). */
#define WA_MD_BOUNDS_CHECK "wasmaot.bounds_check"

/* Where the pass finds memory 0's current size, from runtime/wa_rt_layout.def. */
typedef struct WaMemorySizeAbi {
    /* Byte offsets of the instance's mem0_base and mem0 fields. */
    uint64_t mem0_base_offset, mem0_offset;
    /* Byte offset of the size field (bytes, uint64_t) in wa_rt_memory_t. */
    uint64_t size_offset;
    /* Memory 0 is i64-addressed (memory64): its accesses have explicit checks. */
    bool mem0_is64;
} WaMemorySizeAbi;

/*
 * Runs LLVM's default<O`level`> pipeline (level 1..3) on `mod` for `tm`,
 * with the bounds versioning pass. Returns NULL, or an error message to be
 * released with free().
 */
char *wa_llvm_optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level,
                       const WaMemorySizeAbi *abi);

#ifdef __cplusplus
}
#endif

#endif
