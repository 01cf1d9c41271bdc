/* mandelbrot.c: the Mandelbrot set on a square grid, 50 iterations per point, packed one bit per
   point; prints the count of points inside and a rolling hash of the bitmap. `quick`: smaller. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int n = quick ? 800 : 4000;
    uint32_t hash = 2166136261u, inside = 0;
    for (int y = 0; y < n; y++) {
        double ci = 2.0 * y / n - 1.0;
        uint8_t bits = 0;
        for (int x = 0; x < n; x++) {
            double cr = 2.0 * x / n - 1.5, zr = 0, zi = 0, tr = 0, ti = 0;
            int i = 0;
            for (; i < 50 && tr + ti <= 4.0; i++) {
                zi = 2.0 * zr * zi + ci;
                zr = tr - ti + cr;
                tr = zr * zr;
                ti = zi * zi;
            }
            bits = (uint8_t)(bits << 1 | (tr + ti <= 4.0));
            inside += tr + ti <= 4.0;
            if ((x & 7) == 7 || x == n - 1) {
                hash = (hash ^ bits) * 16777619u;
                bits = 0;
            }
        }
    }
    printf("mandelbrot n=%d inside=%u hash=%08x\n", n, inside, hash);
    return 0;
}
