/*
 * check.h: what every libFuzzer target of tools/fuzz checks after one input.
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

#endif
