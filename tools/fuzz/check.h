/*
 * check.h: what every libFuzzer target of tools/fuzz checks after one input,
 * and the decoding and validation every target starts with.
 *
 * Bad input is normal, so an input must end either in success with nothing
 * recorded in the WaDiag, or in failure with exactly one error: a non-empty
 * reason and a formatted message that is one line (no newline or carriage
 * return). Anything else is a bug, reported by abort() so libFuzzer saves the
 * input. Crashes, leaks and undefined behaviour are the sanitizers' part.
 */
#ifndef WA_FUZZ_CHECK_H
#define WA_FUZZ_CHECK_H

#include "base/diag.h"
#include "wasm/decode.h"
#include "wasm/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void wa_fuzz_check_diag(const WaDiag *d, bool ok, const char *stage) {
    if (ok) {
        if (d->failed) {
            fprintf(stderr, "fuzz: %s succeeded but recorded an error: %s\n", stage, d->message);
            abort();
        }
        return;
    }
    if (!d->failed || d->message[0] == '\0') {
        fprintf(stderr, "fuzz: %s failed without an error message\n", stage);
        abort();
    }
    char line[1024];
    wa_diag_format(d, line, sizeof line);
    if (strpbrk(line, "\n\r") != NULL) {
        fprintf(stderr, "fuzz: %s: the error is not one line: %s\n", stage, line);
        abort();
    }
}

/*
 * What every target does first with an input: decodes it as "fuzz.wasm" and,
 * when that succeeds, validates it, checking the diagnostics of each. Returns
 * whether m was decoded (the caller frees it with wa_module_free), with
 * *valid set when it also validated.
 */
static inline bool wa_fuzz_decode_validate(const uint8_t *data, size_t size, WaModule *m, WaDiag *d,
                                           bool *valid) {
    wa_diag_init(d, "fuzz.wasm");
    bool ok = wa_decode_module(data, size, "fuzz.wasm", wa_features_default(), m, d);
    wa_fuzz_check_diag(d, ok, "decode");
    *valid = ok && wa_validate_module(m, d);
    if (ok)
        wa_fuzz_check_diag(d, *valid, "validate");
    return ok;
}

#endif
