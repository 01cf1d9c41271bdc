/*
 * proc.c: proc_exit and proc_raise (wasi_snapshot_preview1.witx).
 *
 * proc_exit ends the program through the runtime (wa_rt_exit), which unwinds
 * the guarded call that runs _start, so the runtime, not the shim, decides how
 * the process ends and flushes what it must.
 *
 * thread-spawn (wasi-threads) is here too, as the other way a program
 * changes its process: the start-up code that can instantiate the module
 * again implements it (runtime/start/threads.c) and hands it to the context.
 *
 * proc_raise answers NOTSUP for every defined signal: a wasm module has no
 * signal handlers to run, and delivering a real host signal would bypass the
 * runtime (its SIGSEGV/SIGBUS handlers are the trap machinery). wasi-libc
 * never imports it (its emulated raise() runs the handler or exits by
 * itself); a program calling the raw import learns that no signal was sent.
 */
#include "wasi_impl.h"

#include "../runtime/wa_rt_api.h"

/* The highest $signal value in typenames.witx ($sys). */
#define WA_WASI_SIGNAL_MAX 30

_Noreturn void wa_wasi_proc_exit(wa_wasi_ctx_t *ctx, int32_t rval) {
    (void)ctx;
    wa_rt_exit(rval);
}

int32_t wa_wasi_proc_raise(wa_wasi_ctx_t *ctx, int32_t sig) {
    (void)ctx;
    if ((uint32_t)sig > WA_WASI_SIGNAL_MAX)
        return WA_WASI_EINVAL;
    return WA_WASI_ENOTSUP;
}

void wa_wasi_ctx_set_thread_spawn(wa_wasi_ctx_t *ctx, wa_wasi_spawn_fn spawn, void *data) {
    ctx->spawn = spawn;
    ctx->spawn_data = data;
}

int32_t wa_wasi_thread_spawn(wa_wasi_ctx_t *ctx, int32_t start_arg) {
    /* wasi-threads: a negative result is the error (no thread). */
    if (ctx->spawn == NULL)
        return -1;
    return ctx->spawn(ctx->spawn_data, start_arg);
}
