/*
 * wa_build_info.h: the build record of a compiled executable.
 *
 * The compiler places a NUL-terminated text in the executable, the global
 * `wasmaot_build_info` in the ELF section ".wasmaot_info": one "key=value"
 * per line, each line ending in '\n'. Keys:
 *
 *   version=0.1.0            the compiler's version
 *   cpu=x86-64-v2            the CPU the code was built for (LLVM's name; for
 *                            --cpu=native the host's, e.g. "sapphirerapids")
 *   cpu-option=native        what --cpu said (the CPU name, or "native")
 *   cpu-features=cx16,...    the CPU features the code may use, comma-separated,
 *                            as named in runtime/cpu_features.def (only those)
 *   grant=--dir data::/data  one line per grant given at compile time, in
 *                            WASMAOT_OPTIONS syntax (wa_grants.h)
 *   instrumented=fuel,timeout  the code has the checks of --fuel and/or
 *                            --timeout (README "Limits"); absent without them
 *
 * Unknown keys are ignored by readers, so later versions may add some. In a
 * value, a backslash, newline or carriage return is written "\\\\", "\\n" or
 * "\\r" (so a grant of `--env 'A=two\nlines'` is one line);
 * wa_build_info_value undoes that.
 * The start-up code reads the record (runtime/start/entry.c) and `wasmaot inspect`
 * reads it back from the ELF file.
 */
#ifndef WA_BUILD_INFO_H
#define WA_BUILD_INFO_H

#include "wa_grants.h"

#include <stdbool.h>
#include <stddef.h>

#define WA_BUILD_INFO_SECTION ".wasmaot_info"
#define WA_BUILD_INFO_SYMBOL "wasmaot_build_info"

/*
 * The value of the first line "key=..." of `record` at or after `from` (a
 * position inside record, or NULL for its start): a pointer into record and
 * its length in *len (up to the newline). NULL if no such line follows.
 * Call again with from = the returned pointer + *len for the next one.
 */
const char *wa_build_info_find(const char *record, const char *key, const char *from, size_t *len);

/*
 * The value at `value` (`len` bytes, as wa_build_info_find returns it) with
 * its escapes undone, as a malloc'ed string; NULL if out of memory.
 */
char *wa_build_info_value(const char *value, size_t len);

/* Appends the grants of every "grant=" line of record to g; false with the reason in why. */
bool wa_build_info_grants(const char *record, wa_grants_t *g, char *why, size_t why_size);

#endif
