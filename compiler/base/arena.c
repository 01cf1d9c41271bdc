/*
 * Arena allocator: chunks of at least 64 KiB, carved front to back.
 * A request larger than a chunk gets a chunk of its own.
 */
#include "arena.h"

#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct WaArenaChunk {
    WaArenaChunk *next;
    size_t size; /* usable bytes after the header */
    max_align_t data[];
};

enum { CHUNK_SIZE = 64 * 1024, ALIGN = _Alignof(max_align_t) };

void wa_arena_init(WaArena *a) {
    a->chunks = NULL;
    a->cur = NULL;
    a->end = NULL;
}

static void add_chunk(WaArena *a, size_t min_size) {
    size_t size = min_size > CHUNK_SIZE ? min_size : CHUNK_SIZE;
    WaArenaChunk *c = malloc(sizeof(WaArenaChunk) + size);
    WA_CHECK(c != NULL);
    c->next = a->chunks;
    c->size = size;
    a->chunks = c;
    a->cur = (char *)c->data;
    a->end = a->cur + size;
}

void *wa_arena_alloc(WaArena *a, size_t n) {
    size_t rounded = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    WA_CHECK(rounded >= n);
    if (a->cur == NULL || (size_t)(a->end - a->cur) < rounded)
        add_chunk(a, rounded);
    void *p = a->cur;
    a->cur += rounded;
    memset(p, 0, n);
    return p;
}

void *wa_arena_array(WaArena *a, size_t count, size_t size) {
    WA_CHECK(size == 0 || count <= SIZE_MAX / size);
    return wa_arena_alloc(a, count * size);
}

char *wa_arena_strndup(WaArena *a, const char *s, size_t n) {
    char *p = wa_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void wa_arena_reset(WaArena *a) {
    if (a->chunks == NULL)
        return;
    /* Keep the oldest chunk: it is the one every arena needs. */
    WaArenaChunk *c = a->chunks;
    while (c->next != NULL) {
        WaArenaChunk *next = c->next;
        free(c);
        c = next;
    }
    a->chunks = c;
    a->cur = (char *)c->data;
    a->end = a->cur + c->size;
}

void wa_arena_free(WaArena *a) {
    WaArenaChunk *c = a->chunks;
    while (c != NULL) {
        WaArenaChunk *next = c->next;
        free(c);
        c = next;
    }
    wa_arena_init(a);
}
