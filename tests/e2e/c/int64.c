/*
 * int64.c: 64-bit integer arithmetic and its edge cases.
 *
 * Signed and unsigned division and remainder with negative operands and at
 * the type limits (INT64_MIN / -1 is undefined in C, so it is not done),
 * wrap-around of unsigned arithmetic, i32 <-> i64 extension and wrapping,
 * 128-bit products, and a modular exponentiation based primality test.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

/* __int128 is a GNU extension (in both GCC and Clang); __extension__ keeps -Wpedantic quiet. */
__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

/* Keeps the optimizer from folding the interesting operations away. */
static volatile int64_t vs[] = {INT64_MIN, INT64_MIN + 1,   -1000000000007ll, -7, -1, 0, 1,
                                7,         1000000000007ll, INT64_MAX};
static volatile uint64_t vu[] = {0,
                                 1,
                                 7,
                                 0x7FFFFFFFFFFFFFFFull,
                                 0x8000000000000000ull,
                                 0xFFFFFFFFFFFFFFFFull,
                                 10000000000000000000ull};

/*
 * a * b mod m through a 128-bit product reduced by shift-and-subtract: the
 * 128-bit '%' would need __umodti3, which Debian's wasm32 compiler-rt cannot
 * link (it is built with a stack protector wasi-libc does not provide).
 */
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) {
    u128 p = (u128)a * b, r = 0;
    for (int bit = 127; bit >= 0; bit--) {
        r = r << 1 | (uint64_t)(p >> bit & 1);
        if (r >= m)
            r -= m;
    }
    return (uint64_t)r;
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
    uint64_t r = 1;
    b %= m;
    while (e) {
        if (e & 1)
            r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

/* Deterministic Miller-Rabin for all 64-bit n. */
static int is_prime(uint64_t n) {
    if (n < 2)
        return 0;
    static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    for (int i = 0; i < 12; i++)
        if (n % bases[i] == 0)
            return n == bases[i];
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1)) {
        d >>= 1;
        s++;
    }
    for (int i = 0; i < 12; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1)
            continue;
        int composite = 1;
        for (int r = 1; r < s && composite; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1)
                composite = 0;
        }
        if (composite)
            return 0;
    }
    return 1;
}

int main(void) {
    size_t ns = sizeof vs / sizeof vs[0];
    for (size_t i = 0; i < ns; i++) {
        for (size_t j = 0; j < ns; j++) {
            int64_t a = vs[i], b = vs[j];
            if (b == 0 || (a == INT64_MIN && b == -1))
                continue;
            if ((i * ns + j) % 3 == 0)
                printf("%" PRId64 " / %" PRId64 " = %" PRId64 " r %" PRId64 "\n", a, b, a / b,
                       a % b);
        }
    }
    size_t nu = sizeof vu / sizeof vu[0];
    uint64_t h = 0;
    for (size_t i = 0; i < nu; i++)
        for (size_t j = 0; j < nu; j++) {
            uint64_t a = vu[i], b = vu[j];
            h = h * 1000003 ^ (a + b) ^ (a - b) * 3 ^ a * b;
            if (b)
                h ^= a / b * 5 + a % b;
        }
    printf("unsigned mix: %016" PRIx64 "\n", h);
    printf("udiv: %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", vu[5] / 3, vu[5] % 10, vu[6] / vu[3]);

    /* Extension and wrapping between widths. */
    volatile int32_t i32 = -5;
    volatile uint32_t u32 = 0xFFFFFFF0u;
    volatile int64_t big = 0x123456789ABCDEFll;
    printf("sext: %" PRId64 " zext: %" PRIu64 " u2s: %" PRId64 "\n", (int64_t)i32, (uint64_t)u32,
           (int64_t)(int32_t)u32);
    printf("wrap: %d %u %d %d\n", (int32_t)big, (uint32_t)big, (int16_t)big, (int8_t)big);
    printf("i8/i16: %d %d %u %u\n", (int8_t)0xF0, (int16_t)0x8001, (uint8_t)-1, (uint16_t)-2);
    volatile int8_t c8 = -100;
    volatile int16_t c16 = -30000;
    printf("sum: %d %" PRId64 "\n", c8 * c16, (int64_t)c8 * c16 * (int64_t)i32 * 1000000);

    /* Overflow-free checked arithmetic with builtins. */
    int64_t out1, out2, out3;
    int o1 = __builtin_add_overflow(vs[9], (int64_t)1, &out1);
    int o2 = __builtin_mul_overflow(vs[8], vs[8], &out2);
    int o3 = __builtin_mul_overflow(vs[7], vs[8], &out3);
    printf("add_overflow: %d %" PRId64 " mul_overflow: %d %" PRId64 " %d %" PRId64 "\n", o1, out1,
           o2, out2, o3, out3);

    u128 p = (u128)vu[5] * vu[5];
    printf("u128 square of max: hi=%016" PRIx64 " lo=%016" PRIx64 "\n", (uint64_t)(p >> 64),
           (uint64_t)p);
    i128 q = (i128)vs[0] * 3;
    printf("i128: hi=%" PRId64 " lo=%016" PRIx64 "\n", (int64_t)(q >> 64), (uint64_t)q);

    uint64_t cands[] = {1,
                        2,
                        97,
                        561,
                        1000000007,
                        4294967291ull,
                        4294967297ull,
                        18446744073709551557ull,
                        18446744073709551533ull,
                        9999999967ull * 3};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++)
        printf("%" PRIu64 " %s\n", cands[i], is_prime(cands[i]) ? "prime" : "composite");
    uint64_t pcount = 0;
    for (uint64_t n = 1000000000000ull; n < 1000000000000ull + 600; n++)
        pcount += (uint64_t)is_prime(n);
    printf("primes in [1e12, 1e12+600): %" PRIu64 "\n", pcount);
    return 0;
}
