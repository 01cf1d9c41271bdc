/*
 * bits.c: bit manipulation through compiler builtins and idioms.
 *
 * clz/ctz/popcount/parity (wasm i32/i64.clz, ctz, popcnt), rotates written
 * as shift-or idioms (folded to rotl/rotr), byte swaps, bit reversal, and
 * shifts whose counts stay below the width (larger counts are undefined in
 * C, while wasm masks them).
 */
#include <stdint.h>
#include <stdio.h>

/* __int128 is a GNU extension (in both GCC and Clang); __extension__ keeps -Wpedantic quiet. */
__extension__ typedef unsigned __int128 u128;

static uint32_t rotl32(uint32_t x, unsigned n) {
    return (x << (n & 31)) | (x >> ((32 - n) & 31));
}
static uint64_t rotr64(uint64_t x, unsigned n) {
    return (x >> (n & 63)) | (x << ((64 - n) & 63));
}

static uint32_t reverse32(uint32_t x) {
    x = (x >> 1 & 0x55555555u) | (x & 0x55555555u) << 1;
    x = (x >> 2 & 0x33333333u) | (x & 0x33333333u) << 2;
    x = (x >> 4 & 0x0F0F0F0Fu) | (x & 0x0F0F0F0Fu) << 4;
    return __builtin_bswap32(x);
}

static uint32_t next_pow2(uint32_t x) {
    return x <= 1 ? 1 : 1u << (32 - __builtin_clz(x - 1));
}

/* Portable popcount, to check the builtin against. */
static int slow_popcount(uint64_t x) {
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

int main(void) {
    const uint32_t v32[] = {1u,          2u,          3u,        0x80000000u, 0x7FFFFFFFu,
                            0xFFFFFFFFu, 0x00F0F000u, 12345678u, 0xDEADBEEFu};
    for (size_t i = 0; i < sizeof v32 / sizeof v32[0]; i++) {
        uint32_t x = v32[i];
        printf("%08x clz=%2d ctz=%2d pop=%2d par=%d rotl7=%08x rev=%08x bswap=%08x np2=%08x\n", x,
               __builtin_clz(x), __builtin_ctz(x), __builtin_popcount(x), __builtin_parity(x),
               rotl32(x, 7), reverse32(x), __builtin_bswap32(x), next_pow2(x & 0x7FFFFFFFu));
    }
    const uint64_t v64[] = {1ull,
                            0x8000000000000000ull,
                            0xFFFFFFFFFFFFFFFFull,
                            0x0000000100000000ull,
                            0x0123456789ABCDEFull,
                            0xF0F0F0F00F0F0F0Full};
    for (size_t i = 0; i < sizeof v64 / sizeof v64[0]; i++) {
        uint64_t x = v64[i];
        printf("%016llx clz=%2d ctz=%2d pop=%2d/%2d rotr13=%016llx bswap=%016llx\n",
               (unsigned long long)x, __builtin_clzll(x), __builtin_ctzll(x),
               __builtin_popcountll(x), slow_popcount(x), (unsigned long long)rotr64(x, 13),
               (unsigned long long)__builtin_bswap64(x));
    }

    /* Shifts: logical vs arithmetic, every count below the width. */
    int32_t neg = -123456789;
    uint32_t acc = 0;
    for (int n = 0; n < 32; n++)
        acc = acc * 31 + (uint32_t)(neg >> n) + ((uint32_t)neg >> n) + ((uint32_t)neg << n);
    int64_t neg64 = -1234567890123456789ll;
    uint64_t acc64 = 0;
    for (int n = 0; n < 64; n++)
        acc64 =
            acc64 * 31 + (uint64_t)(neg64 >> n) + ((uint64_t)neg64 >> n) + ((uint64_t)neg64 << n);
    printf("shift checksums: %08x %016llx\n", acc, (unsigned long long)acc64);

    /* Gray code, lowest set bit, bit interleave (Morton code). */
    for (uint32_t i = 0; i < 16; i++)
        printf("%x", (i ^ (i >> 1)) & 0xF);
    printf("\n");
    uint32_t x = 0xB6000;
    printf("lowest=%x cleared=%x smear=%x\n", x & -x, x & (x - 1), x | (x - 1));
    uint32_t morton = 0;
    for (int b = 0; b < 16; b++)
        morton |= ((0x1234u >> b & 1) << (2 * b)) | ((0xABCDu >> b & 1) << (2 * b + 1));
    printf("morton=%08x\n", morton);

    /* A xorshift64* generator mixing multiply-high via 128 bits. */
    uint64_t s = 88172645463325252ull, mix = 0;
    for (int i = 0; i < 1000; i++) {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        u128 p = (u128)(s * 2685821657736338717ull) * 0x9E3779B97F4A7C15ull;
        mix += (uint64_t)(p >> 64) ^ (uint64_t)p;
    }
    printf("xorshift mix=%016llx\n", (unsigned long long)mix);
    return 0;
}
