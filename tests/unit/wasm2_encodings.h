/*
 * wasm2_encodings.h: for tests written for Wasm 2.0's encodings and rules.
 * Including it turns the multi-memory, memory64, threads and exception-handling
 * proposals (their encodings: memarg bit 6, u64 limits, shared limits, the tag
 * section, tag imports and exports, exnref) off for the
 * whole test program (wasm/instr.h), before Criterion forks the test
 * processes; a test that needs them switches them on for itself.
 */
#ifndef WA_TEST_WASM2_ENCODINGS_H
#define WA_TEST_WASM2_ENCODINGS_H

#include "wasm/instr.h"

__attribute__((constructor)) static void wasm2_encodings(void) {
    wa_set_decoding_features(wa_features_default() & ~(WA_FEATURE_BIT(WA_FEATURE_MULTI_MEMORY) |
                                                       WA_FEATURE_BIT(WA_FEATURE_MEMORY64) |
                                                       WA_FEATURE_BIT(WA_FEATURE_THREADS) |
                                                       WA_FEATURE_BIT(WA_FEATURE_EXCEPTIONS)));
}

#endif
