/* fptr_sort.c: a compute kernel of bench/access_cost (see run.py); prints a checksum.
   Quicksort whose comparisons go through a function pointer (call_indirect in wasm). */
#include <stdio.h>
#define N 1000000
typedef int (*cmp_fn)(const void *, const void *);
static int v[N];
static int cmp_asc(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}
static int cmp_desc(const void *a, const void *b) {
    return cmp_asc(b, a);
}
static cmp_fn cmps[2] = {cmp_asc, cmp_desc};
static void sort(int *a, int lo, int hi, cmp_fn cmp) {
    while (lo < hi) {
        int p = a[(lo + hi) / 2], i = lo, j = hi;
        while (i <= j) {
            while (cmp(&a[i], &p) < 0)
                i++;
            while (cmp(&a[j], &p) > 0)
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
            sort(a, lo, j, cmp);
            lo = i;
        } else {
            sort(a, i, hi, cmp);
            hi = j;
        }
    }
}
int main(int argc, char **argv) {
    (void)argv;
    long long t = 0;
    for (int r = 0; r < 2; r++) {
        unsigned s = 1 + r;
        for (int i = 0; i < N; i++) {
            s = s * 1103515245u + 12345u;
            v[i] = (int)(s >> 1);
        }
        sort(v, 0, N - 1, cmps[(argc + r) & 1]);
        for (int i = 0; i < N; i += 1000)
            t += v[i];
    }
    printf("%lld\n", t);
    return 0;
}
