/*
 * cpu.h: the target CPU of the generated code, from the --cpu option.
 *
 * The default is WA_CPU_DEFAULT, a portable baseline; "native" is the
 * host's CPU with every feature it has; any other LLVM CPU name or x86-64
 * level ("x86-64-v3", "skylake", "znver4") is taken as LLVM defines it. For
 * each, the compiler knows which instruction-set features the code may use
 * (LLVM's MCSubtargetInfo, cpu_llvm.cpp), and records those the runtime can
 * check (runtime/cpu_features.def) in the executable.
 */
#ifndef WA_CODEGEN_CPU_H
#define WA_CODEGEN_CPU_H

#include "../base/diag.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The CPU --cpu defaults to: see README.md ("CPU") for why and for the measurements. */
#define WA_CPU_DEFAULT "x86-64-v2"

typedef struct WaCpu {
    char *name;     /* the LLVM CPU name; for "native", the host's (e.g. "skylake") */
    char *features; /* the LLVM feature string for the target machine: "" or "+a,-b,..." */
    char *usable;   /* the cpu_features.def features the code may use, comma-separated */
} WaCpu;

/*
 * Resolves the --cpu option (NULL: WA_CPU_DEFAULT) for the host triple. False
 * with one line in d if LLVM does not know the CPU name. Free with wa_cpu_free.
 */
bool wa_cpu_resolve(const char *option, WaCpu *cpu, WaDiag *d);

/*
 * wa_cpu_resolve for `target` (codegen/target.h; NULL: the host): for
 * AArch64 the option is an LLVM AArch64 CPU name (default "generic").
 */
struct WaTarget;
bool wa_cpu_resolve_for(const struct WaTarget *target, const char *option, WaCpu *cpu, WaDiag *d);

/*
 * Registers LLVM's native target and its assembly printer, once per process:
 * LLVM's registration is not thread-safe, and chunks (codegen.h) set up their
 * target machines on several threads.
 */
void wa_cpu_init_llvm(void);

void wa_cpu_free(WaCpu *cpu);

/*
 * The features of the comma-separated LLVM feature list `all` to record in
 * the executable (WaCpu.usable): the cpu_features.def rows whose USE is CODE,
 * and every name neither that table nor wa_cpu_is_tuning knows (the runtime
 * counts those as missing). Comma-separated, malloc'ed; NULL if out of memory.
 */
char *wa_cpu_recorded(const char *all);

/*
 * Implemented in C++ (cpu_llvm.cpp): every feature LLVM enables for `cpu`
 * with `features` on `triple`, comma-separated, malloc'ed; NULL if out of
 * memory or the target is unknown. *valid says whether LLVM knows the CPU.
 */
char *wa_cpu_llvm_features(const char *triple, const char *cpu, const char *features, bool *valid);

/*
 * Implemented in C++ (cpu_llvm.cpp): every feature name LLVM knows for
 * `triple`, enabled or not, comma-separated, malloc'ed; NULL if out of
 * memory or the target is unknown. Each is either a row of
 * runtime/cpu_features.def or one wa_cpu_is_tuning accepts (a unit test
 * checks it).
 */
char *wa_cpu_llvm_all_features(const char *triple);

/*
 * Is `name` (len bytes, not NUL-terminated) an LLVM feature that needs
 * nothing of the processor beyond what every x86-64 has: tuning, a mode,
 * hardening? Such a feature is not recorded; every other one the target
 * enables and cpu_features.def lacks is (and then refuses to start).
 */
bool wa_cpu_is_tuning(const char *name, size_t len);

#ifdef __cplusplus
}
#endif

#endif
