/*
 * fnptr.c: function pointers, structs by value, and variadic functions.
 *
 * Calls through tables of function pointers with several signatures
 * (call_indirect), callbacks, structs passed and returned by value (small
 * ones in registers natively, large ones through memory), and va_arg over
 * mixed int/long long/double arguments.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct Vec2 {
    double x, y;
} Vec2;

typedef struct Big {
    int32_t a[16];
    char tag[8];
    double weight;
} Big;

typedef struct Pair {
    int16_t lo;
    int8_t hi;
} Pair;

static int add(int a, int b) {
    return a + b;
}
static int sub(int a, int b) {
    return a - b;
}
static int mul(int a, int b) {
    return a * b;
}
static int max(int a, int b) {
    return a > b ? a : b;
}
static double half(double x) {
    return x / 2;
}
static double square(double x) {
    return x * x;
}
static int64_t widen(int32_t x, int64_t y) {
    return (int64_t)x * y;
}

static Vec2 vadd(Vec2 a, Vec2 b) {
    return (Vec2){a.x + b.x, a.y + b.y};
}
static Vec2 vscale(Vec2 a, Vec2 b) {
    return (Vec2){a.x * b.x, a.y * b.y};
}

static Big big_transform(Big b, int k) {
    for (int i = 0; i < 16; i++)
        b.a[i] = b.a[i] * k + i;
    b.tag[0] = (char)('A' + k);
    b.weight *= k;
    return b;
}

static Pair pair_swap(Pair p) {
    return (Pair){(int16_t)(p.hi * 300), (int8_t)(p.lo & 0x7F)};
}

static int fold(const int *v, int n, int init, int (*op)(int, int)) {
    for (int i = 0; i < n; i++)
        init = op(init, v[i]);
    return init;
}

static double apply_n(double (*f)(double), double x, int n) {
    while (n--)
        x = f(x);
    return x;
}

/* Sums its arguments, described by a format: i=int, l=long long, d=double. */
static double vsum(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    double s = 0;
    for (; *fmt; fmt++) {
        switch (*fmt) {
        case 'i':
            s += va_arg(ap, int);
            break;
        case 'l':
            s += (double)va_arg(ap, long long);
            break;
        case 'd':
            s += va_arg(ap, double);
            break;
        }
    }
    va_end(ap);
    return s;
}

/* A "virtual" dispatch through a struct of function pointers. */
typedef struct Shape {
    const struct ShapeOps *ops;
    double a, b;
} Shape;
typedef struct ShapeOps {
    const char *name;
    double (*area)(const Shape *);
    double (*perimeter)(const Shape *);
} ShapeOps;

static double rect_area(const Shape *s) {
    return s->a * s->b;
}
static double rect_perim(const Shape *s) {
    return 2 * (s->a + s->b);
}
static double tri_area(const Shape *s) {
    return s->a * s->b / 2;
}
static double tri_perim(const Shape *s) {
    return s->a + s->b + s->a * 1.25;
}
static const ShapeOps rect_ops = {"rect", rect_area, rect_perim};
static const ShapeOps tri_ops = {"tri", tri_area, tri_perim};

int main(void) {
    int (*ops[])(int, int) = {add, sub, mul, max};
    const char *names[] = {"add", "sub", "mul", "max"};
    int v[] = {3, -1, 4, 1, -5, 9, 2, 6};
    for (int i = 0; i < 4; i++)
        printf("fold %s = %d\n", names[i], fold(v, 8, i == 2 ? 1 : 0, ops[i]));
    int acc = 0;
    for (int i = 0; i < 1000; i++)
        acc = ops[(i * 7) % 4](acc, i) % 100003;
    printf("dispatch acc = %d\n", acc);

    double (*fs[])(double) = {half, square};
    printf("apply: %.17g %.17g\n", apply_n(fs[0], 1000.0, 10), apply_n(fs[1], 1.0001, 12));
    int64_t (*w)(int32_t, int64_t) = widen;
    printf("widen: %lld\n", (long long)w(-70000, 70000000000ll));

    Vec2 (*vops[])(Vec2, Vec2) = {vadd, vscale};
    Vec2 p = {1.5, -2.25};
    for (int i = 0; i < 6; i++)
        p = vops[i % 2](p, (Vec2){0.5 * i, 1.5});
    printf("vec: %.6f %.6f\n", p.x, p.y);

    Big b;
    memset(&b, 0, sizeof b);
    for (int i = 0; i < 16; i++)
        b.a[i] = i * i - 20;
    strcpy(b.tag, "big");
    b.weight = 0.75;
    Big b2 = big_transform(b, 3);
    int64_t bsum = 0;
    for (int i = 0; i < 16; i++)
        bsum += b2.a[i];
    printf("big: orig a[5]=%d new a[5]=%d sum=%lld tag=%s weight=%.3f\n", b.a[5], b2.a[5],
           (long long)bsum, b2.tag, b2.weight);
    Pair pr = pair_swap((Pair){-1234, -7});
    printf("pair: %d %d\n", pr.lo, pr.hi);

    printf("vsum: %.4f\n", vsum("ildid", 7, -8000000000ll, 0.25, -3, 1e3));

    Shape shapes[] = {{&rect_ops, 3, 4}, {&tri_ops, 6, 2.5}, {&rect_ops, 0.5, 10}};
    for (int i = 0; i < 3; i++)
        printf("%s: area=%.3f perimeter=%.3f\n", shapes[i].ops->name,
               shapes[i].ops->area(&shapes[i]), shapes[i].ops->perimeter(&shapes[i]));
    return 0;
}
