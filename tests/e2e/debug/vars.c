/* vars.c: the variables of tests/e2e/debug_gdb.py: gdb prints each kind of C variable and type
   a -g build describes; the test stops at the marked line. */
#include <stdio.h>
#include <string.h>

enum colour { RED, GREEN = 5, BLUE };

struct point {
    int x, y;
};

struct shape {
    const char *name;
    struct point corners[3];
    enum colour colour;
    unsigned flags : 3;
    unsigned wide : 1;
    union {
        float f;
        unsigned bits;
    } scale;
    double weight;
};

typedef struct shape shape_t;

int counter = 7;
static short table[4] = {1, -2, 3, -4};
struct point origin = {-1, 2};

static long long visit(shape_t *s, int depth) {
    static int calls;
    unsigned char small = (unsigned char)(200 + depth);
    long long sum = 0;
    calls++;
    for (int i = 0; i < 3; i++)
        sum += s->corners[i].x * 10 + s->corners[i].y;
    sum += small; /* line: stop */
    return sum + calls;
}

/* A struct passed by value: its wasm parameter is a pointer to a copy. */
__attribute__((noinline)) static int by_value(struct point p) {
    return p.x * 10 + p.y; /* line: by-value */
}

int main(void) {
    shape_t tri;
    memset(&tri, 0, sizeof tri);
    tri.name = "triangle";
    for (int i = 0; i < 3; i++)
        tri.corners[i] = (struct point){i, i * i};
    tri.colour = GREEN;
    tri.flags = 5;
    tri.wide = 1;
    tri.scale.f = 1.5f;
    tri.weight = 2.25;
    counter += table[1];
    int n = 1;
    for (int k = 0; k < 2; k++) {
        int n = 10 + k; /* shadows the outer n in this block only */
        counter += n;   /* line: inner */
    }
    counter -= 21;
    counter += by_value(origin) + 8;
    printf("%lld %d %d %d\n", visit(&tri, 3), counter, origin.x, n); /* line: call */
    return 0;
}
