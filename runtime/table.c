/*
 * table.c: tables and the table instructions that need the runtime (spec
 * 4.2.7 table instances, 4.4.6 table instructions, 4.4.7 elem.drop).
 *
 * A table is a malloc'd array of `size` references (NULL is the null
 * reference); growing reallocates it, so generated code reloads `elems`
 * after anything that may grow the table. Element segments of an instance
 * are arrays of references built by the module's init function; dropping one
 * sets its size to 0 (the array itself lives as long as the instance).
 *
 * Like the bulk memory instructions, table.init/copy/fill check the whole
 * range before writing (Wasm 2.0): out of bounds traps "out of bounds table
 * access", even for n == 0 when the start lies beyond the end.
 */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>

static void fill_refs(void **elems, uint32_t from, uint32_t to, void *value) {
    for (uint32_t i = from; i < to; i++)
        elems[i] = value;
}

wa_rt_table_t *wa_rt_table_new(const wa_rt_table_type_t *type, void *init) {
    const wa_rt_limits_t *l = &type->limits;
    uint64_t max_declared = l->is64 ? UINT64_MAX : UINT32_MAX;
    if (l->min > WA_RT_TABLE_LIMIT || (l->has_max && (l->max > max_declared || l->min > l->max)))
        return NULL;
    wa_rt_table_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    /* At least one slot so elems is never NULL, even for an empty table. */
    t->elems = calloc(l->min > 0 ? l->min : 1, sizeof(void *));
    if (t->elems == NULL) {
        free(t);
        return NULL;
    }
    t->size = (uint32_t)l->min;
    t->max = l->has_max ? l->max : UINT32_MAX;
    t->elem_type = type->elem_type;
    t->has_max = l->has_max;
    t->is64 = l->is64;
    if (init != NULL)
        fill_refs(t->elems, 0, t->size, init);
    return t;
}

void wa_rt_table_free(wa_rt_table_t *table) {
    if (table == NULL)
        return;
    free(table->elems);
    free(table);
}

int32_t wa_rt_table_grow_by(wa_rt_table_t *table, uint32_t delta, void *init) {
    uint32_t old = table->size;
    if (delta == 0)
        return (int32_t)old;
    uint64_t new_size = (uint64_t)old + delta;
    if (new_size > table->max || new_size > WA_RT_TABLE_LIMIT)
        return -1;
    void **elems = realloc(table->elems, new_size * sizeof(void *));
    if (elems == NULL)
        return -1; /* a resource limit: grow may fail (spec 4.4.6) */
    fill_refs(elems, old, (uint32_t)new_size, init);
    table->elems = elems;
    table->size = (uint32_t)new_size;
    return (int32_t)old;
}

int32_t wa_rt_table_grow(wa_rt_instance_t *inst, uint32_t table, void *init, uint32_t delta) {
    return wa_rt_table_grow_by(inst->tables[table], delta, init);
}

WA_RT_ENTRY void wa_rt_table_init(wa_rt_instance_t *inst, uint32_t table, uint32_t seg,
                                  uint32_t dst, uint32_t src, uint32_t n) {
    wa_rt_table_t *t = inst->tables[table];
    const wa_rt_segment_t *s = &inst->elems[seg];
    if ((uint64_t)src + n > s->size || (uint64_t)dst + n > t->size)
        wa_rt_trap_at(WA_RT_TRAP_TABLE_OUT_OF_BOUNDS, WA_RT_CALLER_PC());
    if (n > 0)
        memcpy(t->elems + dst, (void *const *)s->data + src, (size_t)n * sizeof(void *));
}

void wa_rt_elem_drop(wa_rt_instance_t *inst, uint32_t seg) {
    inst->elems[seg].size = 0;
}

WA_RT_ENTRY void wa_rt_table_copy(wa_rt_instance_t *inst, uint32_t dst_table, uint32_t src_table,
                                  uint32_t dst, uint32_t src, uint32_t n) {
    wa_rt_table_t *d = inst->tables[dst_table];
    wa_rt_table_t *s = inst->tables[src_table];
    if ((uint64_t)src + n > s->size || (uint64_t)dst + n > d->size)
        wa_rt_trap_at(WA_RT_TRAP_TABLE_OUT_OF_BOUNDS, WA_RT_CALLER_PC());
    /* The same table may be both source and destination, overlapping. */
    memmove(d->elems + dst, s->elems + src, (size_t)n * sizeof(void *));
}

WA_RT_ENTRY void wa_rt_table_fill(wa_rt_instance_t *inst, uint32_t table, uint32_t dst, void *value,
                                  uint32_t n) {
    wa_rt_table_t *t = inst->tables[table];
    if ((uint64_t)dst + n > t->size)
        wa_rt_trap_at(WA_RT_TRAP_TABLE_OUT_OF_BOUNDS, WA_RT_CALLER_PC());
    fill_refs(t->elems, dst, dst + n, value);
}
