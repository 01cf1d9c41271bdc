/*
 * build_info.h: the build record of an executable (runtime/wa_build_info.h
 * describes its format and keys), made and emitted by the compiler.
 */
#ifndef WA_CODEGEN_BUILD_INFO_H
#define WA_CODEGEN_BUILD_INFO_H

#include "../../runtime/wa_grants.h"
#include "../base/diag.h"
#include "context.h"

#include <stdbool.h>

/*
 * The record's text for code built for `target` (target.h; NULL: the host)
 * and --cpu `cpu_option` (NULL: the target's default) with `grants`,
 * malloc'ed. False with one line in d if the CPU is unknown or a grant
 * cannot be written on one line (a newline in it).
 */
struct WaTarget;
bool wa_build_info_text(const struct WaTarget *target, const char *cpu_option,
                        const wa_grants_t *grants, const char *instrumented, char **text,
                        WaDiag *d);

/*
 * Adds the record `text` to cg's module: the global wasmaot_build_info, a
 * NUL-terminated constant in the section ".wasmaot_info", which the
 * runtime's start-up code reads.
 */
void wa_build_info_emit(WaCodegen *cg, const char *text);

#endif
