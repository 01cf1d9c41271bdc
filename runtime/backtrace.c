/*
 * backtrace.c: the wasm backtrace of a trap, as wasmtime prints it.
 *
 *     wasm trap: unreachable in function 6 (leaf)
 *     wasm backtrace:
 *       0: 0x145 - leaf
 *                         at /src/inlined.c:26:9
 *       1: 0x11d - middle
 *                         at /src/inlined.c:31:12
 *
 * Recording. When an executable enables it (wa_rt_backtrace_enable, from
 * start/entry.c unless WASMAOT_BACKTRACE=0), wa_rt_unwind calls
 * record_frames before it jumps out of the trap: the walk runs in the
 * trapping context, whether that is wa_rt_trap_site's (an explicit check) or the
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
 * Frames. Each native frame is looked up in the module's sites tables
 * (the descriptor's sites, one per object the compiler wrote; the format is
 * in wa_rt.h, how they are made in compiler/codegen/sites.h) by its
 * function and the offset of its pc in the function's body: the pc itself
 * for the trapping frame stopped by a signal (the faulting instruction),
 * else the return address minus one (inside the call). The entry there
 * gives the wasm frames of that one native frame, innermost first: the
 * functions LLVM inlined there each get a frame of their own, and each
 * frame has the file offset of its trapping or calling instruction, as
 * wasmtime prints it, and the source position the module's DWARF gives
 * for it (resolved by the compiler; shown as wasmtime does, on a line of its
 * own). Where the table has no entry (code that is no site, a module built
 * before it existed) or the offset is not known (several checks of a
 * function that share one trap call, calls LLVM merged into one), the frame
 * shows the file offset of its function body's first instruction (the
 * descriptor's func_offsets); an explicit trap without an entry still
 * names its wasm function exactly (info->func_index), shown above the
 * native frame's function when LLVM inlined it there. Lookups read
 * constant data only: they are safe on the alternate signal stack.
 *
 * Names: the descriptor's demangled name (the compiler demangles C++ and
 * Rust names: compiler/codegen/demangle.cpp), else the name section's (or,
 * without one, the module's DWARF's: compiler/debug/wasm_dwarf.h),
 * escaped (wa_escape.h), else "<wasm function N>". File names are escaped
 * the same way.
 *
 * An explicit trap runs wa_rt_trap_site without a stack check, possibly a few
 * hundred bytes above the stack guard; the walk needs a few KiB, so it is
 * skipped there (the trap is then reported without backtrace, never as a
 * different trap).
 */
#include "rt_internal.h"
#include "wa_escape.h"

#include <pthread.h>
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
    uint32_t offset;  /* file offset of the instruction, or WA_RT_SITES_UNKNOWN */
    const char *file; /* its source file (in the module's sites), or NULL */
    uint32_t line, column;
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
 * host dlopens. The first trap to claim it records; later ones do not, and
 * the record is shown only with the trap of the thread that made it, never
 * under another thread's trap line (two threads trapping at once).
 */
static backtrace_t recorded;
static atomic_flag record_claimed = ATOMIC_FLAG_INIT;
static pthread_t recorder;         /* the thread whose frames are recorded */
static atomic_bool recorder_known; /* recorder is set */

static void add_frame(backtrace_t *bt, frame_t f) {
    if (bt->n < MAX_FRAMES)
        bt->frames[bt->n++] = f;
    bt->total++;
}

/* ---- The sites table (wa_rt.h, WA_RT_SITES_MAGIC) ---- */

/* Word i of the blob at p (the section has no alignment). */
static uint32_t word(const uint8_t *p, size_t i) {
    uint32_t v;
    memcpy(&v, p + 4 * i, sizeof v);
    return v;
}

/* One blob. */
typedef struct sites {
    const uint8_t *blob;
    uint32_t size, first_func, nfuncs, entries, nodes, files; /* byte offsets of the streams */
} sites_t;

/* Reads the header of the blob at p; false if it is not one. */
static bool open_sites(const uint8_t *p, sites_t *s) {
    if (word(p, 0) != WA_RT_SITES_MAGIC)
        return false;
    *s = (sites_t){p, word(p, 1), word(p, 2), word(p, 3), word(p, 4), word(p, 5), word(p, 6)};
    uint64_t funcs_end = 4 * (WA_RT_SITES_HEADER_WORDS + (uint64_t)s->nfuncs);
    return funcs_end <= s->entries && s->entries <= s->nodes && s->nodes <= s->files &&
           s->files <= s->size;
}

/* The unsigned LEB128 number at *at (a byte offset), below `end`; false past it. */
static bool read_uleb(const sites_t *s, uint32_t *at, uint32_t end, uint64_t *v) {
    uint64_t r = 0;
    for (unsigned shift = 0; *at < end && shift < 64; shift += 7) {
        uint8_t b = s->blob[(*at)++];
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

/*
 * The node (its byte offset in the nodes stream) of the site at native
 * offset `native` of function func's body; false if s has none there.
 */
static bool find_site(const sites_t *s, uint32_t func, uint32_t native, uint32_t *node) {
    if (func < s->first_func || func - s->first_func >= s->nfuncs)
        return false;
    const uint8_t *funcs = s->blob + 4 * WA_RT_SITES_HEADER_WORDS;
    uint32_t i = func - s->first_func;
    uint64_t at64 = (uint64_t)s->entries + word(funcs, i);
    uint64_t end64 = i + 1 < s->nfuncs ? (uint64_t)s->entries + word(funcs, i + 1) : s->nodes;
    if (at64 > end64 || end64 > s->nodes)
        return false;
    uint32_t at = (uint32_t)at64, stop = (uint32_t)end64;
    uint64_t end = 0, pos = 0;
    while (at < stop) {
        uint64_t gap, length, step;
        if (!read_uleb(s, &at, stop, &gap) || !read_uleb(s, &at, stop, &length) ||
            !read_uleb(s, &at, stop, &step))
            return false;
        uint64_t start = end + gap;
        end = start + length;
        pos += (step & 1) ? ~(step >> 1) : step >> 1; /* zigzag: the signed step */
        if (native < start)
            return false;
        if (native < end) {
            *node = (uint32_t)pos;
            return pos < (uint64_t)(s->files - s->nodes);
        }
    }
    return false;
}

/* File name `index` of s, or NULL. */
static const char *file_name(const sites_t *s, uint64_t index) {
    uint32_t at = s->files;
    uint64_t n;
    if (!read_uleb(s, &at, s->size, &n) || index >= n)
        return NULL;
    for (; at < s->size; at++) {
        if (index == 0)
            return memchr(s->blob + at, '\0', s->size - at) != NULL ? (const char *)s->blob + at
                                                                    : NULL;
        if (s->blob[at] == '\0')
            index--;
    }
    return NULL;
}

/*
 * Adds the wasm frames of the native frame at pc in function func of m
 * from its sites table; false if the table has none for it.
 */
static bool add_site_frames(backtrace_t *bt, const wa_rt_module_t *m, uint32_t func, uintptr_t pc) {
    if (m->nsites == 0 || m->sites == NULL)
        return false;
    /* Offsets are from the function's body: its tailcc body where it has one. */
    void *body = m->func_tail_code != NULL && m->func_tail_code[func] != NULL
                     ? m->func_tail_code[func]
                     : m->func_code[func];
    if (body == NULL || pc < (uintptr_t)body || pc - (uintptr_t)body > UINT32_MAX)
        return false;
    uint32_t native = (uint32_t)(pc - (uintptr_t)body);
    sites_t s = {0};
    uint32_t node = 0, k = 0;
    for (; k < m->nsites; k++)
        if (m->sites[k] != NULL && open_sites(m->sites[k], &s) &&
            find_site(&s, func, native, &node))
            break;
    if (k == m->nsites)
        return false;
    /* The node, then its callers': each parent lies `parent` bytes before its child. */
    for (unsigned depth = 0; depth < MAX_FRAMES; depth++) {
        uint32_t at = s.nodes + node;
        uint64_t parent, f = func, offset, file, line = 0, column = 0;
        if (!read_uleb(&s, &at, s.files, &parent) ||
            (parent != 0 && !read_uleb(&s, &at, s.files, &f)) ||
            !read_uleb(&s, &at, s.files, &offset) || !read_uleb(&s, &at, s.files, &file) ||
            (file != 0 &&
             (!read_uleb(&s, &at, s.files, &line) || !read_uleb(&s, &at, s.files, &column))))
            break;
        if (f >= m->nfuncs)
            f = func;
        /* offset: 1 + the instruction's distance from the function's first (0: unknown) */
        uint32_t base = m->func_offsets != NULL ? m->func_offsets[f] : 0;
        frame_t fr = {m,
                      (uint32_t)f,
                      offset != 0 && m->func_offsets != NULL ? base + (uint32_t)(offset - 1)
                                                             : WA_RT_SITES_UNKNOWN,
                      file != 0 ? file_name(&s, file - 1) : NULL,
                      (uint32_t)line,
                      (uint32_t)column};
        add_frame(bt, fr);
        if (parent == 0 || parent > node)
            break;
        node -= (uint32_t)parent;
    }
    return true;
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
    /* An explicit trap's own offset, for its innermost frame if the table does not know it. */
    bool first = bt->total == 0;
    uint32_t trap_offset =
        first && info->has_func && info->offset != 0 ? info->offset : WA_RT_SITES_UNKNOWN;
    if (add_site_frames(bt, m, (uint32_t)func, pc)) {
        if (first && bt->n > 0 && bt->frames[0].offset == WA_RT_SITES_UNKNOWN &&
            bt->frames[0].func == info->func_index)
            bt->frames[0].offset = trap_offset;
        return _URC_NO_REASON;
    }
    /*
     * No site here (a module built without the table, code that is no
     * site): the function alone, and, for an explicit trap, its own function
     * when LLVM inlined it into this frame's.
     */
    if (first && info->has_func && info->func_index != (uint32_t)func &&
        info->func_index < m->nfuncs) {
        add_frame(bt, (frame_t){m, info->func_index, trap_offset, NULL, 0, 0});
        trap_offset = WA_RT_SITES_UNKNOWN;
    }
    add_frame(bt, (frame_t){m, (uint32_t)func, trap_offset, NULL, 0, 0});
    return _URC_NO_REASON;
}

static void record_frames(const wa_rt_trap_info_t *info, bool from_signal) {
    if (atomic_flag_test_and_set(&record_claimed))
        return;
    recorder = pthread_self();
    atomic_store(&recorder_known, true);
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
    if (wa_rt_trap_capture == NULL || bt->n == 0 || !atomic_load(&recorder_known) ||
        !pthread_equal(recorder, pthread_self()))
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
        uint32_t offset = bt->frames[i].offset;
        if (offset == WA_RT_SITES_UNKNOWN)
            offset = m->func_offsets != NULL ? m->func_offsets[f] : 0;
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
        const char *file = bt->frames[i].file;
        if (file != NULL) {
            /* wasmtime's layout: the position under the frame, at column 21. */
            PUT("                    at ");
            size_t room = len < size ? size - len : 0;
            len += wa_rt_escape(room > 0 ? buf + len : NULL, room, file, strlen(file));
            PUT(":%u", bt->frames[i].line);
            if (bt->frames[i].column != 0)
                PUT(":%u", bt->frames[i].column);
            PUT("\n");
        }
    }
    if (bt->total > bt->n)
        PUT("  ... %llu more frames%s\n", (unsigned long long)(bt->total - bt->n),
            bt->cut ? " at least" : "");
#undef PUT
    return len;
}
