/* binarytrees.c: binary-trees, allocate and walk many perfect binary trees with malloc/free
   (allocator and pointer-chasing bound); prints the node counts. `quick`: shallower trees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Node {
    struct Node *left, *right;
} Node;

static Node *make(int depth) {
    Node *n = malloc(sizeof *n);
    n->left = depth > 0 ? make(depth - 1) : NULL;
    n->right = depth > 0 ? make(depth - 1) : NULL;
    return n;
}

static int check(const Node *n) {
    return 1 + (n->left ? check(n->left) + check(n->right) : 0);
}

static void release(Node *n) {
    if (n->left) {
        release(n->left);
        release(n->right);
    }
    free(n);
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int max_depth = quick ? 14 : 18, min_depth = 4;
    Node *stretch = make(max_depth + 1);
    printf("stretch tree of depth %d check: %d\n", max_depth + 1, check(stretch));
    release(stretch);
    Node *long_lived = make(max_depth);
    for (int d = min_depth; d <= max_depth; d += 2) {
        int iterations = 1 << (max_depth - d + min_depth), total = 0;
        for (int i = 0; i < iterations; i++) {
            Node *t = make(d);
            total += check(t);
            release(t);
        }
        printf("%d trees of depth %d check: %d\n", iterations, d, total);
    }
    printf("long lived tree of depth %d check: %d\n", max_depth, check(long_lived));
    release(long_lived);
    return 0;
}
