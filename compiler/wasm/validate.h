/*
 * validate.h: module validation (spec chapter 3), including the algorithm of
 * the spec's appendix for instruction sequences (operand and control stacks,
 * the polymorphic stack after unreachable, br, br_table and return).
 *
 * Errors use the spec suite's wording ("type mismatch", "unknown local",
 * "alignment must not be larger than natural", "constant expression required",
 * "duplicate export name", ...) and name the function and offset.
 */
#ifndef WA_WASM_VALIDATE_H
#define WA_WASM_VALIDATE_H

#include "../base/diag.h"
#include "module.h"

/* Validates the whole module; on failure returns false with the first error in d. */
bool wa_validate_module(const WaModule *m, WaDiag *d);

#endif
