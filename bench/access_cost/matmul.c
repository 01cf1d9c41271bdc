/* matmul.c: a compute kernel of bench/access_cost (see run.py); prints a checksum. */
#include <stdio.h>
#define N 160
static double a[N][N], b[N][N], c[N][N];
int main(void) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = i + j;
            b[i][j] = i - j;
        }
    for (int r = 0; r < 120; r++)
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++)
                    s += a[i][k] * b[k][j];
                c[i][j] = s + r;
            }
    double t = 0;
    for (int i = 0; i < N; i++)
        t += c[i][i];
    printf("%f\n", t);
    return 0;
}
