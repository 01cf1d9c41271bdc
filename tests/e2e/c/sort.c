/*
 * sort.c: qsort and bsearch from the C library on ints, strings and structs.
 *
 * The comparators impose a total order (ties broken by a unique key), so the
 * unstable qsort of glibc and of wasi-libc give the same result. The data
 * comes from a fixed LCG.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Person {
    char name[16];
    int age;
    int id;
} Person;

static uint32_t state = 2463534242u;
static uint32_t xorshift(void) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Age descending, then name, then id: a total order. */
static int cmp_person(const void *a, const void *b) {
    const Person *p = a, *q = b;
    if (p->age != q->age)
        return q->age - p->age;
    int c = strcmp(p->name, q->name);
    if (c)
        return c;
    return (p->id > q->id) - (p->id < q->id);
}

int main(void) {
    enum { N = 50000 };
    int *v = malloc(N * sizeof *v);
    for (int i = 0; i < N; i++)
        v[i] = (int)(xorshift() % 2000000u) - 1000000;
    qsort(v, N, sizeof *v, cmp_int);
    int sorted = 1;
    long long sum = 0;
    for (int i = 0; i < N; i++) {
        if (i && v[i - 1] > v[i])
            sorted = 0;
        sum += v[i];
    }
    printf("ints: sorted=%d min=%d max=%d median=%d sum=%lld\n", sorted, v[0], v[N - 1], v[N / 2],
           sum);
    int found = 0, missed = 0;
    for (int k = -1000000; k < 1000000; k += 997) {
        if (bsearch(&k, v, N, sizeof *v, cmp_int))
            found++;
        else
            missed++;
    }
    printf("bsearch: found=%d missed=%d\n", found, missed);
    free(v);

    const char *words[] = {"pear",   "apple", "fig",   "banana",   "cherry", "kiwi",
                           "grape",  "lemon", "mango", "apricot",  "date",   "elderberry",
                           "quince", "lime",  "plum",  "nectarine"};
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_str);
    for (size_t i = 0; i < nw; i++)
        printf("%s%s", i ? "," : "", words[i]);
    printf("\n");
    const char *key = "lime";
    const char **hit = bsearch(&key, words, nw, sizeof words[0], cmp_str);
    printf("lime at %d\n", hit ? (int)(hit - words) : -1);

    const char *names[] = {"ada", "bob", "cy", "dee", "eve", "fay", "gus"};
    Person people[40];
    for (int i = 0; i < 40; i++) {
        strcpy(people[i].name, names[xorshift() % 7]);
        people[i].age = 20 + (int)(xorshift() % 5);
        people[i].id = i;
    }
    qsort(people, 40, sizeof people[0], cmp_person);
    for (int i = 0; i < 40; i++)
        printf("%s/%d/%d%c", people[i].name, people[i].age, people[i].id, i % 8 == 7 ? '\n' : ' ');
    return 0;
}
