/*
 * Arena: a bump allocator that frees everything at once.
 *
 * The compiler allocates a module's decoded form in one arena and each
 * function's temporary data in a scratch arena that is reset after the
 * function is lowered. Nothing allocated from an arena is freed on its own.
 * Allocation failure aborts: it is not bad input, and there is nothing
 * sensible to do but stop.
 */
#ifndef WA_BASE_ARENA_H
#define WA_BASE_ARENA_H

#include <stddef.h>

typedef struct WaArenaChunk WaArenaChunk;

typedef struct WaArena {
    WaArenaChunk *chunks; /* newest first */
    char *cur;            /* next free byte in the newest chunk */
    char *end;            /* end of the newest chunk */
} WaArena;

/* An empty arena; allocates nothing until first used. */
void wa_arena_init(WaArena *a);

/* n bytes aligned for any type, zero-filled. Never returns NULL. */
void *wa_arena_alloc(WaArena *a, size_t n);

/* An array of count elements of size bytes each, zero-filled; aborts on overflow. */
void *wa_arena_array(WaArena *a, size_t count, size_t size);

/* A NUL-terminated copy of the first n bytes of s. */
char *wa_arena_strndup(WaArena *a, const char *s, size_t n);

/* Frees every allocation but keeps the first chunk for reuse. */
void wa_arena_reset(WaArena *a);

/* Frees everything; the arena may be used again after wa_arena_init. */
void wa_arena_free(WaArena *a);

#define WA_NEW(arena, T) ((T *)wa_arena_alloc((arena), sizeof(T)))
#define WA_NEW_ARRAY(arena, T, n) ((T *)wa_arena_array((arena), (n), sizeof(T)))

#endif
