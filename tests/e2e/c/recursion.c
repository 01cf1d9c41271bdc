/*
 * recursion.c: deep and branching recursion.
 *
 * Ackermann, naive Fibonacci, Towers of Hanoi, mutual recursion, N-queens by
 * backtracking and permutations: many small calls, deep stacks (ackermann(3,8)
 * nests about 2000 frames), and loops of recursive calls.
 */
#include <stdint.h>
#include <stdio.h>

static uint32_t ackermann(uint32_t m, uint32_t n) {
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static uint64_t fib(int n) {
    return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2);
}

static uint64_t hanoi(int n, int from, int to, int via, uint64_t *checksum) {
    if (n == 0)
        return 0;
    uint64_t moves = hanoi(n - 1, from, via, to, checksum);
    *checksum = *checksum * 31 + (uint64_t)(from * 3 + to);
    return moves + 1 + hanoi(n - 1, via, to, from, checksum);
}

static int is_odd(unsigned n);
static int is_even(unsigned n) {
    return n == 0 ? 1 : is_odd(n - 1);
}
static int is_odd(unsigned n) {
    return n == 0 ? 0 : is_even(n - 1);
}

static int queens(int n, int row, unsigned cols, unsigned d1, unsigned d2) {
    if (row == n)
        return 1;
    int count = 0;
    for (int c = 0; c < n; c++) {
        unsigned a = 1u << c, b = 1u << (row + c), e = 1u << (row - c + n - 1);
        if ((cols & a) || (d1 & b) || (d2 & e))
            continue;
        count += queens(n, row + 1, cols | a, d1 | b, d2 | e);
    }
    return count;
}

static void permute(int *a, int k, int n, uint64_t *count, uint64_t *hash) {
    if (k == n) {
        uint64_t h = 0;
        for (int i = 0; i < n; i++)
            h = h * 10 + (uint64_t)a[i];
        *hash ^= h * 0x9E3779B97F4A7C15ull;
        (*count)++;
        return;
    }
    for (int i = k; i < n; i++) {
        int t = a[k];
        a[k] = a[i];
        a[i] = t;
        permute(a, k + 1, n, count, hash);
        a[i] = a[k];
        a[k] = t;
    }
}

static int64_t sum_digits(int64_t n) {
    return n < 10 ? n : n % 10 + sum_digits(n / 10);
}

int main(void) {
    for (uint32_t m = 0; m <= 3; m++) {
        printf("ackermann(%u, n):", m);
        for (uint32_t n = 0; n <= 5; n++)
            printf(" %u", ackermann(m, n));
        printf("\n");
    }
    printf("ackermann(3, 8) = %u\n", ackermann(3, 8));
    printf("fib(32) = %llu\n", (unsigned long long)fib(32));
    uint64_t cs = 0;
    uint64_t moves = hanoi(20, 1, 3, 2, &cs);
    printf("hanoi(20) = %llu moves, checksum %llu\n", (unsigned long long)moves,
           (unsigned long long)cs);
    printf("even(10001) = %d, odd(777) = %d\n", is_even(10001), is_odd(777));
    for (int n = 4; n <= 9; n++)
        printf("queens(%d) = %d\n", n, queens(n, 0, 0, 0, 0));
    int a[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    uint64_t count = 0, hash = 0;
    permute(a, 0, 9, &count, &hash);
    printf("permutations(9) = %llu hash %016llx\n", (unsigned long long)count,
           (unsigned long long)hash);
    printf("sum_digits = %lld\n", (long long)sum_digits(9223372036854775807LL));
    return 0;
}
