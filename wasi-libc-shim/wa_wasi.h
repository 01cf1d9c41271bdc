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
 *
 * Naming: the WASI function `name` is the external symbol wa_wasi_<name>
 * (wa_wasi_fd_write, wa_wasi_proc_exit, ...), declared at the end of this
 * header from the table wasi_funcs.def, so generated code may also call them
 * directly. Only functions that are implemented are rows there, declared
 * and found by wa_wasi_lookup: an import of any other WASI function is an
 * unknown import.
 *
 * A context is used by one thread at a time (preview1 commands are
 * single-threaded), except in a wasi-threads program, whose threads share
 * the program's one context: calls that only read the fd table (fd_write,
 * fd_read, clock, random...) may run at once; opening, closing and
 * renumbering fds from several threads at once is not synchronised.
 */
#ifndef WA_WASI_H
#define WA_WASI_H

#include "wa_rt.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wa_wasi_ctx wa_wasi_ctx_t;

/*
 * A WASI context for a program that sees `argc` arguments `argv` (argv[0] is
 * the program name) and the environment `envp` (NULL-terminated "K=V"
 * strings; NULL means none). The strings are copied. WASI fds 0, 1 and 2 are
 * the host's stdin, stdout and stderr (each one only if the host has it
 * open). No directory is preopened: see wa_wasi_ctx_preopen. Returns NULL if
 * out of memory.
 */
wa_wasi_ctx_t *wa_wasi_ctx_new(int argc, const char *const *argv, const char *const *envp);

/* Frees the context and closes the host fds it opened itself (not the memory). */
void wa_wasi_ctx_free(wa_wasi_ctx_t *ctx);

/* The linear memory guest pointers refer to: the instance's exported "memory". */
void wa_wasi_ctx_set_memory(wa_wasi_ctx_t *ctx, wa_rt_memory_t *memory);

/*
 * Preopens the host directory `host_dir` under the name `guest_name` (what
 * fd_prestat_dir_name reports, e.g. "." or "/data"): it becomes the lowest
 * free WASI fd, stored in *fd. The guest reaches only what lies beneath it.
 * With `read_only`, the fd and everything opened through it lack every right
 * that writes (WA_WASI_RIGHTS_WRITING): writing, creating, renaming,
 * unlinking, linking and changing times or sizes are NOTCAPABLE. The
 * directory stays open until the context is freed or the guest closes it.
 * Returns false, with errno set, if the directory cannot be opened or memory
 * runs out.
 */
bool wa_wasi_ctx_preopen(wa_wasi_ctx_t *ctx, const char *host_dir, const char *guest_name,
                         bool read_only, uint32_t *fd);

/*
 * Listens on the TCP address `addr` ("HOST:PORT", "[IPv6]:PORT"; HOST may be
 * a name) and gives the guest the listening socket as the lowest free WASI fd,
 * stored in *fd, for sock_accept (wasmtime's --tcplisten). Returns false with
 * a reason in `why` (`why_size` bytes) if the address is malformed or cannot
 * be bound.
 */
bool wa_wasi_ctx_tcplisten(wa_wasi_ctx_t *ctx, const char *addr, uint32_t *fd, char *why,
                           size_t why_size);

/*
 * Makes guest fd `wasi_fd` (0, 1 or 2) stand for a duplicate of host fd
 * `host_fd` instead of the host's own stdio fd, which is left as it is.
 * False, with errno set, if wasi_fd is not 0, 1 or 2 or host_fd cannot be
 * duplicated.
 */
bool wa_wasi_ctx_set_stdio(wa_wasi_ctx_t *ctx, uint32_t wasi_fd, int host_fd);

typedef enum wa_wasi_lookup {
    WA_WASI_FOUND,         /* *code is the function */
    WA_WASI_UNKNOWN,       /* no such function in the module, or not a WASI module */
    WA_WASI_TYPE_MISMATCH, /* the function exists with another signature */
} wa_wasi_lookup_t;

/* Is `module` a WASI module name this shim implements ("wasi_snapshot_preview1")? */
bool wa_wasi_is_module(const char *module);

/*
 * Finds the host function for the import `module`.`name` declared with
 * function type `type`. *code is set only when the result is WA_WASI_FOUND.
 */
wa_wasi_lookup_t wa_wasi_lookup(const char *module, const char *name, const wa_rt_functype_t *type,
                                void **code);

/*
 * wasi-threads (wasi.thread-spawn): the program's way to start a thread,
 * which only the start-up code of an executable has (it can instantiate
 * the module again). spawn(data, start_arg) returns the new thread's id or
 * a negative value. Without one, thread-spawn returns -1.
 */
typedef int32_t (*wa_wasi_spawn_fn)(void *data, int32_t start_arg);
void wa_wasi_ctx_set_thread_spawn(wa_wasi_ctx_t *ctx, wa_wasi_spawn_fn spawn, void *data);

/*
 * The functions, one prototype per row of wasi_funcs.def, as the witx
 * (wasi_snapshot_preview1.witx) declares them: pointers and sizes are i32
 * guest values, results are written through guest pointers, the return value
 * is the WASI errno (0 is success); proc_exit never returns.
 */
#define WA_WASI_RESULT_ERRNO int32_t
#define WA_WASI_RESULT_EXIT _Noreturn void
#define WA_WASI_PARAMS(...) __VA_ARGS__
#define WA_WASI_FUNC(name, result, params)                                                         \
    WA_WASI_RESULT_##result wa_wasi_##name(wa_wasi_ctx_t *ctx WA_WASI_PARAMS params);
#define WA_WASI_I32(name) , int32_t name
#define WA_WASI_I64(name) , int64_t name
#define WA_WASI_RESULT_I32 int32_t
#define WA_WASI_FUNC_OF(module, name, cname, result, params)                                       \
    WA_WASI_RESULT_##result wa_wasi_##cname(wa_wasi_ctx_t *ctx WA_WASI_PARAMS params);
#include "wasi_funcs.def"
#undef WA_WASI_PARAMS
#undef WA_WASI_RESULT_I32
#undef WA_WASI_RESULT_ERRNO
#undef WA_WASI_RESULT_EXIT

#ifdef __cplusplus
}
#endif

#endif
