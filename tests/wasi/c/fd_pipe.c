/*
 * fd_pipe.c: large transfers through the runner's stdout pipe, which counts
 * the bytes (wasi-stdout-bytes) instead of keeping them: exactly 1 GiB,
 * written with fd_write in 1 MiB calls that may come back short; before
 * that, one call with 100,000 valid iovecs (a short write of the first
 * IOV_MAX non-empty ones, as POSIX allows), an iovec count of 2^30 whose
 * array cannot fit in memory (EFAULT, nothing written) and calls with only
 * zero-length iovecs (zero bytes). The report goes to stderr.
 *
 * wasi-stdout-bytes: 1073741824
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define TOTAL (1u << 30)
#define CHUNK (1u << 20)
#define MANY 100000

static int failed;

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failed++;                                                                              \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                        \
        }                                                                                          \
    } while (0)

static uint8_t data[CHUNK];
static __wasi_ciovec_t many[MANY];

int main(void) {
    for (uint32_t i = 0; i < CHUNK; i++)
        data[i] = (uint8_t)(i % 251);
    uint64_t written = 0;
    __wasi_size_t n;

    /* 100,000 one-byte iovecs, every tenth one empty: some prefix of them goes out. */
    for (uint32_t i = 0; i < MANY; i++)
        many[i] = (__wasi_ciovec_t){data + i % 251, i % 10 == 9 ? 0 : 1};
    EXPECT(__wasi_fd_write(1, many, MANY, &n) == __WASI_ERRNO_SUCCESS);
    EXPECT(n > 0 && n <= MANY);
    written += n;
    fprintf(stderr, "100000 iovecs: %u bytes in one call\n", (unsigned)n);

    /* 2^30 iovecs are an 8 GiB array: EFAULT, and nothing is written. */
    n = 77;
    EXPECT(__wasi_fd_write(1, many, 1u << 30, &n) == __WASI_ERRNO_FAULT);
    EXPECT(n == 77);
    /* Only empty iovecs, or none: zero bytes. */
    for (uint32_t i = 0; i < 1000; i++)
        many[i].buf_len = 0;
    EXPECT(__wasi_fd_write(1, many, 1000, &n) == __WASI_ERRNO_SUCCESS && n == 0);
    EXPECT(__wasi_fd_write(1, many, 0, &n) == __WASI_ERRNO_SUCCESS && n == 0);

    __wasi_timestamp_t start, end;
    EXPECT(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &start) == 0);
    uint64_t calls = 0, short_writes = 0;
    while (written < TOTAL) {
        uint64_t want = TOTAL - written < CHUNK ? TOTAL - written : CHUNK;
        __wasi_ciovec_t iov[3] = {{data, 0}, {data, (__wasi_size_t)want}, {data, 0}};
        __wasi_errno_t err = __wasi_fd_write(1, iov, 3, &n);
        calls++;
        if (err != __WASI_ERRNO_SUCCESS || n == 0 || n > want) {
            EXPECT(err == __WASI_ERRNO_SUCCESS && n > 0 && n <= want);
            break;
        }
        short_writes += n < want;
        written += n;
    }
    EXPECT(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &end) == 0);
    EXPECT(written == TOTAL);
    double seconds = (double)(end - start) / 1e9;
    fprintf(stderr, "%llu bytes in %llu calls (%llu short), %.2f s, %.0f MiB/s\n",
            (unsigned long long)written, (unsigned long long)calls,
            (unsigned long long)short_writes, seconds, (double)written / (1 << 20) / seconds);
    fprintf(stderr, "%d failed\n", failed);
    return failed ? 1 : 0;
}
