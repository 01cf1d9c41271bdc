/*
 * wa_rt.h: THE ABI between code that wasmaot generates and the runtime it
 * links with. It is the only header the compiler and the runtime share. The
 * facts both sides must agree on are tables the compiler expands too: the
 * runtime functions generated code calls (wa_rt_calls.def) and the fields of
 * the structs it emits or reads (wa_rt_layout.def); this header expands them
 * into C prototypes and structs.
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
#define WA_RT_ABI_VERSION 12

#define WA_RT_PAGE_SIZE 65536u
#define WA_RT_MAX_PAGES 65536u /* wasm32: 4 GiB; also the most a memory64 memory grows to here */
/* The largest maximum a memory64 memory may declare (2^48 pages: 2^64 bytes). */
#define WA_RT_MAX_PAGES64 (UINT64_C(1) << 48)

/*
 * Address space reserved for each linear memory: 8 GiB covers every address a
 * wasm32 access can form (u32 index + u32 offset + 16-byte access), so loads
 * and stores need no bounds check; the 64 KiB past it absorbs the access width.
 * A memory64 memory gets the same reservation and grows to WA_RT_MAX_PAGES at
 * most, so the WA_RT_MEMORY64_GUARD bytes past any size it can have are
 * reserved too: generated code checks only that an i64 address is below the
 * size when memarg offset + access width fits in them (compiler/lower/memory.c).
 */
#define WA_RT_MEMORY_RESERVATION ((UINT64_C(8) << 30) + WA_RT_PAGE_SIZE)
#define WA_RT_MEMORY64_GUARD                                                                       \
    (WA_RT_MEMORY_RESERVATION - (uint64_t)WA_RT_MAX_PAGES * WA_RT_PAGE_SIZE)

/* Value type codes, as in the binary format. */
#define WA_RT_I32 0x7F
#define WA_RT_I64 0x7E
#define WA_RT_F32 0x7D
#define WA_RT_F64 0x7C
#define WA_RT_V128 0x7B
#define WA_RT_FUNCREF 0x70
#define WA_RT_EXTERNREF 0x6F
#define WA_RT_EXNREF 0x69 /* exception handling: a wa_rt_exception_t * */

/* Extern kinds, as in the binary format. */
#define WA_RT_EXTERN_FUNC 0
#define WA_RT_EXTERN_TABLE 1
#define WA_RT_EXTERN_MEMORY 2
#define WA_RT_EXTERN_GLOBAL 3
#define WA_RT_EXTERN_TAG 4 /* exception handling */

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
    X(EXIT, "program exited")                                                                      \
    X(UNALIGNED_ATOMIC, "unaligned atomic")                                                        \
    X(EXPECTED_SHARED_MEMORY, "expected shared memory")                                            \
    X(EXCEPTION, "uncaught exception")                                                             \
    X(NULL_EXNREF, "null exception reference")                                                    \
    X(FUEL_EXHAUSTED, "all fuel consumed")                                                         \
    X(INTERRUPTED, "interrupted")                                                                  \
    X(MISUSE, "embedding API misuse") /* never raised by wasm code: wa_rt_embed.h */
// clang-format on

typedef enum wa_rt_trap {
#define WA_RT_X(name, msg) WA_RT_TRAP_##name,
    WA_RT_TRAP_LIST(WA_RT_X)
#undef WA_RT_X
        WA_RT_TRAP_COUNT
} wa_rt_trap_t;

/* The spec's message for a trap kind. */
const char *wa_rt_trap_message(wa_rt_trap_t kind);

/*
 * ABI type codes: the types of the values that cross between generated code
 * and the runtime, as the tables wa_rt_calls.def and wa_rt_layout.def name
 * them. Each code is a macro WA_RT_ABI_<CODE>(V) that expands to
 * V(CODE, C type, KIND) for a view V. KIND is what generated code makes of
 * it: VOID (no value; results only), INT (an integer of the C type's size),
 * PTR (a pointer), STRUCT (the struct of the same NAME in wa_rt_layout.def,
 * by value).
 */
// clang-format off
#define WA_RT_ABI_VOID(V)   V(VOID,   void,               VOID)
#define WA_RT_ABI_U8(V)     V(U8,     uint8_t,            INT)
#define WA_RT_ABI_I32(V)    V(I32,    int32_t,            INT)
#define WA_RT_ABI_U32(V)    V(U32,    uint32_t,           INT)
#define WA_RT_ABI_I64(V)    V(I64,    int64_t,            INT)
#define WA_RT_ABI_U64(V)    V(U64,    uint64_t,           INT)
#define WA_RT_ABI_UPTR(V)   V(UPTR,   uintptr_t,          INT)
#define WA_RT_ABI_TRAP(V)   V(TRAP,   wa_rt_trap_t,       INT)
#define WA_RT_ABI_PTR(V)    V(PTR,    void *,             PTR)
#define WA_RT_ABI_INST(V)   V(INST,   wa_rt_instance_t *, PTR)
#define WA_RT_ABI_MEMORY(V) V(MEMORY, wa_rt_memory_t *,   PTR)
#define WA_RT_ABI_LIMITS(V) V(LIMITS, wa_rt_limits_t,     STRUCT)
// clang-format on

/*
 * For the views of parenthesised lists such as the PARAMS of
 * wa_rt_calls.def (1 to 6 elements): WA_RT_MAP(F, (a, b)) is F(a), F(b) and
 * WA_RT_COUNT((a, b)) is 2.
 */
#define WA_RT_UNPAREN(...) __VA_ARGS__
#define WA_RT_NARGS(...) WA_RT_NARGS_(__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define WA_RT_NARGS_(a1, a2, a3, a4, a5, a6, n, ...) n
#define WA_RT_CAT(a, b) WA_RT_CAT_(a, b)
#define WA_RT_CAT_(a, b) a##b
#define WA_RT_COUNT(list) WA_RT_COUNT_(WA_RT_UNPAREN list)
#define WA_RT_COUNT_(...) WA_RT_NARGS(__VA_ARGS__)
#define WA_RT_MAP(F, list) WA_RT_MAP_LIST(F, WA_RT_UNPAREN list)
#define WA_RT_MAP_LIST(F, ...) WA_RT_CAT(WA_RT_MAP_, WA_RT_NARGS(__VA_ARGS__))(F, __VA_ARGS__)
#define WA_RT_MAP_1(F, a) F(a)
#define WA_RT_MAP_2(F, a, ...) F(a), WA_RT_MAP_1(F, __VA_ARGS__)
#define WA_RT_MAP_3(F, a, ...) F(a), WA_RT_MAP_2(F, __VA_ARGS__)
#define WA_RT_MAP_4(F, a, ...) F(a), WA_RT_MAP_3(F, __VA_ARGS__)
#define WA_RT_MAP_5(F, a, ...) F(a), WA_RT_MAP_4(F, __VA_ARGS__)
#define WA_RT_MAP_6(F, a, ...) F(a), WA_RT_MAP_5(F, __VA_ARGS__)

/* The C type of ABI type code `code`. */
#define WA_RT_CTYPE(code) WA_RT_ABI_##code(WA_RT_CTYPE_)
#define WA_RT_CTYPE_(CODE, ctype, KIND) ctype

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

typedef struct wa_rt_instance wa_rt_instance_t;

/* The module initialiser, generated: see the module's `init` field below. */
typedef void (*wa_rt_module_init_t)(wa_rt_instance_t *inst);

/*
 * The shared structs, each field documented in wa_rt_layout.def:
 *  - run-time objects generated code reads: wa_rt_memory_t (a linear memory;
 *    its base never moves), wa_rt_func_t (a function reference: what funcref
 *    values point to and tables hold), wa_rt_table_t (its elems may move when
 *    it grows), wa_rt_segment_t (a data or element segment of an instance),
 *    wa_rt_host_func_t (the ctx of a host thunk);
 *  - the module descriptor the compiler emits as constant data: wa_rt_module_t
 *    and what it points to, wa_rt_functype_t, wa_rt_limits_t,
 *    wa_rt_table_type_t, wa_rt_global_type_t, wa_rt_import_t, wa_rt_export_t,
 *    wa_rt_data_t;
 *  - the instance, wa_rt_instance_t: what generated code reaches through its
 *    ctx argument.
 *
 * The module's `init` is generated: it evaluates global initialisers and
 * element expressions, then applies the active element and data segments in
 * order and drops them (spec 4.5.4). The runtime has allocated every global,
 * table, memory and segment array by then. It may trap.
 */
#define WA_RT_STRUCT(NAME, name) typedef struct wa_rt_##name {
#define WA_RT_FIELD(STRUCT, NAME, name, CTYPE, ABI) CTYPE name;
#define WA_RT_END(NAME, name)                                                                      \
    }                                                                                              \
    wa_rt_##name##_t;
#include "wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END

/*
 * Backtrace sites (compiler/codegen/sites.h): what each of the
 * descriptor's sites[0, nsites) points to, one blob per object the
 * compiler wrote (a chunk: its section `wasmaot_sites`, symbol
 * `wasmaot_sites_<k>`), unaligned. It starts with WA_RT_SITES_HEADER_WORDS
 * little-endian u32 words (read with memcpy):
 *   magic (WA_RT_SITES_MAGIC), size (bytes of the blob), first_func and
 *   nfuncs (the functions first_func + i whose code is in this object),
 *   and the byte offsets from the blob's start of its entries, nodes and
 *   files
 * then nfuncs u32 words: where each function's entries start in the
 * entries stream (they end where the next function's start, or at the
 * nodes). The rest are streams of unsigned LEB128 numbers:
 *   entries  per function, {gap, length, node} each: the native code from
 *            (the previous entry's end, or the start of the function's
 *            body: func_tail_code[func] if it has one, else
 *            func_code[func]) + gap, for length bytes, is a site, whose
 *            innermost wasm frame is the node at byte (the previous
 *            entry's node, or 0) + step of the nodes stream, where node is
 *            the signed step zigzag-coded (step = node >> 1, or
 *            -(node >> 1) - 1 when node is odd)
 *   nodes    {parent, func, offset, file, line, column}: a wasm frame, its
 *            caller's node `parent` bytes before this one; parent 0: the
 *            frame of the function whose native code this is, whose func
 *            is then left out; offset: 1 + the file offset of the frame's
 *            trapping or calling instruction - func_offsets[func] (0: not
 *            known); file: 1 + an index of the files, the instruction's
 *            source position from the module's DWARF (0: none, and no line
 *            and column follow; column 0: unknown)
 *   files    a count, then that many NUL-terminated file names
 */
#define WA_RT_SITES_MAGIC 0x53534157u /* "WASS" */
#define WA_RT_SITES_HEADER_WORDS 7u
#define WA_RT_SITES_UNKNOWN 0u

/*
 * The storage of an instance's own globals (those it defines, not imports)
 * follows the instance struct: global i, for i at or above the module's
 * number of global imports n, is the wa_rt_value_t at
 *     (char *)inst + WA_RT_INSTANCE_GLOBALS_OFFSET + (i - n) * WA_RT_GLOBAL_CELL_SIZE
 * which inst->globals[i] also points to. Generated code reads and writes an
 * own global there, at a fixed offset from ctx, with no load; an imported one
 * through inst->globals[i] (the exporter's storage). The host's storage for a
 * global it provides must lie outside every linear memory (generated code
 * assumes that wasm memory accesses never touch a global: compiler/lower/
 * memory.c).
 */
#define WA_RT_INSTANCE_GLOBALS_OFFSET sizeof(wa_rt_instance_t)
#define WA_RT_GLOBAL_CELL_SIZE 16

/* ---- Runtime functions that generated code calls (wa_rt_calls.def documents each). ---- */

#define WA_RT_HOW_PLAIN
#define WA_RT_HOW_NOTAIL
#ifdef __cplusplus
#define WA_RT_HOW_NORETURN [[noreturn]]
#else
#define WA_RT_HOW_NORETURN _Noreturn
#endif
#define WA_RT_CALL(NAME, name, RESULT, PARAMS, HOW)                                                \
    WA_RT_HOW_##HOW WA_RT_CTYPE(RESULT) wa_rt_##name(WA_RT_MAP(WA_RT_CTYPE, PARAMS));
#include "wa_rt_calls.def"
#undef WA_RT_CALL

/*
 * memory.copy and memory.fill (spec 4.4.7), trapping on out-of-bounds.
 * Generated code inlines them (compiler/lower/bulk.c) and never calls these.
 */
void wa_rt_memory_copy(wa_rt_instance_t *inst, uint32_t dst_mem, uint32_t src_mem, uint32_t dst,
                       uint32_t src, uint32_t n);
void wa_rt_memory_fill(wa_rt_instance_t *inst, uint32_t mem, uint32_t dst, uint32_t value,
                       uint32_t n);

/*
 * The native entry the runtime gives an import that was allowed to stay
 * unresolved (--allow-unknown-imports): called with any arguments, it traps
 * with WA_RT_TRAP_UNKNOWN_IMPORT. Its ctx is the wa_rt_import_t it stands for.
 */
void wa_rt_unknown_import(void *ctx);

/*
 * The limits' state that code compiled with --fuel or --timeout reads
 * (runtime/limits.c; compiler/lower/limits.c emits the checks). Code
 * compiled without them never refers to these.
 *  - wa_rt_fuel: the fuel left, process-wide (every thread draws on it);
 *    each check at a function entry or loop header subtracts the number of
 *    wasm instructions up to the next check and traps "all fuel consumed"
 *    when the result is negative. INT64_MAX until set (wa_rt_set_fuel).
 *  - wa_rt_interrupt: nonzero once the --timeout has expired; the same
 *    places trap "interrupted" when they see it.
 */
extern int64_t wa_rt_fuel;
extern volatile uint32_t wa_rt_interrupt;

/* The descriptor a compiled executable defines for its module. */
extern const wa_rt_module_t wasmaot_module;

#ifdef __cplusplus
}
#endif

#endif
