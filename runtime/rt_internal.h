/*
 * rt_internal.h: what the runtime's files share with each other and nobody
 * else: the trap unwinding entry points, the registries the fault handler
 * reads, and the thread's stack bounds. Never included by generated code or
 * embedders (they see wa_rt.h and wa_rt_api.h).
 */
#ifndef WA_RT_INTERNAL_H
#define WA_RT_INTERNAL_H

#include "wa_rt_api.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A runtime function called directly by generated code: never inlined, so
 * __builtin_return_address(0) in it is an address in the wasm caller. */
#define WA_RT_ENTRY __attribute__((noinline))

/*
 * The PC to record for a trap raised by a runtime function on behalf of its
 * caller: the return address minus one, so it lies inside the call
 * instruction (a noreturn call may be the last instruction of a function,
 * making the return address the first byte of the next one).
 */
#define WA_RT_CALLER_PC() ((uintptr_t)__builtin_return_address(0) - 1)

/* ---- trap.c ---- */

/*
 * Ends the innermost guarded call on this thread with `info`; without one,
 * prints the trap and exits the process with status 134 (an exit just
 * exits). Async-signal-safe when `from_signal`: the fault handler calls it,
 * and then the no-guard path uses only write and _exit.
 */
_Noreturn void wa_rt_unwind(const wa_rt_trap_info_t *info, bool from_signal);

/*
 * Set by wa_rt_backtrace_enable (backtrace.c): called by wa_rt_unwind for
 * every trap but an exit, before it jumps, to record the wasm frames.
 * NULL (the default, and for embedders): nothing is recorded, and nothing
 * of the unwinder is linked in.
 */
extern void (*volatile wa_rt_trap_capture)(const wa_rt_trap_info_t *info, bool from_signal);

/* Raises trap `kind` at `pc` (see WA_RT_CALLER_PC). */
_Noreturn void wa_rt_trap_at(wa_rt_trap_t kind, uintptr_t pc);

/* Is a guarded call active on this thread? Async-signal-safe. */
bool wa_rt_guard_active(void);

/*
 * Where the innermost guarded call of this thread keeps its frame on the
 * stack (0: none): a stack frame whose CFA lies above it belongs to that
 * call or its callers, which a wasm exception must never unwind into
 * (exception.c).
 */
uintptr_t wa_rt_guard_boundary(void);

/* ---- signal.c ---- */

/*
 * Makes sure the fault handlers are installed (once per process) and that
 * this thread has an alternate signal stack (once per thread), so a stack
 * overflow can still run the handler. Aborts if either cannot be set up:
 * without them a guard-page fault would crash instead of trapping.
 */
void wa_rt_signals_prepare(void);

/* ---- memory.c ---- */

/* Does `addr` lie in the reservation of a live linear memory? Async-signal-safe. */
bool wa_rt_memory_fault_in_guard(uintptr_t addr);

/* ---- stack.c ---- */

/*
 * Computes and caches this thread's stack bounds (not async-signal-safe:
 * call it before any wasm code runs on the thread; wa_rt_call_guarded does).
 */
void wa_rt_stack_prepare(void);

/*
 * Does a fault at `addr` mean this thread ran out of stack (it lies below
 * the stack limit, down into the guard area under the stack)? Reads only the
 * cached bounds: async-signal-safe.
 */
bool wa_rt_stack_fault_is_overflow(uintptr_t addr);

/*
 * The top of this thread's stack guard (the lowest address a frame may
 * use), or 0 if wa_rt_stack_prepare has not placed it. Async-signal-safe.
 */
uintptr_t wa_rt_stack_guard_top(void);

/* ---- instance.c ---- */

/*
 * The module among those with live instances whose code range holds `pc`, or
 * NULL. Async-signal-safe (a lock-free list read).
 */
const wa_rt_module_t *wa_rt_module_at(uintptr_t pc);

#endif
