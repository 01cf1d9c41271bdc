/*
 * emit.c: the target machine, the optimisation pipeline and output files.
 *
 * The target is the host (x86-64 Linux) or --target's (target.h: its LLVM
 * triple, and the data layout of its target machine), with position-
 * independent code because the output is linked into a PIE executable. The
 * CPU comes from cpu.c: by default the portable baseline WA_CPU_DEFAULT, so an
 * executable runs on other machines than the one that built it;
 * `--cpu=native` uses this host's CPU with all its features, as a JIT would;
 * any LLVM CPU name or x86-64 level builds for that CPU.
 *
 * Optimisation is LLVM's default pipeline with a pass of ours (optimize.h).
 * The module is verified before optimisation: a failure there is a bug in
 * wasmaot, reported as an internal error rather than miscompiled code.
 */
#include "codegen.h"
#include "cpu.h"
#include "limits.h"
#include "optimize.h"
#include "sites.h"
#include "target.h"

#include "../base/check.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <stdlib.h>
#include <string.h>

static LLVMCodeGenOptLevel codegen_level(int opt_level) {
    switch (opt_level) {
    case 0:
        return LLVMCodeGenLevelNone;
    case 1:
        return LLVMCodeGenLevelLess;
    case 2:
        return LLVMCodeGenLevelDefault;
    default:
        return LLVMCodeGenLevelAggressive;
    }
}

bool wa_codegen_target(WaCodegen *cg, const WaCodegenOptions *o) {
    wa_cpu_init_llvm();
    char *triple = wa_target_llvm_triple(o->target);
    char *error = NULL;
    LLVMTargetRef target;
    if (LLVMGetTargetFromTriple(triple, &target, &error)) {
        wa_diag_error_no_offset(cg->d, "no LLVM target for %s: %s", triple, error);
        LLVMDisposeMessage(error);
        LLVMDisposeMessage(triple);
        return false;
    }
    WaCpu cpu;
    if (!wa_cpu_resolve_for(o->target, o->cpu, &cpu, cg->d)) {
        LLVMDisposeMessage(triple);
        return false;
    }
    cg->tm =
        LLVMCreateTargetMachine(target, triple, cpu.name, cpu.features, codegen_level(o->opt_level),
                                LLVMRelocPIC, LLVMCodeModelDefault);
    wa_cpu_free(&cpu);
    LLVMSetTarget(cg->mod, triple);
    LLVMDisposeMessage(triple);
    if (cg->tm == NULL)
        return wa_diag_error_no_offset(cg->d, "cannot create an LLVM target machine for CPU %s",
                                       o->cpu              ? o->cpu
                                       : o->target != NULL ? o->target->default_cpu
                                                           : WA_CPU_DEFAULT);
    LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(cg->tm);
    LLVMSetModuleDataLayout(cg->mod, layout);
    LLVMDisposeTargetData(layout);
    return true;
}

bool wa_codegen_verify(WaCodegen *cg) {
    char *message = NULL;
    if (LLVMVerifyModule(cg->mod, LLVMReturnStatusAction, &message)) {
        /* Keep the first line: the full dump is for developers (--emit=llvm-ir -O0). */
        char *nl = strchr(message, '\n');
        if (nl)
            *nl = '\0';
        wa_diag_error_no_offset(cg->d, "internal error: invalid LLVM IR generated: %s", message);
        LLVMDisposeMessage(message);
        return false;
    }
    LLVMDisposeMessage(message);
    return true;
}

/* The runtime's global `name` of type `type` (wa_rt.h), declared on first use. */
static LLVMValueRef rt_global(WaCodegen *cg, const char *name, LLVMTypeRef type) {
    LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, name);
    if (g == NULL) {
        g = LLVMAddGlobal(cg->mod, type, name);
        LLVMSetLinkage(g, LLVMExternalLinkage);
        /* An executable links the runtime in: a direct, PC-relative access. A shared
           object (--emit=shared) finds the embedder's runtime when it is loaded. */
        if (!cg->embeddable)
            LLVMSetVisibility(g, LLVMHiddenVisibility);
    }
    return g;
}

/* With --fuel or --timeout: their checks, in the optimised code (limits.h). */
static void insert_limits(WaCodegen *cg) {
    if (!cg->fuel && !cg->timeout)
        return;
    WaLimitsAbi abi = {
        .fuel = cg->fuel,
        .timeout = cg->timeout,
        .trap_fuel = WA_RT_TRAP_FUEL_EXHAUSTED,
        .trap_interrupted = WA_RT_TRAP_INTERRUPTED,
        .trap_fn = wa_codegen_rt_fn(cg, WA_RT_TRAP),
        .fuel_counter = rt_global(cg, "wa_rt_fuel", cg->t_i64),
        .interrupt_flag = rt_global(cg, "wa_rt_interrupt", cg->t_i32),
    };
    wa_llvm_limits(cg->mod, &abi);
}

bool wa_codegen_optimize(WaCodegen *cg, int opt_level) {
    if (opt_level == 0) {
        insert_limits(cg);
        return true;
    }
    WaMemorySizeAbi abi = {
        .mem0_base_offset =
            wa_codegen_rt_offset(cg, WA_RT_STRUCT_INSTANCE, WA_RT_INSTANCE_MEM0_BASE),
        .mem0_offset = wa_codegen_rt_offset(cg, WA_RT_STRUCT_INSTANCE, WA_RT_INSTANCE_MEM0),
        .size_offset = wa_codegen_rt_offset(cg, WA_RT_STRUCT_MEMORY, WA_RT_MEMORY_SIZE),
        .mem0_is64 = cg->m->nmemories > 0 && wa_module_memory_is64(cg->m, 0),
    };
    char *msg = wa_llvm_optimize(cg->mod, cg->tm, opt_level, &abi);
    if (msg != NULL) {
        wa_diag_error_no_offset(cg->d, "LLVM optimisation failed: %s", msg);
        free(msg);
        return false;
    }
    insert_limits(cg);
    return true;
}

/* An object with the backtrace table made from its debug locations (sites.h). */
static bool write_object_with_sites(WaCodegen *cg, const char *path) {
    char *error = NULL;
    LLVMMemoryBufferRef obj = NULL;
    if (LLVMTargetMachineEmitToMemoryBuffer(cg->tm, cg->mod, LLVMObjectFile, &error, &obj)) {
        wa_diag_error_no_offset(cg->d, "cannot write the compiled code: %s", error ? error : "");
        LLVMDisposeMessage(error);
        return false;
    }
    size_t *offsets = WA_NEW_ARRAY(&cg->scratch, size_t, cg->m->nfuncs);
    for (uint32_t i = 0; i < cg->m->nfuncs; i++)
        offsets[i] = cg->m->funcs[i].imported ? 0 : cg->m->funcs[i].code_offset;
    WaSitesInput in = {.nfuncs = cg->m->nfuncs,
                       .dwarf = cg->dwarf,
                       .chunk = cg->chunk,
                       .first_func = cg->first_func,
                       .end_func = cg->end_func,
                       .code_offsets = offsets,
                       .debug_info = cg->debug_info};
    char *msg = wa_sites_write_object(LLVMGetBufferStart(obj), LLVMGetBufferSize(obj), &in, path);
    LLVMDisposeMemoryBuffer(obj);
    if (msg != NULL) {
        /* `path` is a temporary file (base/tempfile.c): the message does not name it. */
        wa_diag_error_no_offset(cg->d, "cannot write the compiled code: %s", msg);
        free(msg);
        return false;
    }
    return true;
}

bool wa_codegen_write(WaCodegen *cg, WaOutputKind kind, const char *path) {
    if (kind == WA_OUTPUT_OBJECT && cg->dib != NULL)
        return write_object_with_sites(cg, path);
    char *error = NULL;
    bool failed;
    if (kind == WA_OUTPUT_LLVM_IR) {
        failed = LLVMPrintModuleToFile(cg->mod, path, &error);
    } else {
        LLVMCodeGenFileType type = kind == WA_OUTPUT_OBJECT ? LLVMObjectFile : LLVMAssemblyFile;
        failed = LLVMTargetMachineEmitToFile(cg->tm, cg->mod, path, type, &error);
    }
    if (failed) {
        /* `path` is a temporary file (base/tempfile.c): the message does not name it. */
        wa_diag_error_no_offset(cg->d, "cannot write the compiled code: %s", error ? error : "");
        LLVMDisposeMessage(error);
        return false;
    }
    return true;
}
