/*
 * types.c: canonical function type ids.
 *
 * call_indirect must compare the callee's type with the expected one by
 * structure (spec 4.4.8: the function types must match), also across modules
 * (a table may hold functions of other instances). Interning every
 * wa_rt_functype_t by content, process-wide, turns that into one integer
 * compare: equal (params, results) lists get equal ids.
 *
 * The table is open-addressed, keyed by the type's content hash, holding ids;
 * ids index `by_id` (id - 1), whose entries are allocated one by one so the
 * wa_rt_functype_t pointers handed out stay valid when the arrays grow.
 * One mutex guards it all: interning happens at instantiation, not in hot
 * code.
 */
#include "rt_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct type_entry {
    wa_rt_functype_t type; /* its `types` points to `bytes` */
    uint64_t hash;
    uint8_t bytes[];
} type_entry_t;

static pthread_mutex_t types_lock = PTHREAD_MUTEX_INITIALIZER;
static type_entry_t **by_id; /* id - 1 -> entry */
static uint32_t ntypes;      /* ids handed out */
static uint32_t cap_by_id;
static uint32_t *slots; /* hash slots: an id, or 0 if empty */
static uint32_t nslots; /* a power of two, kept at least twice ntypes */

static _Noreturn void out_of_memory(void) {
    fputs("wasmaot runtime: out of memory interning function types\n", stderr);
    abort();
}

/* FNV-1a over the counts and the type codes. */
static uint64_t hash_type(const wa_rt_functype_t *t) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    uint32_t counts[2] = {t->nparams, t->nresults};
    const uint8_t *c = (const uint8_t *)counts;
    for (size_t i = 0; i < sizeof counts; i++)
        h = (h ^ c[i]) * UINT64_C(0x100000001b3);
    for (uint32_t i = 0; i < t->nparams + t->nresults; i++)
        h = (h ^ t->types[i]) * UINT64_C(0x100000001b3);
    return h;
}

static bool same_type(const wa_rt_functype_t *a, const wa_rt_functype_t *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (a->nparams + a->nresults == 0 ||
            memcmp(a->types, b->types, a->nparams + a->nresults) == 0);
}

static void insert_slot(uint32_t *table, uint32_t size, uint64_t hash, uint32_t id) {
    uint32_t i = (uint32_t)hash & (size - 1);
    while (table[i] != 0)
        i = (i + 1) & (size - 1);
    table[i] = id;
}

static void grow_slots(void) {
    uint32_t size = nslots == 0 ? 64 : nslots * 2;
    uint32_t *table = calloc(size, sizeof *table);
    if (table == NULL)
        out_of_memory();
    for (uint32_t id = 1; id <= ntypes; id++)
        insert_slot(table, size, by_id[id - 1]->hash, id);
    free(slots);
    slots = table;
    nslots = size;
}

static uint32_t add_type(const wa_rt_functype_t *t, uint64_t hash) {
    uint32_t n = t->nparams + t->nresults;
    type_entry_t *e = malloc(sizeof *e + n);
    if (e == NULL)
        out_of_memory();
    if (n > 0)
        memcpy(e->bytes, t->types, n);
    e->type = (wa_rt_functype_t){.nparams = t->nparams, .nresults = t->nresults, .types = e->bytes};
    e->hash = hash;
    if (ntypes == cap_by_id) {
        uint32_t cap = cap_by_id == 0 ? 32 : cap_by_id * 2;
        type_entry_t **grown = realloc(by_id, cap * sizeof *grown);
        if (grown == NULL)
            out_of_memory();
        by_id = grown;
        cap_by_id = cap;
    }
    by_id[ntypes++] = e;
    if (ntypes * 2 > nslots)
        grow_slots(); /* reinserts every id, the new one included */
    else
        insert_slot(slots, nslots, hash, ntypes);
    return ntypes;
}

uint32_t wa_rt_type_id(const wa_rt_functype_t *type) {
    uint64_t hash = hash_type(type);
    pthread_mutex_lock(&types_lock);
    uint32_t id = 0;
    if (nslots > 0) {
        for (uint32_t i = (uint32_t)hash & (nslots - 1); slots[i] != 0;
             i = (i + 1) & (nslots - 1)) {
            const type_entry_t *e = by_id[slots[i] - 1];
            if (e->hash == hash && same_type(&e->type, type)) {
                id = slots[i];
                break;
            }
        }
    }
    if (id == 0)
        id = add_type(type, hash);
    pthread_mutex_unlock(&types_lock);
    return id;
}

const wa_rt_functype_t *wa_rt_type_of_id(uint32_t id) {
    pthread_mutex_lock(&types_lock);
    const wa_rt_functype_t *t = id >= 1 && id <= ntypes ? &by_id[id - 1]->type : NULL;
    pthread_mutex_unlock(&types_lock);
    return t;
}

const char *wa_rt_value_type_name(uint8_t type) {
    switch (type) {
    case WA_RT_I32:
        return "i32";
    case WA_RT_I64:
        return "i64";
    case WA_RT_F32:
        return "f32";
    case WA_RT_F64:
        return "f64";
    case WA_RT_V128:
        return "v128";
    case WA_RT_FUNCREF:
        return "funcref";
    case WA_RT_EXTERNREF:
        return "externref";
    case WA_RT_EXNREF:
        return "exnref";
    default:
        return "?";
    }
}

const char *wa_rt_extern_kind_name(uint8_t kind) {
    switch (kind) {
    case WA_RT_EXTERN_FUNC:
        return "function";
    case WA_RT_EXTERN_TABLE:
        return "table";
    case WA_RT_EXTERN_MEMORY:
        return "memory";
    case WA_RT_EXTERN_GLOBAL:
        return "global";
    case WA_RT_EXTERN_TAG:
        return "tag";
    default:
        return "extern";
    }
}
