/*
 * stack.c: the native stack wasm code runs on, its guard, and its limit.
 *
 * Wasm recursion depth is only bounded by the native stack. Generated code
 * does not compare its stack pointer with a limit in every prologue (that
 * check sat on the critical path of every call): it runs on the thread's own
 * stack until it touches an inaccessible guard region placed at the bottom of
 * the part wasm may use, and the fault handler (signal.c, on the alternate
 * signal stack) turns a fault in the guard into "call stack exhausted". The
 * trap is exact: the faulting access is the push or frame store of the call
 * that found no stack left.
 *
 * Where the guard goes. Each thread that runs wasm gets it the first time
 * wa_rt_stack_prepare runs there (wa_rt_call_guarded and wa_rt_stack_limit
 * call it), at the lowest address wasm may use: the stack's bottom, or 256
 * MiB (STACK_CAP) below its top if it is bigger, so an unlimited
 * RLIMIT_STACK still ends a runaway recursion quickly.
 *   - The main thread: a PROT_NONE mapping at its stack's RLIMIT_STACK
 *     bottom, just below where the kernel may grow the stack (a PROT_NONE
 *     neighbour does not shrink how far the stack may grow on current
 *     kernels; the fault lands in the guard either way, or below it, in the
 *     range GUARD_SLOP covers). The bounds come from RLIMIT_STACK and the
 *     top of the stack (the executable's name, AT_EXECFN, is the first thing
 *     the kernel copies there), not from pthread_getattr_np, which parses
 *     /proc/self/maps for the main thread: that cost is start-up time of
 *     every program.
 *   - Any other thread (ours or an embedder's, with a system or a
 *     caller-provided stack): pthread_getattr_np's bounds, and the guard is
 *     mprotected inside the stack's own mapping; the thread's exit makes it
 *     writable again, since the C library reuses thread stacks.
 * The alternative, running wasm on a stack the runtime maps itself and
 * switching to it in wa_rt_call_guarded, would give every call from an
 * embedder a stack switch and every thread a second stack; the thread's own
 * stack with a guard needs neither.
 *
 * Frames larger than a page cannot jump over the guard: generated functions
 * have "probe-stack"="inline-asm" (codegen.c), which touches every 4 KiB
 * page of a frame above LLVM's probe interval of 4 KiB in order, and a
 * smaller frame moves the stack pointer by less than that from the last
 * touched word (the return address pushed by its call). The guard is
 * GUARD_SIZE, several probe intervals, so a touch below the last accessible
 * page always lands in it.
 *
 * Host code must never run into the guard: a fault there would unwind out of
 * the C library (say, holding malloc's lock, or in the middle of lazy symbol
 * binding). So host code only runs with room to spare: the stack limit
 * (ctx->stack_limit, wa_rt_stack_limit) is WA_RT_STACK_MARGIN above the
 * guard, and generated functions that can call host code (imported
 * functions, call_indirect, which may reach one, and the runtime's helpers
 * that call libc) still compare their frame with it in their prologue and
 * trap "call stack exhausted" below it (compiler/lower/lower.c,
 * needs_stack_check). Only wa_rt_trap_site and wa_rt_trap are called without that check: they run
 * a few hundred bytes of lock-free code (trap.c) and, were those to fault in
 * the guard, the computation still ends with "call stack exhausted", the
 * honest report of a trap that had no stack left to run in.
 *
 * The bounds are computed once per thread because that is not cheap and not
 * async-signal-safe; the handler reads only the cached copy.
 */
#include "rt_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/*
 * How far below the guard a fault still counts as stack overflow: the
 * system's own guard under a thread stack, or the kernel's stack guard gap
 * under the main thread's (256 pages by default), should our guard be
 * missing.
 */
#define GUARD_SLOP (UINT64_C(1) << 20)

/* The most stack wasm code may use on one thread. */
#define STACK_CAP (UINT64_C(256) << 20)

/* The guard's size: four of LLVM's 4 KiB probe intervals (less on a tiny stack). */
#define GUARD_SIZE (UINT64_C(16) << 10)

/* This thread's stack as wasm sees it. */
typedef struct stack_state {
    uintptr_t guard_lo, guard_hi; /* the guard, [guard_lo, guard_hi); empty if none */
    uintptr_t limit;              /* what wa_rt_stack_limit returns */
    bool known;                   /* the fields above are valid */
    bool restore_guard;           /* the guard is part of a thread stack: unprotect at exit */
} stack_state_t;

static _Thread_local stack_state_t tls_stack;

/* --max-stack in bytes (wa_rt_set_max_stack); 0: STACK_CAP. */
static uintptr_t max_stack;

void wa_rt_set_max_stack(uint64_t bytes) {
    max_stack = bytes < STACK_CAP ? (uintptr_t)bytes : STACK_CAP;
}

/* The most stack wasm may use on a thread: STACK_CAP, or less under --max-stack. */
static uintptr_t stack_cap(void) {
    return max_stack != 0 ? max_stack : STACK_CAP;
}

static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t guard_key;

static uintptr_t page_size(void) {
    return (uintptr_t)sysconf(_SC_PAGESIZE);
}

/* Thread exit: give the guard back to the stack, which the C library may reuse. */
static void release_guard(void *unused) {
    (void)unused;
    if (tls_stack.restore_guard)
        mprotect((void *)tls_stack.guard_lo, tls_stack.guard_hi - tls_stack.guard_lo,
                 PROT_READ | PROT_WRITE);
    tls_stack.restore_guard = false;
}

static void create_key(void) {
    if (pthread_key_create(&guard_key, release_guard) != 0) {
        perror("wasmaot runtime: cannot create the stack guard key");
        abort();
    }
}

/*
 * Records the stack [lo, hi) with a guard of `guard` bytes at its bottom
 * (wasm gets at most STACK_CAP of it) and the limit above the guard.
 */
static void set_bounds(uintptr_t lo, uintptr_t hi, uintptr_t guard) {
    uintptr_t page = page_size();
    if (hi - lo > stack_cap())
        lo = hi - stack_cap();
    lo = (lo + page - 1) & ~(page - 1);
    uintptr_t usable = hi - lo - guard;
    /* The margin: WA_RT_STACK_MARGIN, but never more than a quarter of a small stack. */
    uintptr_t margin = usable / 4 < WA_RT_STACK_MARGIN ? usable / 4 : WA_RT_STACK_MARGIN;
    tls_stack.guard_lo = lo;
    tls_stack.guard_hi = lo + guard;
    tls_stack.limit = lo + guard + margin;
    tls_stack.known = true;
}

/* A guard of `size` bytes, fitting a stack of `stack_size`: whole pages, at least one. */
static uintptr_t guard_size_for(uintptr_t stack_size) {
    uintptr_t page = page_size();
    uintptr_t size = stack_size / 16 < GUARD_SIZE ? stack_size / 16 : GUARD_SIZE;
    size &= ~(page - 1);
    return size < page ? page : size;
}

/*
 * The main thread: its stack grows down from the top of the stack mapping
 * by at most RLIMIT_STACK. Returns false if the top cannot be told.
 */
static bool prepare_main_thread(void) {
    uintptr_t page = page_size();
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    struct rlimit rl;
    if (execfn == NULL || getrlimit(RLIMIT_STACK, &rl) != 0)
        return false;
    uintptr_t hi = ((uintptr_t)execfn + strlen(execfn) + 1 + page - 1) & ~(page - 1);
    uintptr_t size = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > stack_cap()
                         ? stack_cap() & ~(page - 1)
                         : (uintptr_t)rl.rlim_cur & ~(page - 1);
    /* Not on that stack (an embedder's coroutine, say): ask the C library instead. */
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    if (size < 4 * page || frame < hi - size || frame >= hi)
        return false;
    uintptr_t guard = guard_size_for(size);
    set_bounds(hi - size, hi, guard);
    /*
     * Below the part the stack has grown into so far: a fresh mapping, which
     * must not replace anything. If something is already there the stack
     * cannot grow that far anyway; a fault at its edge is within GUARD_SLOP.
     */
    void *at = mmap((void *)tls_stack.guard_lo, guard, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    bool hint_only = at != MAP_FAILED && at != (void *)tls_stack.guard_lo;
    if (hint_only)
        munmap(at, guard); /* an old kernel took the address as a hint only */
    /*
     * Under a small --max-stack the guard may fall inside the part the
     * stack has already grown into (below this frame, so unused now): make
     * that part of the stack mapping inaccessible instead. The same when the
     * address was a hint only: qemu-user (7.2) maps a guest's whole stack
     * up front and takes MAP_FIXED_NOREPLACE as a hint.
     */
    if ((hint_only || (at == MAP_FAILED && errno == EEXIST)) && max_stack != 0)
        mprotect((void *)tls_stack.guard_lo, guard, PROT_NONE);
    return true;
}

/* Any other thread: the bounds the C library reports, the guard inside them. */
static void prepare_other_thread(void) {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return; /* unknown bounds: limit 0 (no check) and no fault classification */
    void *addr;
    size_t size;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0 && size >= 4 * page_size()) {
        uintptr_t lo = (uintptr_t)addr;
        set_bounds(lo, lo + size, guard_size_for(size < stack_cap() ? size : stack_cap()));
        pthread_once(&key_once, create_key);
        if (mprotect((void *)tls_stack.guard_lo, tls_stack.guard_hi - tls_stack.guard_lo,
                     PROT_NONE) == 0) {
            tls_stack.restore_guard = true;
            pthread_setspecific(guard_key, &tls_stack);
        } else {
            /* No guard of ours: the system's guard page below the stack is the backstop. */
            tls_stack.guard_hi = tls_stack.guard_lo;
        }
    }
    pthread_attr_destroy(&attr);
}

void wa_rt_stack_prepare(void) {
    if (tls_stack.known)
        return;
    if (getpid() != gettid() || !prepare_main_thread())
        prepare_other_thread();
}

uintptr_t wa_rt_stack_limit(void) {
    wa_rt_stack_prepare();
    return tls_stack.known ? tls_stack.limit : 0;
}

bool wa_rt_stack_fault_is_overflow(uintptr_t addr) {
    if (!tls_stack.known)
        return false;
    uintptr_t floor = tls_stack.guard_lo > GUARD_SLOP ? tls_stack.guard_lo - GUARD_SLOP : 0;
    return addr >= floor && addr < tls_stack.limit;
}

uintptr_t wa_rt_stack_guard_top(void) {
    return tls_stack.known ? tls_stack.guard_hi : 0;
}
