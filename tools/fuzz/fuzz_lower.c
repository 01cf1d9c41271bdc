/*
 * fuzz_lower.c: libFuzzer target for decoding, validation, lowering and LLVM
 * code generation at -O0.
 *
 * Each input is decoded and validated as in fuzz_decode.c; a valid module is
 * then lowered into an LLVM module (wa_codegen_module, with the trampolines
 * and host thunks of an embeddable module, so that code is covered too), the
 * LLVM verifier must accept it (an invalid IR module is a wasmaot bug), and
 * it is compiled to an object file in memory at -O0: nothing is written to
 * disk. Build and run with tools/fuzz/libfuzzer.sh lower SECONDS.
 */
#include "check.h"
#include "compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    WaDiag d;
    WaModule m;
    bool ok;
    if (!wa_fuzz_decode_validate(data, size, &m, &d, &ok))
        return 0;
    if (ok) {
        WaCodegenOptions o = {.opt_level = 0, .cpu = NULL, .embeddable = true};
        wa_fuzz_compile(&m, &o, &d);
    }
    wa_module_free(&m);
    return 0;
}
