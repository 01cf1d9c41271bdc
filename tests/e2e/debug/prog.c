/* prog.c: the C program of tests/e2e/debug_gdb.py (gdb on a -g build); the test finds its
   lines by the markers in the comments. */
#include <stdio.h>

static int square(int v) {
    int sq = v * v; /* line: square-body */
    return sq;
}

int main(void) {
    int total = 0;
    for (int i = 0; i < 5; i++) {
        total += square(i); /* line: call */
    }
    printf("total %d\n", total); /* line: print */
    return 0;
}
