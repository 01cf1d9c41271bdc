/* saxpy.c: a compute kernel of bench/access_cost (see run.py); prints a checksum. */
#include <stdio.h>
#define N 4096
static float x[N], y[N];
int main(void) {
    for (int i = 0; i < N; i++) {
        x[i] = i * 0.5f;
        y[i] = i;
    }
    for (int r = 0; r < 100000; r++)
        for (int i = 0; i < N; i++)
            y[i] = y[i] * 0.999f + x[i];
    float t = 0;
    for (int i = 0; i < N; i++)
        t += y[i];
    printf("%f\n", t);
    return 0;
}
