/*
 * compile.h: what fuzz_lower.c and fuzz_dwarf.c both do with a valid module:
 * lower it with the given options (wa_codegen_module), require the LLVM
 * verifier to accept the IR (an invalid IR module is a wasmaot bug), and
 * compile it to an object in memory, which runs LLVM's code generator and,
 * with debug info, its DWARF writer. Nothing is written to disk.
 */
#ifndef WA_FUZZ_COMPILE_H
#define WA_FUZZ_COMPILE_H

#include "check.h"

#include "codegen/codegen.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/TargetMachine.h>

static inline void wa_fuzz_compile(const WaModule *m, const WaCodegenOptions *o, WaDiag *d) {
    WaCodegen cg;
    bool ok = wa_codegen_module(&cg, m, o, d);
    wa_fuzz_check_diag(d, ok, "codegen");
    if (ok) {
        char *message = NULL;
        if (LLVMVerifyModule(cg.mod, LLVMReturnStatusAction, &message)) {
            fprintf(stderr, "fuzz: invalid LLVM IR generated: %s\n", message);
            abort();
        }
        LLVMDisposeMessage(message);
        char *error = NULL;
        LLVMMemoryBufferRef obj = NULL;
        if (LLVMTargetMachineEmitToMemoryBuffer(cg.tm, cg.mod, LLVMObjectFile, &error, &obj)) {
            fprintf(stderr, "fuzz: LLVM code generation failed: %s\n", error ? error : "");
            abort();
        }
        LLVMDisposeMemoryBuffer(obj);
    }
    wa_codegen_dispose(&cg);
}

#endif
