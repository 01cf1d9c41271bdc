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

/* Room for a trap's line and its wasm backtrace (runtime/backtrace.c). */
#define WA_START_ENDING_SIZE 16384

/*
 * The exit status for a call that ended with `kind`: the code given to
 * proc_exit, WA_START_TRAP_EXIT_STATUS for a trap (with its one line in
 * line[0..size), then the wasm backtrace's lines when one was recorded,
 * without the last newline, to print on stderr; "" otherwise), 0 for a
 * normal return. Call it while the instance lives: the lines name its
 * functions.
 */
static inline int wa_start_exit_status(wa_rt_trap_t kind, const wa_rt_trap_info_t *info, char *line,
                                       size_t size) {
    line[0] = '\0';
    if (kind == WA_RT_TRAP_EXIT)
        return info->exit_code;
    if (kind == WA_RT_TRAP_NONE)
        return 0;
    size_t len = wa_rt_trap_format(info, line, size);
    if (len + 2 < size) {
        line[len] = '\n';
        size_t more = wa_rt_backtrace_format(line + len + 1, size - len - 1);
        if (more == 0 || len + 1 + more >= size)
            line[len] = '\0'; /* no backtrace, or one too long to show whole */
        else
            line[len + more] = '\0'; /* its last newline */
    }
    return WA_START_TRAP_EXIT_STATUS;
}

#endif
