/*
 * cpu.c: resolving --cpu (cpu.h) into the CPU name and feature string of the
 * LLVM target machine, and the list of checkable features recorded in the
 * executable.
 *
 * "native" is LLVMGetHostCPUName with LLVMGetHostCPUFeatures (which, unlike
 * the name alone, also turns off what a CPU model has but this processor or
 * its OS lacks, e.g. AVX-512 on a VM that hides it). The recorded list is
 * what MCSubtargetInfo enables for that name and feature string, filtered
 * through runtime/cpu_features.def: the rows whose USE is CODE are recorded,
 * intrinsic-only rows are not (wasmaot's lowering never emits them), and so
 * are not the tuning features below, which need nothing of the processor.
 * Every other enabled name is recorded too: it is a feature this table does
 * not know yet (a newer LLVM's), the runtime cannot show it is there, so the
 * program refuses to start rather than die of SIGILL.
 */
#include "cpu.h"
#include "target.h"

#include "../../runtime/wa_cpu.h"

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/*
 * The LLVM 19 x86 features that need nothing of the processor beyond what
 * every x86-64 has (and so are not recorded): they choose among instructions
 * all of them run, or pick a mode or an ABI. Exact names, no patterns: a name
 * a newer LLVM adds is recorded until someone reads what it does and lists it
 * here or gives it a row in cpu_features.def (test_cli's cpu tests fail until
 * then).
 */
// clang-format off
static const char *const tuning[] = {
    /* Modes and ABI, set from the triple or by options wasmaot never passes. */
    "16bit-mode", "32bit-mode", "64bit-mode", "soft-float", "tagged-globals",
    /* NOPL (0F 1F): every x86-64 processor has it. */
    "nopl",
    /* Cost models and instruction choice: which of two instructions both always there. */
    "allow-light-256-bit", "branchfusion", "ermsb", "fast-11bytenop", "fast-15bytenop",
    "fast-7bytenop", "fast-bextr", "fast-dpwssd", "fast-gather", "fast-hops", "fast-imm16",
    "fast-lzcnt", "fast-movbe", "fast-scalar-fsqrt", "fast-scalar-shift-masks", "fast-shld-rotate",
    "fast-variable-crosslane-shuffle", "fast-variable-perlane-shuffle", "fast-vector-fsqrt",
    "fast-vector-shift-masks", "faster-shift-than-shuffle", "fsrm", "idivl-to-divb",
    "idivq-to-divl", "lea-sp", "lea-uses-ag", "macrofusion", "no-bypass-delay",
    "no-bypass-delay-blend", "no-bypass-delay-mov", "no-bypass-delay-shuffle",
    "pad-short-functions", "prefer-128-bit", "prefer-256-bit", "prefer-mask-registers",
    "prefer-movmsk-over-vtest", "prefer-no-gather", "prefer-no-scatter", "sbb-dep-breaking",
    "slow-3ops-lea", "slow-incdec", "slow-lea", "slow-pmaddwd", "slow-pmulld", "slow-shld",
    "slow-two-mem-ops", "slow-unaligned-mem-16", "slow-unaligned-mem-32",
    "tuning-fast-imm-vector-shift", "use-glm-div-sqrt-costs", "use-slm-arith-costs",
    "vzeroupper",
    /* Breaking false dependencies: an extra XOR before an instruction the code uses anyway. */
    "false-deps-getmant", "false-deps-lzcnt-tzcnt", "false-deps-mulc", "false-deps-mullq",
    "false-deps-perm", "false-deps-popcnt", "false-deps-range",
    /* Branch-hint prefixes (2E/3E on Jcc): older processors ignore them. */
    "branch-hint",
    /* Hardening: LFENCE, INT3 and thunks, all baseline instructions. */
    "harden-sls-ijmp", "harden-sls-ret", "lvi-cfi", "lvi-load-hardening", "retpoline",
    "retpoline-external-thunk", "retpoline-indirect-branches", "retpoline-indirect-calls",
    "seses",
    /* Inline assembly only, which wasmaot never emits. */
    "inline-asm-use-gpr32",
};
// clang-format on

bool wa_cpu_is_tuning(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof tuning / sizeof *tuning; i++) {
        if (strlen(tuning[i]) == len && memcmp(tuning[i], name, len) == 0)
            return true;
    }
    return false;
}

/* Does the comma-separated `all` contain name[0..len)? */
static bool has_feature_n(const char *all, const char *name, size_t len) {
    for (const char *p = all; *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && memcmp(p, name, n) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

/* Does the comma-separated `all` contain `name`? */
static bool has_feature(const char *all, const char *name) {
    return has_feature_n(all, name, strlen(name));
}

/*
 * The features of the comma-separated `all` that keep(name, len, data)
 * accepts, in their order, comma-separated and malloc'ed; NULL if out of
 * memory.
 */
static char *filter_features(const char *all, bool (*keep)(const char *, size_t, const void *),
                             const void *data) {
    char *out = malloc(strlen(all) + 1);
    if (out == NULL)
        return NULL;
    size_t used = 0;
    for (const char *p = all; *p;) {
        size_t n = strcspn(p, ",");
        if (n > 0 && keep(p, n, data)) {
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

/* Recorded: the features the start-up check knows and the code uses, and unknown non-tuning ones.
 */
static bool is_recorded(const char *name, size_t n, const void *unused) {
    (void)unused;
    return wa_cpu_check_known(name, n) ? wa_cpu_check_generated(name, n)
                                       : !wa_cpu_is_tuning(name, n);
}

char *wa_cpu_recorded(const char *all) {
    return filter_features(all, is_recorded, NULL);
}

void wa_cpu_init_llvm(void) {
    wa_target_init_llvm();
}

/* Whether `base` (comma-separated) lacks feature name[0..n). */
static bool not_in(const char *name, size_t n, const void *base) {
    return !has_feature_n(base, name, n);
}

/* The features of the comma-separated `all` that `base` lacks, malloc'ed; NULL if out of memory. */
static char *features_beyond(const char *all, const char *base) {
    return filter_features(all, not_in, base);
}

/*
 * --cpu for AArch64: an LLVM AArch64 CPU name (default "generic"). The
 * recorded features are those the CPU has beyond generic's (Armv8.0-A, FP,
 * Advanced SIMD): the runtime has no AArch64 feature check, so an executable
 * that records any refuses to start (wa_cpu_check_missing), and the
 * default records none. No "native": the host is not an AArch64 machine.
 */
static bool resolve_aarch64(const WaTarget *t, const char *option, WaCpu *cpu, WaDiag *d) {
    const char *name = option ? option : t->default_cpu;
    if (strcmp(name, "native") == 0)
        return wa_diag_error_no_offset(d,
                                       "--cpu=native is for the host's target, not --target %s "
                                       "(use %s)",
                                       t->name, t->cpu_help);
    char *triple = wa_target_llvm_triple(t);
    bool valid = false, base_valid = false;
    char *all = wa_cpu_llvm_features(triple, name, "", &valid);
    char *base = wa_cpu_llvm_features(triple, t->default_cpu, "", &base_valid);
    LLVMDisposeMessage(triple);
    cpu->name = strdup(name);
    cpu->features = strdup("");
    cpu->usable = all && base ? features_beyond(all, base) : NULL;
    free(all);
    free(base);
    if (cpu->name == NULL || cpu->features == NULL || cpu->usable == NULL) {
        wa_cpu_free(cpu);
        return wa_diag_error_no_offset(d, "cannot determine the features of CPU %s", name);
    }
    if (!valid) {
        wa_cpu_free(cpu);
        return wa_diag_error_no_offset(d, "unknown CPU '%s' for --cpu with --target %s (use %s)",
                                       name, t->name, t->cpu_help);
    }
    return true;
}

bool wa_cpu_resolve(const char *option, WaCpu *cpu, WaDiag *d) {
    return wa_cpu_resolve_for(NULL, option, cpu, d);
}

bool wa_cpu_resolve_for(const WaTarget *target, const char *option, WaCpu *cpu, WaDiag *d) {
    *cpu = (WaCpu){0};
    wa_cpu_init_llvm();
    if (target != NULL && target->arch == WA_ARCH_AARCH64)
        return resolve_aarch64(target, option, cpu, d);
    const char *name = option ? option : WA_CPU_DEFAULT;
    bool native = strcmp(name, "native") == 0;
    char *host_name = native ? LLVMGetHostCPUName() : NULL;
    char *host_features = native ? LLVMGetHostCPUFeatures() : NULL;
    cpu->name = strdup(native ? host_name : name);
    cpu->features = strdup(native ? host_features : "");
    LLVMDisposeMessage(host_name);
    LLVMDisposeMessage(host_features);
    char *triple = wa_target_llvm_triple(target);
    bool valid = false;
    char *all = cpu->name && cpu->features
                    ? wa_cpu_llvm_features(triple, cpu->name, cpu->features, &valid)
                    : NULL;
    LLVMDisposeMessage(triple);
    cpu->usable = all ? wa_cpu_recorded(all) : NULL;
    /* A 32-bit CPU (i386, pentium4, lakemont): LLVM would abort on 64-bit code for it. */
    bool has_64bit = all && has_feature(all, "64bit");
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
    if (!has_64bit) {
        wa_cpu_free(cpu);
        return wa_diag_error_no_offset(d,
                                       "CPU '%s' for --cpu is not a 64-bit x86 CPU (use native, "
                                       "x86-64, x86-64-v2, x86-64-v3, x86-64-v4 or a 64-bit "
                                       "LLVM CPU name)",
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
