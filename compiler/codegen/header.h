/*
 * header.h: --header FILE, a C header declaring a module's function exports
 * as typed C functions over the embedding API (header.c says what it holds).
 */
#ifndef WA_CODEGEN_HEADER_H
#define WA_CODEGEN_HEADER_H

#include "../base/diag.h"
#include "../wasm/module.h"

#include <stdbool.h>

/*
 * Writes the header for module m to `path` (through a temporary file renamed
 * into place, so a failed write leaves no partial header); the C names start
 * with the prefix made from the file name's stem (header.c). False with one
 * line in d if the file cannot be written.
 */
bool wa_header_write(const WaModule *m, const char *path, WaDiag *d);

/*
 * The C identifier for an export name or a file stem: every byte outside
 * [A-Za-z0-9_] becomes '_', and a leading digit gets a '_' before it ("" gets
 * "_"). Writes at most size - 1 bytes and a NUL; returns the length it wanted.
 */
size_t wa_header_identifier(const uint8_t *name, size_t len, char *buf, size_t size);

#endif
