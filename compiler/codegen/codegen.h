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

/*
 * Chunks. A module whose defined functions hold less than WA_CHUNK_WHOLE_MAX
 * bytes of code is compiled whole, as one LLVM module (its functions
 * internal, so that the optimiser inlines across all of them). A larger one
 * is cut, in function index order, into chunks of about WA_CHUNK_BYTES of
 * code (more when the module would need more than WA_CHUNK_MAX), each
 * lowered, optimised and written into an LLVM context, module and object of
 * its own, then disposed of: the compiler's memory is bounded by the chunks
 * in flight, not by the module, and chunks compile in parallel (driver.c).
 * The partition depends on the functions' sizes only, never on the thread
 * count, so the output is the same for every -j. Chunk 0 also holds the
 * module parts: the initialiser, the descriptor, trampolines and the build
 * record. Calls between chunks go through hidden external symbols
 * (codegen.c, declare_function).
 */
#define WA_CHUNK_WHOLE_MAX ((uint64_t)1 << 20)
#define WA_CHUNK_BYTES ((uint64_t)512 << 10)
#define WA_CHUNK_MAX 256

/* The defined functions [first, end) of one chunk. */
typedef struct WaChunk {
    uint32_t first, end;
    uint32_t index; /* its place in the partition */
} WaChunk;

/*
 * Cuts m's defined functions into chunks (see above) in chunks[0..n) (room
 * for WA_CHUNK_MAX) and returns n >= 1. chunk_bytes 0 is the policy above;
 * any other value is the chunk size, even for a small module (for tests).
 */
size_t wa_codegen_partition(const WaModule *m, size_t chunk_bytes, WaChunk *chunks);

typedef enum WaOutputKind {
    WA_OUTPUT_OBJECT,
    WA_OUTPUT_ASSEMBLY,
    WA_OUTPUT_LLVM_IR,
} WaOutputKind;

/*
 * Initialises cg for one chunk: an LLVM module for the options' target, a
 * declaration per function of the chunk (o->split says whether there are
 * others).
 */
bool wa_codegen_begin_chunk(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o,
                            WaChunk chunk, WaDiag *d);

/* wa_codegen_begin_chunk for the whole module as one chunk. */
bool wa_codegen_begin(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d);

/* Lowers the body of every function of cg's chunk (lower/lower.c). */
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
 * The escaped symbol of wasm function `index`: "wasm_<index>" or, when the name
 * section names it, "wasm_<index>_<name>" with every byte outside [A-Za-z0-9]
 * written as "_XX" (two lowercase hex digits), so the wasm name can be read
 * back from the symbol. Allocated in `arena`.
 */
char *wa_symbol_name(WaArena *arena, uint32_t index, const char *name);

/*
 * Whether `name` (a name-section name, or NULL) is kept as its function's
 * symbol: a C++ or Rust mangled name ("_Z...", "_R...") of [A-Za-z0-9_$.]
 * holding neither ".wasm." nor ".entry" (symbols.c).
 */
bool wa_symbol_is_mangled(const char *name);

/*
 * The symbol of every defined function of m, indexed by function index
 * (imports NULL): its mangled name (wa_symbol_is_mangled), with
 * ".wasm.<index>" after all but the lowest-indexed function of a name, or
 * else wa_symbol_name. Unique, and the same for every chunk. In `arena`.
 */
char **wa_symbol_table(WaArena *arena, const WaModule *m);

#endif
