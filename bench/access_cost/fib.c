/*
 * fib.c: a compute kernel of bench/access_cost (see run.py); prints a
 * checksum. Doubly recursive Fibonacci: almost nothing but calls and
 * returns, so it shows what each call costs (the stack check in particular).
 */
#include <stdio.h>

__attribute__((noinline)) static unsigned fib(unsigned n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
    (void)argv;
    /* argc keeps the argument unknown to the optimiser. */
    printf("%u\n", fib(38 + (unsigned)argc));
    return 0;
}
