/*
 * exitcode.c: a non-zero return from main, with output on both streams.
 *
 * Returning 3 from main must become exit status 3; buffered stdout must be
 * flushed at exit, and stderr text must arrive unchanged.
 *
 * e2e-exit: 3
 */
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    printf("about to return 3 (argc=%d)\n", argc);
    for (int i = 0; i < 3; i++)
        fprintf(stderr, "warning %d: something is off\n", i);
    fputs("unflushed stdout tail", stdout);
    return 3;
}
