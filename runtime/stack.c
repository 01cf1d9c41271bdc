/*
 * stack.c: the native stack wasm code runs on, and its limit.
 *
 * Wasm recursion depth is only bounded by the native stack, so every
 * generated function prologue compares its stack pointer with
 * ctx->stack_limit and traps "call stack exhausted" below it. The limit is
 * the thread's lowest stack address plus WA_RT_STACK_MARGIN, which leaves room
 * for wa_rt_trap itself, host functions (WASI) and signal delivery. The
 * fault handler is the backup for code that skips the check: a fault between
 * the guard area under the stack and the limit is also stack exhaustion.
 *
 * The bounds come from pthread_getattr_np (for the main thread glibc derives
 * them from RLIMIT_STACK and /proc/self/maps), computed once per thread
 * because that is not cheap and not async-signal-safe; the handler reads only
 * the cached copy.
 */
#include "rt_internal.h"

#include <pthread.h>

/*
 * How far below the lowest stack address a fault still counts as stack
 * overflow: a thread's guard pages, or for the main thread the kernel's
 * stack guard gap (256 pages by default).
 */
#define GUARD_SLOP (UINT64_C(1) << 20)

static _Thread_local wa_rt_stack_bounds_t tls_stack;
static _Thread_local bool tls_stack_known;

void wa_rt_stack_prepare(void) {
    if (tls_stack_known)
        return;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return; /* unknown bounds: limit 0 (no check) and no fault classification */
    void *addr;
    size_t size;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
        tls_stack.lo = (uintptr_t)addr;
        tls_stack.hi = (uintptr_t)addr + size;
        tls_stack_known = true;
    }
    pthread_attr_destroy(&attr);
}

/* The margin for this thread: WA_RT_STACK_MARGIN, but never more than a quarter of a small stack.
 */
static uintptr_t stack_margin(void) {
    uintptr_t size = tls_stack.hi - tls_stack.lo;
    return size / 4 < WA_RT_STACK_MARGIN ? size / 4 : WA_RT_STACK_MARGIN;
}

uintptr_t wa_rt_stack_limit(void) {
    wa_rt_stack_prepare();
    if (!tls_stack_known)
        return 0;
    return tls_stack.lo + stack_margin();
}

bool wa_rt_stack_fault_is_overflow(uintptr_t addr) {
    if (!tls_stack_known)
        return false;
    uintptr_t floor = tls_stack.lo > GUARD_SLOP ? tls_stack.lo - GUARD_SLOP : 0;
    return addr >= floor && addr < tls_stack.lo + stack_margin();
}
