/* frames.c: a compute kernel of bench/access_cost (see run.py); prints a checksum.
   Small functions with an address-taken local array, as C++ and Rust code is
   full of: each call moves the shadow stack pointer (the wasm global
   __stack_pointer) down and back up, around stores to linear memory. */
#include <stdio.h>
__attribute__((noinline)) static unsigned fill(unsigned *b, unsigned n, unsigned s) {
    for (unsigned i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        b[i] = s >> 8;
    }
    return s;
}
__attribute__((noinline)) static unsigned mix(unsigned s, unsigned n) {
    unsigned b[8];
    s = fill(b, n, s);
    unsigned t = 0;
    for (unsigned i = 0; i < n; i++)
        t = t * 31 + b[i];
    return t ^ s;
}
__attribute__((noinline)) static unsigned outer(unsigned s, int depth) {
    unsigned b[4] = {s, s >> 1, s >> 2, s >> 3};
    if (depth > 0)
        b[0] = outer(mix(s, 4 + (s & 3)), depth - 1);
    return fill(b, 2, b[0] ^ b[3]);
}
int main(void) {
    unsigned s = 1;
    for (int r = 0; r < 3000000; r++)
        s = outer(s, 6);
    printf("%u\n", s);
    return 0;
}
