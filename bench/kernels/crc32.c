/* crc32.c: CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) by slicing-by-8 tables over a
   generated 16 MiB buffer, repeated; plus the bitwise form on a short string as a reference.
   `quick`: fewer passes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t table[8][256];

static void make_tables(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ c >> 1 : c >> 1;
        table[0][i] = c;
    }
    for (int t = 1; t < 8; t++)
        for (int i = 0; i < 256; i++)
            table[t][i] = table[t - 1][i] >> 8 ^ table[0][table[t - 1][i] & 0xff];
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                             (uint32_t)p[3] << 24);
        uint32_t hi =
            (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
        crc = table[7][lo & 0xff] ^ table[6][lo >> 8 & 0xff] ^ table[5][lo >> 16 & 0xff] ^
              table[4][lo >> 24] ^ table[3][hi & 0xff] ^ table[2][hi >> 8 & 0xff] ^
              table[1][hi >> 16 & 0xff] ^ table[0][hi >> 24];
    }
    while (n--)
        crc = table[0][(crc ^ *p++) & 0xff] ^ crc >> 8;
    return ~crc;
}

static uint32_t crc32_bitwise(const char *s) {
    uint32_t crc = ~0u;
    for (; *s; s++) {
        crc ^= (uint8_t)*s;
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? 0xEDB88320u ^ crc >> 1 : crc >> 1;
    }
    return ~crc;
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    size_t len = 16u << 20;
    int passes = quick ? 2 : 60;
    make_tables();
    printf("crc32(123456789) = %08x %08x\n", crc32(0, (const uint8_t *)"123456789", 9),
           crc32_bitwise("123456789")); /* both cbf43926 */
    uint8_t *buf = malloc(len);
    uint32_t rng = 5;
    for (size_t i = 0; i < len; i++) {
        rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
        buf[i] = (uint8_t)rng;
    }
    uint32_t crc = 0;
    for (int p = 0; p < passes; p++) {
        crc = crc32(crc, buf + p, len - (size_t)p);
        buf[p] ^= (uint8_t)crc;
    }
    printf("crc32 passes=%d %08x\n", passes, crc);
    free(buf);
    return 0;
}
