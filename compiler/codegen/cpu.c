/*
 * cpu.c: resolving --cpu (cpu.h) into the CPU name and feature string of the
 * LLVM target machine, and the list of checkable features recorded in the
 * executable.
 *
 * "native" is LLVMGetHostCPUName with LLVMGetHostCPUFeatures (which, unlike
 * the name alone, also turns off what a CPU model has but this processor or
 * its OS lacks, e.g. AVX-512 on a VM that hides it). The recorded list is
 * what MCSubtargetInfo enables for that name and feature string, filtered
 * through runtime/cpu_features.def: the rows whose USE is CODE (tuning
 * features are not instruction sets and have no row; intrinsic-only ones
 * are never emitted by wasmaot's lowering).
 */
#include "cpu.h"

#include "../../runtime/wa_cpu.h"

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <stdlib.h>
#include <string.h>

/* The features of the comma-separated `all` that generated code may use (cpu_features.def). */
static char *checkable(const char *all) {
    char *out = malloc(strlen(all) + 1);
    if (out == NULL)
        return NULL;
    size_t used = 0;
    for (const char *p = all; *p;) {
        size_t n = strcspn(p, ",");
        if (n > 0 && wa_cpu_check_generated(p, n)) {
            if (used > 0)
                out[used++] = ',';
            memcpy(out + used, p, n);
            used += n;
        }
        p += n + (p[n] == ',');
    }
    out[used] = '\0';
    return out;
}

bool wa_cpu_resolve(const char *option, WaCpu *cpu, WaDiag *d) {
    *cpu = (WaCpu){0};
    const char *name = option ? option : WA_CPU_DEFAULT;
    bool native = strcmp(name, "native") == 0;
    LLVMInitializeNativeTarget();
    char *host_name = native ? LLVMGetHostCPUName() : NULL;
    char *host_features = native ? LLVMGetHostCPUFeatures() : NULL;
    cpu->name = strdup(native ? host_name : name);
    cpu->features = strdup(native ? host_features : "");
    LLVMDisposeMessage(host_name);
    LLVMDisposeMessage(host_features);
    char *triple = LLVMGetDefaultTargetTriple();
    bool valid = false;
    char *all = cpu->name && cpu->features
                    ? wa_cpu_llvm_features(triple, cpu->name, cpu->features, &valid)
                    : NULL;
    LLVMDisposeMessage(triple);
    cpu->usable = all ? checkable(all) : NULL;
    free(all);
    if (cpu->usable == NULL) {
        wa_cpu_free(cpu);
        return wa_diag_error_no_offset(d, "cannot determine the features of CPU %s", name);
    }
    if (!valid) {
        wa_cpu_free(cpu);
        return wa_diag_error_no_offset(d,
                                       "unknown CPU '%s' for --cpu (use native, x86-64, "
                                       "x86-64-v2, x86-64-v3, x86-64-v4 or an LLVM CPU name)",
                                       name);
    }
    return true;
}

void wa_cpu_free(WaCpu *cpu) {
    free(cpu->name);
    free(cpu->features);
    free(cpu->usable);
    *cpu = (WaCpu){0};
}
