/* lz.c: an LZ77 compressor (hash-chain match finder, 64 KiB window, byte-oriented tokens) and
   its decompressor over generated text-like data; checks the round trip and prints the sizes and
   a hash of the compressed stream. `quick`: less data.

   Token format: a control byte; if < 0x80, that many + 1 literal bytes follow; otherwise the
   match length - 4 + 0x80 (lengths 4..131) and a 16-bit little-endian distance follow. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 65535
#define HASH_BITS 15
#define MIN_MATCH 4
#define MAX_MATCH 131
#define MAX_CHAIN 32

static uint32_t hash4(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return v * 2654435761u >> (32 - HASH_BITS);
}

static size_t flush_literals(uint8_t *out, size_t o, const uint8_t *lit, size_t n) {
    while (n > 0) {
        size_t k = n > 128 ? 128 : n;
        out[o++] = (uint8_t)(k - 1);
        memcpy(out + o, lit, k);
        o += k, lit += k, n -= k;
    }
    return o;
}

static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
    int32_t *head = malloc(sizeof(int32_t) << HASH_BITS), *prev = malloc(sizeof(int32_t) * n);
    memset(head, 0xff, sizeof(int32_t) << HASH_BITS);
    size_t o = 0, lit_start = 0, i = 0;
    while (i + MIN_MATCH <= n) {
        uint32_t h = hash4(in + i);
        size_t best_len = 0, best_dist = 0, limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
        int chain = MAX_CHAIN;
        for (int32_t c = head[h]; c >= 0 && i - (size_t)c <= WINDOW && chain-- > 0; c = prev[c]) {
            size_t len = 0;
            while (len < limit && in[c + len] == in[i + len])
                len++;
            if (len > best_len)
                best_len = len, best_dist = i - (size_t)c;
        }
        prev[i] = head[h];
        head[h] = (int32_t)i;
        if (best_len >= MIN_MATCH) {
            o = flush_literals(out, o, in + lit_start, i - lit_start);
            out[o++] = (uint8_t)(0x80 + best_len - MIN_MATCH);
            out[o++] = (uint8_t)best_dist;
            out[o++] = (uint8_t)(best_dist >> 8);
            for (size_t k = 1; k < best_len && i + k + MIN_MATCH <= n; k++) {
                uint32_t hk = hash4(in + i + k);
                prev[i + k] = head[hk];
                head[hk] = (int32_t)(i + k);
            }
            i += best_len;
            lit_start = i;
        } else {
            i++;
        }
    }
    o = flush_literals(out, o, in + lit_start, n - lit_start);
    free(head);
    free(prev);
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint8_t c = in[i++];
        if (c < 0x80) {
            memcpy(out + o, in + i, (size_t)c + 1);
            o += (size_t)c + 1, i += (size_t)c + 1;
        } else {
            size_t len = (size_t)c - 0x80 + MIN_MATCH, dist = in[i] | (size_t)in[i + 1] << 8;
            i += 2;
            for (size_t k = 0; k < len; k++, o++)
                out[o] = out[o - dist]; /* may overlap */
        }
    }
    return o;
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    size_t n = quick ? 2u << 20 : 24u << 20;
    static const char *words[] = {"the ",      "quick ",  "brown ", "fox ",      "jumps ",
                                  "over ",     "lazy ",   "dog ",   "wasm ",     "native ",
                                  "compiler ", "memory ", "table ", "function ", "\n",
                                  "0123 ",     "ahead ",  "of ",    "time "};
    uint8_t *in = malloc(n), *packed = malloc(n + n / 64 + 16), *back = malloc(n);
    uint32_t rng = 2024;
    for (size_t i = 0; i < n;) {
        rng = rng * 1664525u + 1013904223u;
        const char *w = words[(rng >> 16) % (sizeof words / sizeof *words)];
        if ((rng & 0x70) == 0)
            in[i++] = (uint8_t)('a' + (rng >> 8) % 26); /* some noise */
        for (; *w && i < n; w++)
            in[i++] = (uint8_t)*w;
    }
    size_t packed_len = compress(in, n, packed);
    size_t back_len = decompress(packed, packed_len, back);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < packed_len; i++)
        h = (h ^ packed[i]) * 16777619u;
    printf("lz in=%zu packed=%zu hash=%08x roundtrip=%s\n", n, packed_len, h,
           back_len == n && memcmp(in, back, n) == 0 ? "ok" : "MISMATCH");
    free(in);
    free(packed);
    free(back);
    return 0;
}
