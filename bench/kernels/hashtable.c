/* hashtable.c: an open-addressing hash table (linear probing, 64-bit keys and values, 64 MiB of
   slots) filled to about 60%, then probed with a mix of hits and misses and updated; random
   access over a working set far larger than the caches. `quick`: a 4 MiB table. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t key, value; /* key 0 = empty */
} Slot;

static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ x >> 33;
}

static Slot *find(Slot *t, uint64_t mask, uint64_t key) {
    for (uint64_t i = mix(key) & mask;; i = (i + 1) & mask)
        if (t[i].key == key || t[i].key == 0)
            return &t[i];
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    uint64_t slots = (quick ? 4ull << 20 : 64ull << 20) / sizeof(Slot), mask = slots - 1;
    uint64_t inserts = slots * 6 / 10, lookups = quick ? 1000000 : 12000000;
    Slot *t = calloc(slots, sizeof(Slot));
    uint64_t rng = 0x1234567;
    for (uint64_t i = 0; i < inserts; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        Slot *s = find(t, mask, (rng >> 20) | 1);
        s->key = (rng >> 20) | 1;
        s->value += i;
    }
    uint64_t hits = 0, sum = 0;
    rng = 0x1234567;
    for (uint64_t i = 0; i < lookups; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t key = i & 1 ? (rng >> 20) | 1 : mix(i) | 1; /* odd i: inserted keys */
        Slot *s = find(t, mask, key);
        if (s->key == key) {
            hits++;
            sum += s->value;
            s->value ^= i;
        }
    }
    printf("hashtable slots=%llu hits=%llu sum=%016llx\n", (unsigned long long)slots,
           (unsigned long long)hits, (unsigned long long)sum);
    free(t);
    return 0;
}
