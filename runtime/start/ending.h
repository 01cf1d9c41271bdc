/*
 * ending.h: how a guarded call's end becomes the process's exit, shared by
 * the main thread (entry.c) and spawned ones (threads.c).
 */
#ifndef WA_START_ENDING_H
#define WA_START_ENDING_H

#include "../wa_rt_api.h"

#include <stddef.h>

/* Exit status of a program that trapped: 128 + SIGABRT, as if it had aborted. */
#define WA_START_TRAP_EXIT_STATUS 134

/*
 * The exit status for a call that ended with `kind`: the code given to
 * proc_exit, WA_START_TRAP_EXIT_STATUS for a trap (with its one line in
 * line[0..size), to print on stderr; "" otherwise), 0 for a normal return.
 * Call it while the instance lives: the line names its function.
 */
static inline int wa_start_exit_status(wa_rt_trap_t kind, const wa_rt_trap_info_t *info, char *line,
                                       size_t size) {
    line[0] = '\0';
    if (kind == WA_RT_TRAP_EXIT)
        return info->exit_code;
    if (kind == WA_RT_TRAP_NONE)
        return 0;
    wa_rt_trap_format(info, line, size);
    return WA_START_TRAP_EXIT_STATUS;
}

#endif
