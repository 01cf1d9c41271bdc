/*
 * hashtable.c: an open-addressing hash table with string keys.
 *
 * FNV-1a hashing, linear probing, tombstone deletion and doubling on a 70%
 * load factor; the keys are malloc'd copies. Prints counts and a checksum of
 * lookups, never an iteration order that would depend on the allocator.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Slot {
    char *key; /* NULL: empty; TOMBSTONE: deleted */
    int64_t value;
} Slot;

typedef struct Table {
    Slot *slots;
    uint32_t cap, used, live;
} Table;

static char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static void table_init(Table *t, uint32_t cap) {
    t->slots = calloc(cap, sizeof *t->slots);
    t->cap = cap;
    t->used = t->live = 0;
}

static void table_put(Table *t, const char *key, int64_t value);

static void table_grow(Table *t) {
    Slot *old = t->slots;
    uint32_t oldcap = t->cap;
    table_init(t, oldcap * 2);
    for (uint32_t i = 0; i < oldcap; i++) {
        if (old[i].key && old[i].key != TOMBSTONE) {
            table_put(t, old[i].key, old[i].value);
            free(old[i].key);
        }
    }
    free(old);
}

static Slot *table_find(const Table *t, const char *key) {
    uint32_t i = fnv1a(key) & (t->cap - 1);
    while (t->slots[i].key) {
        if (t->slots[i].key != TOMBSTONE && strcmp(t->slots[i].key, key) == 0)
            return &t->slots[i];
        i = (i + 1) & (t->cap - 1);
    }
    return NULL;
}

static void table_put(Table *t, const char *key, int64_t value) {
    Slot *s = table_find(t, key);
    if (s) {
        s->value = value;
        return;
    }
    if ((t->used + 1) * 10 > t->cap * 7)
        table_grow(t);
    uint32_t i = fnv1a(key) & (t->cap - 1);
    while (t->slots[i].key && t->slots[i].key != TOMBSTONE)
        i = (i + 1) & (t->cap - 1);
    if (!t->slots[i].key)
        t->used++;
    t->slots[i].key = strdup(key);
    t->slots[i].value = value;
    t->live++;
}

static int table_del(Table *t, const char *key) {
    Slot *s = table_find(t, key);
    if (!s)
        return 0;
    free(s->key);
    s->key = TOMBSTONE;
    t->live--;
    return 1;
}

int main(void) {
    Table t;
    table_init(&t, 16);
    char key[32];
    for (int i = 0; i < 30000; i++) {
        snprintf(key, sizeof key, "key-%d-%x", i, (unsigned)(i * 2654435761u));
        table_put(&t, key, (int64_t)i * i);
    }
    printf("after insert: live=%u cap=%u\n", t.live, t.cap);
    int deleted = 0;
    for (int i = 0; i < 30000; i += 3) {
        snprintf(key, sizeof key, "key-%d-%x", i, (unsigned)(i * 2654435761u));
        deleted += table_del(&t, key);
    }
    printf("deleted=%d live=%u\n", deleted, t.live);
    for (int i = 0; i < 30000; i += 5) {
        snprintf(key, sizeof key, "key-%d-%x", i, (unsigned)(i * 2654435761u));
        table_put(&t, key, -(int64_t)i);
    }
    int64_t sum = 0;
    int hits = 0, misses = 0;
    for (int i = 0; i < 31000; i++) {
        snprintf(key, sizeof key, "key-%d-%x", i, (unsigned)(i * 2654435761u));
        Slot *s = table_find(&t, key);
        if (s) {
            hits++;
            sum += s->value;
        } else {
            misses++;
        }
    }
    printf("lookups: hits=%d misses=%d sum=%lld live=%u\n", hits, misses, (long long)sum, t.live);
    uint32_t hash_mix = 0;
    for (uint32_t i = 0; i < t.cap; i++)
        if (t.slots[i].key && t.slots[i].key != TOMBSTONE)
            hash_mix ^= fnv1a(t.slots[i].key) + i;
    printf("layout hash=%08x\n", hash_mix);
    for (uint32_t i = 0; i < t.cap; i++)
        if (t.slots[i].key && t.slots[i].key != TOMBSTONE)
            free(t.slots[i].key);
    free(t.slots);
    return 0;
}
