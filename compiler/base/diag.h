/*
 * Diagnostics: the first error of a compilation, with where it happened.
 *
 * Bad input is normal, so functions that read or check input return bool and
 * record the first failure in a WaDiag; later errors are ignored, because the
 * first one is the one the user needs. The user sees one line:
 *
 *     app.wasm: offset 0x1a2f: func 12 (name): type mismatch
 *
 * The reason text starts with the phrase the WebAssembly spec test suite uses
 * for that error ("type mismatch", "unexpected end", "integer too large", ...)
 * so the spec-test runner can compare it; details may follow after that.
 */
#ifndef WA_BASE_DIAG_H
#define WA_BASE_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WA_NO_FUNC UINT32_MAX

typedef struct WaDiag {
    const char *file;    /* input file name, for the message; may be NULL */
    bool failed;         /* an error has been recorded */
    bool has_offset;     /* offset is meaningful */
    size_t offset;       /* byte offset in the input */
    uint32_t func_index; /* function the error is in, or WA_NO_FUNC */
    bool has_func_name;  /* func_name holds the function's name-section name */
    char func_name[128]; /* an escaped copy (wa_escape.h; the module may be freed by then) */
    char message[512];   /* the reason */
    char *long_message;  /* the whole reason when message[] is too short (a list of unknown
                            imports), malloc'ed; wa_diag_release frees it */
} WaDiag;

/* A diagnostics record for input named `file` (which must outlive it). */
void wa_diag_init(WaDiag *d, const char *file);

/* Records an error at a byte offset, unless one is recorded already. Returns false. */
bool wa_diag_error(WaDiag *d, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records an error that has no input offset (a missing file, a link failure). Returns false. */
bool wa_diag_error_no_offset(WaDiag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Names the function the recorded error is in, if it does not name one yet.
 * func_name (or NULL) is escaped (wa_escape.h) into the record.
 */
void wa_diag_set_func(WaDiag *d, uint32_t func_index, const char *func_name);

/* Frees what a record holds (a long message); it is then an empty record again. */
void wa_diag_release(WaDiag *d);

/* Writes the one-line message, with a newline, to `out`: the whole message, however long. */
void wa_diag_print(const WaDiag *d, FILE *out);

/* Formats the one-line message (no newline) into buf, cut to its size; returns buf. */
char *wa_diag_format(const WaDiag *d, char *buf, size_t size);

/* Propagates failure: `WA_TRY(read_thing(r))` returns false from the caller if it failed. */
#define WA_TRY(expr)                                                                               \
    do {                                                                                           \
        if (!(expr))                                                                               \
            return false;                                                                          \
    } while (0)

#endif
