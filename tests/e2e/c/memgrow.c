/*
 * memgrow.c: grows linear memory well past 64 MiB.
 *
 * Allocates 100 blocks of 1 MiB and one of 40 MiB (more than 140 MiB in
 * all, so malloc must call memory.grow many times), writes every page,
 * checks the contents after further growth, grows with realloc, and frees.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MIB = 1 << 20, NBLOCKS = 100 };

static uint32_t fill_block(uint8_t *p, size_t n, uint32_t seed) {
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i += 512) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (uint8_t)(seed >> 24);
        sum += p[i];
    }
    p[n - 1] = 0xA5;
    return sum + 0xA5;
}

static uint32_t sum_block(const uint8_t *p, size_t n) {
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i += 512)
        sum += p[i];
    return sum + p[n - 1];
}

int main(void) {
    uint8_t *blocks[NBLOCKS];
    uint32_t sums[NBLOCKS];
    for (int i = 0; i < NBLOCKS; i++) {
        blocks[i] = malloc(MIB);
        if (!blocks[i]) {
            printf("malloc failed at block %d\n", i);
            return 1;
        }
        sums[i] = fill_block(blocks[i], MIB, (uint32_t)i);
    }
    printf("allocated %d MiB\n", NBLOCKS);

    size_t big_n = (size_t)40 * MIB;
    uint8_t *big = calloc(big_n, 1);
    if (!big) {
        printf("calloc of 40 MiB failed\n");
        return 1;
    }
    uint64_t zeros = 0;
    for (size_t i = 0; i < big_n; i += 4096)
        zeros += big[i] == 0;
    memset(big, 0x3C, big_n);
    printf("big block: %llu zero pages, last byte %02x\n", (unsigned long long)zeros,
           big[big_n - 1]);

    int bad = 0;
    for (int i = 0; i < NBLOCKS; i++)
        if (sum_block(blocks[i], MIB) != sums[i])
            bad++;
    printf("blocks intact: %d of %d\n", NBLOCKS - bad, NBLOCKS);

    /* Grow one block to 8 MiB: realloc must preserve its contents. */
    blocks[0] = realloc(blocks[0], 8 * (size_t)MIB);
    printf("realloc ok: %d\n", blocks[0] != NULL && sum_block(blocks[0], MIB) == sums[0]);
    uint32_t total = 0;
    for (int i = 0; i < NBLOCKS; i++) {
        total += sums[i];
        free(blocks[i]);
    }
    free(big);
    printf("checksum %08x\n", total);

    /* After freeing, the space is reusable. */
    void *again = malloc((size_t)64 * MIB);
    printf("reuse 64 MiB: %s\n", again ? "ok" : "failed");
    free(again);
    return 0;
}
