/*
 * main.c: the wasmaot command line. Parses arguments into WaCompileOptions
 * and runs the driver, or dispatches a subcommand (`run`, `inspect`, `cache`); no
 * compilation logic lives here. Grant flags are parsed by the runtime's own
 * parser (runtime/wa_grants.h), so a grant the program would refuse at
 * start-up is refused here, at compile time.
 */
#include "cache.h"
#include "driver.h"
#include "inspect.h"
#include "run.h"

#include "wa_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: wasmaot INPUT.wasm -o OUTPUT [options] [grants]\n"
    "       wasmaot run [OPTIONS] MODULE.wasm [ARGS...]   (see wasmaot run --help)\n"
    "       wasmaot inspect EXECUTABLE\n"
    "       wasmaot cache info | clean\n"
    "\n"
    "Compiles a WebAssembly module (wasm32, WASI preview1) into a native executable.\n"
    "`inspect` prints what an executable was built with (version, CPU, grants).\n"
    "\n"
    "options:\n"
    "  -o OUTPUT                the file to write (- for standard output)\n"
    "  -O0, -O1, -O2, -O3       optimisation level (default -O2)\n"
    "  -j N                     compile with N threads (default: the CPUs this\n"
    "                           process may use); the output is the same for any N\n"
    "  --emit=KIND              exe (default), obj, llvm-ir, asm, or shared (a shared\n"
    "                           object for the embedding API)\n"
    "  --cpu=NAME               target CPU: x86-64-v2 (default: Intel since 2008, AMD\n"
    "                           since 2011), native (this machine's CPU), x86-64,\n"
    "                           x86-64-v3, x86-64-v4 or an LLVM CPU name such as\n"
    "                           skylake; the program refuses to start on a CPU that\n"
    "                           lacks features it was compiled for\n"
    "  --allow-unknown-imports  compile imports that WASI does not provide;\n"
    "                           calling one traps\n"
    "  --canonical-nans         every NaN a float operation computes is the canonical\n"
    "                           one, so results are the same bits on every machine\n"
    "                           (costs a compare and a select per float operation)\n"
    "  -g                       source-level debugging: the output keeps DWARF for\n"
    "                           the module's own sources (from its DWARF: compile\n"
    "                           the module with -g), so gdb breaks on FILE:LINE,\n"
    "                           steps, shows source lines and prints variables\n"
    "  --static                 a static executable (musl's C library linked in):\n"
    "                           runs on any x86-64 Linux, with nothing installed\n"
    "  --target TRIPLE          the machine to compile for: x86_64-linux-gnu (default,\n"
    "                           this one) or aarch64-linux-gnu (64-bit Arm Linux\n"
    "                           with glibc; --cpu is then an AArch64 CPU, generic\n"
    "                           by default)\n"
    "  --header FILE            with --emit=shared: also write FILE, a C header\n"
    "                           declaring the module's function exports as typed C\n"
    "                           functions (README \"Embedding\")\n"
    "  -v, --verbose            print on stderr the time of each phase (decode,\n"
    "                           validate, lower, optimize, codegen, link), the\n"
    "                           function count and the output's size (with or\n"
    "                           without -v, a compile that lasts over a second\n"
    "                           shows its progress when stderr is a terminal)\n"
    "  -V, --version            print the version\n"
    "  --help                   print this help\n"
    "  --enable-FEATURE, --disable-FEATURE, --enable-all: the WebAssembly features\n"
    "                           the module may use (listed below)\n"
    "\n";

/* The rest of --help, a string of its own: C limits one literal to 4095 characters. */
static const char usage_grants[] =
    "grants (baked into the executable; without any, the program gets its arguments\n"
    "and stdio only: no directory, no environment variable):\n"
    "  --dir HOST[::GUEST]      give the program host directory HOST as GUEST (default:\n"
    "                           HOST); a relative HOST is taken from the directory\n"
    "                           the program starts in (--dir . is that directory)\n"
    "  --dir HOST::GUEST:ro     the same, read-only\n"
    "  --env NAME=VALUE         set an environment variable\n"
    "  --env NAME               pass the host's NAME (if set when the program starts)\n"
    "  --inherit-env            pass the whole host environment\n"
    "  --tcplisten HOST:PORT    a listening TCP socket, for sock_accept\n"
    "More grants can be given when the program runs, in the environment variable\n"
    "WASMAOT_OPTIONS (same spelling, shell-style quoting; the program never sees it).\n"
    "\n"
    "limits (baked in like grants; WASMAOT_OPTIONS may change them at run time):\n"
    "  --max-memory SIZE        memory.grow fails (returns -1) beyond SIZE bytes, in\n"
    "                           every memory (units K, M, G or KiB, MiB, GiB: 64MiB)\n"
    "  --max-stack SIZE         the native stack wasm code may use, on every thread\n"
    "                           (at least 64KiB); deeper recursion traps\n"
    "  --fuel N                 trap \"all fuel consumed\" after about N instructions\n"
    "                           of the compiled code, counted at function entries and\n"
    "                           loop headers: the same point every run\n"
    "  --timeout DURATION       trap \"interrupted\" after DURATION (us, ms, s, m, h:\n"
    "                           500ms, 10s, 2m)\n"
    "--fuel and --timeout instrument the code (a program compiled without them has\n"
    "no check and cannot get one from WASMAOT_OPTIONS, which can only change the\n"
    "amount); --max-memory and --max-stack cost nothing and work at run time in any\n"
    "program.\n"
    "A trap prints its reason and a wasm backtrace on stderr and exits with status\n"
    "134; WASMAOT_BACKTRACE=0 in the program's environment prints the reason alone.\n"
    "\n"
    "features:\n";

static int fail(const char *fmt, const char *arg) {
    fprintf(stderr, "wasmaot: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see wasmaot --help)\n");
    return 2;
}

static bool parse_emit(const char *kind, WaEmitKind *out) {
    static const struct {
        const char *name;
        WaEmitKind kind;
    } kinds[] = {{"exe", WA_EMIT_EXE},
                 {"obj", WA_EMIT_OBJ},
                 {"llvm-ir", WA_EMIT_LLVM_IR},
                 {"asm", WA_EMIT_ASM},
                 {"shared", WA_EMIT_SHARED}};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (strcmp(kind, kinds[i].name) == 0) {
            *out = kinds[i].kind;
            return true;
        }
    }
    return false;
}

/* --target NAME or --target=NAME at argv[*i] into o->target; an exit status, or -1 if good. */
static int parse_target(int argc, char **argv, int *i, WaCompileOptions *o) {
    const char *name = argv[*i][8] == '=' ? argv[*i] + 9 : *i + 1 < argc ? argv[++*i] : NULL;
    if (name == NULL || *name == '\0')
        return fail("%s needs a target name", "--target");
    WaDiag d;
    wa_diag_init(&d, NULL);
    if (!wa_target_find(name, &o->target, &d))
        return fail("%s", d.message);
    return -1;
}

/* Parses the compile command into *o; returns an exit status, or -1 to go on compiling. */
static int parse_compile(int argc, char **argv, WaCompileOptions *o) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        char why[512];
        wa_grants_arg_t grant = wa_grants_parse_arg(&o->grants, argc, argv, &i, why, sizeof why);
        if (grant == WA_GRANTS_ARG_ERROR)
            return fail("%s", why);
        if (grant == WA_GRANTS_ARG_OK)
            continue;
        WaFeatureArg feature = wa_features_parse_arg(&o->features, a, why, sizeof why);
        if (feature == WA_FEATURE_ARG_ERROR)
            return fail("%s", why);
        if (feature == WA_FEATURE_ARG_OK)
            continue;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            fputs(usage_grants, stdout);
            wa_features_print_help(stdout, "  ");
            return 0;
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("wasmaot %s\n", WA_VERSION);
            return 0;
        } else if (strcmp(a, "-o") == 0) {
            if (++i == argc)
                return fail("%s needs a file name", "-o");
            o->output = argv[i];
        } else if (strlen(a) == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
            o->opt_level = a[2] - '0';
        } else if (strncmp(a, "-j", 2) == 0) {
            const char *n = a[2] != '\0' ? a + 2 : i + 1 < argc ? argv[++i] : NULL;
            if (n == NULL)
                return fail("%s needs a number of threads", "-j");
            if (!wa_driver_parse_jobs(n, &o->jobs))
                return fail("-j needs a number of threads from 1 to 256, not '%s'", n);
        } else if (strncmp(a, "--test-chunk-bytes=", 19) == 0) {
            /* Hidden, for tests (driver.c): chunks of about N bytes of code. */
            o->test_chunk_bytes = strtoull(a + 19, NULL, 10);
        } else if (strncmp(a, "--test-fail-func=", 17) == 0) {
            /* Hidden, for tests (driver.c): the lowering of this function and later ones fails. */
            o->test_fail_func = (uint32_t)strtoul(a + 17, NULL, 10) + 1;
        } else if (strncmp(a, "--test-progress-after=", 22) == 0) {
            /* Hidden, for tests (driver.c): the progress line after this many ms. */
            o->test_progress_after = (unsigned)strtoul(a + 22, NULL, 10) + 1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o->verbose = true;
        } else if (strncmp(a, "--emit=", 7) == 0) {
            if (!parse_emit(a + 7, &o->emit))
                return fail("unknown output kind '%s' for --emit", a + 7);
        } else if (strncmp(a, "--cpu=", 6) == 0 && a[6] != '\0') {
            o->cpu = a + 6;
        } else if (strcmp(a, "--allow-unknown-imports") == 0) {
            o->allow_unknown_imports = true;
        } else if (strcmp(a, "--canonical-nans") == 0) {
            o->canonical_nans = true;
        } else if (strcmp(a, "--static") == 0) {
            o->static_exe = true;
        } else if (strcmp(a, "-g") == 0) {
            o->debug_info = true;
        } else if (strcmp(a, "--target") == 0 || strncmp(a, "--target=", 9) == 0) {
            int status = parse_target(argc, argv, &i, o);
            if (status >= 0)
                return status;
        } else if (strcmp(a, "--header") == 0 || strncmp(a, "--header=", 9) == 0) {
            const char *h = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
            if (h == NULL || h[0] == '\0')
                return fail("%s needs a file name", "--header");
            o->header = h;
        } else if (a[0] == '-' && a[1] != '\0') {
            return fail("unknown option '%s'", a);
        } else if (o->input == NULL) {
            o->input = a;
        } else {
            return fail("more than one input file ('%s')", a);
        }
    }
    if (o->input == NULL)
        return fail("%s", "no input file");
    if (o->output == NULL)
        return fail("no output file for %s: use -o OUTPUT", o->input);
    /* Writing the output over the input would lose the module (the output is written last). */
    struct stat in_st, out_st;
    if (stat(o->input, &in_st) == 0 && stat(o->output, &out_st) == 0 &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino && S_ISREG(in_st.st_mode))
        return fail("the output %s is the input file", o->output);
    /* --fuel and --timeout also instrument an object; the other grants and limits need a record. */
    bool exe_only = false;
    for (size_t k = 0; k < o->grants.count; k++) {
        wa_grant_kind_t kind = o->grants.items[k].kind;
        o->fuel = o->fuel || kind == WA_GRANT_FUEL;
        o->timeout = o->timeout || kind == WA_GRANT_TIMEOUT;
        exe_only = exe_only || (kind != WA_GRANT_FUEL && kind != WA_GRANT_TIMEOUT);
    }
    if (o->header != NULL && o->emit != WA_EMIT_SHARED)
        return fail("%s", "--header is for shared objects only (--emit=shared)");
    if (o->header != NULL &&
        (strcmp(o->header, o->input) == 0 || strcmp(o->header, o->output) == 0))
        return fail("the header %s is the input or the output file", o->header);
    if (o->static_exe && o->emit != WA_EMIT_EXE)
        return fail("%s", "--static is for executables only (--emit=exe)");
    if (o->static_exe && o->target && o->target->no_static_why)
        return fail("%s", o->target->no_static_why);
    if (o->target && o->target->runtime_triple && o->emit == WA_EMIT_SHARED)
        return fail("--emit=shared is for the host only, not --target %s", o->target->name);
    if (exe_only && o->emit != WA_EMIT_EXE)
        return fail("%s", "grants (--dir, --env, --inherit-env, --tcplisten) and --max-memory, "
                          "--max-stack are for executables only (--emit=exe)");
    return -1;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "inspect") == 0)
        return wa_inspect_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return wa_run_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "cache") == 0)
        return wa_cache_main(argc - 1, argv + 1);

    WaCompileOptions o = {
        .emit = WA_EMIT_EXE, .opt_level = 2, .cpu = NULL, .features = wa_features_default()};
    int status = parse_compile(argc, argv, &o);
    if (status < 0) {
        WaDiag d;
        wa_diag_init(&d, o.input);
        status = 0;
        if (!wa_driver_compile(&o, &d)) {
            wa_diag_print(&d, stderr);
            status = 1;
        }
        wa_diag_release(&d);
    }
    wa_grants_free(&o.grants);
    return status;
}
