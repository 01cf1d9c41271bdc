/* Diagnostics: records the first error and formats it as one line. */
#include "diag.h"

#include "../../runtime/wa_escape.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void wa_diag_init(WaDiag *d, const char *file) {
    memset(d, 0, sizeof *d);
    d->file = file;
    d->func_index = WA_NO_FUNC;
}

static void record(WaDiag *d, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(d->message, sizeof d->message, fmt, ap);
    /* Too long for message[]: kept whole on the heap (without memory, message[]'s part). */
    if (n >= (int)sizeof d->message) {
        d->long_message = malloc((size_t)n + 1);
        if (d->long_message != NULL)
            vsnprintf(d->long_message, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    d->failed = true;
}

void wa_diag_release(WaDiag *d) {
    free(d->long_message);
    wa_diag_init(d, d->file);
}

bool wa_diag_error(WaDiag *d, size_t offset, const char *fmt, ...) {
    if (d->failed)
        return false;
    d->has_offset = true;
    d->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    record(d, fmt, ap);
    va_end(ap);
    return false;
}

bool wa_diag_error_no_offset(WaDiag *d, const char *fmt, ...) {
    if (d->failed)
        return false;
    d->has_offset = false;
    va_list ap;
    va_start(ap, fmt);
    record(d, fmt, ap);
    va_end(ap);
    return false;
}

void wa_diag_set_func(WaDiag *d, uint32_t func_index, const char *func_name) {
    if (d->func_index != WA_NO_FUNC)
        return;
    d->func_index = func_index;
    d->has_func_name = func_name != NULL;
    /* Names are arbitrary bytes: escaped, so the message stays one printable line. */
    if (func_name)
        wa_rt_escape(d->func_name, sizeof d->func_name, func_name, strlen(func_name));
}

char *wa_diag_format(const WaDiag *d, char *buf, size_t size) {
    size_t n = 0;
#define APPEND(...)                                                                                \
    do {                                                                                           \
        int k = snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__);                           \
        if (k > 0)                                                                                 \
            n += (size_t)k;                                                                        \
    } while (0)
    buf[0] = '\0';
    if (d->file)
        APPEND("%s: ", d->file);
    if (d->has_offset)
        APPEND("offset 0x%zx: ", d->offset);
    if (d->func_index != WA_NO_FUNC) {
        if (d->has_func_name)
            APPEND("func %u (%s): ", d->func_index, d->func_name);
        else
            APPEND("func %u: ", d->func_index);
    }
    APPEND("%s", !d->failed ? "no error" : d->long_message ? d->long_message : d->message);
#undef APPEND
    /*
     * Names from the module are escaped where they enter a message
     * (wa_rt_escape); this is the last guard for what is not, such as a file
     * name given on the command line: the message stays one printable line.
     */
    for (char *p = buf; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            *p = '?';
    }
    return buf;
}

void wa_diag_print(const WaDiag *d, FILE *out) {
    char buf[1024];
    size_t size = sizeof buf + (d->long_message ? strlen(d->long_message) : 0);
    char *line = size > sizeof buf ? malloc(size) : NULL;
    if (line == NULL) {
        fprintf(out, "%s\n", wa_diag_format(d, buf, sizeof buf));
        return;
    }
    fprintf(out, "%s\n", wa_diag_format(d, line, size));
    free(line);
}
