/*
 * trap.c: traps, guarded calls and exit.
 *
 * A guarded call pushes a frame holding a sigjmp_buf onto a thread-local
 * chain; every way a wasm computation can end abruptly (wa_rt_trap from an
 * explicit check, a guard-page fault from signal.c, wa_rt_exit from WASI
 * proc_exit, a call to an unknown import) records a wa_rt_trap_info_t in
 * thread-local storage and siglongjmps to the innermost frame. The jump
 * restores the signal mask saved by sigsetjmp, which matters when it leaves
 * a signal handler: SIGSEGV is blocked while the handler runs.
 *
 * Invariant: the chain only holds frames of calls still on this thread's
 * stack; each guarded call pops its own frame on both of its exits.
 *
 * Without a guarded call a trap prints its one-line description and exits
 * with status 134 (what an abort reports), an exit just exits.
 *
 * Messages are the spec reference interpreter's (WA_RT_TRAP_LIST in wa_rt.h).
 */
#include "rt_internal.h"
#include "wa_escape.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exit status of a program that trapped: 128 + SIGABRT, as if it had aborted. */
#define TRAP_EXIT_STATUS 134

typedef struct guard_frame {
    sigjmp_buf env;
    struct guard_frame *prev;
} guard_frame_t;

/* The innermost guarded call of this thread, or NULL. */
static _Thread_local guard_frame_t *tls_guard;

/* What ended the latest trapping guarded call of this thread. */
static _Thread_local wa_rt_trap_info_t tls_trap;

static const char *const trap_messages[WA_RT_TRAP_COUNT] = {
#define WA_RT_X(name, msg) [WA_RT_TRAP_##name] = msg,
    WA_RT_TRAP_LIST(WA_RT_X)
#undef WA_RT_X
};

const char *wa_rt_trap_message(wa_rt_trap_t kind) {
    if ((unsigned)kind >= WA_RT_TRAP_COUNT)
        return "unknown trap";
    return trap_messages[kind];
}

bool wa_rt_guard_active(void) {
    return tls_guard != NULL;
}

uintptr_t wa_rt_guard_boundary(void) {
    return (uintptr_t)tls_guard;
}

wa_rt_trap_t wa_rt_call_guarded(void (*fn)(void *), void *arg) {
    wa_rt_signals_prepare();
    wa_rt_stack_prepare();

    /* Nothing in `frame` changes after sigsetjmp, so it needs no volatile. */
    guard_frame_t frame;
    frame.prev = tls_guard;
    if (sigsetjmp(frame.env, 1) != 0) {
        tls_guard = frame.prev;
        return tls_trap.kind;
    }
    tls_guard = &frame;
    fn(arg);
    tls_guard = frame.prev;
    return WA_RT_TRAP_NONE;
}

const wa_rt_trap_info_t *wa_rt_last_trap(void) {
    return &tls_trap;
}

static void call_void_thunk(void *arg) {
    const wa_rt_func_t *f = arg;
    /* POSIX lets code pointers live in void * (as dlsym does); memcpy keeps ISO C happy. */
    void (*code)(void *);
    memcpy(&code, &f->code, sizeof code);
    code(f->ctx);
}

wa_rt_trap_t wa_rt_call_void(const wa_rt_func_t *f) {
    return wa_rt_call_guarded(call_void_thunk, (void *)f);
}

/*
 * siglongjmp, bound when the program is loaded rather than at its first call
 * (a call through the PLT is bound lazily, in the dynamic linker): wa_rt_trap_site
 * (and wa_rt_trap) is called without a stack check (runtime/stack.c), so it may run a few
 * hundred bytes above the stack guard, where the dynamic linker's resolver,
 * several KiB of frame, could fault in the guard halfway through. The
 * pointer's relocation is bound at load time instead.
 */
static void (*volatile long_jump)(sigjmp_buf, int) = siglongjmp; /* volatile: not folded */

void (*volatile wa_rt_trap_capture)(const wa_rt_trap_info_t *info, bool from_signal);

_Noreturn void wa_rt_unwind(const wa_rt_trap_info_t *info, bool from_signal) {
    guard_frame_t *frame = tls_guard;
    void (*capture)(const wa_rt_trap_info_t *, bool) = wa_rt_trap_capture;
    if (capture != NULL && info->kind != WA_RT_TRAP_EXIT)
        capture(info, from_signal);
    if (frame != NULL) {
        tls_trap = *info;
        long_jump(frame->env, 1);
        __builtin_unreachable();
    }
    if (info->kind == WA_RT_TRAP_EXIT) {
        if (from_signal)
            _exit(info->exit_code);
        exit(info->exit_code);
    }
    /* Leave stdout's buffered output before the trap line, as a crash would not. */
    if (!from_signal)
        fflush(stdout);
    char line[512];
    size_t len = wa_rt_trap_format(info, line, sizeof line - 1);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    ssize_t written = write(STDERR_FILENO, line, len);
    (void)written; /* nothing better to do if stderr is gone */
    if (from_signal)
        _exit(TRAP_EXIT_STATUS);
    exit(TRAP_EXIT_STATUS);
}

_Noreturn void wa_rt_trap_at(wa_rt_trap_t kind, uintptr_t pc) {
    wa_rt_trap_info_t info = {.kind = kind, .pc = pc};
    wa_rt_unwind(&info, false);
}

WA_RT_ENTRY _Noreturn void wa_rt_trap(wa_rt_trap_t kind, uint32_t func_index) {
    wa_rt_trap_info_t info = {
        .kind = kind,
        .pc = WA_RT_CALLER_PC(),
        .has_func = func_index != UINT32_MAX,
        .func_index = func_index,
    };
    wa_rt_unwind(&info, false);
}

WA_RT_ENTRY _Noreturn void wa_rt_trap_site(wa_rt_trap_t kind, uint32_t func_index,
                                           uint32_t offset) {
    wa_rt_trap_info_t info = {
        .kind = kind,
        .pc = WA_RT_CALLER_PC(),
        .has_func = func_index != UINT32_MAX,
        .func_index = func_index,
        .offset = offset,
    };
    wa_rt_unwind(&info, false);
}

WA_RT_ENTRY void wa_rt_unknown_import(void *ctx) {
    wa_rt_trap_info_t info = {
        .kind = WA_RT_TRAP_UNKNOWN_IMPORT,
        .pc = WA_RT_CALLER_PC(),
        .import = ctx,
    };
    wa_rt_unwind(&info, false);
}

WA_RT_ENTRY _Noreturn void wa_rt_exit(int32_t code) {
    wa_rt_trap_info_t info = {
        .kind = WA_RT_TRAP_EXIT,
        .pc = WA_RT_CALLER_PC(),
        .exit_code = code,
    };
    wa_rt_unwind(&info, false);
}

int64_t wa_rt_module_func_at(const wa_rt_module_t *m, uintptr_t pc) {
    if (m->func_code == NULL || pc < (uintptr_t)m->code_start || pc >= (uintptr_t)m->code_end)
        return -1;
    /*
     * A linear scan rather than a binary search: func_code is in function
     * index order, which the linker need not preserve in memory, and sorting
     * would allocate, which the fault handler must not. It runs once per
     * reported trap.
     */
    int64_t best = -1;
    uintptr_t best_addr = 0;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        /* A module with tail calls has two entries per function: the body and its C entry. */
        for (int k = 0; k < 2; k++) {
            void *const *code = k == 0 ? m->func_code : m->func_tail_code;
            uintptr_t addr = code != NULL ? (uintptr_t)code[i] : 0;
            if (addr != 0 && addr <= pc && (best < 0 || addr > best_addr)) {
                best = i;
                best_addr = addr;
            }
        }
    }
    return best;
}

/* ---- Async-signal-safe formatting (no stdio: the fault handler uses it) ---- */

typedef struct out {
    char *buf;
    size_t size; /* capacity including the NUL */
    size_t len;  /* length wanted so far */
} out_t;

static void put_bytes(out_t *o, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++, o->len++)
        if (o->len + 1 < o->size)
            o->buf[o->len] = s[i];
    if (o->size > 0)
        o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
}

/* Names are arbitrary bytes: escaped (wa_escape.h), so the message stays one printable line. */
static void put_name(out_t *o, const char *s, size_t n) {
    size_t room = o->len < o->size ? o->size - o->len : 0;
    o->len += wa_rt_escape(room > 0 ? o->buf + o->len : NULL, room, s, n);
}

static void put_str(out_t *o, const char *s) {
    put_bytes(o, s, strlen(s));
}

static void put_i64(out_t *o, int64_t v) {
    char digits[24];
    size_t n = 0;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        digits[sizeof digits - 1 - n++] = '-';
    put_bytes(o, digits + sizeof digits - n, n);
}

/*
 * " with tag NAME": the name its defining module exports it by (wasmtime
 * names the tag the same way), else its index there; host tags have neither.
 */
static void put_tag(out_t *o, const wa_rt_tag_t *tag) {
    if (tag == NULL || tag->instance == NULL) {
        put_str(o, " (a host tag)");
        return;
    }
    const wa_rt_module_t *m = tag->instance->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wa_rt_export_t *e = &m->exports[i];
        if (e->kind == WA_RT_EXTERN_TAG && e->index == tag->index) {
            put_str(o, " with tag \"");
            put_name(o, e->name, e->name_len);
            put_str(o, "\"");
            return;
        }
    }
    put_str(o, " with tag ");
    put_i64(o, tag->index);
}

size_t wa_rt_trap_format(const wa_rt_trap_info_t *info, char *buf, size_t size) {
    out_t o = {.buf = buf, .size = size, .len = 0};
    if (size > 0)
        buf[0] = '\0';
    put_str(&o, "wasm trap: ");
    put_str(&o, wa_rt_trap_message(info->kind));
    if (info->kind == WA_RT_TRAP_EXIT) {
        put_str(&o, " with code ");
        put_i64(&o, info->exit_code);
    }
    if (info->kind == WA_RT_TRAP_EXCEPTION && info->exception != NULL)
        put_tag(&o, info->exception->tag);
    if (info->kind == WA_RT_TRAP_UNKNOWN_IMPORT && info->import != NULL) {
        put_str(&o, " ");
        put_name(&o, info->import->module, info->import->module_len);
        put_str(&o, ".");
        put_name(&o, info->import->name, info->import->name_len);
    }
    const wa_rt_module_t *m = info->pc != 0 ? wa_rt_module_at(info->pc) : NULL;
    int64_t func = m == NULL        ? -1
                   : info->has_func ? (int64_t)info->func_index
                                    : wa_rt_module_func_at(m, info->pc);
    if (func >= 0 && (uint64_t)func < m->nfuncs) {
        put_str(&o, " in function ");
        put_i64(&o, func);
        const char *name = m->func_names != NULL ? m->func_names[func] : NULL;
        if (name != NULL) {
            put_str(&o, " (");
            put_name(&o, name, strlen(name));
            put_str(&o, ")");
        }
    }
    return o.len;
}
