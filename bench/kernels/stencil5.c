/* stencil5.c: 2-D 5-point Jacobi relaxation on a float grid (two heap buffers swapped each
   sweep); prints the grid's sum and one sample. `quick`: a smaller grid, fewer sweeps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int n = quick ? 256 : 1024, sweeps = quick ? 20 : 1800;
    float *u = malloc(sizeof(float) * n * n), *v = malloc(sizeof(float) * n * n);
    uint32_t rng = 7;
    for (int i = 0; i < n * n; i++) {
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        u[i] = (float)(rng & 0xffff) / 65536.0f;
    }
    memcpy(v, u, sizeof(float) * n * n);
    for (int s = 0; s < sweeps; s++) {
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++)
                v[i * n + j] = 0.2f * (u[i * n + j] + u[(i - 1) * n + j] + u[(i + 1) * n + j] +
                                       u[i * n + j - 1] + u[i * n + j + 1]);
        float *t = u;
        u = v;
        v = t;
    }
    double sum = 0;
    for (int i = 0; i < n * n; i++)
        sum += u[i];
    printf("stencil5 n=%d sum=%.4f mid=%.6f\n", n, sum, u[(n / 2) * n + n / 3]);
    free(u);
    free(v);
    return 0;
}
