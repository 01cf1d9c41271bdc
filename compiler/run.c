/*
 * run.c: `wasmaot run [OPTIONS] app.wasm [ARGS...]`.
 *
 * Behaves like `wasmtime run`: options come before the module, everything
 * after it is the program's argv, whose argv[0] is the module's base name
 * (wasmtime passes the last path component, not to leak the path; --argv0
 * overrides it). The steps:
 *   1. read the module and compute its cache key (cache.h);
 *   2. a verified entry exists: execute it (a hit compiles nothing);
 *   3. otherwise compile with the driver into a temporary file in the cache
 *      directory, append the trailer, rename it into place, execute it.
 * Execution is fexecve of a file descriptor whose bytes were just checked, so
 * the process becomes the program: its exit status (134 after a trap), its
 * stdio and its signals are the program's own.
 *
 * Grants are not compiled in: --dir, --env, --inherit-env and --tcplisten go
 * to the program at run time in the environment variable WASMAOT_OPTIONS,
 * which its start-up code reads and hides from the guest. They are parsed
 * and written back by the runtime's own grant code (runtime/wa_grants.h), so
 * `run` refuses exactly what the program would, and any path survives the
 * shell-like word syntax of WASMAOT_OPTIONS.
 * The variable is always set, empty when there are no grants: a value the
 * caller had set is replaced, so a program run by `wasmaot run` gets exactly
 * the grants on its command line, as with wasmtime.
 *
 * Without a usable cache directory (no HOME, not creatable, not owned by the
 * user) the module is compiled into an unlinked temporary file and run from
 * it, after one warning line on stderr; the same when the finished entry
 * cannot be sealed and renamed (a full disk).
 */
#include "run.h"

#include "cache.h"
#include "driver.h"

#include "../runtime/wa_grants.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static const char usage[] =
    "usage: wasmaot run [OPTIONS] MODULE.wasm [ARGS...]\n"
    "\n"
    "Compiles a WebAssembly module (WASI preview1 command) into the cache, unless it\n"
    "is there already, and runs it with ARGS. The exit status is the program's\n"
    "(134 after a trap).\n"
    "\n"
    "options (before the module):\n"
    "  -O0, -O1, -O2, -O3       optimisation level (default -O2)\n"
    "  -j N                     compile with N threads (default: the CPUs available);\n"
    "                           not part of the cache key: the output is the same\n"
    "  --cpu=NAME               target CPU (default native)\n"
    "  --allow-unknown-imports  compile imports that WASI does not provide;\n"
    "                           calling one traps\n"
    "  --canonical-nans         every NaN a float operation computes is the canonical\n"
    "                           one (the same bits on every machine)\n"
    "  --dir HOST[::GUEST[:ro]] give the program the host directory HOST, as GUEST\n"
    "                           (default: HOST), read-only with :ro\n"
    "  --env NAME[=VALUE]       set NAME in the program's environment (without\n"
    "                           a value: copy it from this environment)\n"
    "  --inherit-env            give the program this whole environment\n"
    "  --tcplisten HOST:PORT    give the program a listening TCP socket\n"
    "  --max-memory SIZE        memory.grow fails beyond SIZE (64MiB, 1GiB)\n"
    "  --max-stack SIZE         the native stack wasm code may use (8MiB)\n"
    "  --fuel N                 trap \"all fuel consumed\" after about N instructions\n"
    "  --timeout DURATION       trap \"interrupted\" after DURATION (500ms, 10s, 2m)\n"
    "                           (--fuel, --timeout: the module is compiled with their\n"
    "                           checks; see wasmaot --help)\n"
    "  --argv0=NAME             the program's argv[0] (default: the module's file name)\n"
    "  --enable-FEATURE, --disable-FEATURE, --enable-all: the WebAssembly features\n"
    "                           the module may use (listed below)\n"
    "  -v, --verbose            say on stderr whether the cache had the module,\n"
    "                           the compile's phase times (as wasmaot -v) when it\n"
    "                           compiles, and the WASMAOT_OPTIONS the program gets\n"
    "  --help                   print this help\n"
    "\n"
    "The cache is $XDG_CACHE_HOME/wasmaot (default ~/.cache/wasmaot); see\n"
    "`wasmaot cache info` and `wasmaot cache clean`.\n";

typedef struct RunOptions {
    WaCompileOptions compile;
    wa_grants_t grants; /* given to the program in WASMAOT_OPTIONS */
    const char *argv0;  /* NULL: the module's base name */
    bool verbose;
} RunOptions;

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "wasmaot run: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see wasmaot run --help)\n");
    return 2;
}

/*
 * Parses the options before the module. Returns the index of the module in
 * argv, or -1 with *status the exit status (0 after --help).
 */
static int parse_options(int argc, char **argv, RunOptions *r, int *status) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* The runtime's own parser: a grant the program would refuse is refused here. */
        char why[512];
        wa_grants_arg_t grant = wa_grants_parse_arg(&r->grants, argc, argv, &i, why, sizeof why);
        if (grant == WA_GRANTS_ARG_ERROR) {
            *status = usage_error("%s", why);
            return -1;
        }
        if (grant == WA_GRANTS_ARG_OK)
            continue;
        WaFeatureArg feature = wa_features_parse_arg(&r->compile.features, a, why, sizeof why);
        if (feature == WA_FEATURE_ARG_ERROR) {
            *status = usage_error("%s", why);
            return -1;
        }
        if (feature == WA_FEATURE_ARG_OK)
            continue;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            fputs("\nfeatures:\n", stdout);
            wa_features_print_help(stdout, "  ");
            *status = 0;
            return -1;
        } else if (strlen(a) == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
            r->compile.opt_level = a[2] - '0';
        } else if (strncmp(a, "--cpu=", 6) == 0 && a[6] != '\0') {
            r->compile.cpu = a + 6;
        } else if (strncmp(a, "-j", 2) == 0) {
            /* Not in the cache key: the output is the same for every -j (driver.c). */
            const char *n = a[2] != '\0' ? a + 2 : i + 1 < argc ? argv[++i] : NULL;
            if (n == NULL || !wa_driver_parse_jobs(n, &r->compile.jobs)) {
                *status =
                    usage_error("-j needs a number of threads from 1 to 256, not '%s'", n ? n : "");
                return -1;
            }
        } else if (strcmp(a, "--allow-unknown-imports") == 0) {
            r->compile.allow_unknown_imports = true;
        } else if (strcmp(a, "--canonical-nans") == 0) {
            r->compile.canonical_nans = true;
        } else if (strncmp(a, "--argv0=", 8) == 0) {
            r->argv0 = a + 8;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            r->verbose = true;
            r->compile.verbose = true;
        } else if (strncmp(a, "--test-progress-after=", 22) == 0) {
            /* Hidden, for tests (driver.c): the progress line after this many ms. */
            r->compile.test_progress_after = (unsigned)strtoul(a + 22, NULL, 10) + 1;
        } else if (strcmp(a, "--") == 0) {
            if (i + 1 < argc)
                return i + 1;
            break;
        } else if (a[0] == '-' && a[1] != '\0') {
            *status = usage_error("unknown option '%s'", a);
            return -1;
        } else {
            return i;
        }
    }
    *status = usage_error("%s", "no module to run");
    return -1;
}

/* Does the module file still hold `bytes` (it could change while it was compiled)? */
static bool is_module_unchanged(const char *path, WaFeatures features, const uint8_t *bytes,
                                size_t size) {
    WaDiag d;
    wa_diag_init(&d, path);
    uint8_t *now;
    size_t now_size;
    if (!wa_driver_read_module(path, features, &now, &now_size, &d))
        return false;
    bool same = now_size == size && memcmp(now, bytes, size) == 0;
    free(now);
    return same;
}

/* The program's argv: argv0, then everything after the module. Never returns NULL. */
static char **make_program_argv(int argc, char **argv, int module, const char *argv0) {
    char **args = calloc((size_t)(argc - module) + 1, sizeof *args);
    if (args == NULL) {
        fputs("wasmaot run: out of memory\n", stderr);
        exit(1);
    }
    if (argv0 == NULL) {
        const char *slash = strrchr(argv[module], '/');
        argv0 = slash && slash[1] ? slash + 1 : argv[module];
    }
    args[0] = (char *)argv0;
    for (int i = module + 1; i < argc; i++)
        args[i - module] = argv[i];
    return args;
}

/*
 * The WASMAOT_OPTIONS value for `g`: each grant as the runtime's formatter
 * writes it (wa_grants_format quotes what needs quoting), blank-separated.
 * malloc'ed; NULL if out of memory.
 */
static char *format_grants(const wa_grants_t *g) {
    size_t total = 1;
    for (size_t i = 0; i < g->count; i++)
        total += wa_grants_format(&g->items[i], NULL, 0) + 1;
    char *text = malloc(total);
    if (text == NULL)
        return NULL;
    size_t len = 0;
    text[0] = '\0';
    for (size_t i = 0; i < g->count; i++) {
        if (len > 0)
            text[len++] = ' ';
        len += wa_grants_format(&g->items[i], text + len, total - len);
    }
    return text;
}

/* Becomes the program in fd; returns 1 only if that fails. */
static int exec_program(int fd, char **args, const RunOptions *r, const char *module) {
    char *grants = format_grants(&r->grants);
    if (grants == NULL || setenv(WA_GRANTS_OPTIONS_VAR, grants, 1) != 0) {
        fprintf(stderr, "wasmaot run: cannot set WASMAOT_OPTIONS: %s\n", strerror(errno));
        free(grants);
        return 1;
    }
    if (r->verbose)
        fprintf(stderr, "wasmaot run: WASMAOT_OPTIONS=%s\n", grants);
    free(grants);
    fflush(stdout);
    fflush(stderr);
    fexecve(fd, args, environ);
    fprintf(stderr, "wasmaot run: cannot execute the program compiled from %s: %s\n", module,
            strerror(errno));
    close(fd);
    return 1;
}

/* Opens the executable at path, removes its name, runs it (a file nobody else will use). */
static int exec_and_unlink(const char *path, char **args, const RunOptions *r, const char *module) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int e = errno;
    unlink(path);
    if (fd < 0) {
        fprintf(stderr, "wasmaot run: cannot open %s: %s\n", path, strerror(e));
        return 1;
    }
    return exec_program(fd, args, r, module);
}

/* The fallback without a cache directory: compile into $TMPDIR (or /tmp), run, forget. */
static int run_uncached(RunOptions *r, char **args, const char *module) {
    const char *tmpdir = getenv("TMPDIR");
    if (tmpdir == NULL || tmpdir[0] != '/')
        tmpdir = "/tmp";
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/wasmaot-run-XXXXXX", tmpdir);
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "wasmaot run: cannot create a temporary file in %s: %s\n", tmpdir,
                strerror(errno));
        return 1;
    }
    close(fd);
    r->compile.output = path;
    WaDiag d;
    wa_diag_init(&d, module);
    if (!wa_driver_compile(&r->compile, &d)) {
        unlink(path);
        wa_diag_print(&d, stderr);
        return 1;
    }
    return exec_and_unlink(path, args, r, module);
}

/* Steps 1-3 of the file comment, for the module at path `module`. */
static int run_module(RunOptions *r, char **args, const char *module) {
    WaDiag d;
    wa_diag_init(&d, module);
    uint8_t *bytes;
    size_t size;
    WaCacheKey key;
    if (!wa_driver_read_module(module, r->compile.features, &bytes, &size, &d)) {
        wa_diag_print(&d, stderr);
        return 1;
    }
    if (!wa_cache_key(&r->compile, bytes, size, &key, &d)) {
        free(bytes);
        wa_diag_print(&d, stderr);
        return 1;
    }
    char dir[PATH_MAX], why[PATH_MAX + 128];
    int dirfd = -1;
    if (!wa_cache_dir(dir, why, sizeof why) ||
        (dirfd = wa_cache_open_dir(dir, why, sizeof why)) < 0) {
        free(bytes);
        fprintf(stderr, "wasmaot run: warning: not caching (%s)\n", why);
        return run_uncached(r, args, module);
    }
    /* dirfd stays open (close-on-exec) until the program replaces this process. */
    char entry[PATH_MAX], temp[PATH_MAX];
    wa_cache_entry_path(dir, &key, entry);
    WaCacheLookup how;
    int fd = wa_cache_open_entry(dirfd, &key, &how);
    if (fd >= 0) {
        free(bytes);
        if (r->verbose)
            fprintf(stderr, "wasmaot run: cache hit: %s\n", entry);
        return exec_program(fd, args, r, module);
    }
    if (r->verbose)
        fprintf(stderr, "wasmaot run: cache %s: compiling %s into %s\n",
                how == WA_CACHE_DAMAGED ? "entry damaged" : "miss", module, entry);
    wa_cache_temp_path(dirfd, &key, temp);
    r->compile.output = temp;
    /* The linker writes temp through /proc/self/fd/DIRFD: it inherits dirfd while compiling. */
    fcntl(dirfd, F_SETFD, 0);
    bool compiled = wa_driver_compile(&r->compile, &d);
    fcntl(dirfd, F_SETFD, FD_CLOEXEC);
    if (!compiled) {
        free(bytes);
        wa_diag_print(&d, stderr);
        return 1;
    }
    /* The driver read the file again: if it changed, the result does not belong to this key. */
    bool unchanged = is_module_unchanged(module, r->compile.features, bytes, size);
    free(bytes);
    if (!unchanged) {
        if (r->verbose)
            fprintf(stderr, "wasmaot run: %s changed while it was compiled: not caching\n", module);
        return exec_and_unlink(temp, args, r, module);
    }
    /* A full disk can refuse the trailer: the program is compiled, so run it uncached. */
    WaDiag cd;
    wa_diag_init(&cd, NULL);
    fd = wa_cache_commit(dirfd, temp, &key, &cd);
    if (fd < 0) {
        char line[1024];
        fprintf(stderr, "wasmaot run: warning: not caching (%s)\n",
                wa_diag_format(&cd, line, sizeof line));
        return exec_and_unlink(temp, args, r, module);
    }
    return exec_program(fd, args, r, module);
}

int wa_run_main(int argc, char **argv) {
    RunOptions r = {.compile = {.emit = WA_EMIT_EXE,
                                .opt_level = 2,
                                .cpu = "native",
                                .features = wa_features_default()}};
    int status = 0;
    int module = parse_options(argc, argv, &r, &status);
    if (module < 0) {
        wa_grants_free(&r.grants);
        return status;
    }
    r.compile.input = argv[module];
    /* --fuel and --timeout need checks in the code: compile them in (and key the cache on it). */
    for (size_t k = 0; k < r.grants.count; k++) {
        r.compile.fuel = r.compile.fuel || r.grants.items[k].kind == WA_GRANT_FUEL;
        r.compile.timeout = r.compile.timeout || r.grants.items[k].kind == WA_GRANT_TIMEOUT;
    }
    char **args = make_program_argv(argc, argv, module, r.argv0);
    status = run_module(&r, args, argv[module]);
    free(args);
    wa_grants_free(&r.grants);
    return status;
}
