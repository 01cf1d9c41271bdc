/* matmul.c: dense double-precision matrix multiply C = A*B over heap arrays (i-k-j order, the
   inner loop a vectorizable axpy), repeated; prints the trace and a sum of C. `quick` as the
   first argument shrinks the matrices for a smoke run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 12345;
static double next_value(void) {
    rng = rng * 1664525u + 1013904223u;
    return (double)(rng >> 8) / 16777216.0 - 0.5;
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int n = quick ? 160 : 768, reps = quick ? 1 : 6;
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n);
    double *c = malloc(sizeof(double) * n * n);
    for (int i = 0; i < n * n; i++) {
        a[i] = next_value();
        b[i] = next_value();
    }
    double sum = 0, trace = 0;
    for (int r = 0; r < reps; r++) {
        memset(c, 0, sizeof(double) * n * n);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++)
                    c[i * n + j] += aik * b[k * n + j];
            }
        for (int i = 0; i < n; i++)
            trace += c[i * n + i];
        for (int i = 0; i < n * n; i++)
            sum += c[i];
        a[r % (n * n)] += 1.0; /* each repetition multiplies a different A */
    }
    printf("matmul n=%d trace=%.6f sum=%.6f\n", n, trace, sum);
    free(a);
    free(b);
    free(c);
    return 0;
}
