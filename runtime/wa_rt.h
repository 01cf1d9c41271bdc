/*
 * wa_rt.h: THE ABI between code that wasmaot generates and the runtime it
 * links with. It is the only header the compiler and the runtime share; the
 * compiler reads field offsets from these structs with offsetof, so generated
 * code and runtime always agree.
 *
 * Naming: functions wa_rt_*, types wa_rt_*_t, macros WA_RT_*: generated code
 * and embedders see these names, so they follow C-library style.
 *
 * The model:
 *  - A compiled module is a wa_rt_module_t descriptor (static data emitted by
 *    the compiler) plus native code for each function.
 *  - An instance (wa_rt_instance_t) is the module's state: memories, tables,
 *    globals, function references, segments. Generated code reaches all of it
 *    through the instance pointer passed as the first argument of every
 *    function ("ctx"), never through process-wide globals, so a process can
 *    hold many instances of many modules.
 *  - Every wasm function has the native signature
 *        R f(void *ctx, P1, P2, ...)
 *    with i32/i64/f32/f64 as int32_t/int64_t/float/double, v128 as a 16-byte
 *    vector, references as pointers; several results come back as a struct of
 *    them in order. For a function defined in wasm, ctx is its instance; an
 *    imported function is called with the ctx of its wa_rt_func_t (the
 *    exporting instance, or host data such as the WASI context).
 *  - A trap calls wa_rt_trap (explicit checks) or faults in a guard region
 *    (memory accesses, stack overflow); both end in the innermost
 *    wa_rt_call_guarded on this thread.
 */
#ifndef WA_RT_H
#define WA_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below changes layout; a module records the version it was built for. */
#define WA_RT_ABI_VERSION 3

#define WA_RT_PAGE_SIZE 65536u
#define WA_RT_MAX_PAGES 65536u /* wasm32: 4 GiB */

/*
 * Address space reserved for each linear memory: 8 GiB covers every address a
 * wasm32 access can form (u32 index + u32 offset + 16-byte access), so loads
 * and stores need no bounds check; the 64 KiB past it absorbs the access width.
 */
#define WA_RT_MEMORY_RESERVATION ((UINT64_C(8) << 30) + WA_RT_PAGE_SIZE)

/* Value type codes, as in the binary format. */
#define WA_RT_I32 0x7F
#define WA_RT_I64 0x7E
#define WA_RT_F32 0x7D
#define WA_RT_F64 0x7C
#define WA_RT_V128 0x7B
#define WA_RT_FUNCREF 0x70
#define WA_RT_EXTERNREF 0x6F

/* Extern kinds, as in the binary format. */
#define WA_RT_EXTERN_FUNC 0
#define WA_RT_EXTERN_TABLE 1
#define WA_RT_EXTERN_MEMORY 2
#define WA_RT_EXTERN_GLOBAL 3

/*
 * Traps: kind, and the message, worded exactly as the spec's reference
 * interpreter words it (the spec tests compare these texts).
 */
// clang-format off
#define WA_RT_TRAP_LIST(X)                                                                         \
    X(NONE, "no trap")                                                                             \
    X(UNREACHABLE, "unreachable")                                                                  \
    X(MEMORY_OUT_OF_BOUNDS, "out of bounds memory access")                                         \
    X(TABLE_OUT_OF_BOUNDS, "out of bounds table access")                                           \
    X(DIVIDE_BY_ZERO, "integer divide by zero")                                                    \
    X(INTEGER_OVERFLOW, "integer overflow")                                                        \
    X(INVALID_CONVERSION, "invalid conversion to integer")                                         \
    X(INDIRECT_CALL_TYPE_MISMATCH, "indirect call type mismatch")                                  \
    X(UNDEFINED_ELEMENT, "undefined element")                                                      \
    X(UNINITIALIZED_ELEMENT, "uninitialized element")                                              \
    X(NULL_REFERENCE, "null reference")                                                            \
    X(STACK_EXHAUSTED, "call stack exhausted")                                                     \
    X(UNKNOWN_IMPORT, "call to an unknown import")                                                 \
    X(EXIT, "program exited")
// clang-format on

typedef enum wa_rt_trap {
#define WA_RT_X(name, msg) WA_RT_TRAP_##name,
    WA_RT_TRAP_LIST(WA_RT_X)
#undef WA_RT_X
        WA_RT_TRAP_COUNT
} wa_rt_trap_t;

/* The spec's message for a trap kind. */
const char *wa_rt_trap_message(wa_rt_trap_t kind);

/* A value of any wasm type, for globals and for calls through the embedding API. */
typedef union wa_rt_value {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
    void *ref; /* funcref: const wa_rt_func_t *; externref: host pointer; NULL is null */
} wa_rt_value_t;

/*
 * The array calling convention, for calls whose types are known only at run
 * time (the embedding API): arguments in values[0 .. nparams), results
 * written back to values[0 .. nresults). A trampoline calls native `code`
 * with `ctx` and the arguments this way; the compiler emits one per function
 * type of an embeddable module (--emit=shared).
 */
typedef void (*wa_rt_trampoline_t)(void *code, void *ctx, wa_rt_value_t *values);

/*
 * A function the host provides, called with the array convention. Wasm calls
 * it through a host thunk: native code of the import's type (one per function
 * type, emitted by the compiler) whose ctx is a wa_rt_host_func_t.
 */
typedef void (*wa_rt_host_callback_t)(void *env, wa_rt_value_t *values);
typedef struct wa_rt_host_func {
    wa_rt_host_callback_t callback;
    void *env;
} wa_rt_host_func_t;

/* A linear memory. `base` never moves: growing only changes page protections. */
typedef struct wa_rt_memory {
    uint8_t *base;      /* first byte of linear memory */
    uint64_t size;      /* current size in bytes, a multiple of WA_RT_PAGE_SIZE */
    uint64_t max_pages; /* the most it may grow to (declared maximum, else WA_RT_MAX_PAGES) */
    uint64_t reserved;  /* bytes of address space reserved at base (incl. guard) */
    uint8_t has_max;    /* a maximum was declared (import matching needs to know, spec 4.5.2) */
} wa_rt_memory_t;

/*
 * A function reference: what funcref values point to and what tables hold.
 * One per (instance, function), immutable once the instance is made.
 */
typedef struct wa_rt_func {
    void *code;          /* native entry, signature as described above */
    void *ctx;           /* first argument to pass to code */
    uint32_t type_id;    /* canonical signature id: equal ids <=> equal function types */
    uint32_t func_index; /* index in its module (for messages) */
    const struct wa_rt_instance *instance; /* defining instance, NULL for host functions */
    wa_rt_trampoline_t trampoline;         /* calls code with the array convention; NULL if the
                                              module was not compiled to be embedded */
} wa_rt_func_t;

/* A table. `elems` may move when the table grows: generated code reloads it. */
typedef struct wa_rt_table {
    void **elems; /* size entries; NULL is the null reference */
    uint32_t size;
    uint32_t max;      /* declared maximum, else UINT32_MAX */
    uint8_t elem_type; /* WA_RT_FUNCREF or WA_RT_EXTERNREF */
    uint8_t has_max;   /* a maximum was declared (import matching needs to know, spec 4.5.2) */
} wa_rt_table_t;

/* A data or element segment of an instance; size drops to 0 when the segment is dropped. */
typedef struct wa_rt_segment {
    const void *data; /* data: bytes; elements: void *refs[size] */
    uint32_t size;
} wa_rt_segment_t;

/* ---- The module descriptor, emitted by the compiler as constant data. ---- */

typedef struct wa_rt_functype {
    uint32_t nparams;
    uint32_t nresults;
    const uint8_t *types; /* nparams parameter types, then nresults result types */
} wa_rt_functype_t;

typedef struct wa_rt_limits {
    uint64_t min;
    uint64_t max;
    uint8_t has_max;
} wa_rt_limits_t;

typedef struct wa_rt_table_type {
    uint8_t elem_type;
    wa_rt_limits_t limits;
} wa_rt_table_type_t;

typedef struct wa_rt_global_type {
    uint8_t type;
    uint8_t is_mutable;
} wa_rt_global_type_t;

typedef struct wa_rt_import {
    const char *module; /* NUL-terminated; names with NUL bytes keep their length below */
    const char *name;
    uint32_t module_len;
    uint32_t name_len;
    uint8_t kind;   /* WA_RT_EXTERN_* */
    uint32_t index; /* index in that kind's space (its type is in the module's arrays) */
} wa_rt_import_t;

typedef struct wa_rt_export {
    const char *name;
    uint32_t name_len;
    uint8_t kind;
    uint32_t index;
} wa_rt_export_t;

typedef struct wa_rt_data {
    const uint8_t *bytes;
    uint32_t size;
} wa_rt_data_t;

typedef struct wa_rt_instance wa_rt_instance_t;

typedef struct wa_rt_module {
    uint32_t abi_version; /* WA_RT_ABI_VERSION */
    const char *name;     /* from the name section, or NULL */

    uint32_t ntypes;
    const wa_rt_functype_t *types;
    uint32_t nimports;
    const wa_rt_import_t *imports;

    uint32_t nfuncs; /* including imported ones, which come first */
    uint32_t nfunc_imports;
    const uint32_t *func_types;    /* type index per function */
    void *const *func_code;        /* native code per function; NULL for imports */
    const char *const *func_names; /* name-section name per function, or NULL */

    uint32_t nmemories; /* including imported */
    const wa_rt_limits_t *memories;
    uint32_t ntables;
    const wa_rt_table_type_t *tables;
    uint32_t nglobals;
    const wa_rt_global_type_t *globals;
    uint32_t nexports;
    const wa_rt_export_t *exports;

    uint32_t ndatas;
    const wa_rt_data_t *datas;
    uint32_t nelems;
    const uint32_t *elem_sizes; /* element count per element segment */

    /*
     * Generated: evaluates global initialisers and element expressions, then
     * applies the active element and data segments in order and drops them
     * (spec 4.5.4). The runtime has allocated every global, table, memory and
     * segment array by then. May trap.
     */
    void (*init)(wa_rt_instance_t *inst);
    int64_t start_func; /* function index of the start function, or -1 */

    const void *code_start; /* the range of the module's native code, to name */
    const void *code_end;   /* the wasm function a trap happened in */

    /* Embeddable modules (--emit=shared) only; NULL otherwise. Per type index: */
    const wa_rt_trampoline_t *trampolines; /* array-convention callers of that type */
    void *const *host_thunks; /* native code of that type calling a wa_rt_host_func_t ctx */
} wa_rt_module_t;

/* ---- An instance: what generated code reaches through its ctx argument. ---- */

struct wa_rt_instance {
    uint8_t *mem0_base;        /* memory 0's base (NULL if none): cached, it never moves */
    wa_rt_memory_t *mem0;      /* memory 0, or NULL */
    uintptr_t stack_limit;     /* function prologues trap if their frame is below this */
    wa_rt_memory_t **memories; /* per memory index */
    wa_rt_table_t **tables;    /* per table index */
    wa_rt_value_t **globals;   /* per global index: its storage (imports: the exporter's) */
    wa_rt_func_t **funcs;      /* per function index (imports: the provider's reference) */
    const uint32_t *type_ids;  /* canonical signature id per module type index */
    wa_rt_segment_t *datas;    /* per data segment */
    wa_rt_segment_t *elems;    /* per element segment */
    const wa_rt_module_t *module;
    void *host_data; /* for the embedder */
};

/* ---- Runtime functions that generated code calls. ---- */

/*
 * Ends the innermost guarded call on this thread with a trap raised by an
 * explicit check in the code of wasm function `func_index` (UINT32_MAX: not
 * in a function, e.g. the module initialiser). The index names the function
 * exactly even when the optimiser inlined it into a caller.
 */
_Noreturn void wa_rt_trap(wa_rt_trap_t kind, uint32_t func_index);

/* memory.grow: the old size in pages, or -1 (as u32) if it cannot grow by delta pages. */
int32_t wa_rt_memory_grow(wa_rt_memory_t *mem, uint32_t delta_pages);

/* Bulk memory and table operations (spec 4.4.7, 4.4.6); each traps on out-of-bounds. */
void wa_rt_memory_init(wa_rt_instance_t *inst, uint32_t mem, uint32_t seg, uint32_t dst,
                       uint32_t src, uint32_t n);
void wa_rt_data_drop(wa_rt_instance_t *inst, uint32_t seg);
void wa_rt_memory_copy(wa_rt_instance_t *inst, uint32_t dst_mem, uint32_t src_mem, uint32_t dst,
                       uint32_t src, uint32_t n);
void wa_rt_memory_fill(wa_rt_instance_t *inst, uint32_t mem, uint32_t dst, uint32_t value,
                       uint32_t n);
void wa_rt_table_init(wa_rt_instance_t *inst, uint32_t table, uint32_t seg, uint32_t dst,
                      uint32_t src, uint32_t n);
void wa_rt_elem_drop(wa_rt_instance_t *inst, uint32_t seg);
void wa_rt_table_copy(wa_rt_instance_t *inst, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                      uint32_t src, uint32_t n);
int32_t wa_rt_table_grow(wa_rt_instance_t *inst, uint32_t table, void *init, uint32_t delta);
void wa_rt_table_fill(wa_rt_instance_t *inst, uint32_t table, uint32_t dst, void *value,
                      uint32_t n);

/*
 * The native entry the runtime gives an import that was allowed to stay
 * unresolved (--allow-unknown-imports): called with any arguments, it traps
 * with WA_RT_TRAP_UNKNOWN_IMPORT. Its ctx is the wa_rt_import_t it stands for.
 */
void wa_rt_unknown_import(void *ctx);

/* The descriptor a compiled executable defines for its module. */
extern const wa_rt_module_t wasmaot_module;

#ifdef __cplusplus
}
#endif

#endif
