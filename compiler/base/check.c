/* Reports a broken internal invariant and aborts. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

void wa_check_failed(const char *file, int line, const char *expr) {
    fprintf(stderr, "wasmaot: internal error at %s:%d: %s\n", file, line, expr);
    abort();
}
