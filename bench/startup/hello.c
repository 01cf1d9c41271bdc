/* hello.c: the start-up benchmark's program (bench/startup/run): one line to stdout. */
#include <stdio.h>

int main(void) {
    puts("hello, world");
    return 0;
}
