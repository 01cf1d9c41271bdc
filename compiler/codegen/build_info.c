/*
 * build_info.c: the executable's build record (runtime/wa_build_info.h):
 * version, CPU, the CPU features the code may use, and the grants given at
 * compile time, as text in the ELF section ".wasmaot_info".
 *
 * The record is an ordinary read-only global with external linkage, which
 * the start-up code references (so --gc-sections keeps it) and `wasmaot
 * inspect` finds by its section name in the file.
 */
#include "build_info.h"

#include "../../runtime/wa_build_info.h"
#include "cpu.h"
#include "target.h"
#include "wa_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The CPU --cpu defaults to for `target` (NULL: the host). */
static const char *default_cpu(const WaTarget *target) {
    return target ? target->default_cpu : WA_CPU_DEFAULT;
}

/* Appends printf-formatted text to the malloc'ed *buf of length *len; false if out of memory. */
static bool append(char **buf, size_t *len, const char *fmt, const char *arg) {
    int n = snprintf(NULL, 0, fmt, arg);
    char *grown = n >= 0 ? realloc(*buf, *len + (size_t)n + 1) : NULL;
    if (grown == NULL)
        return false;
    snprintf(grown + *len, (size_t)n + 1, fmt, arg);
    *buf = grown;
    *len += (size_t)n;
    return true;
}

/*
 * A record value with '\\', newline and carriage return written as "\\\\",
 * "\\n", "\\r" (wa_build_info_value undoes it), so that a grant whose value
 * holds a line break still fits one line. malloc'ed; NULL if out of memory.
 */
static char *escape_value(const char *value) {
    char *out = malloc(2 * strlen(value) + 1);
    if (out == NULL)
        return NULL;
    char *o = out;
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == '\n' || *p == '\r') {
            *o++ = '\\';
            *o++ = *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\';
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

bool wa_build_info_text(const struct WaTarget *target, const char *cpu_option,
                        const wa_grants_t *grants, const char *instrumented, char **text,
                        WaDiag *d) {
    WaCpu cpu;
    WA_TRY(wa_cpu_resolve_for(target, cpu_option, &cpu, d));
    char *buf = NULL;
    size_t len = 0;
    bool ok =
        append(&buf, &len, "version=%s\n", WA_VERSION) &&
        append(&buf, &len, "cpu=%s\n", cpu.name) &&
        append(&buf, &len, "cpu-option=%s\n", cpu_option ? cpu_option : default_cpu(target)) &&
        append(&buf, &len, "cpu-features=%s\n", cpu.usable);
    wa_cpu_free(&cpu);
    if (ok && instrumented != NULL)
        ok = append(&buf, &len, "instrumented=%s\n", instrumented);
    for (size_t i = 0; ok && i < grants->count; i++) {
        size_t n = wa_grants_format(&grants->items[i], NULL, 0);
        char *line = malloc(n + 1);
        ok = line != NULL;
        if (ok)
            wa_grants_format(&grants->items[i], line, n + 1);
        char *escaped = ok ? escape_value(line) : NULL;
        free(line);
        line = escaped;
        ok = line != NULL;
        ok = ok && append(&buf, &len, "grant=%s\n", line);
        free(line);
    }
    if (!ok) {
        free(buf);
        return wa_diag_error_no_offset(d, "out of memory writing the build record");
    }
    *text = buf;
    return true;
}

void wa_build_info_emit(WaCodegen *cg, const char *text) {
    /* LLVMConstString with DontNullTerminate = false appends the NUL. */
    LLVMValueRef init = LLVMConstStringInContext(cg->llvm, text, (unsigned)strlen(text), false);
    LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), WA_BUILD_INFO_SYMBOL);
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, true);
    LLVMSetLinkage(g, LLVMExternalLinkage);
    LLVMSetSection(g, WA_BUILD_INFO_SECTION);
    LLVMSetAlignment(g, 1);
}
