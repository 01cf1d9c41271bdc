/*
 * wa_cpu.h: checking, at start-up, that this processor has the instruction-set
 * features an executable was compiled for (the table: cpu_features.def).
 *
 * An executable built for a newer CPU than the one it starts on would die of
 * SIGILL at the first instruction the processor lacks, possibly after doing
 * part of its work. Instead the runtime compares the executable's recorded
 * "cpu-features=" list (wa_build_info.h) with CPUID and XGETBV before any
 * generated code runs, and refuses to start naming what is missing.
 */
#ifndef WA_CPU_H
#define WA_CPU_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Is `name` (len bytes, not NUL-terminated) a feature of cpu_features.def? */
bool wa_cpu_check_known(const char *name, size_t len);

/* Is `name` a feature generated code may use (its USE column is CODE)? */
bool wa_cpu_check_generated(const char *name, size_t len);

/* Does this processor (and its OS, for register state) support feature `name`? */
bool wa_cpu_check_has(const char *name, size_t len);

/*
 * Checks the comma-separated feature list `features` (`len` bytes) against
 * this processor. Returns how many are missing and writes their names to
 * `missing` (", "-separated, truncated to `size` bytes). A name the table
 * lacks counts as missing: it cannot be shown to be there.
 */
size_t wa_cpu_check_missing(const char *features, size_t len, char *missing, size_t size);

#ifdef __cplusplus
}
#endif

#endif
