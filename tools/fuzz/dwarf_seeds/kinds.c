/* kinds.c: a seed of the dwarf fuzzer (tools/fuzz/fuzz_dwarf.c), built with clang -O0 -g and no C
   library: one of each kind of variable, type and scope -g describes. */
enum colour { RED, GREEN = 5, BLUE = -1 };

struct point {
    int x, y;
};

typedef struct shape {
    const char *name;
    struct point corners[3][2];
    enum colour colour;
    unsigned flags : 3, wide : 1;
    union {
        float f;
        unsigned bits;
    } scale;
    volatile double weight;
    struct shape *next;
    void (*draw)(const struct shape *);
} shape_t;

int counter = 7;
static short table[4] = {1, -2, 3, -4};
const struct point origin = {-1, 2};

long long visit(shape_t *s, int depth) {
    static int calls;
    unsigned char small = (unsigned char)(200 + depth);
    long long sum = 0;
    calls++;
    for (int i = 0; i < 3; i++) {
        int inner = s->corners[i][0].x;
        sum += inner * 10 + s->corners[i][1].y;
    }
    {
        int i = depth;
        sum += i + small + table[depth & 3];
    }
    return sum + calls + origin.x;
}

long long run(int n) {
    shape_t tri = {"triangle", {{{0, 1}, {2, 3}}}, GREEN, 5, 1, {1.5f}, 2.25, 0, 0};
    tri.next = &tri;
    return visit(&tri, n) + counter;
}
