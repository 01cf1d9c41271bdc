/*
 * A growable array of any element type, on the C heap.
 *
 *     WA_VEC(int) v = {0};
 *     wa_vec_push(&v, 42);
 *     ... v.data[i] for i < v.len ...
 *     wa_vec_free(&v);
 *
 * Growth doubles the capacity; allocation failure aborts.
 */
#ifndef WA_BASE_VEC_H
#define WA_BASE_VEC_H

#include <stddef.h>
#include <stdlib.h>

#define WA_VEC(T)                                                                                  \
    struct {                                                                                       \
        T *data;                                                                                   \
        size_t len, cap;                                                                           \
    }

/* Makes room for at least `need` elements of `elem_size` bytes. */
void wa_vec_reserve_raw(void **data, size_t *cap, size_t need, size_t elem_size);

#define wa_vec_reserve(v, n)                                                                       \
    wa_vec_reserve_raw((void **)&(v)->data, &(v)->cap, (n), sizeof(*(v)->data))
#define wa_vec_push(v, x) (wa_vec_reserve((v), (v)->len + 1), (v)->data[(v)->len++] = (x))
#define wa_vec_pop(v) ((v)->data[--(v)->len])
#define wa_vec_last(v) ((v)->data[(v)->len - 1])
#define wa_vec_free(v) (free((v)->data), (v)->data = NULL, (v)->len = (v)->cap = 0)

#endif
