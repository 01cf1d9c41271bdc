/*
 * wasm2_encodings.h: for tests written for Wasm 2.0's encodings and rules.
 * test_encoding is the feature set the including test decodes with (its
 * readers' encoding, wasm/instr.h): the defaults without the multi-memory,
 * memory64, threads and exception-handling proposals, whose encodings
 * (memarg bit 6, u64 limits, shared limits, the tag section, tag imports and
 * exports, exnref) differ from 2.0's. Criterion runs each test in its own
 * process, so a test that needs them sets test_encoding for itself.
 */
#ifndef WA_TEST_WASM2_ENCODINGS_H
#define WA_TEST_WASM2_ENCODINGS_H

#include "wasm/features.h"

static WaFeatures test_encoding;

__attribute__((constructor)) static void wasm2_encodings(void) {
    test_encoding =
        wa_features_default() &
        ~(WA_FEATURE_BIT(WA_FEATURE_MULTI_MEMORY) | WA_FEATURE_BIT(WA_FEATURE_MEMORY64) |
          WA_FEATURE_BIT(WA_FEATURE_THREADS) | WA_FEATURE_BIT(WA_FEATURE_EXCEPTIONS));
}

#endif
