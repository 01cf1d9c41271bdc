/* qsort.c: a compute kernel of bench/access_cost (see run.py); prints a checksum. */
#include <stdio.h>
#define N 2000000
static int v[N];
static void qs(int *a, int lo, int hi) {
    while (lo < hi) {
        int p = a[(lo + hi) / 2], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            qs(a, lo, j);
            lo = i;
        } else {
            qs(a, i, hi);
            hi = j;
        }
    }
}
int main(void) {
    unsigned s = 1;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        v[i] = (int)(s >> 1);
    }
    qs(v, 0, N - 1);
    long long t = 0;
    for (int i = 0; i < N; i += 1000)
        t += v[i];
    printf("%lld\n", t);
    return 0;
}
