/*
 * tak.c: a compute kernel of bench/access_cost (see run.py); prints a
 * checksum. Ackermann's function and Takeuchi's: deep recursion (ack goes
 * tens of thousands of frames deep) and three recursive calls per call
 * (tak), so nearly all the time is calls, returns and their prologues.
 */
#include <stdio.h>

__attribute__((noinline)) static unsigned ack(unsigned m, unsigned n) {
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

__attribute__((noinline)) static unsigned tak(unsigned x, unsigned y, unsigned z) {
    return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
}

int main(int argc, char **argv) {
    (void)argv;
    /* argc keeps the arguments unknown to the optimiser. */
    unsigned s = 0;
    for (int i = 0; i < 20; i++)
        s += ack(2 + (unsigned)argc, 11 + i % 2);
    s += tak(26 + (unsigned)argc, 18, 9);
    printf("%u\n", s);
    return 0;
}
