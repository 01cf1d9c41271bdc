/* sieve.c: a compute kernel of bench/access_cost (see run.py); prints a checksum. */
#include <stdio.h>
#include <string.h>
#define N 20000000
static unsigned char s[N];
int main(void) {
    int count = 0;
    for (int r = 0; r < 3; r++) {
        memset(s, 1, N);
        count = 0;
        for (int i = 2; i < N; i++)
            if (s[i]) {
                count++;
                for (long long j = (long long)i * i; j < N; j += i)
                    s[j] = 0;
            }
    }
    printf("%d\n", count);
    return 0;
}
