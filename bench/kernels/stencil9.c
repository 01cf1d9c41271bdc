/* stencil9.c: 2-D 9-point smoothing (the 3x3 neighbourhood, weighted 4-2-1) on a float grid,
   two heap buffers swapped each sweep; prints the sum and one sample. `quick`: smaller. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int n = quick ? 256 : 1024, sweeps = quick ? 10 : 1200;
    float *u = malloc(sizeof(float) * n * n), *v = malloc(sizeof(float) * n * n);
    uint32_t rng = 99;
    for (int i = 0; i < n * n; i++) {
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        u[i] = (float)(rng & 0xffff) / 65536.0f;
    }
    memcpy(v, u, sizeof(float) * n * n);
    for (int s = 0; s < sweeps; s++) {
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++) {
                const float *up = u + (i - 1) * n + j, *mid = u + i * n + j,
                            *dn = u + (i + 1) * n + j;
                float corners = up[-1] + up[1] + dn[-1] + dn[1];
                float edges = up[0] + dn[0] + mid[-1] + mid[1];
                v[i * n + j] = 0.0625f * (4.0f * mid[0] + 2.0f * edges + corners);
            }
        float *t = u;
        u = v;
        v = t;
    }
    double sum = 0;
    for (int i = 0; i < n * n; i++)
        sum += u[i];
    printf("stencil9 n=%d sum=%.4f mid=%.6f\n", n, sum, u[(n / 2) * n + n / 3]);
    free(u);
    free(v);
    return 0;
}
