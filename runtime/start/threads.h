/*
 * threads.h: wasi-threads for compiled executables (threads.c), as the
 * start-up code (entry.c) uses it.
 */
#ifndef WA_START_THREADS_H
#define WA_START_THREADS_H

#include "../../wasi-libc-shim/wa_wasi.h"
#include "../wa_rt_api.h"

#include <stdbool.h>

/*
 * Makes wasi.thread-spawn work for module m, whose instances all get the
 * imports `externs` (m->nimports of them, the shared memory among them;
 * they must outlive every thread) and the WASI context `wasi`.
 */
void wa_start_threads_init(const wa_rt_module_t *m, const wa_rt_extern_t *externs,
                           wa_wasi_ctx_t *wasi);

/* Has a thread been spawned? Then the process must end without freeing what threads use. */
bool wa_start_threads_spawned(void);

/*
 * Ends the process for a trap or an exit in any thread but the main one:
 * stdout flushed, the trap's one line on stderr and status 134, or the exit
 * code, without running exit handlers while other threads still run wasm.
 */
_Noreturn void wa_start_threads_end(wa_rt_trap_t kind, const wa_rt_trap_info_t *info);

#endif
