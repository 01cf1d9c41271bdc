/*
 * context.h: the LLVM context of one module's compilation.
 *
 * One WaCodegen per chunk of the module (codegen.h: the whole module unless
 * it is large): the LLVM context, module, builder and target machine, the
 * LLVM types every function shares, the native signature per wasm type, the
 * LLVM function per wasm function (declared when first used, defined for the
 * chunk's own functions), and the runtime's functions and structs as LLVM
 * declarations and types (rt_abi.h). Nothing in it is shared between chunks,
 * so chunks compile on different threads; the decoded module they read is
 * never written.
 * codegen.c creates it and drives the lowering loop; lower/ builds each
 * function's body into it (per-function state is lower/'s WaFuncGen).
 */
#ifndef WA_CODEGEN_CONTEXT_H
#define WA_CODEGEN_CONTEXT_H

#include "../../runtime/wa_rt.h"
#include "../base/arena.h"
#include "../base/diag.h"
#include "../wasm/module.h"
#include "rt_abi.h"

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/TargetMachine.h>
#include <stdbool.h>

/* Module-wide code generation state. */
typedef struct WaCodegen {
    const WaModule *m;
    WaDiag *d;
    LLVMContextRef llvm;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    LLVMTargetMachineRef tm; /* the target: host triple, chosen CPU and features */

    /* Frequently used LLVM types. */
    LLVMTypeRef t_void, t_i1, t_i8, t_i16, t_i32, t_i64, t_f32, t_f64, t_v128, t_ptr;

    LLVMTypeRef *fn_types; /* native signature per module type index */
    LLVMValueRef *funcs;   /* LLVM function per function index; NULL for imports */
    /*
     * Modules with return_call or return_call_indirect only (else NULL): per
     * function index, for the functions that take part in tail calls, the
     * body, with LLVM's tailcc convention and signature tail_fn_types;
     * funcs[i] is then a C entry calling it (codegen.c, lower/call.c). NULL
     * for the others, whose body is funcs[i], and for imports. Entries for
     * functions of other chunks are filled on first use (wa_codegen_func).
     */
    LLVMValueRef *tail_funcs;
    const bool *tail_set;       /* per function: takes part in tail calls; NULL: none does */
    bool tail_set_given;        /* tail_set came from the options (computed once for all chunks) */
    char **symbols;             /* per function: its symbol (wa_symbol_table) */
    LLVMTypeRef *tail_fn_types; /* per type: ctx, [results pointer,] params -> result or void */
    LLVMValueRef rt_fns[WA_RT_NFNS];        /* runtime function declarations, or NULL */
    LLVMTypeRef rt_structs[WA_RT_NSTRUCTS]; /* shared struct types, or NULL */
    bool canonical_nans;                    /* NaN results canonical (lower/nan.c) */
    bool debug_info;                        /* -g (sites.h): source positions in the output */
    LLVMMetadataRef *di_file_scopes;        /* -g: per source file, the function's scope there */
    /* -g, the function being lowered: its subprogram, its variables and blocks in the module's
       DWARF (or NULL), and per block its DILexicalBlock, made on first use. */
    LLVMMetadataRef di_sp;
    const struct WaDwarfFuncVars *di_vars;
    LLVMMetadataRef *di_blocks;
    bool fuel, timeout;            /* --fuel, --timeout checks (limits.h) */
    bool exceptions;               /* uses exception handling (lower/exception.c) */
    bool embeddable;               /* --emit=shared: other modules' exceptions pass */
    const bool *fixed_tables;      /* per table: cannot change (lower/call.c) */
    uint32_t first_func, end_func; /* the defined functions this LLVM module holds */
    bool split;                    /* one of several chunks (codegen.h) */
    uint32_t test_fail_func;       /* tests: 1 + the first function whose lowering fails */
    /* Trap and call sites (sites.h), for objects only; else dib is NULL. */
    LLVMDIBuilderRef dib;
    LLVMMetadataRef di_cu, di_file; /* the compile unit and its file */
    LLVMMetadataRef di_type;        /* every subprogram's type */
    /* -g (debug_types.h): per type of the module's DWARF, its DIType, made on first use (NULL
       until then); the global holding memory 0's base, or NULL. */
    LLVMMetadataRef *di_types;
    LLVMValueRef di_memory_base;
    const struct WaWasmDwarf *dwarf; /* the module's DWARF (source positions), or NULL */
    uint32_t chunk, nchunks;         /* this chunk's index and their count (sites) */
    WaArena arena;                   /* data that lives as long as the codegen */
    WaArena scratch;                 /* per-function data, reset after each function */
    struct WaProgress *progress;     /* counts the functions lowered, or NULL */
} WaCodegen;

/*
 * Whether a tailcc body of type ft returns its results through a pointer
 * (its second parameter) rather than in registers: x86-64 returns at most
 * two values in registers, and LLVM cannot make a musttail call whose
 * results it would have to return in memory ("failed to perform tail call
 * elimination"). A tail call passes its own results pointer on, which
 * points into a frame that outlives the whole chain (the C entry's, or an
 * ordinary caller's).
 */
static inline bool wa_codegen_tail_results_by_pointer(const WaFuncType *ft) {
    return ft->nresults > 1;
}

/* LLVM's tailcc (llvm::CallingConv::Tail), which the C API has no name for. */
#define WA_LLVM_TAILCC 18u

/* Options that choose the target and what is emitted. */
typedef struct WaCodegenOptions {
    int opt_level;       /* 0..3 */
    const char *cpu;     /* "native" (the host's CPU and features) or an LLVM CPU name */
    bool embeddable;     /* for the embedding API: emit trampolines and host thunks */
    bool canonical_nans; /* every NaN an operation computes is the canonical one (lower/nan.c) */
    bool fuel;           /* count fuel at function entries and loop headers (limits.h) */
    bool timeout;        /* check for interruption there too (limits.h) */
    bool split;          /* the module is compiled in several chunks (codegen.h) */
    const bool *fixed_tables; /* per table, computed once for all chunks; NULL: on first use */
    /* Per function, computed once for all chunks (wa_codegen_tail_call_functions), if given. */
    const bool *tail_set;
    bool tail_set_given;
    uint32_t test_fail_func;         /* tests only: 1 + the first function whose lowering fails */
    bool sites;                      /* the backtrace table (sites.h): objects only */
    bool debug_info;                 /* -g: keep DWARF of the module's sources (sites.h) */
    const struct WaWasmDwarf *dwarf; /* the module's DWARF, for source positions, or NULL */
    uint32_t nchunks;                /* chunks the module is compiled in (sites); 0: 1 */
    /* Counts the functions lowered (base/progress.h), from any thread; or NULL. */
    struct WaProgress *progress;
    const struct WaTarget *target; /* --target (target.h); NULL: the host */
} WaCodegenOptions;

/*
 * Initialises cg for module m: an LLVM context, an empty module for the host
 * target with the options' CPU, a builder and the shared types. On failure
 * returns false with the error in d; either way the caller disposes cg.
 */
bool wa_codegen_init(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d);

/* Frees the LLVM module and context. */
void wa_codegen_dispose(WaCodegen *cg);

/*
 * The LLVM function of defined function `index` in cg's module: its
 * definition if cg's chunk holds it, else a declaration added on first use
 * (codegen.c).
 */
LLVMValueRef wa_codegen_func(WaCodegen *cg, uint32_t index);

/*
 * The tailcc body of defined function `index` if it takes part in tail
 * calls (declared on first use, as wa_codegen_func), else NULL.
 */
LLVMValueRef wa_codegen_tail_func(WaCodegen *cg, uint32_t index);

/*
 * The functions of m that take part in tail calls, per function index:
 * those whose body holds return_call or return_call_indirect (a musttail
 * call's caller must be tailcc) and those a return_call names (its callee
 * must be). NULL if there are none: the module has no tail calls.
 */
const bool *wa_codegen_tail_call_functions(const WaModule *m, WaArena *arena, WaDiag *d);

/* The LLVM type of a wasm value type. */
LLVMTypeRef wa_cg_type(WaCodegen *cg, WaValType t);

/* The zero value of a wasm type (0, +0.0, null). */
LLVMValueRef wa_cg_zero(WaCodegen *cg, WaValType t);

/*
 * Gives fn the attributes its unwinding needs: in a module with exception
 * handling, wasm exceptions may unwind through any of its functions, so
 * each has unwind tables (uwtable); otherwise nothing of its own unwinds
 * (traps are siglongjmps) and it is nounwind, as before exceptions. Every
 * function gets unwind tables all the same (asynchronous ones, .eh_frame):
 * an embeddable module may call another module that throws, from one that
 * catches, and the unwinder must step through its frames (it has no
 * handlers to run there); gdb, perf --call-graph=dwarf and the trap
 * backtrace walk them. They change no instruction of the code.
 */
void wa_cg_set_unwind(WaCodegen *cg, LLVMValueRef fn);

/*
 * Calls LLVM intrinsic `name` (e.g. "llvm.ctlz"), overloaded on the given
 * types (usually the operand type), with nargs arguments.
 */
LLVMValueRef wa_cg_call_intrinsic(WaCodegen *cg, const char *name, LLVMTypeRef *overload,
                                  unsigned noverload, LLVMValueRef *args, unsigned nargs);

#endif
