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
 * header, so generated code may also call them directly. Only functions that
 * are implemented are declared and found by wa_wasi_lookup: an import of any
 * other WASI function is an unknown import.
 *
 * A context is used by one thread at a time (preview1 commands are
 * single-threaded).
 */
#ifndef WA_WASI_H
#define WA_WASI_H

#include "../runtime/wa_rt.h"

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
 * The functions, as the witx (wasi_snapshot_preview1.witx) declares them:
 * pointers and sizes are i32 guest values, results are written through guest
 * pointers, the return value is the WASI errno (0 is success).
 */
int32_t wa_wasi_args_get(wa_wasi_ctx_t *ctx, int32_t argv, int32_t argv_buf);
int32_t wa_wasi_args_sizes_get(wa_wasi_ctx_t *ctx, int32_t argc_out, int32_t buf_size_out);
int32_t wa_wasi_environ_get(wa_wasi_ctx_t *ctx, int32_t environ_ptrs, int32_t environ_buf);
int32_t wa_wasi_environ_sizes_get(wa_wasi_ctx_t *ctx, int32_t count_out, int32_t buf_size_out);
int32_t wa_wasi_clock_res_get(wa_wasi_ctx_t *ctx, int32_t id, int32_t res_out);
int32_t wa_wasi_clock_time_get(wa_wasi_ctx_t *ctx, int32_t id, int64_t precision, int32_t time_out);
int32_t wa_wasi_fd_advise(wa_wasi_ctx_t *ctx, int32_t fd, int64_t offset, int64_t len,
                          int32_t advice);
int32_t wa_wasi_fd_allocate(wa_wasi_ctx_t *ctx, int32_t fd, int64_t offset, int64_t len);
int32_t wa_wasi_fd_close(wa_wasi_ctx_t *ctx, int32_t fd);
int32_t wa_wasi_fd_datasync(wa_wasi_ctx_t *ctx, int32_t fd);
int32_t wa_wasi_fd_fdstat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t fdstat_out);
int32_t wa_wasi_fd_fdstat_set_flags(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags);
int32_t wa_wasi_fd_fdstat_set_rights(wa_wasi_ctx_t *ctx, int32_t fd, int64_t rights_base,
                                     int64_t rights_inheriting);
int32_t wa_wasi_fd_filestat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t filestat_out);
int32_t wa_wasi_fd_filestat_set_size(wa_wasi_ctx_t *ctx, int32_t fd, int64_t size);
int32_t wa_wasi_fd_filestat_set_times(wa_wasi_ctx_t *ctx, int32_t fd, int64_t atim, int64_t mtim,
                                      int32_t fst_flags);
int32_t wa_wasi_fd_pread(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                         int64_t offset, int32_t nread_out);
int32_t wa_wasi_fd_prestat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t prestat_out);
int32_t wa_wasi_fd_prestat_dir_name(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path, int32_t path_len);
int32_t wa_wasi_fd_pwrite(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                          int64_t offset, int32_t nwritten_out);
int32_t wa_wasi_fd_read(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                        int32_t nread_out);
int32_t wa_wasi_fd_readdir(wa_wasi_ctx_t *ctx, int32_t fd, int32_t buf, int32_t buf_len,
                           int64_t cookie, int32_t bufused_out);
int32_t wa_wasi_fd_renumber(wa_wasi_ctx_t *ctx, int32_t fd, int32_t to);
int32_t wa_wasi_fd_seek(wa_wasi_ctx_t *ctx, int32_t fd, int64_t offset, int32_t whence,
                        int32_t newoffset_out);
int32_t wa_wasi_fd_sync(wa_wasi_ctx_t *ctx, int32_t fd);
int32_t wa_wasi_fd_tell(wa_wasi_ctx_t *ctx, int32_t fd, int32_t offset_out);
int32_t wa_wasi_fd_write(wa_wasi_ctx_t *ctx, int32_t fd, int32_t iovs, int32_t iovs_len,
                         int32_t nwritten_out);
int32_t wa_wasi_path_create_directory(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path,
                                      int32_t path_len);
int32_t wa_wasi_path_filestat_get(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags, int32_t path,
                                  int32_t path_len, int32_t filestat_out);
int32_t wa_wasi_path_filestat_set_times(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags, int32_t path,
                                        int32_t path_len, int64_t atim, int64_t mtim,
                                        int32_t fst_flags);
int32_t wa_wasi_path_link(wa_wasi_ctx_t *ctx, int32_t old_fd, int32_t old_flags, int32_t old_path,
                          int32_t old_path_len, int32_t new_fd, int32_t new_path,
                          int32_t new_path_len);
int32_t wa_wasi_path_open(wa_wasi_ctx_t *ctx, int32_t fd, int32_t dirflags, int32_t path,
                          int32_t path_len, int32_t oflags, int64_t fs_rights_base,
                          int64_t fs_rights_inheriting, int32_t fdflags, int32_t fd_out);
int32_t wa_wasi_path_readlink(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path, int32_t path_len,
                              int32_t buf, int32_t buf_len, int32_t bufused_out);
int32_t wa_wasi_path_remove_directory(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path,
                                      int32_t path_len);
int32_t wa_wasi_path_rename(wa_wasi_ctx_t *ctx, int32_t fd, int32_t old_path, int32_t old_path_len,
                            int32_t new_fd, int32_t new_path, int32_t new_path_len);
int32_t wa_wasi_path_symlink(wa_wasi_ctx_t *ctx, int32_t old_path, int32_t old_path_len, int32_t fd,
                             int32_t new_path, int32_t new_path_len);
int32_t wa_wasi_path_unlink_file(wa_wasi_ctx_t *ctx, int32_t fd, int32_t path, int32_t path_len);
int32_t wa_wasi_poll_oneoff(wa_wasi_ctx_t *ctx, int32_t in, int32_t out, int32_t nsubscriptions,
                            int32_t nevents_out);
_Noreturn void wa_wasi_proc_exit(wa_wasi_ctx_t *ctx, int32_t rval);
int32_t wa_wasi_proc_raise(wa_wasi_ctx_t *ctx, int32_t sig);
int32_t wa_wasi_random_get(wa_wasi_ctx_t *ctx, int32_t buf, int32_t buf_len);
int32_t wa_wasi_sched_yield(wa_wasi_ctx_t *ctx);
int32_t wa_wasi_sock_accept(wa_wasi_ctx_t *ctx, int32_t fd, int32_t flags, int32_t fd_out);
int32_t wa_wasi_sock_recv(wa_wasi_ctx_t *ctx, int32_t fd, int32_t ri_data, int32_t ri_data_len,
                          int32_t ri_flags, int32_t ro_datalen_out, int32_t ro_flags_out);
int32_t wa_wasi_sock_send(wa_wasi_ctx_t *ctx, int32_t fd, int32_t si_data, int32_t si_data_len,
                          int32_t si_flags, int32_t so_datalen_out);
int32_t wa_wasi_sock_shutdown(wa_wasi_ctx_t *ctx, int32_t fd, int32_t how);

#ifdef __cplusplus
}
#endif

#endif
