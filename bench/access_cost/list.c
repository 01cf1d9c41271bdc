/* list.c: a compute kernel of bench/access_cost (see run.py); prints a checksum. */
#include <stdio.h>
#include <stdlib.h>
typedef struct Node {
    struct Node *next;
    int v;
} Node;
int main(void) {
    int n = 1 << 18;
    Node *nodes = malloc(sizeof(Node) * n);
    unsigned s = 3;
    int *perm = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        s = s * 1103515245u + 12345u;
        int j = (s >> 8) % (i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (int i = 0; i < n; i++) {
        nodes[perm[i]].next = &nodes[perm[(i + 1) % n]];
        nodes[perm[i]].v = i;
    }
    long long t = 0;
    Node *p = &nodes[perm[0]];
    for (int r = 0; r < 40 * n; r++) {
        t += p->v;
        p = p->next;
    }
    printf("%lld\n", t);
    return 0;
}
