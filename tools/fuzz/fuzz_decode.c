/*
 * fuzz_decode.c: libFuzzer target for the decoder and the validator.
 *
 * Each input is a candidate module: it is decoded and, when that succeeds,
 * validated, and the result checked as check.h says. Build and run with
 * tools/fuzz/libfuzzer.sh decode SECONDS.
 */
#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    WaDiag d;
    WaModule m;
    bool valid;
    if (wa_fuzz_decode_validate(data, size, &m, &d, &valid))
        wa_module_free(&m);
    return 0;
}
