/*
 * target.h: the targets wasmaot compiles for (--target), THE table of them
 * (target.c): for each, what code generation needs (the LLVM triple, the
 * default CPU) and what linking needs (the dynamic linker, the C library's
 * directory, the unwinder, the runtime build to link).
 *
 * The first row is the host, x86_64-linux-gnu, the default. Any other
 * target's runtime is one of runtime/targets/meson.build's builds, in the
 * directory named by its triple (link/link.c).
 */
#ifndef WA_CODEGEN_TARGET_H
#define WA_CODEGEN_TARGET_H

#include "../base/diag.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum WaArch {
    WA_ARCH_X86_64,
    WA_ARCH_AARCH64,
} WaArch;

typedef struct WaTarget {
    const char *name; /* as --target spells it: "aarch64-linux-gnu" */
    WaArch arch;
    const char *llvm_triple; /* NULL: LLVM's default triple (the host's) */
    const char *default_cpu; /* what --cpu defaults to: a portable baseline */
    const char *cpu_help;    /* the CPU names to suggest when --cpu is wrong */
    /* Linking (link/link.c) a dynamic executable: */
    const char *runtime_triple; /* NULL: the build's own runtime; else its build in this dir */
    const char *dynamic_linker;
    const char *libc_dir;  /* Scrt1.o, crti.o, crtn.o, libc.so, libm.so */
    const char *libgcc_eh; /* the static unwinder */
    const char *libgcc;    /* libgcc.a, or NULL: none needed */
    /* --static: the runtime build and the C library, or NULL: not supported. */
    const char *static_runtime_triple;
    const char *static_libc_dir; /* crt1.o crti.o libc.a crtn.o */
    const char *no_static_why;   /* why --static is refused, when it is */
    const char *install_hint;    /* what to install when the runtime build is missing */
} WaTarget;

/* The default target (the host's). */
const WaTarget *wa_target_default(void);

/*
 * The target --target NAME names; false with one line in d listing the valid
 * names if there is none.
 */
bool wa_target_find(const char *name, const WaTarget **out, WaDiag *d);

/* The target's LLVM triple, malloc'ed (free with LLVMDisposeMessage); t NULL: the default. */
char *wa_target_llvm_triple(const WaTarget *t);

/*
 * Registers LLVM's code generators for every target of the table, once per
 * process (LLVM's registration is not thread-safe, and chunks set up their
 * target machines on several threads).
 */
void wa_target_init_llvm(void);

#ifdef __cplusplus
}
#endif

#endif
