/*
 * limits.c: the checks of --fuel and --timeout (README "Limits"), at every
 * function entry and loop header, the places through which any unbounded
 * computation must pass. Straight-line code between them is bounded by the
 * function's size, so no other instruction needs one.
 *
 * Fuel is deterministic: each check subtracts from the runtime's counter
 * wa_rt_fuel (wa_rt.h) a cost fixed at compile time, the number of wasm
 * instructions lowered from that check to the next one in the body (at
 * least 1, so an empty loop still spends), and traps "all fuel consumed"
 * when the counter goes below zero. The cost is only known when the next
 * check point is reached, so the subtraction is built with a placeholder
 * and its constant set then (wa_fg_limits_finish for the last one).
 *
 * The timeout is epoch-style: the check is a volatile load of the runtime's
 * wa_rt_interrupt, which a timer thread sets (runtime/limits.c), and traps
 * "interrupted" when it is nonzero. Volatile, so LLVM neither hoists it out
 * of a loop nor merges the loads of two iterations.
 *
 * Without --fuel and --timeout nothing here emits anything: the code is the
 * same as without this file.
 */
#include "lower.h"

/* The runtime's global `name` of type `type` (wa_rt.h), declared on first use. */
static LLVMValueRef rt_global(WaCodegen *cg, const char *name, LLVMTypeRef type) {
    LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, name);
    if (g == NULL) {
        g = LLVMAddGlobal(cg->mod, type, name);
        LLVMSetLinkage(g, LLVMExternalLinkage);
        /* The runtime is linked into the same file: a direct, PC-relative access. */
        LLVMSetVisibility(g, LLVMHiddenVisibility);
    }
    return g;
}

/* Sets the cost of the pending fuel check to the instructions lowered since it. */
static void close_fuel_check(WaFuncGen *fg) {
    if (fg->fuel_sub == NULL)
        return;
    uint32_t cost = fg->fuel_count > 0 ? fg->fuel_count : 1;
    LLVMSetOperand(fg->fuel_sub, 1, LLVMConstInt(fg->cg->t_i64, cost, false));
    fg->fuel_sub = NULL;
}

void wa_fg_limits_check(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    if (cg->timeout) {
        LLVMValueRef flag = LLVMBuildLoad2(
            cg->b, cg->t_i32, rt_global(cg, "wa_rt_interrupt", cg->t_i32), "interrupt");
        LLVMSetVolatile(flag, true);
        wa_fg_trap_if(
            fg,
            LLVMBuildICmp(cg->b, LLVMIntNE, flag, LLVMConstInt(cg->t_i32, 0, false), "interrupted"),
            WA_RT_TRAP_INTERRUPTED);
    }
    if (cg->fuel) {
        close_fuel_check(fg);
        LLVMValueRef counter = rt_global(cg, "wa_rt_fuel", cg->t_i64);
        LLVMValueRef fuel = LLVMBuildLoad2(cg->b, cg->t_i64, counter, "fuel");
        /* The placeholder 1 becomes the cost in close_fuel_check. */
        LLVMValueRef left =
            LLVMBuildSub(cg->b, fuel, LLVMConstInt(cg->t_i64, 1, false), "fuel_left");
        LLVMBuildStore(cg->b, left, counter);
        fg->fuel_sub = left;
        fg->fuel_count = 0;
        wa_fg_trap_if(
            fg,
            LLVMBuildICmp(cg->b, LLVMIntSLT, left, LLVMConstInt(cg->t_i64, 0, false), "fuel_out"),
            WA_RT_TRAP_FUEL_EXHAUSTED);
    }
}

void wa_fg_limits_finish(WaFuncGen *fg) {
    close_fuel_check(fg);
}
