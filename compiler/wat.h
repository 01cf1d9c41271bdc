/*
 * wat.h: WebAssembly text input. wasmaot has no text parser of its own: a
 * module in the text format (.wat) is converted to the binary format by
 * wabt's wat2wasm (Debian's wabt package), then compiled as any module.
 */
#ifndef WA_WAT_H
#define WA_WAT_H

#include "base/diag.h"
#include "wasm/features.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether `size` bytes look like the text format: after white space, "(" or a ";" comment. */
bool wa_wat_is_text(const uint8_t *bytes, size_t size);

/*
 * Converts the text module at `path` with wat2wasm, accepting `features`,
 * into a malloc'ed *out of *size bytes. False with one line in d: wat2wasm's
 * first error (its position as "line L, column C"), or that wat2wasm is
 * missing (install wabt).
 */
bool wa_wat_to_wasm(const char *path, WaFeatures features, uint8_t **out, size_t *size, WaDiag *d);

#endif
