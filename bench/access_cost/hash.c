/* hash.c: a compute kernel of bench/access_cost (see run.py); prints a checksum. */
#include <stdio.h>
#define CAP (1 << 20)
static unsigned keys[CAP], vals[CAP];
int main(void) {
    unsigned s = 7, hits = 0;
    for (int r = 0; r < 40000000; r++) {
        s = s * 1664525u + 1013904223u;
        unsigned k = (s >> 12) | 1, h = (k * 2654435761u) & (CAP - 1);
        while (keys[h] && keys[h] != k)
            h = (h + 1) & (CAP - 1);
        if (keys[h] == k) {
            vals[h]++;
            hits++;
        } else if (r % 2) {
            keys[h] = k;
            vals[h] = 1;
        }
    }
    printf("%u\n", hits);
    return 0;
}
