/*
 * stack.c: the native stack wasm code runs on, and its limit.
 *
 * Wasm recursion depth is only bounded by the native stack, so every
 * generated function prologue compares its stack pointer with
 * ctx->stack_limit and traps "call stack exhausted" below it. The limit is
 * the thread's lowest usable stack address plus WA_RT_STACK_MARGIN, which
 * leaves room for wa_rt_trap itself, host functions (WASI) and signal
 * delivery. The fault handler is the backup for code that skips the check: a
 * fault between the guard area under the stack and the limit is also stack
 * exhaustion.
 *
 * The bounds come from pthread_getattr_np (for the main thread glibc derives
 * them from RLIMIT_STACK and /proc/self/maps), computed once per thread
 * because that is not cheap and not async-signal-safe; the handler reads only
 * the cached copy. With an unlimited RLIMIT_STACK the main thread's stack
 * reaches down to the next mapping, gigabytes away, and a runaway recursion
 * would eat memory for minutes before trapping: wasm may use at most
 * STACK_CAP of it.
 */
#include "rt_internal.h"

#include <pthread.h>

/*
 * How far below the lowest stack address a fault still counts as stack
 * overflow: a thread's guard pages, or for the main thread the kernel's
 * stack guard gap (256 pages by default).
 */
#define GUARD_SLOP (UINT64_C(1) << 20)

/* The most stack wasm code may use on one thread. */
#define STACK_CAP (UINT64_C(256) << 20)

/* A thread's stack, as the system reports it: [lo, hi). */
typedef struct stack_bounds {
    uintptr_t lo, hi;
} stack_bounds_t;

static _Thread_local stack_bounds_t tls_stack; /* as the system reports it */
static _Thread_local uintptr_t tls_limit;      /* what wa_rt_stack_limit returns */
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
        uintptr_t usable = size < STACK_CAP ? size : STACK_CAP;
        /* The margin: WA_RT_STACK_MARGIN, but never more than a quarter of a small stack. */
        uintptr_t margin = usable / 4 < WA_RT_STACK_MARGIN ? usable / 4 : WA_RT_STACK_MARGIN;
        tls_limit = tls_stack.hi - usable + margin;
        tls_stack_known = true;
    }
    pthread_attr_destroy(&attr);
}

uintptr_t wa_rt_stack_limit(void) {
    wa_rt_stack_prepare();
    return tls_stack_known ? tls_limit : 0;
}

bool wa_rt_stack_fault_is_overflow(uintptr_t addr) {
    if (!tls_stack_known)
        return false;
    uintptr_t floor = tls_stack.lo > GUARD_SLOP ? tls_stack.lo - GUARD_SLOP : 0;
    return addr >= floor && addr < tls_limit;
}
