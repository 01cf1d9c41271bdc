/*
 * imports.h: checking a module's imports against what an executable can be
 * given at start-up: the WASI functions of wasi-libc-shim/wasi_funcs.def.
 */
#ifndef WA_IMPORTS_IMPORTS_H
#define WA_IMPORTS_IMPORTS_H

#include "../base/diag.h"
#include "../wasm/module.h"

#include <stdbool.h>

/*
 * Every import of m must be a WASI function of the table, with the table's
 * type; otherwise the program could not start. With `allow_unknown`,
 * imports the table lacks (of any kind) are let through: the start-up code
 * makes them trap when called. False with one line in d: the first import
 * of another kind than function, the first WASI function imported with the
 * wrong type, or else every unknown import at once, so the user sees the
 * whole problem.
 */
bool wa_imports_check(const WaModule *m, bool allow_unknown, WaDiag *d);

#endif
