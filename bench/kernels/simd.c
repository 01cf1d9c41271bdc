/* simd.c: an explicitly vectorized kernel, written with wasm_simd128.h (compiled to wasm with
   -msimd128): a 1-D convolution of a float signal with an 8-tap filter, then a saturating
   8-bit image blend, 4 and 16 lanes at a time. The native build gets the same operations from
   a small mapping of those intrinsics onto clang's vector extensions below. `quick`: fewer
   passes.
   wasm-cflags: -msimd128 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#else
/* The few wasm_simd128.h operations this kernel uses, on GCC/clang vector types. */
typedef float f32x4 __attribute__((vector_size(16), aligned(1)));
typedef uint8_t u8x16 __attribute__((vector_size(16), aligned(1)));
typedef f32x4 v128_t;
#define wasm_v128_load(p) (*(const f32x4 *)(p))
#define wasm_v128_store(p, v) (*(f32x4 *)(p) = (v))
#define wasm_f32x4_splat(x) ((f32x4){(x), (x), (x), (x)})
#define wasm_f32x4_add(a, b) ((a) + (b))
#define wasm_f32x4_mul(a, b) ((a) * (b))
#define wasm_f32x4_extract_lane(v, i) ((v)[i])
static inline f32x4 wasm_u8x16_add_sat(f32x4 a, f32x4 b) {
    u8x16 x = (u8x16)a, y = (u8x16)b, s = x + y;
    return (f32x4)(s | (u8x16)(s < x));
}
static inline f32x4 wasm_u8x16_avgr(f32x4 a, f32x4 b) {
    u8x16 x = (u8x16)a, y = (u8x16)b;
    return (f32x4)((x | y) - ((x ^ y) >> 1));
}
#endif

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int n = 1 << 16, passes = quick ? 200 : 30000;
    float *x = malloc(sizeof(float) * (n + 8)), *y = malloc(sizeof(float) * n);
    uint8_t *img = malloc(n), *img2 = malloc(n);
    static const float taps[8] = {0.05f, 0.1f, 0.15f, 0.2f, 0.2f, 0.15f, 0.1f, 0.05f};
    uint32_t rng = 3;
    for (int i = 0; i < n + 8; i++) {
        rng = rng * 1664525u + 1013904223u;
        x[i] = (float)(rng >> 9) / 8388608.0f;
        if (i < n)
            img[i] = (uint8_t)(rng >> 24), img2[i] = (uint8_t)(rng >> 16);
    }
    float acc = 0;
    for (int p = 0; p < passes; p++) {
        for (int i = 0; i < n; i += 4) {
            v128_t s = wasm_f32x4_splat(0.0f);
            for (int t = 0; t < 8; t++)
                s = wasm_f32x4_add(
                    s, wasm_f32x4_mul(wasm_v128_load(x + i + t), wasm_f32x4_splat(taps[t])));
            wasm_v128_store(y + i, s);
        }
        for (int i = 0; i < n; i += 16) {
            v128_t a = wasm_v128_load(img + i), b = wasm_v128_load(img2 + i);
            wasm_v128_store(img + i, wasm_u8x16_avgr(wasm_u8x16_add_sat(a, b), b));
        }
        acc += y[p % n];
        x[p % n] = y[(p * 7) % n]; /* feed back so each pass differs */
    }
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++)
        h = (h ^ img[i]) * 16777619u;
    printf("simd passes=%d acc=%.5f y0=%.6f img=%08x\n", passes, acc, y[0], h);
    free(x);
    free(y);
    free(img);
    free(img2);
    return 0;
}
