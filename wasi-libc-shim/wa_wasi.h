/*
 * wa_wasi.h: the host side of WASI preview1 (module "wasi_snapshot_preview1"),
 * implemented on POSIX, as the runtime's start-up code uses it.
 *
 * Each WASI function is a native function with the wasm calling convention of
 * wa_rt.h: its first argument is the wa_wasi_ctx_t (the ctx of its
 * wa_rt_func_t), then the wasm parameters (all i32/i64), and it returns the
 * errno as int32_t (proc_exit returns nothing). Guest pointers are offsets
 * into the memory given by wa_wasi_ctx_set_memory; every (pointer, length) is
 * checked against its current size, and a bad one returns EFAULT: bad guest
 * input never traps or crashes the host. Host errno values are mapped to WASI
 * ones through one table.
 */
#ifndef WA_WASI_H
#define WA_WASI_H

#include "../runtime/wa_rt.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct wa_wasi_ctx wa_wasi_ctx_t;

/*
 * A WASI context for a program that sees `argc` arguments `argv` (argv[0] is
 * the program name) and the environment `envp` (NULL-terminated "K=V"
 * strings). The strings are copied. No directory is preopened yet.
 */
wa_wasi_ctx_t *wa_wasi_ctx_new(int argc, const char *const *argv, const char *const *envp);

/* Frees the context (not the memory). */
void wa_wasi_ctx_free(wa_wasi_ctx_t *ctx);

/* The linear memory guest pointers refer to: the instance's exported "memory". */
void wa_wasi_ctx_set_memory(wa_wasi_ctx_t *ctx, wa_rt_memory_t *memory);

typedef enum wa_wasi_lookup {
    WA_WASI_FOUND,         /* *code is the function */
    WA_WASI_UNKNOWN,       /* no such function in the module, or not a WASI module */
    WA_WASI_TYPE_MISMATCH, /* the function exists with another signature */
} wa_wasi_lookup_t;

/* Is `module` a WASI module name this shim implements ("wasi_snapshot_preview1")? */
bool wa_wasi_is_module(const char *module);

/*
 * Finds the host function for the import `module`.`name` declared with
 * function type `type`.
 */
wa_wasi_lookup_t wa_wasi_lookup(const char *module, const char *name,
                                const wa_rt_functype_t *type, void **code);

#endif
