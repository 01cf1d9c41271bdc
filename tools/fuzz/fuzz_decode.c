/*
 * fuzz_decode.c: libFuzzer target for the decoder and the validator.
 *
 * Each input is a candidate module: it is decoded and, when that succeeds,
 * validated, and the result checked as check.h says. Build and run with
 * tools/fuzz/libfuzzer.sh decode SECONDS.
 */
#include "check.h"

#include "wasm/decode.h"
#include "wasm/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    WaDiag d;
    wa_diag_init(&d, "fuzz.wasm");
    WaModule m;
    bool ok = wa_decode_module(data, size, "fuzz.wasm", wa_features_default(), &m, &d);
    wa_fuzz_check_diag(&d, ok, "decode");
    if (ok) {
        ok = wa_validate_module(&m, &d);
        wa_fuzz_check_diag(&d, ok, "validate");
        wa_module_free(&m);
    }
    return 0;
}
