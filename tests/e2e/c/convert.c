/*
 * convert.c: conversions between integer and floating types, and rounding.
 *
 * float <-> int truncation (all values in range: out-of-range conversion is
 * undefined in C and traps in wasm), unsigned conversions above INT_MAX,
 * i64 <-> f64 around 2^53 and 2^63, f32 <-> f64 rounding, the rounding
 * functions (floor, ceil, trunc, round, rint, nearbyint, llround), fmod,
 * copysign, fmin/fmax, frexp/ldexp, modf, and printf's rounding of ties.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static volatile double dv[] = {0.0,  -0.0,    0.5,        -0.5,          1.5,          2.5,
                               -2.5, 3.49999, 1e9 + 0.75, -2147483648.9, 2147483647.9, 123456.789};
static volatile float fv[] = {0.1f, 16777217.0f, -3.75f, 1e-40f, 3.4e38f, 0.3333333f};

int main(void) {
    size_t nd = sizeof dv / sizeof dv[0];
    for (size_t i = 0; i < nd; i++) {
        double x = dv[i];
        printf("%-14.6f i32=%d i64=%lld floor=%g ceil=%g trunc=%g round=%g rint=%g nearby=%g "
               "llround=%lld\n",
               x, (int32_t)x, (long long)x, floor(x), ceil(x), trunc(x), round(x), rint(x),
               nearbyint(x), llround(x));
    }

    volatile double u = 4294967295.5, big = 9223372036854774784.0;
    printf("u32=%u u64=%llu i64=%lld\n", (uint32_t)u, (unsigned long long)(big * 1.5),
           (long long)big);
    volatile uint64_t u64s[] = {9007199254740993ull, 18446744073709551615ull,
                                9223372036854775808ull, 12345678901234567ull};
    for (int i = 0; i < 4; i++)
        printf("u64 %llu -> f64 %.17g -> f32 %.9g\n", (unsigned long long)u64s[i], (double)u64s[i],
               (double)(float)u64s[i]);
    volatile int64_t i64s[] = {-9007199254740993ll, INT64_MIN, 1ll << 62, -123456789012345ll};
    for (int i = 0; i < 4; i++)
        printf("i64 %lld -> f64 %.17g -> f32 %.9g\n", (long long)i64s[i], (double)i64s[i],
               (double)(float)i64s[i]);

    for (size_t i = 0; i < sizeof fv / sizeof fv[0]; i++) {
        float f = fv[i];
        double d = f;
        printf("f32 %.9g -> f64 %.17g -> back %.9g i32=%d\n", (double)f, d, (double)(float)(d / 3),
               f < 2e9f && f > -2e9f ? (int32_t)f : -1);
    }
    printf("demote: %.9g %.9g %.9g\n", (double)(float)0.1, (double)(float)1e38,
           (double)(float)1.00000001);

    printf("fmod: %g %g %g\n", fmod(10.5, 3.0), fmod(-10.5, 3.0), fmod(1e20, 7.0));
    printf("copysign: %g %g  fabs: %g\n", copysign(3.0, -0.0), copysign(-2.0, 1.0), fabs(-7.25));
    printf("fmin/fmax: %g %g %g\n", fmin(-0.5, 2.0), fmax(-0.5, 2.0), fmax(NAN, 1.0));
    int ex;
    double mant = frexp(1536.0, &ex);
    printf("frexp: %g * 2^%d  ldexp: %g %g\n", mant, ex, ldexp(0.75, 12), ldexp(1.0, -1074));
    double ip, fp = modf(-12.625, &ip);
    printf("modf: %g + %g\n", ip, fp);
    printf("sqrt: %.17g %.9g\n", sqrt(1e-300), (double)sqrtf(123456789.0f));

    printf("ties: %.0f %.0f %.0f %.1f %.1f %.2f %.2f %.3f\n", 0.5, 1.5, 2.5, 0.25, 0.35, 1.005,
           1.125, 2.0005);
    printf("precision: %.20f %.3e %.12g\n", 0.1, 6.02214076e23, 1.0 / 7);

    /* Narrow integer conversions and sign extension in expressions. */
    volatile int32_t w = 0x12345687;
    int8_t b8 = (int8_t)w;
    uint8_t u8 = (uint8_t)w;
    int16_t b16 = (int16_t)(w >> 4);
    printf("narrow: %d %u %d %d\n", b8, u8, b16, (int)(uint16_t)b16);
    printf("char math: %d %d\n", (signed char)-128 / -1, (unsigned char)200 + (signed char)-56);
    return 0;
}
