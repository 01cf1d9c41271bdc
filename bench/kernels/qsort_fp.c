/* qsort_fp.c: a quicksort (median of three, insertion sort below 16) whose element comparison
   and swap go through function pointers (wasm call_indirect), sorting records by three different
   keys in turn; prints an order checksum. `quick`: fewer records. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t id, key;
    double weight;
} Rec;

typedef int (*Cmp)(const void *, const void *);

static int by_key(const void *a, const void *b) {
    const Rec *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}
static int by_weight(const void *a, const void *b) {
    const Rec *x = a, *y = b;
    return (x->weight > y->weight) - (x->weight < y->weight);
}
static int by_id_desc(const void *a, const void *b) {
    const Rec *x = a, *y = b;
    return (x->id < y->id) - (x->id > y->id);
}

static void swap(Rec *a, Rec *b) {
    Rec t = *a;
    *a = *b;
    *b = t;
}

static void sort(Rec *v, int n, Cmp cmp) {
    while (n > 16) {
        int mid = n / 2;
        if (cmp(&v[mid], &v[0]) < 0)
            swap(&v[mid], &v[0]);
        if (cmp(&v[n - 1], &v[0]) < 0)
            swap(&v[n - 1], &v[0]);
        if (cmp(&v[n - 1], &v[mid]) < 0)
            swap(&v[n - 1], &v[mid]);
        Rec pivot = v[mid];
        int i = 0, j = n - 1;
        for (;;) {
            while (cmp(&v[i], &pivot) < 0)
                i++;
            while (cmp(&pivot, &v[j]) < 0)
                j--;
            if (i >= j)
                break;
            swap(&v[i++], &v[j--]);
        }
        /* recurse into the smaller part, loop on the larger */
        if (j + 1 < n - j - 1) {
            sort(v, j + 1, cmp);
            v += j + 1, n -= j + 1;
        } else {
            sort(v + j + 1, n - j - 1, cmp);
            n = j + 1;
        }
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && cmp(&v[j], &v[j - 1]) < 0; j--)
            swap(&v[j], &v[j - 1]);
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int n = quick ? 100000 : 1000000, rounds = quick ? 1 : 2;
    Rec *v = malloc(sizeof(Rec) * (size_t)n);
    uint32_t rng = 77;
    for (int i = 0; i < n; i++) {
        rng = rng * 1664525u + 1013904223u;
        v[i].id = (uint32_t)i;
        v[i].key = rng >> 12; /* duplicates on purpose */
        v[i].weight = (double)(rng & 0xfffff) / 1024.0;
    }
    static const Cmp cmps[] = {by_key, by_weight, by_id_desc};
    uint32_t check = 0;
    for (int r = 0; r < rounds; r++)
        for (int c = 0; c < 3; c++) {
            sort(v, n, cmps[c]);
            for (int i = 0; i < n; i += 97)
                check = check * 31 + v[i].id;
        }
    printf("qsort_fp n=%d check=%08x\n", n, check);
    free(v);
    return 0;
}
