/* strops.c: a compute kernel of bench/access_cost (see run.py); prints a checksum. */
#include <stdio.h>
#include <string.h>
static char buf[1 << 16], out[1 << 16];
static size_t mylen(const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}
int main(void) {
    for (int i = 0; i < (1 << 16) - 1; i++)
        buf[i] = 'a' + i % 26;
    unsigned long t = 0;
    for (int r = 0; r < 15000; r++) {
        buf[(r * 7919) % 65000] = 0;
        t += mylen(buf);
        for (int i = 0; i < 60000; i++)
            out[i] = buf[i] ^ (char)r;
        t += out[r % 60000];
        buf[(r * 7919) % 65000] = 'x';
    }
    printf("%lu\n", t);
    return 0;
}
