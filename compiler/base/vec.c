/* Growth for WA_VEC. */
#include "vec.h"

#include "check.h"

#include <stdint.h>
#include <stdlib.h>

void wa_vec_reserve_raw(void **data, size_t *cap, size_t need, size_t elem_size) {
    if (need <= *cap)
        return;
    size_t new_cap = *cap ? *cap * 2 : 8;
    if (new_cap < need)
        new_cap = need;
    WA_CHECK(new_cap <= SIZE_MAX / elem_size);
    void *p = realloc(*data, new_cap * elem_size);
    WA_CHECK(p != NULL);
    *data = p;
    *cap = new_cap;
}
