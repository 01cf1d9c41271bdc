/*
 * backtrace.c: the wasm backtrace of a trap, as wasmtime prints it.
 *
 *     wasm trap: unreachable in function 1 (leaf)
 *     wasm backtrace:
 *       0: 0x4f - leaf
 *       1: 0x63 - middle
 *
 * Recording. When an executable enables it (wa_rt_backtrace_enable, from
 * start/entry.c unless WASMAOT_BACKTRACE=0), wa_rt_unwind calls
 * record_frames before it jumps out of the trap: the walk runs in the
 * trapping context, whether that is wa_rt_trap's (an explicit check) or the
 * fault handler's on the alternate signal stack, whose signal frame the
 * unwinder steps through to the faulting instruction. It uses the unwind
 * tables every function has (.eh_frame: generated code since issue 12, the
 * C library, the runtime) through libgcc's _Unwind_Backtrace, which reads
 * them without allocating or locking (glibc's _dl_find_object), and keeps
 * the frames whose code lies in a module's wasm code (wa_rt_module_at):
 * host and runtime frames are left out, as wasmtime does. The frames go into
 * one record for the process (see `recorded`); nothing else of the trap
 * path changes. Embedders
 * never enable it (wa_rt_call's results are what they were), and then
 * nothing here, nor the unwinder, is linked in.
 *
 * Frames. Each is a wasm function and the file offset of its body's first
 * instruction (the descriptor's func_offsets): the offset of the trapping
 * or calling instruction itself needs a table from native addresses to wasm
 * offsets that the compiler does not emit yet. A function LLVM inlined
 * into its caller has no native frame of its own: an explicit trap names
 * its wasm function exactly (info->func_index), so when that is not the
 * innermost native frame's function it is shown as a frame of its own
 * above it; deeper inlining is not shown.
 *
 * Names: the descriptor's demangled name (the compiler demangles C++ and
 * Rust names: compiler/codegen/demangle.cpp), else the name section's,
 * escaped (wa_escape.h), else "<wasm function N>".
 *
 * An explicit trap runs wa_rt_trap without a stack check, possibly a few
 * hundred bytes above the stack guard; the walk needs a few KiB, so it is
 * skipped there (the trap is then reported without backtrace, never as a
 * different trap).
 */
#include "rt_internal.h"
#include "wa_escape.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unwind.h>

/* Frames recorded; deeper ones are counted. */
#define MAX_FRAMES 100

/* Frames walked at most: a runaway recursion may hold millions. */
#define WALK_MAX 1000000u

/* Stack an explicit trap's walk needs above the guard. */
#define WALK_STACK (32u << 10)

typedef struct frame {
    const wa_rt_module_t *module;
    uint32_t func;
} frame_t;

typedef struct backtrace {
    uint32_t n;     /* frames in frames[] */
    uint64_t total; /* frames seen, n or more */
    bool cut;       /* the walk stopped at WALK_MAX frames */
    frame_t frames[MAX_FRAMES];
} backtrace_t;

/*
 * One record for the process, not one per thread: in an executable the
 * first trap ends the process (a trap in any thread does), and a large
 * thread-local array would not fit the static TLS of a shared object a
 * host dlopens. The first trap to claim it records; later ones do not.
 */
static backtrace_t recorded;
static atomic_flag record_claimed = ATOMIC_FLAG_INIT;

static void add_frame(backtrace_t *bt, const wa_rt_module_t *m, uint32_t func) {
    if (bt->n < MAX_FRAMES)
        bt->frames[bt->n++] = (frame_t){m, func};
    bt->total++;
}

/* What the walk carries from frame to frame. */
typedef struct walk {
    backtrace_t *bt;
    const wa_rt_trap_info_t *info;
} walk_t;

static _Unwind_Reason_Code visit_frame(struct _Unwind_Context *ctx, void *arg) {
    const walk_t *w = arg;
    backtrace_t *bt = w->bt;
    const wa_rt_trap_info_t *info = w->info;
    int before = 0;
    uintptr_t pc = (uintptr_t)_Unwind_GetIPInfo(ctx, &before);
    /* A return address is past its call, maybe past the function's end. */
    if (!before && pc != 0)
        pc--;
    const wa_rt_module_t *m = pc != 0 ? wa_rt_module_at(pc) : NULL;
    int64_t func = m != NULL ? wa_rt_module_func_at(m, pc) : -1;
    if (func < 0)
        return _URC_NO_REASON;
    if (bt->total >= WALK_MAX) {
        bt->cut = true;
        return _URC_END_OF_STACK;
    }
    /* An explicit trap's own function, when LLVM inlined it into this frame's. */
    if (bt->total == 0 && info->has_func && info->func_index != (uint32_t)func &&
        info->func_index < m->nfuncs)
        add_frame(bt, m, info->func_index);
    add_frame(bt, m, (uint32_t)func);
    return _URC_NO_REASON;
}

static void record_frames(const wa_rt_trap_info_t *info, bool from_signal) {
    if (atomic_flag_test_and_set(&record_claimed))
        return;
    backtrace_t *bt = &recorded;
    bt->n = 0;
    bt->total = 0;
    bt->cut = false;
    uintptr_t guard = wa_rt_stack_guard_top();
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    if (!from_signal && guard != 0 && sp > guard && sp - guard < WALK_STACK)
        return;
    walk_t w = {bt, info};
    _Unwind_Backtrace(visit_frame, &w);
}

void wa_rt_backtrace_enable(bool on) {
    wa_rt_trap_capture = on ? record_frames : NULL;
}

size_t wa_rt_backtrace_format(char *buf, size_t size) {
    const backtrace_t *bt = &recorded;
    size_t len = 0;
    if (size > 0)
        buf[0] = '\0';
    if (wa_rt_trap_capture == NULL || bt->n == 0)
        return 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int wrote =                                                                                \
            snprintf(len < size ? buf + len : NULL, len < size ? size - len : 0, __VA_ARGS__);     \
        len += wrote > 0 ? (size_t)wrote : 0;                                                      \
    } while (0)
    PUT("wasm backtrace:\n");
    for (uint32_t i = 0; i < bt->n; i++) {
        const wa_rt_module_t *m = bt->frames[i].module;
        uint32_t f = bt->frames[i].func;
        uint32_t offset = m->func_offsets != NULL ? m->func_offsets[f] : 0;
        PUT("  %u: 0x%x - ", i, offset);
        const char *name = m->func_demangled != NULL ? m->func_demangled[f] : NULL;
        if (name == NULL && m->func_names != NULL)
            name = m->func_names[f];
        if (name != NULL) {
            size_t room = len < size ? size - len : 0;
            len += wa_rt_escape(room > 0 ? buf + len : NULL, room, name, strlen(name));
            PUT("\n");
        } else {
            PUT("<wasm function %u>\n", f);
        }
    }
    if (bt->total > bt->n)
        PUT("  ... %llu more frames%s\n", (unsigned long long)(bt->total - bt->n),
            bt->cut ? " at least" : "");
#undef PUT
    return len;
}
