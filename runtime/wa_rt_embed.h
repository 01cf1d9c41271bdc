/*
 * wa_rt_embed.h: the embedding API. A host program loads modules that
 * `wasmaot --emit=shared` compiled, instantiates them with imports it
 * provides (its own functions, memories, tables, globals, or the exports of
 * other instances), calls their exports by name with typed values, and reads
 * and writes their globals, memories and tables.
 *
 * The pieces below build on wa_rt_api.h (instantiation, guarded calls, type
 * ids). A typical host:
 *
 *     char why[256];
 *     wa_rt_loaded_t *lib = wa_rt_load("m.so", why, sizeof why);
 *     wa_rt_instance_t *inst = wa_rt_instantiate(wa_rt_loaded_module(lib), imports, n, NULL, &err);
 *     wa_rt_func_t *f = wa_rt_instance_func(inst, "add");
 *     wa_rt_value_t v[2] = {{.i32 = 1}, {.i32 = 2}};
 *     if (wa_rt_call(f, v) == WA_RT_TRAP_NONE) printf("%d\n", v[0].i32);
 *
 * Linking: a module's shared object leaves the wa_rt_* runtime functions
 * undefined, so the host executable must define and export every one of them
 * (link libwasmaot_rt.a whole, with --export-dynamic, then libwasmaot_common.a).
 *
 * Traps never end the host process: wa_rt_call returns the trap kind, and
 * wa_rt_last_trap() describes it.
 *
 * Misuse returns an error, never a crash, wherever the API can tell: a NULL
 * handle, a missing export, an export asked for with another type, a host
 * function bound to an import of another type (instantiation fails with
 * "incompatible import type"), a wrong count of values. Each function says
 * what it returns then: NULL, false, or WA_RT_TRAP_MISUSE (a kind of
 * wa_rt_trap_t no wasm code raises). What it cannot tell (a dangling
 * pointer, a values array shorter than promised, a value of another type in
 * an untyped wa_rt_value_t) stays the caller's responsibility.
 *
 * WASI: wa_wasi_embed.h (in the WASI shim) instantiates a WASI command or
 * reactor with the grants of the command line, on top of this API.
 */
#ifndef WA_RT_EMBED_H
#define WA_RT_EMBED_H

#include "wa_rt_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Loading compiled modules ---- */

/* A module shared object loaded into the process. */
typedef struct wa_rt_loaded wa_rt_loaded_t;

/*
 * Loads the shared object at `path` (dlopen), finds its `wasmaot_module`
 * descriptor and checks that it was built for this runtime's ABI and for
 * embedding (it has trampolines and host thunks). Returns NULL with one line
 * in why[0..why_size) on failure (why may be NULL). Loading the same path
 * twice gives two handles on one descriptor.
 */
wa_rt_loaded_t *wa_rt_load(const char *path, char *why, size_t why_size);

/* The descriptor of a loaded module, to pass to wa_rt_instantiate; NULL if lib is NULL. */
const wa_rt_module_t *wa_rt_loaded_module(const wa_rt_loaded_t *lib);

/*
 * The module's build record (wa_build_info.h), which a shared object has
 * when it was compiled with --fuel or --timeout (it says so), for
 * wa_wasi_config_set_build_info; NULL otherwise or if lib is NULL. Valid
 * while the module is loaded.
 */
const char *wa_rt_loaded_build_info(const wa_rt_loaded_t *lib);

/*
 * Unloads a module (NULL is ignored). Every instance of it must have been
 * freed first, and no host function may still use one of its host thunks
 * (see wa_rt_host_func_new): their code goes away with it.
 */
void wa_rt_unload(wa_rt_loaded_t *lib);

/* ---- Host functions ---- */

/*
 * A function the host implements, as a wa_rt_func_t that instances can
 * import and tables can hold. `callback(env, values)` receives the arguments
 * in values[0 .. nparams) and must write the results to values[0 .. nresults)
 * (the array has max(nparams, nresults) 16-byte slots). It may call back into
 * wasm with wa_rt_call; to trap, it calls wa_rt_trap(kind, UINT32_MAX) (no
 * wasm function raised it), which unwinds past it, so it must not hold
 * resources at that point.
 *
 * Its native code is bound when an instance first imports it (to that
 * module's host thunk of the type, see wa_rt_module_t.host_thunks), so the
 * first importing module must stay loaded while the function is used, and
 * wasm code can reach the function (through a table, say) only after some
 * instance imported it; wa_rt_call works before that. The type is copied.
 * Returns NULL if out of memory or if type or callback is NULL. Binding is not synchronised: do not
 * instantiate two modules importing the same unbound host function at once
 * on two threads. A funcref result the callback writes must likewise be NULL
 * or a function with code (nothing checks it there: the call comes straight
 * from generated code).
 */
wa_rt_func_t *wa_rt_host_func_new(const wa_rt_functype_t *type, wa_rt_host_callback_t callback,
                                  void *env);

/* Frees a host function (NULL is ignored); no instance may still refer to it. */
void wa_rt_host_func_free(wa_rt_func_t *f);

/* ---- Calling functions ---- */

/* The type of a function (wasm-defined or host); NULL if f is NULL. */
const wa_rt_functype_t *wa_rt_func_type(const wa_rt_func_t *f);

/*
 * Calls `f` with the array convention: arguments in values[0 .. nparams),
 * results written to values[0 .. nresults); the caller provides
 * max(nparams, nresults) slots and is responsible for the argument types.
 * Runs guarded: returns WA_RT_TRAP_NONE, or the kind of the trap that ended
 * the call (then wa_rt_last_trap() has the details and the results are
 * unspecified). Returns WA_RT_TRAP_MISUSE, calling nothing, if f is NULL
 * (wa_rt_instance_func found no such export), values is NULL while the
 * function has parameters or results, f has no trampoline (it does not come
 * from a module built with --emit=shared or from wa_rt_host_func_new), or a
 * funcref argument is a host function no instance has imported yet (wasm
 * could not call it, as for wa_rt_table_set). The calling thread must be the
 * one whose stack limit the callee's instance holds (wa_rt_api.h).
 */
wa_rt_trap_t wa_rt_call(const wa_rt_func_t *f, wa_rt_value_t *values);

/*
 * wa_rt_call with the counts checked: the caller passes nargs arguments in
 * an array of nvalues slots. Returns WA_RT_TRAP_MISUSE, calling nothing, if
 * nargs is not the function's parameter count or nvalues is less than
 * max(nparams, nresults), and in every case wa_rt_call does.
 */
wa_rt_trap_t wa_rt_call_checked(const wa_rt_func_t *f, wa_rt_value_t *values, uint32_t nargs,
                                uint32_t nvalues);

/* ---- Exports by name ---- */

/*
 * The export of `inst` named name[0 .. name_len), whatever its kind, as an
 * extern another instance can import (true), or false if the module has no
 * such export or inst, name or out is NULL. (wa_rt_instance_export asks for
 * one kind.)
 */
bool wa_rt_instance_export_any(const wa_rt_instance_t *inst, const char *name, size_t name_len,
                               wa_rt_extern_t *out);

/*
 * The exported function `name` of `inst`, or NULL if there is no such
 * function export or inst or name is NULL.
 */
wa_rt_func_t *wa_rt_instance_func(const wa_rt_instance_t *inst, const char *name);

/*
 * The exported function `name` of `inst` if its type is `type`
 * (parameters and results equal). NULL otherwise, with one line in
 * why[0 .. why_size) (why may be NULL), the name escaped (wa_escape.h):
 *     no function export "ad\x00d"
 *     export "add" is a function [i32 i32] -> [i32], not [i64] -> [i64]
 * also when inst, name or type is NULL.
 */
wa_rt_func_t *wa_rt_instance_func_typed(const wa_rt_instance_t *inst, const char *name,
                                        const wa_rt_functype_t *type, char *why, size_t why_size);

/*
 * Writes a function type as "[i32 i64] -> [f64]" into buf (truncated to
 * size, NUL-terminated if size > 0); returns the length it wanted.
 */
size_t wa_rt_functype_format(const wa_rt_functype_t *type, char *buf, size_t size);

/* ---- Imports by name ---- */

/*
 * An extern the host provides under the import name module.name (C
 * strings: names holding NUL bytes cannot be given this way; use the
 * positional array of wa_rt_instantiate).
 */
typedef struct wa_rt_named_extern {
    const char *module;
    const char *name;
    wa_rt_extern_t ext;
} wa_rt_named_extern_t;

/*
 * Fills imports[0 .. m->nimports) (the array wa_rt_instantiate takes) from
 * a list of named externs: import i gets the first entry whose module and
 * name equal its own. Entries no import names are ignored. True if every
 * import found one; false otherwise, with imports unfilled for the rest
 * and one line in why[0 .. why_size) naming the first import missing,
 * escaped (wa_escape.h): `unknown import: import 2 "env"."log" (function)`.
 * Kinds and types are checked by wa_rt_instantiate, as for positional
 * imports. False with a reason also if m or imports is NULL, or list is
 * NULL with n > 0.
 */
bool wa_rt_imports_by_name(const wa_rt_module_t *m, const wa_rt_named_extern_t *list, size_t n,
                           wa_rt_extern_t *imports, char *why, size_t why_size);

/*
 * A resolver: fills *out for import `imp` (of module `m`) and returns true,
 * or returns false if it has nothing for it.
 */
typedef bool (*wa_rt_import_resolver_t)(void *data, const wa_rt_module_t *m,
                                        const wa_rt_import_t *imp, wa_rt_extern_t *out);

/*
 * Fills imports[0 .. m->nimports) by asking `resolve` for each import in
 * order. Returns as wa_rt_imports_by_name (the first import it has nothing
 * for is named), false also if resolve is NULL.
 */
bool wa_rt_imports_resolve(const wa_rt_module_t *m, wa_rt_import_resolver_t resolve, void *data,
                           wa_rt_extern_t *imports, char *why, size_t why_size);

/*
 * The one-line name of import i of m for messages, `import 2 "env"."log"
 * (function)`, names escaped; returns the length it wanted.
 */
size_t wa_rt_import_describe(const wa_rt_module_t *m, uint32_t i, char *buf, size_t size);

/* ---- Exceptions (exception handling) ---- */

/*
 * A wasm call that throws an exception no wasm handler catches returns
 * WA_RT_TRAP_EXCEPTION from wa_rt_call, and wa_rt_last_trap()->exception is
 * the exception, which the caller then holds: read its tag (compare it with
 * a tag export, wa_rt_instance_export_any, by address) and its payload
 * (values[0 .. nvalues), one per parameter of the tag's type), and either
 * drop it with wa_rt_exception_release or, in a host function that wasm
 * called, throw it on with wa_rt_throw: it then unwinds into the wasm
 * caller, whose handlers may catch it.
 *
 * A host function throws a new exception with
 *     wa_rt_exception_t *x = wa_rt_exception_new(tag);  (payload zeroed)
 *     x->values[0].i32 = 42;
 *     wa_rt_throw(x);                                   (never returns)
 * (both in wa_rt.h). Like wa_rt_trap it leaves the host function's frame
 * without running anything there, so the function must not hold
 * resources at that point, and it needs unwind tables (the default of C
 * compilers on x86-64). Throwing outside any wasm call ends the innermost
 * wa_rt_call with WA_RT_TRAP_EXCEPTION.
 */

/* A new tag of the host's, with payload type `type` (its results must be empty); NULL if out
   of memory, type is NULL or the type has results. Instances can import it. */
wa_rt_tag_t *wa_rt_tag_new(const wa_rt_functype_t *type);

/* Frees a host tag (NULL is ignored); no instance or exception may still use it. */
void wa_rt_tag_free(wa_rt_tag_t *tag);

/* The payload type of a tag; NULL if tag is NULL. */
const wa_rt_functype_t *wa_rt_tag_type(const wa_rt_tag_t *tag);

/* ---- Globals ---- */

/*
 * Reads the global an extern of kind WA_RT_EXTERN_GLOBAL stands for (for
 * instance exports: wa_rt_instance_export_any). Values of type v128 fill all 16
 * bytes; others the member of their type. An all-zero value if global is
 * NULL or not a global.
 */
wa_rt_value_t wa_rt_global_get(const wa_rt_extern_t *global);

/*
 * Writes a global; false (and nothing written) if it is NULL, immutable or
 * not a global, or if a funcref value is a host function no instance has imported
 * yet (wasm could not call it, see wa_rt_table_set).
 */
bool wa_rt_global_set(const wa_rt_extern_t *global, wa_rt_value_t value);

/* ---- Memories ---- */

/* The memory's current size in pages; 0 if mem is NULL. */
uint32_t wa_rt_memory_pages(const wa_rt_memory_t *mem);

/*
 * Copies n bytes at linear address `addr` out of (read) or into (write) the
 * memory; false, copying nothing, if [addr, addr + n) is not inside its
 * current size, or mem is NULL, or the buffer is NULL with n > 0.
 */
bool wa_rt_memory_read(const wa_rt_memory_t *mem, uint64_t addr, void *dst, size_t n);
bool wa_rt_memory_write(wa_rt_memory_t *mem, uint64_t addr, const void *src, size_t n);

/* ---- Tables ---- */

/*
 * Reads element i of a table into *ref (NULL: the null reference); false if
 * i is out of bounds or table or ref is NULL. Funcref tables hold const wa_rt_func_t *.
 */
bool wa_rt_table_get(const wa_rt_table_t *table, uint32_t i, void **ref);

/*
 * Writes element i; false if out of bounds or table is NULL. A funcref table must be given a
 * wa_rt_func_t * whose code is bound (a wasm function, or a host function
 * some instance imported) or NULL: false otherwise, since wasm could not call it.
 */
bool wa_rt_table_set(wa_rt_table_t *table, uint32_t i, void *ref);

#ifdef __cplusplus
}
#endif

#endif
