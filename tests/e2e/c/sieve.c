/*
 * sieve.c: the sieve of Eratosthenes over a large byte array.
 *
 * Prime counts up to several limits, twin primes, the largest prime gap, and
 * a bit-packed sieve to compare against; heavy on byte stores with strides.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LIMIT = 4000000 };

int main(void) {
    unsigned char *composite = calloc(LIMIT + 1, 1);
    composite[0] = composite[1] = 1;
    for (uint32_t i = 2; (uint64_t)i * i <= LIMIT; i++)
        if (!composite[i])
            for (uint32_t j = i * i; j <= LIMIT; j += i)
                composite[j] = 1;

    uint32_t limits[] = {10, 100, 1000, 10000, 100000, 1000000, LIMIT};
    for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
        uint32_t count = 0;
        for (uint32_t i = 0; i <= limits[k]; i++)
            count += !composite[i];
        printf("pi(%u) = %u\n", limits[k], count);
    }
    printf("first:");
    for (uint32_t i = 0, shown = 0; shown < 20; i++)
        if (!composite[i]) {
            printf(" %u", i);
            shown++;
        }
    printf("\nlast:");
    uint32_t last[5], nl = 0;
    for (uint32_t i = LIMIT; nl < 5; i--)
        if (!composite[i])
            last[nl++] = i;
    for (int i = 4; i >= 0; i--)
        printf(" %u", last[i]);
    printf("\n");

    uint32_t twins = 0, prev = 2, gap = 0, gap_at = 0;
    uint64_t sum = 0;
    for (uint32_t i = 3; i <= LIMIT; i += 2) {
        if (composite[i])
            continue;
        if (i - prev == 2)
            twins++;
        if (i - prev > gap) {
            gap = i - prev;
            gap_at = prev;
        }
        prev = i;
        sum += i;
    }
    printf("twins=%u max gap=%u after %u sum=%llu\n", twins, gap, gap_at,
           (unsigned long long)sum + 2);

    /* Odd-only bit sieve: bit k stands for 2k+1. */
    uint32_t words = (LIMIT / 2 + 32) / 32;
    uint32_t *bits = malloc(words * sizeof *bits);
    memset(bits, 0, words * sizeof *bits);
    for (uint32_t i = 3; (uint64_t)i * i <= LIMIT; i += 2)
        if (!(bits[i / 2 / 32] >> (i / 2 % 32) & 1))
            for (uint32_t j = i * i; j <= LIMIT; j += 2 * i)
                bits[j / 2 / 32] |= 1u << (j / 2 % 32);
    uint32_t count = 1, mismatches = 0;
    for (uint32_t i = 3; i <= LIMIT; i += 2) {
        int prime = !(bits[i / 2 / 32] >> (i / 2 % 32) & 1);
        count += (uint32_t)prime;
        if (prime == composite[i])
            mismatches++;
    }
    printf("bit sieve count=%u mismatches=%u\n", count, mismatches);
    free(bits);
    free(composite);
    return 0;
}
