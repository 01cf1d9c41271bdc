/*
 * target.c: the table of targets (target.h).
 *
 * x86_64-linux-gnu is the host: code for LLVM's default triple, linked with
 * the build's own runtime and the host's glibc (its directory found by the
 * build, WA_LIBC_DIR), dynamic linker /lib64/ld-linux-x86-64.so.2; --static
 * links the musl build of the runtime with musl's libc.a.
 *
 * aarch64-linux-gnu is 64-bit Arm Linux with glibc: code for
 * aarch64-unknown-linux-gnu, by default for the CPU "generic" (Armv8.0-A
 * with FP and Advanced SIMD, which every AArch64 Linux machine has), linked
 * with the aarch64-linux-gnu build of the runtime and Debian's cross glibc
 * (libc6-dev-arm64-cross: /usr/aarch64-linux-gnu), dynamic linker
 * /lib/ld-linux-aarch64.so.1, and the cross libgcc's unwinder
 * (libgcc-12-dev-arm64-cross). No --static: Debian 12 packages no musl for
 * AArch64 on an x86-64 host (glibc's libc.a, which libc6-dev-arm64-cross
 * has, is not what --static promises elsewhere: glibc supports static
 * programs only partly, and that build was not tried).
 */
#include "target.h"

#include "wa_config.h"

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const WaTarget targets[] = {
    {
        .name = "x86_64-linux-gnu",
        .arch = WA_ARCH_X86_64,
        .llvm_triple = NULL,
        .default_cpu = "x86-64-v2",
        .cpu_help = "native, x86-64, x86-64-v2, x86-64-v3, x86-64-v4 or an LLVM CPU name",
        .runtime_triple = NULL,
        .dynamic_linker = "/lib64/ld-linux-x86-64.so.2",
        .libc_dir = WA_LIBC_DIR,
        .libgcc_eh = WA_LIBGCC_EH,
        .libgcc = NULL,
        .static_runtime_triple = "x86_64-linux-musl",
        .static_libc_dir = WA_MUSL_LIBC_DIR,
        .no_static_why = NULL,
        .install_hint = "install musl-dev and musl-tools, then rebuild",
    },
    {
        .name = "aarch64-linux-gnu",
        .arch = WA_ARCH_AARCH64,
        .llvm_triple = "aarch64-unknown-linux-gnu",
        .default_cpu = "generic",
        .cpu_help = "generic or an LLVM AArch64 CPU name such as cortex-a72 or neoverse-n1",
        .runtime_triple = "aarch64-linux-gnu",
        .dynamic_linker = "/lib/ld-linux-aarch64.so.1",
        .libc_dir = WA_AARCH64_SYSROOT "/lib",
        .libgcc_eh = WA_AARCH64_LIBGCC_DIR "/libgcc_eh.a",
        .libgcc = WA_AARCH64_LIBGCC_DIR "/libgcc.a",
        .static_runtime_triple = NULL,
        .static_libc_dir = NULL,
        .no_static_why = "--static is not supported for --target aarch64-linux-gnu (Debian "
                         "has no musl for AArch64 to build it with)",
        .install_hint = "install clang-19, libc6-dev-arm64-cross and "
                        "libgcc-12-dev-arm64-cross, then rebuild",
    },
};

const WaTarget *wa_target_default(void) {
    return &targets[0];
}

bool wa_target_find(const char *name, const WaTarget **out, WaDiag *d) {
    char names[256] = "";
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        if (strcmp(targets[i].name, name) == 0) {
            *out = &targets[i];
            return true;
        }
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", targets[i].name);
    }
    return wa_diag_error_no_offset(d, "unknown target '%s' for --target (use %s)", name, names);
}

char *wa_target_llvm_triple(const WaTarget *t) {
    if (t == NULL)
        t = wa_target_default();
    return t->llvm_triple ? LLVMCreateMessage(t->llvm_triple) : LLVMGetDefaultTargetTriple();
}

static void initialize_targets(void) {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
}

void wa_target_init_llvm(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, initialize_targets);
}
