/*
 * wa_rt_api.h: the runtime as its callers see it: the start-up code of a
 * compiled executable, the WASI shim, and (later) embedders.
 *
 * Placeholder contract, filled in by runtime/: see the functions below.
 */
#ifndef WA_RT_API_H
#define WA_RT_API_H

#include "wa_rt.h"

/*
 * Ends the innermost guarded call with WA_RT_TRAP_EXIT and the given exit
 * code (WASI proc_exit). Outside any guarded call, exits the process.
 */
_Noreturn void wa_rt_exit(int32_t code);

#endif
