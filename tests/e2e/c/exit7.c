/*
 * exit7.c: exit(7) from deep inside the call stack, with atexit handlers.
 *
 * exit() must run the atexit handlers in reverse order, flush stdio, and end
 * the process with status 7 without returning to the callers; WASI maps it to
 * proc_exit(7).
 *
 * e2e-exit: 7
 */
#include <stdio.h>
#include <stdlib.h>

static void first_handler(void) {
    printf("atexit: first registered, runs last\n");
}

static void second_handler(void) {
    printf("atexit: second registered, runs first\n");
    fprintf(stderr, "stderr from atexit\n");
}

/* Called through a pointer, so the exit is also an indirect call. */
static void (*volatile quit)(int) = exit;

static int descend(int depth) {
    if (depth == 0) {
        fprintf(stderr, "fatal: giving up at the bottom\n");
        quit(7);
        return 0;
    }
    printf("depth %d\n", depth);
    return descend(depth - 1) + 1;
}

int main(void) {
    atexit(first_handler);
    atexit(second_handler);
    int r = descend(5);
    printf("not reached %d\n", r);
    return 0;
}
