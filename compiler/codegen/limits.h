/*
 * limits.h: the checks of --fuel and --timeout (README "Limits"),
 * inserted into the optimised code (limits_llvm.cpp).
 *
 * They go in after LLVM's pipeline, so that they cost what they must and
 * no more: a check at the header of a loop LLVM has vectorised or unrolled
 * runs once per vector or unrolled iteration, and no check stands in the
 * way of those optimisations (an exit from a loop's body keeps LLVM 19 from
 * vectorising it). Every cycle of a function's control flow passes through
 * a block that is the target of a back edge (found by depth-first search,
 * so irreducible cycles too), and every recursion through a function
 * entry; the checks sit there, at the top of those blocks and of the entry
 * block:
 *   - fuel: the runtime's counter wa_rt_fuel (wa_rt.h) goes down by the
 *     check's static cost, the number of LLVM instructions of its loop
 *     (without the inner loops, which have their own checks) or, at the
 *     entry, of the blocks in no loop; the trap "all fuel consumed" when it
 *     goes below zero. The costs are fixed in the binary, so a program
 *     traps at the same point every run (another -O level or CPU gives
 *     other costs). While a function runs its fuel is a local (a register):
 *     loaded at entry, written back before every call and return and
 *     reloaded after every call, so a loop's check is a subtraction and a
 *     branch, not a store and reload chaining its iterations. A trap of
 *     another kind leaves the counter where the last write-back put it;
 *   - timeout: a volatile load of wa_rt_interrupt, which the timer thread
 *     sets (runtime/limits.c); the trap "interrupted" when it is nonzero.
 * Only functions that lowering marked with WA_MD_LIMITS (the wasm function
 * index) get checks; without --fuel and --timeout nothing is marked and
 * this pass is not run, so the code is the same as without it.
 */
#ifndef WA_CODEGEN_LIMITS_H
#define WA_CODEGEN_LIMITS_H

#include <llvm-c/Core.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Function metadata: { i32 wasm function index }, on the functions to instrument. */
#define WA_MD_LIMITS "wasmaot.limits"

/* What the checks call, from runtime/wa_rt.h and wa_rt_calls.def. */
typedef struct WaLimitsAbi {
    bool fuel, timeout;                   /* which checks to insert */
    uint32_t trap_fuel, trap_interrupted; /* the trap kinds */
    LLVMValueRef trap_fn;                 /* wa_rt_trap(kind, func_index), noreturn */
    LLVMValueRef fuel_counter;            /* i64 wa_rt_fuel */
    LLVMValueRef interrupt_flag;          /* i32 wa_rt_interrupt */
} WaLimitsAbi;

/* Inserts the checks into every marked function of mod. */
void wa_llvm_limits(LLVMModuleRef mod, const WaLimitsAbi *abi);

#ifdef __cplusplus
}
#endif

#endif
