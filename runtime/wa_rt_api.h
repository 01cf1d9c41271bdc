/*
 * wa_rt_api.h: the runtime as its callers see it: the start-up code of a
 * compiled executable (start/entry.c), the WASI shim, the spec-test runner and
 * other embedders. Generated code sees only wa_rt.h.
 *
 * Threads: every function here may be called from any thread. Traps unwind
 * to the innermost wa_rt_call_guarded of the thread that trapped; wasm code
 * runs only inside a guarded call. An instance is used by one thread at a
 * time; its stack_limit belongs to the thread that created it (see
 * wa_rt_stack_limit to move it to another thread).
 */
#ifndef WA_RT_API_H
#define WA_RT_API_H

#include "wa_rt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Traps and guarded calls ---- */

/* How a guarded call ended, when it did not return normally. */
typedef struct wa_rt_trap_info {
    wa_rt_trap_t kind; /* WA_RT_TRAP_NONE if the call returned normally */
    /*
     * Where: for a fault, the faulting instruction; for a trap raised by a
     * call into the runtime, an address inside that call instruction; 0 if
     * unknown.
     */
    uintptr_t pc;
    /*
     * An explicit trap knows its wasm function exactly, inlined or not: then
     * has_func is set and func_index names it. Otherwise the function is
     * found from pc (which, in optimised code, may be an inlining caller).
     */
    bool has_func;
    uint32_t func_index;
    uint32_t offset;   /* an explicit trap: the file offset of its instruction, or 0 if unknown */
    int32_t exit_code; /* WA_RT_TRAP_EXIT: the code given to wa_rt_exit */
    const wa_rt_import_t *import; /* WA_RT_TRAP_UNKNOWN_IMPORT: the import called, or NULL */
    /*
     * WA_RT_TRAP_EXCEPTION: the exception no wasm handler caught before the
     * guarded call. The caller holds it now: it may read its tag and payload,
     * throw it on (wa_rt_throw, from a host function) or drop it
     * (wa_rt_exception_release).
     */
    wa_rt_exception_t *exception;
} wa_rt_trap_info_t;

/*
 * Calls fn(arg) so that a trap (wa_rt_trap, a guard-page fault, stack
 * exhaustion, wa_rt_exit) anywhere inside ends this call instead of the
 * process. Returns WA_RT_TRAP_NONE if fn returned, else the trap's kind, and
 * then wa_rt_last_trap() describes it. Guarded calls nest: a trap ends the
 * innermost one. The first call on a thread installs the fault handlers and
 * the thread's alternate signal stack.
 *
 * A trap unwinds with siglongjmp: C frames between the trap and this call are
 * abandoned without cleanup, so host functions called from wasm must not hold
 * locks or unfreed resources across calls back into wasm.
 */
wa_rt_trap_t wa_rt_call_guarded(void (*fn)(void *), void *arg);

/* The trap that ended the latest trapping guarded call on this thread. */
const wa_rt_trap_info_t *wa_rt_last_trap(void);

/*
 * Calls the wasm function `f` of type [] -> [] (a start function, _start)
 * inside a guarded call: ((void (*)(void *))f->code)(f->ctx). Returns as
 * wa_rt_call_guarded does.
 */
wa_rt_trap_t wa_rt_call_void(const wa_rt_func_t *f);

/*
 * Ends the innermost guarded call with WA_RT_TRAP_EXIT and the given exit
 * code (WASI proc_exit). Outside any guarded call, exits the process.
 */
_Noreturn void wa_rt_exit(int32_t code);

/*
 * Writes the one-line description of a trap, without newline, into buf
 * (truncated to size, always NUL-terminated if size > 0):
 *     wasm trap: integer divide by zero in function 3 (divide)
 * The function part appears when info->pc lies in the code of a module with a
 * live instance; the name when the module has one for it. An unknown import
 * is named: "wasm trap: call to an unknown import env.f in function 2". An
 * exit reads "program exited with code N". Returns the length it wanted to
 * write. Async-signal-safe.
 */
size_t wa_rt_trap_format(const wa_rt_trap_info_t *info, char *buf, size_t size);

/*
 * The index of the wasm function of `m` whose native code holds `pc` (the
 * defined function with the greatest code address <= pc), or -1 if pc is
 * outside [m->code_start, m->code_end). Async-signal-safe.
 */
int64_t wa_rt_module_func_at(const wa_rt_module_t *m, uintptr_t pc);

/*
 * Trap backtraces (backtrace.c). After wa_rt_backtrace_enable(true) the
 * first trap (not an exit) of the process records the wasm frames of the
 * thread that trapped; executables enable it unless WASMAOT_BACKTRACE=0,
 * embedders normally do not. wa_rt_backtrace_format writes, for that
 * trap, "wasm backtrace:\n" and one line per frame,
 * "  N: 0xOFFSET - NAME\n" (innermost first), into buf (truncated to size,
 * NUL-terminated if size > 0) and returns the length it wanted; 0 and ""
 * when disabled, when no frame was recorded, or on another thread than the
 * one whose trap was recorded. Call it while the trapping instance lives (it
 * reads its module's names).
 */
void wa_rt_backtrace_enable(bool on);
size_t wa_rt_backtrace_format(char *buf, size_t size);

/* ---- Stack ---- */

/*
 * Room kept between the stack limit and the guard under the stack: a
 * generated function that can call host code (an import, call_indirect, a
 * runtime helper) traps "call stack exhausted" when its frame lies below
 * ctx->stack_limit, so host code always has this much stack to run on.
 * Wasm code itself runs on down to the guard (stack.c).
 */
#define WA_RT_STACK_MARGIN (256u << 10)

/*
 * This thread's stack limit for wa_rt_instance_t.stack_limit: the top of the
 * guard region under the part of the stack wasm may use plus
 * WA_RT_STACK_MARGIN (less for tiny stacks). Wasm gets at most 256 MiB of a
 * thread's stack, so an unlimited RLIMIT_STACK still ends a runaway
 * recursion quickly. The first call on a thread places the guard (as
 * wa_rt_call_guarded does). Cached per thread; 0 (no limit) if the system
 * cannot tell the stack's bounds. An instance gets the limit of the thread
 * that creates it; to run it on another thread, store this value there
 * first.
 */
uintptr_t wa_rt_stack_limit(void);

/* ---- Limits (runtime/limits.c; README "Limits") ---- */

/*
 * The most bytes any one memory may grow to (memory.grow returns -1 beyond
 * it; wa_rt_memory_new refuses a larger initial size); 0 (the default): the
 * memory's own maximum only. Set before instantiating.
 */
void wa_rt_set_max_memory(uint64_t bytes);

/*
 * The most native stack wasm code may use on a thread, from the stack's top
 * (at least 64 KiB); 0 (the default): up to 256 MiB of the thread's stack.
 * Applies to threads that have not run wasm yet: set it first thing.
 */
void wa_rt_set_max_stack(uint64_t bytes);

/* Sets the fuel that code compiled with --fuel draws on (wa_rt_fuel). */
void wa_rt_set_fuel(int64_t fuel);

/*
 * Starts a timer thread that sets wa_rt_interrupt after `ns` nanoseconds,
 * which code compiled with --timeout turns into the trap "interrupted". The
 * thread blocks every signal and calls nothing but clock_nanosleep, so it
 * disturbs no WASI call. False if the thread cannot be created.
 */
bool wa_rt_start_timeout(uint64_t ns);

/* ---- Names for messages ---- */

/* The text name of value type `type` (WA_RT_I32 ... WA_RT_EXNREF: "i32" ... "exnref"), or "?". */
const char *wa_rt_value_type_name(uint8_t type);

/* The name of extern kind `kind` (WA_RT_EXTERN_FUNC ...: "function", "table", ...), or "extern". */
const char *wa_rt_extern_kind_name(uint8_t kind);

/* ---- Function types ---- */

/*
 * The canonical id of a function type: equal parameter and result lists give
 * equal ids, process-wide, whichever module they come from. Ids are never 0.
 * The type is copied. Thread-safe; aborts if out of memory.
 */
uint32_t wa_rt_type_id(const wa_rt_functype_t *type);

/* The type with canonical id `id`, or NULL if no type has it. Valid for the process lifetime. */
const wa_rt_functype_t *wa_rt_type_of_id(uint32_t id);

/* ---- Memories ---- */

/*
 * A new linear memory of limits->min pages, growable to limits->max (if
 * has_max) or WA_RT_MAX_PAGES: WA_RT_MEMORY_RESERVATION bytes of address space
 * are reserved and the initial pages committed, zeroed. limits->is64 makes it
 * an i64-addressed memory (memory64), which only an i64 memory import
 * accepts; it may declare a maximum up to WA_RT_MAX_PAGES64 but grows to
 * WA_RT_MAX_PAGES at most. Returns NULL if the limits are out of range (min >
 * max, min above WA_RT_MAX_PAGES, max above WA_RT_MAX_PAGES or, for is64,
 * WA_RT_MAX_PAGES64) or the address space or memory cannot be had.
 */
wa_rt_memory_t *wa_rt_memory_new(const wa_rt_limits_t *limits);

/* Frees a memory from wa_rt_memory_new (NULL is ignored). */
void wa_rt_memory_free(wa_rt_memory_t *mem);

/* ---- Tables ---- */

/*
 * Tables hold at most this many elements (an implementation limit, spec
 * A.2): growing past it fails with -1, creating a larger one fails.
 */
#define WA_RT_TABLE_LIMIT (UINT32_C(1) << 24)

/*
 * A new table of type->limits.min elements, all `init` (NULL: the null
 * reference). Returns NULL if min exceeds the maximum or WA_RT_TABLE_LIMIT,
 * or memory runs out.
 */
wa_rt_table_t *wa_rt_table_new(const wa_rt_table_type_t *type, void *init);

/* Frees a table from wa_rt_table_new (NULL is ignored). */
void wa_rt_table_free(wa_rt_table_t *table);

/* table.grow on a table itself: the old size, or -1 (elements unchanged) if it cannot grow. */
int32_t wa_rt_table_grow_by(wa_rt_table_t *table, uint32_t delta, void *init);

/* ---- Instances ---- */

/* The kind of an extern that stands for "nothing provides this import". */
#define WA_RT_EXTERN_MISSING 0xFF

/*
 * What an import is bound to: the extern the caller resolved for it.
 * `kind` must equal the import's kind, or instantiation fails with
 * "incompatible import type". The instance stores these pointers; the
 * caller keeps the objects alive as long as the instance.
 */
typedef struct wa_rt_extern {
    uint8_t kind; /* WA_RT_EXTERN_* */
    union {
        wa_rt_func_t *func; /* its type_id is compared with the import's type */
        wa_rt_table_t *table;
        wa_rt_memory_t *memory;
        struct {
            wa_rt_value_t *value;     /* the global's storage */
            wa_rt_global_type_t type; /* its type: must equal the import's */
        } global;
        wa_rt_tag_t *tag; /* its type_id is compared with the import's type */
    };
} wa_rt_extern_t;

typedef enum wa_rt_error_kind {
    WA_RT_ERROR_NONE,
    WA_RT_ERROR_LINK,     /* an import is missing or has an incompatible type */
    WA_RT_ERROR_TRAP,     /* init (segments) or the start function trapped */
    WA_RT_ERROR_RESOURCE, /* out of memory or address space, a table or memory too large */
    WA_RT_ERROR_ABI,      /* the module was built for another runtime ABI version */
    WA_RT_ERROR_GRANT,    /* a WASI grant cannot be had (wa_wasi_embed.h) */
} wa_rt_error_kind_t;

/* Why instantiation failed. */
typedef struct wa_rt_error {
    wa_rt_error_kind_t kind;
    /*
     * One line. LINK: starts with the spec's wording, "unknown import" or
     * "incompatible import type", then which import. TRAP: the trap's
     * message (wa_rt_trap_message). Others: what ran out.
     */
    char message[256];
    uint32_t import_index;  /* LINK: the index of the offending import */
    wa_rt_trap_info_t trap; /* TRAP: the trap */
    /*
     * TRAP: the instance whose init or start trapped. It stays alive because
     * its functions may already sit in imported tables, where the spec (4.5.4)
     * says they keep working; the caller owns it and may free it with
     * wa_rt_instance_free once nothing refers to it.
     */
    wa_rt_instance_t *instance;
} wa_rt_error_t;

/* Sets err's kind and its one-line message, printf-style; nothing if err is NULL. */
void wa_rt_error_set(wa_rt_error_t *err, wa_rt_error_kind_t kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether module `m` was built for this runtime's ABI; false with an ABI error in err if not. */
bool wa_rt_module_abi_ok(const wa_rt_module_t *m, wa_rt_error_t *err);

/* Optional instantiation settings. */
typedef struct wa_rt_instantiate_options {
    void *host_data; /* stored in wa_rt_instance_t.host_data */
    /*
     * Called after init (globals, segments), before the start function: for
     * wiring the instance's exports into host state the start function may
     * use (the executable points WASI at the exported memory here).
     */
    void (*before_start)(wa_rt_instance_t *inst, void *data);
    void *before_start_data;
} wa_rt_instantiate_options_t;

/*
 * Instantiates module `m` (spec 4.5.4). imports[i] is the extern for import i
 * of m (in order, nimports of them; an entry of kind WA_RT_EXTERN_MISSING or
 * with a NULL pointer fails as "unknown import"). Checks every import's type, allocates
 * the memories, tables, globals, function references and segments the module
 * defines, sets the stack limit for the calling thread, runs m->init and then
 * the start function, both guarded. `options` may be NULL.
 *
 * Returns the instance, owned by the caller (wa_rt_instance_free), or NULL
 * with *err filled (err may be NULL; m NULL, or imports NULL with nimports >
 * 0, is a LINK error). On a trap in init or start, earlier
 * segment writes into imported memories and tables stay, as the spec says.
 */
wa_rt_instance_t *wa_rt_instantiate(const wa_rt_module_t *m, const wa_rt_extern_t *imports,
                                    uint32_t nimports, const wa_rt_instantiate_options_t *options,
                                    wa_rt_error_t *err);

/* Frees an instance and what it defined (not its imports). NULL is ignored. */
void wa_rt_instance_free(wa_rt_instance_t *inst);

/* The export of `m` named name[0..name_len) of kind `kind`, or NULL. */
const wa_rt_export_t *wa_rt_module_export(const wa_rt_module_t *m, const char *name,
                                          size_t name_len, uint8_t kind);

/*
 * The export named name[0..name_len) of kind `kind` of an instance, as an
 * extern another instance can import. Returns false if there is none.
 */
bool wa_rt_instance_export(const wa_rt_instance_t *inst, const char *name, size_t name_len,
                           uint8_t kind, wa_rt_extern_t *out);

#ifdef __cplusplus
}
#endif

#endif
