/*
 * rounding.c: the rounding operators (f32/f64 ceil, floor, trunc, nearest),
 * for the libs tests (run_e2e.py test_libs). Without SSE4.1 (--cpu=x86-64)
 * wasmaot lowers them to libm calls, so the executable must then need libm
 * and still print what the native build prints; with SSE4.1 it needs none.
 * The operands come from argv's count, so nothing folds at compile time.
 */
#include <math.h>
#include <stdio.h>

int main(int argc, char **argv) {
    (void)argv;
    static const double xs[] = {-3.5, -2.5, -0.5, 0.5, 1.5, 2.5, 2.7, -2.7, 1e300, -0.0};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double x = xs[i] * (double)argc;
        float y = (float)x;
        printf("%g: %g %g %g %g | %g %g %g %g\n", x, floor(x), ceil(x), trunc(x), nearbyint(x),
               (double)floorf(y), (double)ceilf(y), (double)truncf(y), (double)nearbyintf(y));
    }
    return 0;
}
