/*
 * main.c: the wasmaot-spec command line. Runs each .wast file given and
 * prints one line per failure, a count per file, and last the total:
 *     N passed, M failed[, K skipped]
 * Text-format assert_malformed commands are reported on a line of their own
 * as not applicable (wasmaot has no text parser); they are never passes.
 * Exit status: 0 if nothing failed or was skipped, 1 otherwise, 2 on bad usage.
 */
#include "spec.h"

#include "wasm/instr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef WA_SPEC_DEFAULT_OPT
#define WA_SPEC_DEFAULT_OPT 2
#endif

static void usage(FILE *out) {
    fprintf(out,
            "usage: wasmaot-spec [options] FILE.wast...\n"
            "Runs WebAssembly spec test scripts: converts each with wast2json, compiles\n"
            "every module with wasmaot, and executes every command. A FILE.json in\n"
            "wast2json's output format (its module files beside it) is run as it is.\n"
            "  -v          print each command as it runs\n"
            "  --line N    run only the command at line N (of a single file), after the\n"
            "              commands before it that build its state\n"
            "  -O N        optimisation level for compiling modules, 0..3 (default %d)\n"
            "  --cpu NAME  target CPU for compiling modules: native (default) or an\n"
            "              LLVM CPU name such as x86-64 (baseline SSE2)\n"
            "  --enable-FEATURE, --disable-FEATURE, --enable-all: the WebAssembly\n"
            "              features modules may use; wast2json is told the same\n"
            "  -h, --help  this text\n"
            "features:\n",
            WA_SPEC_DEFAULT_OPT);
    wa_features_print_help(out, "  ");
}

/* A decimal argument in [lo, hi]; false if it is not one. */
static bool parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out) {
    char *end;
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    unsigned long v = strtoul(s, &end, 10);
    if (*end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* ", K skipped" etc.: the optional parts of a count line. */
static void print_counts(const SpecCounts *c, bool with_na) {
    printf("%u passed, %u failed", c->passed, c->failed);
    if (c->skipped > 0)
        printf(", %u skipped", c->skipped);
    if (with_na && c->not_applicable > 0)
        printf(", %u not applicable", c->not_applicable);
    printf("\n");
}

int main(int argc, char **argv) {
    SpecOptions opt = {
        .opt_level = WA_SPEC_DEFAULT_OPT, .cpu = "native", .features = wa_features_default()};
    const char **files = calloc((size_t)argc, sizeof *files);
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long v;
        char why[300];
        WaFeatureArg feature = wa_features_parse_arg(&opt.features, a, why, sizeof why);
        if (feature == WA_FEATURE_ARG_ERROR) {
            fprintf(stderr, "wasmaot-spec: %s\n", why);
            return 2;
        }
        if (feature == WA_FEATURE_ARG_OK)
            continue;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-v") == 0) {
            opt.verbose = true;
        } else if (strcmp(a, "--line") == 0 || strncmp(a, "--line=", 7) == 0) {
            const char *n = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (!parse_uint(n, 1, UINT32_MAX, &v)) {
                fprintf(stderr, "wasmaot-spec: --line needs a line number\n");
                return 2;
            }
            opt.line = (uint32_t)v;
        } else if (strncmp(a, "-O", 2) == 0) {
            const char *n = a[2] != '\0' ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
            if (!parse_uint(n, 0, 3, &v)) {
                fprintf(stderr, "wasmaot-spec: -O needs a level 0..3\n");
                return 2;
            }
            opt.opt_level = (int)v;
        } else if (strcmp(a, "--cpu") == 0 || strncmp(a, "--cpu=", 6) == 0) {
            const char *name = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
            if (name == NULL || *name == '\0') {
                fprintf(stderr, "wasmaot-spec: --cpu needs a CPU name\n");
                return 2;
            }
            opt.cpu = name;
        } else if (a[0] == '-') {
            fprintf(stderr, "wasmaot-spec: unknown option %s\n", a);
            usage(stderr);
            return 2;
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0 || (opt.line != 0 && nfiles != 1)) {
        fprintf(stderr, nfiles == 0 ? "wasmaot-spec: no .wast files given\n"
                                    : "wasmaot-spec: --line needs exactly one file\n");
        usage(stderr);
        return 2;
    }

    SpecCounts total = {0};
    for (int i = 0; i < nfiles; i++) {
        SpecScript s;
        char why[600];
        SpecCounts counts = {0};
        if (!spec_wast_load(files[i], opt.features, &s, why, sizeof why)) {
            /* The file's commands are unknown; the file counts as one failure. */
            printf("%s: %s\n", files[i], why);
            counts.failed = 1;
        } else {
            uint32_t ran = spec_commands_run(&s, &opt, &counts);
            if (opt.line != 0 && ran == 0) {
                printf("%s:%u: no command at this line\n", files[i], opt.line);
                counts.failed = 1;
            }
        }
        spec_wast_free(&s);
        printf("%s: ", files[i]);
        print_counts(&counts, true);
        total.passed += counts.passed;
        total.failed += counts.failed;
        total.skipped += counts.skipped;
        total.not_applicable += counts.not_applicable;
    }
    if (total.not_applicable > 0)
        printf("%u not applicable: text-format assert_malformed (wasmaot has no text parser)\n",
               total.not_applicable);
    print_counts(&total, false);
    free(files);
    return total.failed == 0 && total.skipped == 0 ? 0 : 1;
}
