/*
 * exception.c: throwing and catching wasm exceptions (the exception-handling
 * proposal), with the platform's table-driven unwinder, so that code that
 * throws nothing pays nothing: no setjmp at try, no flag test after calls.
 *
 * The scheme:
 *  - Calls inside a try or try_table body are LLVM invokes whose unwind edge
 *    leads to a landing pad (compiler/lower/exception.c); every function of
 *    a module that uses exceptions has unwind tables, and its landing pads
 *    are described to the unwinder by the LSDA LLVM emits, with
 *    __gcc_personality_v0 (libgcc) as the personality: it installs the
 *    landing pad of any call site that has one.
 *  - wa_rt_throw raises with _Unwind_ForcedUnwind, which visits the frames
 *    from the thrower outwards and lets the personality of each install its
 *    landing pad (there is no search phase). A landing pad compares the
 *    exception's tag with its catch clauses (tags are compared by address)
 *    and, when none matches, throws it on from there with wa_rt_throw: the
 *    next handler out, in the same function or a caller.
 *  - The stop function of the forced unwind sees every frame first. When a
 *    frame belongs to the innermost guarded call (its CFA lies above the
 *    guard's frame, trap.c) or the stack ends, no wasm handler took the
 *    exception: the guarded call ends as a WA_RT_TRAP_EXCEPTION trap (the
 *    same siglongjmp as any trap, which never runs the frames it leaves),
 *    carrying the exception for the host; without a guard the program
 *    prints one line and exits with 134, as for a trap. So an exception
 *    never unwinds into host C frames outside the guarded call: a host
 *    function that calls wasm (wa_rt_call) gets it back as a result and may
 *    throw it on (wa_rt_throw) through its own frames into the wasm that
 *    called it, which is how exceptions cross host calls.
 *  - Traps stay siglongjmps (trap.c): catch_all never catches a trap.
 *  - Exceptions of other languages unwinding through wasm frames pass
 *    through them (wa_rt_exception_caught).
 *
 * Lifetime. An exception is held by whoever may still use it: the throw in
 * flight (one hold, passed from throw to the handler that matches), a
 * legacy catch handler (until it ends normally: then it drops its hold), a
 * rethrow (holds it once more, since the legacy handler it comes from
 * keeps running). try_table's catch and catch_all copy the payload and
 * drop the hold at once. An exception that became an exnref (catch_ref,
 * catch_all_ref) is never freed: exnref values are copied freely (locals,
 * globals, tables) and nothing tracks the copies, so such an exception
 * lives as long as the process. A handler left by a branch or return, or
 * by another exception or trap, keeps its hold too: a leak, never a use
 * after free.
 */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unwind.h>

/* "WASMAOT\0": the exception class, so that foreign unwinders can tell ours. */
#define EXCEPTION_CLASS UINT64_C(0x5741534d414f5400)

typedef struct exception_impl {
    struct _Unwind_Exception header; /* what the unwinder passes around */
    uintptr_t throw_pc;              /* where it was thrown last, for the message */
    wa_rt_exception_t pub;           /* what generated code and hosts see */
    wa_rt_value_t values[];          /* pub.values points here */
} exception_impl_t;

static exception_impl_t *impl_of(wa_rt_exception_t *exn) {
    return (exception_impl_t *)((char *)exn - offsetof(exception_impl_t, pub));
}

/* A foreign runtime that caught and dropped our exception (it cannot catch one: see above). */
static void cleanup(_Unwind_Reason_Code reason, struct _Unwind_Exception *header) {
    (void)reason;
    free(header);
}

WA_RT_ENTRY void *wa_rt_exception_new(void *tag_ptr) {
    const wa_rt_tag_t *tag = tag_ptr;
    const wa_rt_functype_t *type = wa_rt_type_of_id(tag->type_id);
    uint32_t n = type != NULL ? type->nparams : 0;
    exception_impl_t *e = calloc(1, sizeof *e + (size_t)n * sizeof(wa_rt_value_t));
    if (e == NULL)
        abort(); /* as the compiler's own allocations do: nothing sensible is left */
    e->header.exception_class = EXCEPTION_CLASS;
    e->header.exception_cleanup = cleanup;
    e->pub.tag = tag;
    e->pub.values = e->values;
    e->pub.nvalues = n;
    e->pub.refs = 1;
    return &e->pub;
}

/* Ends the innermost guarded call with the exception (or the program, without one). */
static _Noreturn void uncaught(exception_impl_t *e) {
    wa_rt_trap_info_t info = {
        .kind = WA_RT_TRAP_EXCEPTION,
        .pc = e->throw_pc,
        .exception = &e->pub,
    };
    wa_rt_unwind(&info, false);
}

/*
 * Called by the forced unwind before each frame's personality: continues
 * into frames of wasm code (or the runtime glue) inside the innermost
 * guarded call, and stops at the first frame outside it or at the end of
 * the stack (a frame without unwind information also ends it).
 */
static _Unwind_Reason_Code stop(int version, _Unwind_Action actions, _Unwind_Exception_Class cls,
                                struct _Unwind_Exception *header, struct _Unwind_Context *context,
                                void *boundary) {
    (void)version;
    (void)cls;
    if ((actions & _UA_END_OF_STACK) != 0 ||
        (boundary != NULL && _Unwind_GetCFA(context) > (uintptr_t)boundary))
        uncaught((exception_impl_t *)header);
    return _URC_NO_REASON;
}

static _Noreturn void raise(exception_impl_t *e, uintptr_t pc) {
    e->throw_pc = pc;
    void *boundary = (void *)wa_rt_guard_boundary();
    _Unwind_ForcedUnwind(&e->header, stop, boundary);
    /* It returns only if it could not unwind at all: nobody can catch it. */
    uncaught(e);
}

WA_RT_ENTRY _Noreturn void wa_rt_throw(void *exn) {
    raise(impl_of(exn), WA_RT_CALLER_PC());
}

WA_RT_ENTRY _Noreturn void wa_rt_rethrow(void *exn) {
    wa_rt_exception_t *x = exn;
    x->refs++;
    raise(impl_of(x), WA_RT_CALLER_PC());
}

/*
 * A landing pad runs for any exception unwinding through the frame, ours
 * or not: a foreign one (a C++ exception a host function let escape, or
 * glibc's pthread_cancel unwinding, both through wasm frames) goes on
 * unwinding as if the frame had no handler.
 */
WA_RT_ENTRY void *wa_rt_exception_caught(void *header) {
    struct _Unwind_Exception *h = header;
    if (h->exception_class != EXCEPTION_CLASS)
        _Unwind_Resume(h);
    return &((exception_impl_t *)header)->pub;
}

WA_RT_ENTRY void wa_rt_exception_release(void *exn) {
    wa_rt_exception_t *x = exn;
    if (x != NULL && --x->refs == 0)
        free(impl_of(x));
}
