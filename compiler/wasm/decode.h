/*
 * decode.h: the binary-format decoder (spec chapter 5).
 *
 * Reads a whole module into a WaModule: every section of Wasm 2.0 in its
 * required order (custom sections anywhere), the data count section, and
 * the `name` custom section (module and function names; a malformed name
 * section is ignored, as the spec asks of custom sections). Function bodies
 * are split into local declarations and code, but their instructions are
 * read later, by the validator and lowering, with wa_instr_read.
 *
 * Errors are malformed-module errors with the spec suite's wording ("magic
 * header not detected", "unknown binary version", "section size mismatch",
 * "unexpected end", "junk after last section", "too many locals", "function
 * and code section have inconsistent lengths", "data count and data section
 * have inconsistent lengths", "malformed section id", ...).
 */
#ifndef WA_WASM_DECODE_H
#define WA_WASM_DECODE_H

#include "../base/diag.h"
#include "features.h"
#include "module.h"

/*
 * Decodes bytes[0, size) into *m (which it initialises), with the encoding
 * of the feature set `features` (the features that change how a module is
 * encoded: wasm/instr.h, wa_encoding_has; m->features keeps it). On failure
 * returns false with the error in d, and *m holds nothing that needs
 * freeing; on success the caller frees it with wa_module_free. `bytes` must
 * outlive *m.
 */
bool wa_decode_module(const uint8_t *bytes, size_t size, const char *filename, WaFeatures features,
                      WaModule *m, WaDiag *d);

/*
 * Implementation limits: a module beyond one is refused with one line saying
 * which ("too many functions: N, more than wasmaot's limit of M"), because
 * compiling it would take memory beyond reason (a 10 MB body takes 2.9 GB at
 * -O0). They are the limits Web engines enforce (the JS API spec's
 * "Implementation-defined limits"), so no module a browser runs is refused.
 */
#define WA_MAX_LOCALS 50000      /* locals a function may declare beyond its parameters */
#define WA_MAX_FUNCS 1000000     /* functions, imported and defined */
#define WA_MAX_BODY_SIZE 7654321 /* bytes in one function body */

#endif
