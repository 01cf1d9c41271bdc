/*
 * arith.c: integer and floating-point arithmetic, printed with printf.
 *
 * Exercises i32/f32/f64 add, sub, mul, div, rem, the compare operators, and
 * printf's %d/%u/%x/%f/%e/%g/%.17g conversions of doubles (both glibc and
 * wasi-libc print the exact, correctly rounded decimal, so outputs match).
 * NaN is never printed: its sign is not portable.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

/* A deterministic pseudo-random sequence (LCG), so no platform rand(). */
static uint32_t seed = 12345u;
static uint32_t next_rand(void) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) & 0xFFFFFF;
}

static void integer_ops(void) {
    int32_t a = 1000003, b = -97;
    printf("i32: %d %d %d %d %d\n", a + b, a - b, a * b, a / b, a % b);
    printf("i32 neg: %d %d %d\n", -a / 7, -a % 7, a / -7);
    uint32_t ua = 4000000000u, ub = 3u;
    printf("u32: %u %u %u %u %u\n", ua + ub, ua - ub * 2, ua * ub, ua / ub, ua % ub);
    printf("hex: %x %X %08x %#x %o\n", 48879u, 48879u, 255u, 4096u, 511u);
    printf("cmp: %d %d %d %d\n", a<b, a> b, ua > 3u, (int32_t)ua < 0);
    int64_t acc = 0;
    for (int i = 0; i < 1000; i++) {
        uint32_t r = next_rand();
        acc += (int64_t)(r % 1000) - 500;
        acc ^= (int64_t)r << (i % 17);
    }
    printf("acc: %lld\n", (long long)acc);
}

static void double_ops(void) {
    double x = 1.0 / 3.0, y = 2.0 / 7.0;
    printf("f64: %.17g %.17g %.17g %.17g\n", x + y, x - y, x * y, x / y);
    printf("f64 %%f: %f %f %.3f %.0f %.10f\n", x, -y, 2.5, 2.5, 1e-5);
    printf("f64 %%e: %e %.3e %E\n", 123456.789, 0.000123, -1e100);
    printf("f64 %%g: %g %g %g %g %g\n", 100000.0, 1000000.0, 1e-4, 1e-5, 0.1 + 0.2);
    printf("f64 big: %.17g %.17g %f\n", 1e308 * 10.0, -1e308 * 10.0, 1e22);
    printf("f64 tiny: %.17g %.17g\n", 5e-324, 2.2250738585072014e-308 / 2);
    printf("f64 zero: %g %g %d\n", 0.0, -0.0, signbit(-0.0) != 0);
    printf("f64 nan: %d %d\n", isnan(0.0 / 0.0 * 0.0) != 0, isinf(1.0 / 0.0) != 0);
    double sum = 0.0;
    for (int i = 1; i <= 100000; i++)
        sum += 1.0 / ((double)i * (double)i);
    printf("basel: %.15f\n", sum);
    double h = 0.0;
    for (int i = 0; i < 1000; i++)
        h += (double)next_rand() / 16777216.0;
    printf("mean: %.12f\n", h / 1000.0);
}

static void float_ops(void) {
    float a = 1.1f, b = 3.3f;
    printf("f32: %.9g %.9g %.9g %.9g\n", a + b, a - b, a * b, a / b);
    float s = 0.0f;
    for (int i = 0; i < 10000; i++)
        s += 0.1f;
    printf("f32 sum: %.9g\n", s);
    printf("f32 sqrt: %.9g %.17g\n", sqrtf(2.0f), sqrt(2.0));
    printf("f32 cmp: %d %d %d\n", a < b, a == a, a == 1.1f);
}

int main(void) {
    integer_ops();
    double_ops();
    float_ops();
    return 0;
}
