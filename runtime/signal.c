/*
 * signal.c: turning guard-page faults into traps.
 *
 * Generated code does no bounds checks on loads and stores: an out-of-bounds
 * access lands in the PROT_NONE part of a linear memory's reservation
 * (memory.c), and a runaway recursion lands in the guard under the part of
 * the stack wasm may use (stack.c). Both raise SIGSEGV (SIGBUS on some
 * systems).
 * The handler here runs on a per-thread alternate signal stack, because after
 * a stack overflow the thread's own stack has no room left, and:
 *   - a fault inside a live memory's reservation traps "out of bounds memory
 *     access";
 *   - a fault in this thread's stack guard (or up to 1 MiB below it, or
 *     anywhere else below the stack limit) traps "call stack exhausted";
 *   - anything else is a real bug: the previous disposition (normally the
 *     default action) is put back and the fault happens again when the
 *     handler returns, so the process still crashes loudly with a core dump.
 *     A signal sent with kill has no faulting instruction to re-run, so it is
 *     raised again instead.
 * The trap PC is the faulting instruction, read from the signal context.
 *
 * Everything the handler touches is async-signal-safe: lock-free registry
 * reads, thread-local reads, and siglongjmp (or write/_exit without a
 * guarded call).
 */
#include "rt_internal.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

/* Alternate signal stack size: enough for the handler plus trap formatting. */
#define ALTSTACK_SIZE (64u << 10)

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static struct sigaction prev_segv, prev_bus;
static pthread_key_t altstack_key;

/* This thread's alternate signal stack is in place. */
static _Thread_local bool tls_altstack_ready;

static uintptr_t fault_pc(void *uctx) {
    const ucontext_t *uc = uctx;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

static void handle_fault(int sig, siginfo_t *si, void *uctx) {
    int saved_errno = errno;
    /* si_code > 0: the kernel reports a fault of the instruction at the PC. */
    if (si->si_code > 0) {
        uintptr_t addr = (uintptr_t)si->si_addr;
        wa_rt_trap_t kind = WA_RT_TRAP_NONE;
        if (wa_rt_memory_fault_in_guard(addr))
            kind = WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS;
        else if (wa_rt_stack_fault_is_overflow(addr))
            kind = WA_RT_TRAP_STACK_EXHAUSTED;
        if (kind != WA_RT_TRAP_NONE) {
            wa_rt_trap_info_t info = {.kind = kind, .pc = fault_pc(uctx)};
            wa_rt_unwind(&info, true);
        }
    }
    /* Not a wasm trap: let it crash with the previous disposition. */
    struct sigaction prev = sig == SIGSEGV ? prev_segv : prev_bus;
    if (!(prev.sa_flags & SA_SIGINFO) && prev.sa_handler == SIG_IGN)
        prev.sa_handler = SIG_DFL; /* an ignored fault would re-run forever */
    sigaction(sig, &prev, NULL);
    if (si->si_code <= 0)
        raise(sig);
    errno = saved_errno;
}

static void free_altstack(void *mapping) {
    stack_t off = {.ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    munmap(mapping, ALTSTACK_SIZE + (size_t)sysconf(_SC_PAGESIZE));
}

static void install_handlers(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = handle_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &prev_segv) != 0 || sigaction(SIGBUS, &sa, &prev_bus) != 0 ||
        pthread_key_create(&altstack_key, free_altstack) != 0) {
        perror("wasmaot runtime: cannot install the fault handlers");
        abort();
    }
}

/* Gives this thread an alternate signal stack, unless it has a big enough one. */
static void install_altstack(void) {
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE) &&
        cur.ss_size >= ALTSTACK_SIZE) {
        tls_altstack_ready = true;
        return;
    }
    /* One PROT_NONE page below the stack, so a handler overflowing it faults cleanly. */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *mapping = mmap(NULL, ALTSTACK_SIZE + page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED || mprotect(mapping, page, PROT_NONE) != 0) {
        perror("wasmaot runtime: cannot allocate an alternate signal stack");
        abort();
    }
    stack_t ss = {.ss_sp = mapping + page, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        perror("wasmaot runtime: cannot install an alternate signal stack");
        abort();
    }
    /* Freed (and disabled) by the key's destructor when the thread exits. */
    pthread_setspecific(altstack_key, mapping);
    tls_altstack_ready = true;
}

void wa_rt_signals_prepare(void) {
    pthread_once(&install_once, install_handlers);
    if (!tls_altstack_ready)
        install_altstack();
}
