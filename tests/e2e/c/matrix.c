/*
 * matrix.c: dense linear algebra in double and int.
 *
 * Matrix multiply (i-k-j loop order, so inner loops stream memory),
 * Gaussian elimination with partial pivoting for a determinant and a linear
 * solve, and integer matrix powers (Fibonacci by 2x2 matrices modulo a
 * prime). Only +, -, *, / and fabs are used, which IEEE 754 rounds
 * identically on every target.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { N = 96 };

static double a[N][N], b[N][N], c[N][N];

static void fill(void) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (double)((i * 7 + j * 13) % 17) / 8.0 - 1.0;
            b[i][j] = (double)((i * 3 + j * 5) % 11) / 4.0 + (i == j ? 10.0 : 0.0);
        }
}

static void multiply(void) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            c[i][j] = 0.0;
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++) {
            double aik = a[i][k];
            for (int j = 0; j < N; j++)
                c[i][j] += aik * b[k][j];
        }
}

/* Determinant of m (destroyed) by elimination with partial pivoting. */
static double determinant(int n, double *m) {
    double det = 1.0;
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int r = col + 1; r < n; r++)
            if (fabs(m[r * n + col]) > fabs(m[piv * n + col]))
                piv = r;
        if (m[piv * n + col] == 0.0)
            return 0.0;
        if (piv != col) {
            for (int k = 0; k < n; k++) {
                double t = m[col * n + k];
                m[col * n + k] = m[piv * n + k];
                m[piv * n + k] = t;
            }
            det = -det;
        }
        det *= m[col * n + col];
        for (int r = col + 1; r < n; r++) {
            double f = m[r * n + col] / m[col * n + col];
            for (int k = col; k < n; k++)
                m[r * n + k] -= f * m[col * n + k];
        }
    }
    return det;
}

static void matpow_mod(uint64_t m[2][2], uint64_t e, uint64_t p, uint64_t out[2][2]) {
    uint64_t r[2][2] = {{1, 0}, {0, 1}}, base[2][2] = {{m[0][0], m[0][1]}, {m[1][0], m[1][1]}};
    while (e) {
        uint64_t t[2][2];
        if (e & 1) {
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    t[i][j] = (r[i][0] * base[0][j] + r[i][1] * base[1][j]) % p;
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    r[i][j] = t[i][j];
        }
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                t[i][j] = (base[i][0] * base[0][j] + base[i][1] * base[1][j]) % p;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                base[i][j] = t[i][j];
        e >>= 1;
    }
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            out[i][j] = r[i][j];
}

int main(void) {
    fill();
    multiply();
    double trace = 0.0, total = 0.0;
    for (int i = 0; i < N; i++) {
        trace += c[i][i];
        for (int j = 0; j < N; j++)
            total += c[i][j] * (double)((i + j) % 3 - 1);
    }
    printf("trace=%.10f weighted=%.10f c[5][7]=%.17g\n", trace, total, c[5][7]);

    int n = 12;
    double *m = malloc(sizeof(double) * (size_t)(n * n));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            m[i * n + j] = 1.0 / (double)(i + j + 1) + (i == j ? 1.0 : 0.0);
    printf("det(hilbert12 + I)=%.12e\n", determinant(n, m));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            m[i * n + j] = (double)((i * j + 3) % 7) - 3.0;
    printf("det(int12)=%.6f\n", determinant(n, m));
    free(m);

    int32_t im[8][8], ip[8][8] = {{0}};
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            im[i][j] = (i - j) * (i + 2 * j) - 5;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            for (int k = 0; k < 8; k++)
                ip[i][j] += im[i][k] * im[k][j];
    for (int i = 0; i < 8; i++)
        printf("%d%c", ip[i][7 - i], i == 7 ? '\n' : ' ');

    uint64_t fibm[2][2] = {{1, 1}, {1, 0}}, r[2][2];
    const uint64_t p = 1000000007u;
    for (uint64_t e = 10; e <= 10000000000000ull; e *= 1000) {
        matpow_mod(fibm, e, p, r);
        printf("fib(%llu) mod p = %llu\n", (unsigned long long)e, (unsigned long long)r[0][1]);
    }
    return 0;
}
