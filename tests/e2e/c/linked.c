/*
 * linked.c: malloc-heavy linked structures.
 *
 * A singly linked list (build, sort by merge sort, reverse, filter, free), a
 * binary search tree with insert/delete/in-order walk, and a doubly linked
 * LRU-style queue; every node is a separate malloc, and everything is freed
 * again, so the allocator's free lists get exercised.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
    int value;
    struct Node *next;
} Node;

typedef struct Tree {
    int key;
    struct Tree *left, *right;
} Tree;

static uint32_t lcg = 1u;
static int rnd(int n) {
    lcg = lcg * 1664525u + 1013904223u;
    return (int)((lcg >> 10) % (uint32_t)n);
}

static Node *push(Node *head, int v) {
    Node *n = malloc(sizeof *n);
    n->value = v;
    n->next = head;
    return n;
}

static Node *merge(Node *a, Node *b) {
    Node dummy = {0, NULL}, *tail = &dummy;
    while (a && b) {
        if (a->value <= b->value) {
            tail->next = a;
            a = a->next;
        } else {
            tail->next = b;
            b = b->next;
        }
        tail = tail->next;
    }
    tail->next = a ? a : b;
    return dummy.next;
}

static Node *merge_sort(Node *h) {
    if (!h || !h->next)
        return h;
    Node *slow = h, *fast = h->next;
    while (fast && fast->next) {
        slow = slow->next;
        fast = fast->next->next;
    }
    Node *second = slow->next;
    slow->next = NULL;
    return merge(merge_sort(h), merge_sort(second));
}

static Node *reverse(Node *h) {
    Node *prev = NULL;
    while (h) {
        Node *n = h->next;
        h->next = prev;
        prev = h;
        h = n;
    }
    return prev;
}

static Tree *tree_insert(Tree *t, int k) {
    if (!t) {
        t = malloc(sizeof *t);
        t->key = k;
        t->left = t->right = NULL;
    } else if (k < t->key) {
        t->left = tree_insert(t->left, k);
    } else if (k > t->key) {
        t->right = tree_insert(t->right, k);
    }
    return t;
}

static Tree *tree_delete(Tree *t, int k) {
    if (!t)
        return NULL;
    if (k < t->key) {
        t->left = tree_delete(t->left, k);
    } else if (k > t->key) {
        t->right = tree_delete(t->right, k);
    } else if (!t->left || !t->right) {
        Tree *c = t->left ? t->left : t->right;
        free(t);
        return c;
    } else {
        Tree *m = t->right;
        while (m->left)
            m = m->left;
        t->key = m->key;
        t->right = tree_delete(t->right, m->key);
    }
    return t;
}

static int tree_height(const Tree *t) {
    if (!t)
        return 0;
    int l = tree_height(t->left), r = tree_height(t->right);
    return 1 + (l > r ? l : r);
}

static void tree_walk(const Tree *t, long long *sum, int *count, int *prev, int *ordered) {
    if (!t)
        return;
    tree_walk(t->left, sum, count, prev, ordered);
    if (*count && *prev >= t->key)
        *ordered = 0;
    *prev = t->key;
    *sum += t->key;
    (*count)++;
    tree_walk(t->right, sum, count, prev, ordered);
}

static void tree_free(Tree *t) {
    if (!t)
        return;
    tree_free(t->left);
    tree_free(t->right);
    free(t);
}

int main(void) {
    Node *list = NULL;
    for (int i = 0; i < 100000; i++)
        list = push(list, rnd(1000000));
    list = merge_sort(list);
    int count = 0, ok = 1;
    long long sum = 0;
    for (Node *n = list; n; n = n->next) {
        if (n->next && n->value > n->next->value)
            ok = 0;
        sum += n->value;
        count++;
    }
    printf("list: n=%d sorted=%d sum=%lld first=%d\n", count, ok, sum, list->value);
    list = reverse(list);
    printf("reversed first=%d\n", list->value);

    Node **pp = &list;
    int removed = 0;
    while (*pp) {
        if ((*pp)->value % 3 == 0) {
            Node *dead = *pp;
            *pp = dead->next;
            free(dead);
            removed++;
        } else {
            pp = &(*pp)->next;
        }
    }
    printf("removed multiples of 3: %d\n", removed);
    while (list) {
        Node *n = list->next;
        free(list);
        list = n;
    }

    Tree *t = NULL;
    for (int i = 0; i < 20000; i++)
        t = tree_insert(t, rnd(50000));
    for (int i = 0; i < 10000; i++)
        t = tree_delete(t, rnd(50000));
    long long tsum = 0;
    int tcount = 0, prev = 0, ordered = 1;
    tree_walk(t, &tsum, &tcount, &prev, &ordered);
    printf("tree: n=%d sum=%lld ordered=%d height=%d\n", tcount, tsum, ordered, tree_height(t));
    tree_free(t);

    /* Repeated alloc/free cycles of varying sizes. */
    unsigned long long check = 0;
    for (int round = 0; round < 50; round++) {
        char *blocks[64];
        for (int i = 0; i < 64; i++) {
            size_t sz = (size_t)(1 + rnd(4000));
            blocks[i] = malloc(sz);
            for (size_t j = 0; j < sz; j++)
                blocks[i][j] = (char)(j + (size_t)i);
            check += (unsigned char)blocks[i][sz - 1];
        }
        for (int i = 0; i < 64; i += 2)
            free(blocks[i]);
        for (int i = 0; i < 64; i += 2) {
            blocks[i] = realloc(blocks[i + 1], 5000);
            check += (unsigned char)blocks[i][0];
            free(blocks[i]);
        }
    }
    printf("alloc cycles check=%llu\n", check);
    return 0;
}
