/*
 * test_cli.c: the wasmaot command as an installed program: it finds its
 * runtime libraries relative to its own location (the install layout), or
 * in $WASMAOT_RUNTIME_DIR, and fails with one line and no output file when
 * they are missing. The grant parser shared by the command line and the
 * runtime (wa_grants.h), the build record reader, the start-up CPU check
 * (wa_cpu.h) and `wasmaot inspect`'s reader. (Usage errors, --emit kinds and
 * grants through real executables: tests/e2e.)
 */
#include "codegen/cpu.h"
#include "inspect.h"
#include "wa_build_info.h"
#include "wa_config.h"
#include "wa_cpu.h"
#include "wa_grants.h"

#include <criterion/criterion.h>
#include <llvm-c/Target.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXAMPLE WA_TEST_SOURCE_DIR "/examples/hello.wasm"
#define BUILD_ROOT WA_TEST_BUILD_DIR "/.."

static char dir[64];

static void make_dir(void) {
    snprintf(dir, sizeof dir, "/tmp/wasmaot_cli.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...) {
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int raw = system(cmd);
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static void slurp(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Lays out an installed wasmaot: <dir>/bin/wasmaot and the runtime where it looks. */
static void install_copy(void) {
    cr_assert_eq(sh("mkdir -p %s/bin %s/bin/%s && cp '%s' %s/bin/ && "
                    "cp %s/runtime/start/libwasmaot_start.a %s/wasi-libc-shim/libwasmaot_wasi.a "
                    "%s/runtime/libwasmaot_rt.a %s/runtime/libwasmaot_common.a %s/bin/%s/",
                    dir, dir, WA_RUNTIME_INSTALL_RELATIVE, WA_WASMAOT, dir, BUILD_ROOT, BUILD_ROOT,
                    BUILD_ROOT, BUILD_ROOT, dir, WA_RUNTIME_INSTALL_RELATIVE),
                 0);
}

Test(cli, installed_compiler_finds_its_runtime, .init = make_dir, .fini = remove_dir) {
    install_copy();
    cr_assert_eq(sh("cd %s && bin/wasmaot '%s' -o hello && ./hello cli > out.txt", dir, EXAMPLE),
                 0);
    char out[4096], path[128];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    slurp(path, out, sizeof out);
    cr_expect(strstr(out, "Hello, cli,") != NULL, "output: %s", out);
}

Test(cli, missing_runtime_is_one_line_and_no_output, .init = make_dir, .fini = remove_dir) {
    cr_assert_eq(sh("mkdir -p %s/bin && cp '%s' %s/bin/", dir, WA_WASMAOT, dir), 0);
    int status = sh("cd %s && env -u WASMAOT_RUNTIME_DIR bin/wasmaot '%s' -o hello 2> err.txt", dir,
                    EXAMPLE);
    cr_expect_neq(status, 0);
    char err[4096], path[128];
    snprintf(path, sizeof path, "%s/err.txt", dir);
    slurp(path, err, sizeof err);
    cr_expect(strstr(err, "cannot find the wasmaot runtime libraries") != NULL, "stderr: %s", err);
    cr_expect_eq(strchr(err, '\n'), strrchr(err, '\n'), "more than one line: %s", err);
    snprintf(path, sizeof path, "%s/hello", dir);
    cr_expect(!exists(path), "a partial output file was left behind");
}

Test(cli, runtime_dir_from_the_environment, .init = make_dir, .fini = remove_dir) {
    install_copy();
    cr_assert_eq(sh("mkdir -p %s/elsewhere && mv %s/bin/wasmaot %s/elsewhere/", dir, dir, dir), 0);
    cr_expect_eq(sh("cd %s && WASMAOT_RUNTIME_DIR=%s/bin/%s elsewhere/wasmaot '%s' -o hello "
                    "&& ./hello > /dev/null",
                    dir, dir, WA_RUNTIME_INSTALL_RELATIVE, EXAMPLE),
                 0);
}

Test(cli, version_and_help) {
    cr_expect_eq(sh("'%s' --version | grep -q '^wasmaot %s$'", WA_WASMAOT, WA_VERSION), 0);
    cr_expect_eq(sh("'%s' --help | grep -q 'usage: wasmaot INPUT.wasm -o OUTPUT'", WA_WASMAOT), 0);
}

Test(cli, shared_object_records_its_libm_need, .init = make_dir, .fini = remove_dir) {
    /* Without SSE4.1 (--cpu=x86-64), f32.ceil is a call to libm's ceilf. */
    cr_assert_eq(sh("cd %s && printf '(module (func (export \"f\") (param f32) (result f32) "
                    "(f32.ceil (local.get 0))))' > m.wat && wat2wasm m.wat -o m.wasm",
                    dir),
                 0);
    cr_assert_eq(sh("cd %s && '%s' m.wasm --emit=shared --cpu=x86-64 -o m.so", dir, WA_WASMAOT), 0);
    cr_expect_eq(sh("cd %s && readelf -d m.so | grep -q 'NEEDED.*libm.so'", dir), 0);
}

/* ---- grants -------------------------------------------------------------------------------- */

/* Parses argv (NULL-terminated) as grant flags; returns the last result. */
static wa_grants_arg_t parse_args(wa_grants_t *g, char *why, char **argv) {
    int argc = 0;
    while (argv[argc])
        argc++;
    wa_grants_arg_t r = WA_GRANTS_ARG_NONE;
    for (int i = 0; i < argc; i++) {
        r = wa_grants_parse_arg(g, argc, argv, &i, why, 256);
        if (r != WA_GRANTS_ARG_OK)
            break;
    }
    return r;
}

Test(grants, parses_every_flag_in_both_spellings) {
    wa_grants_t g = {0};
    char why[256] = "";
    char *argv[] = {"--dir",         "data",        "--dir=a b::/g",   "--dir",           "h::g:ro",
                    "--env",         "N=v=w",       "--env=ONLY_NAME", "--env",           "E=",
                    "--inherit-env", "--tcplisten", "[::1]:8080",      "--tcplisten=h:0", NULL};
    cr_assert_eq(parse_args(&g, why, argv), WA_GRANTS_ARG_OK, "%s", why);
    cr_assert_eq(g.count, 9);
    cr_expect_eq(g.items[0].kind, WA_GRANT_DIR);
    cr_expect_str_eq(g.items[0].host, "data");
    cr_expect_str_eq(g.items[0].guest, "data");
    cr_expect(!g.items[0].read_only);
    cr_expect_str_eq(g.items[1].host, "a b");
    cr_expect_str_eq(g.items[1].guest, "/g");
    cr_expect_str_eq(g.items[2].guest, "g");
    cr_expect(g.items[2].read_only);
    cr_expect_eq(g.items[3].kind, WA_GRANT_ENV);
    cr_expect_str_eq(g.items[3].name, "N");
    cr_expect_str_eq(g.items[3].value, "v=w");
    cr_expect_str_eq(g.items[4].name, "ONLY_NAME");
    cr_expect_null(g.items[4].value);
    cr_expect_str_eq(g.items[5].value, "");
    cr_expect_eq(g.items[6].kind, WA_GRANT_INHERIT_ENV);
    cr_expect_eq(g.items[7].kind, WA_GRANT_TCPLISTEN);
    cr_expect_str_eq(g.items[7].host, "[::1]:8080");
    cr_expect_str_eq(g.items[8].host, "h:0");
    wa_grants_free(&g);
}

Test(grants, other_words_are_not_grants) {
    const char *words[] = {"-o", "--dirs", "--environment", "app.wasm", "--", "--tcp"};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        wa_grants_t g = {0};
        char why[256];
        char *argv[] = {(char *)words[k], "x", NULL};
        int i = 0;
        cr_expect_eq(wa_grants_parse_arg(&g, 2, argv, &i, why, sizeof why), WA_GRANTS_ARG_NONE,
                     "%s", words[k]);
        cr_expect_eq(i, 0);
        cr_expect_eq(g.count, 0);
    }
}

/* The reason wa_grants_parse_words gives for `text`, or "" if it parses. */
static void words_error(const char *text, char *why) {
    wa_grants_t g = {0};
    why[0] = '\0';
    if (wa_grants_parse_words(&g, text, why, 256))
        why[0] = '\0';
    else
        cr_expect_neq(why[0], '\0', "no reason for %s", text);
    wa_grants_free(&g);
}

Test(grants, malformed_grants_have_one_reason_naming_them) {
    static const struct {
        const char *text, *needle;
    } cases[] = {
        {"--dir", "--dir needs a value"},         {"--dir ::g", "no host directory"},
        {"--dir h::", "no guest name"},           {"--dir h:::ro", "no guest name"},
        {"--dir a::b::c", "more than one '::'"},  {"--env", "--env needs a value"},
        {"--env =v", "no variable name"},         {"--env WASMAOT_OPTIONS", "WASMAOT_OPTIONS"},
        {"--inherit-env=1", "takes no value"},    {"--tcplisten host", "HOST:PORT"},
        {"--tcplisten ::1:80", "HOST:PORT"},      {"--tcplisten h:65536", "HOST:PORT"},
        {"--tcplisten h:8x", "HOST:PORT"},        {"--frob", "unknown option '--frob'"},
        {"prog", "'prog' is not a grant flag"},   {"--env 'A", "unbalanced single quote"},
        {"--env \"A", "unbalanced double quote"}, {"--env A\\", "backslash at the end"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char why[256];
        words_error(cases[k].text, why);
        cr_expect(strstr(why, cases[k].needle) != NULL, "%s: got '%s', expected '%s'",
                  cases[k].text, why, cases[k].needle);
        cr_expect_null(strchr(why, '\n'), "%s: a reason is one line", cases[k].text);
    }
}

/* Splits text and checks the words against want (NULL-terminated). */
static void expect_words(const char *text, const char *const *want) {
    char **words;
    int n;
    char why[128];
    cr_assert(wa_grants_split_words(text, &words, &n, why, sizeof why), "%s: %s", text, why);
    int k = 0;
    for (; want[k]; k++) {
        cr_assert_lt(k, n, "%s: only %d words", text, n);
        cr_expect_str_eq(words[k], want[k], "%s: word %d", text, k);
    }
    cr_expect_eq(n, k, "%s: %d words, expected %d", text, n, k);
    cr_expect_null(words[n]);
    wa_grants_free_words(words);
}

Test(grants, words_are_quoted_like_shell_words_without_expansions) {
    expect_words("", (const char *[]){NULL});
    expect_words(" \t\n ", (const char *[]){NULL});
    expect_words("a  b\tc\nd", (const char *[]){"a", "b", "c", "d", NULL});
    expect_words("'a b' \"c d\"", (const char *[]){"a b", "c d", NULL});
    expect_words("'' \"\" x''", (const char *[]){"", "", "x", NULL});
    expect_words("'$HOME' \"$HOME\" *", (const char *[]){"$HOME", "$HOME", "*", NULL});
    expect_words("'a\\b' \"a\\b\" \"a\\\"b\" \"a\\\\b\"",
                 (const char *[]){"a\\b", "a\\b", "a\"b", "a\\b", NULL});
    expect_words("a\\ b \\'x\\\" \\\\", (const char *[]){"a b", "'x\"", "\\", NULL});
    expect_words("--dir=\"my dir\"::'/a b':ro", (const char *[]){"--dir=my dir::/a b:ro", NULL});
    expect_words("'it'\\''s'", (const char *[]){"it's", NULL});
}

Test(grants, formatting_reads_back_as_the_same_grant) {
    const char *values[] = {"plain", "with space", "it's",      "quote\"s",   "back\\slash",
                            "",      "$dollar",    "tab\there", "semi;colon", "-dash"};
    for (size_t k = 0; k < sizeof values / sizeof *values; k++) {
        wa_grant_t in[] = {
            {.kind = WA_GRANT_ENV, .name = "N", .value = (char *)values[k]},
            {.kind = WA_GRANT_DIR, .host = "h", .guest = (char *)values[k], .read_only = true},
            {.kind = WA_GRANT_DIR, .host = (char *)values[k], .guest = (char *)values[k]},
        };
        for (size_t j = 0; j < 3; j++) {
            if (in[j].kind == WA_GRANT_DIR && values[k][0] == '\0')
                continue; /* a directory grant needs names */
            char text[256], why[256];
            cr_assert_lt(wa_grants_format(&in[j], text, sizeof text), sizeof text);
            wa_grants_t g = {0};
            cr_assert(wa_grants_parse_words(&g, text, why, sizeof why), "%s: %s", text, why);
            cr_assert_eq(g.count, 1, "%s", text);
            const wa_grant_t *out = &g.items[0];
            cr_expect_eq(out->kind, in[j].kind, "%s", text);
            if (in[j].kind == WA_GRANT_ENV) {
                cr_expect_str_eq(out->name, "N", "%s", text);
                cr_expect_str_eq(out->value, values[k], "%s", text);
            } else {
                cr_expect_str_eq(out->host, in[j].host, "%s", text);
                cr_expect_str_eq(out->guest, in[j].guest, "%s", text);
                cr_expect_eq(out->read_only, in[j].read_only, "%s", text);
            }
            wa_grants_free(&g);
        }
    }
    wa_grant_t bare = {.kind = WA_GRANT_DIR, .host = ".", .guest = "."};
    char text[64];
    wa_grants_format(&bare, text, sizeof text);
    cr_expect_str_eq(text, "--dir .");
    wa_grant_t name_only = {.kind = WA_GRANT_ENV, .name = "HOME"};
    wa_grants_format(&name_only, text, sizeof text);
    cr_expect_str_eq(text, "--env HOME");
}

/* ---- the build record ------------------------------------------------------------------------ */

Test(build_info, finds_keys_by_whole_name_and_every_grant_line) {
    const char *record = "version=1\ncpu=x86-64-v2\ncpu-features=sse2,sse4.1\n"
                         "grant=--dir .\nother=1\ngrant=--env 'A=b c'\n";
    size_t len;
    const char *v = wa_build_info_find(record, "cpu", NULL, &len);
    cr_assert_not_null(v);
    cr_expect_eq(len, strlen("x86-64-v2"));
    cr_expect_eq(strncmp(v, "x86-64-v2", len), 0);
    v = wa_build_info_find(record, "cpu-features", NULL, &len);
    cr_expect_eq(strncmp(v, "sse2,sse4.1", len), 0);
    cr_expect_null(wa_build_info_find(record, "cp", NULL, &len));
    cr_expect_null(wa_build_info_find(record, "missing", NULL, &len));
    wa_grants_t g = {0};
    char why[256];
    cr_assert(wa_build_info_grants(record, &g, why, sizeof why), "%s", why);
    cr_assert_eq(g.count, 2);
    cr_expect_str_eq(g.items[0].host, ".");
    cr_expect_str_eq(g.items[1].value, "b c");
    wa_grants_free(&g);
}

/* ---- the CPU check --------------------------------------------------------------------------- */

/* A feature of the table this machine lacks, or NULL if it has them all. */
static const char *a_lacking_feature(void) {
    static const char *candidates[] = {
        "sse4a",  "xop",    "fma4",         "tbm", "avx512vp2intersect", "amx-complex", "usermsr",
        "clzero", "mwaitx", "avxvnniint16", "sm4"};
    for (size_t k = 0; k < sizeof candidates / sizeof *candidates; k++) {
        if (!wa_cpu_check_has(candidates[k], strlen(candidates[k])))
            return candidates[k];
    }
    return NULL;
}

Test(cpu, the_baseline_is_always_there) {
    const char *base = "64bit,cmov,cx8,fxsr,mmx,sse,sse2,x87";
    char missing[256];
    cr_expect_eq(wa_cpu_check_missing(base, strlen(base), missing, sizeof missing), 0, "%s",
                 missing);
    cr_expect_str_eq(missing, "");
    cr_expect_eq(wa_cpu_check_missing("", 0, missing, sizeof missing), 0);
}

Test(cpu, lacking_and_unknown_features_are_named) {
    const char *lacking = a_lacking_feature();
    if (lacking == NULL)
        cr_skip_test("this machine has every candidate feature");
    char list[256], missing[256];
    snprintf(list, sizeof list, "sse2,%s,made-up-feature,cx8", lacking);
    cr_expect_eq(wa_cpu_check_missing(list, strlen(list), missing, sizeof missing), 2);
    char want[256];
    snprintf(want, sizeof want, "%s, made-up-feature", lacking);
    cr_expect_str_eq(missing, want);
    /* Only `len` bytes count: the list need not be NUL-terminated. */
    cr_expect_eq(wa_cpu_check_missing(list, strlen("sse2"), missing, sizeof missing), 0);
    cr_expect(!wa_cpu_check_known("made-up-feature", strlen("made-up-feature")));
    cr_expect(wa_cpu_check_known("avx2", 4));
}

Test(cpu, only_features_generated_code_can_use_are_recorded) {
    cr_expect(wa_cpu_check_generated("avx2", 4));
    cr_expect(wa_cpu_check_generated("sse4a", 5));
    cr_expect(wa_cpu_check_known("pku", 3));
    cr_expect(!wa_cpu_check_generated("pku", 3), "protection keys are intrinsic-only");
    cr_expect(!wa_cpu_check_generated("aes", 3), "AES is intrinsic-only");
    cr_expect(!wa_cpu_check_generated("made-up", 7));
}

/*
 * Every x86 feature LLVM knows is a row of cpu_features.def or on cpu.c's
 * list of tuning features, never both: a feature a newer LLVM adds fails here
 * until someone reads what it does (meanwhile it is recorded and refuses to
 * start, the safe default).
 */
Test(cpu, every_llvm_feature_is_a_row_or_tuning) {
    LLVMInitializeNativeTarget();
    char *all = wa_cpu_llvm_all_features("x86_64-unknown-linux-gnu");
    cr_assert_not_null(all);
    char wrong[4096] = "";
    size_t used = 0, seen = 0;
    for (const char *p = all; *p;) {
        size_t n = strcspn(p, ",");
        bool row = wa_cpu_check_known(p, n), tuning = wa_cpu_is_tuning(p, n);
        if (row == tuning && used < sizeof wrong) {
            int w = snprintf(wrong + used, sizeof wrong - used, " %.*s (%s)", (int)n, p,
                             row ? "both a row and tuning" : "neither a row nor tuning");
            used += w > 0 ? (size_t)w : 0;
        }
        seen++;
        p += n + (p[n] == ',');
    }
    free(all);
    cr_expect_gt(seen, 150, "LLVM listed only %zu features", seen);
    cr_expect_str_eq(wrong, "", "unclassified LLVM features:%s", wrong);
    /* APX and AVX10, which LLVM 19 can enable, have rows: code using them is checked. */
    const char *needed[] = {"egpr",      "ndd", "ccmp", "cf",          "ppx",
                            "push2pop2", "nf",  "zu",   "avx10.1-256", "avx10.1-512"};
    for (size_t k = 0; k < sizeof needed / sizeof *needed; k++)
        cr_expect(wa_cpu_check_generated(needed[k], strlen(needed[k])), "%s", needed[k]);
}

Test(cpu, unknown_features_are_recorded_tuning_and_intrinsics_are_not) {
    char *rec = wa_cpu_recorded("sse2,fast-gather,pku,egpr,64bit-mode,made-up-isa,slow-incdec");
    cr_assert_not_null(rec);
    cr_expect_str_eq(rec, "sse2,egpr,made-up-isa");
    free(rec);
}

Test(cpu, a_native_executable_records_only_what_this_machine_has) {
    WaCpu cpu;
    WaDiag d;
    wa_diag_init(&d, NULL);
    cr_assert(wa_cpu_resolve("native", &cpu, &d), "%s", d.message);
    char missing[1024];
    cr_expect_eq(wa_cpu_check_missing(cpu.usable, strlen(cpu.usable), missing, sizeof missing), 0,
                 "native (%s) lacks %s", cpu.name, missing);
    wa_cpu_free(&cpu);
}

Test(cpu, a_32_bit_cpu_is_refused) {
    const char *names[] = {"i386", "pentium4", "athlon-xp", "lakemont"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        WaCpu cpu;
        WaDiag d;
        wa_diag_init(&d, NULL);
        cr_expect(!wa_cpu_resolve(names[k], &cpu, &d), "%s", names[k]);
        char want[64];
        snprintf(want, sizeof want, "CPU '%s' for --cpu is not a 64-bit x86 CPU", names[k]);
        cr_expect(strstr(d.message, want) != NULL, "%s", d.message);
        cr_expect_null(cpu.name);
    }
    WaCpu cpu;
    WaDiag d;
    wa_diag_init(&d, NULL);
    cr_expect(wa_cpu_resolve("x86-64", &cpu, &d), "%s", d.message);
    wa_cpu_free(&cpu);
}

Test(cpu, a_record_from_a_newer_cpu_refuses_to_start, .init = make_dir, .fini = remove_dir) {
    const char *lacking = a_lacking_feature();
    if (lacking == NULL)
        cr_skip_test("this machine has every candidate feature");
    /* A made-up record: an executable whose .wasmaot_info names a feature this CPU lacks. */
    cr_assert_eq(sh("cd %s && printf '(module (func (export \"_start\")))' > m.wat && "
                    "wat2wasm m.wat -o m.wasm && '%s' m.wasm --emit=obj -o m.o",
                    dir, WA_WASMAOT),
                 0);
    cr_assert_eq(sh("cd %s && printf 'const char wasmaot_build_info[] "
                    "__attribute__((section(\".wasmaot_info\"))) = "
                    "\"version=0\\\\ncpu=future\\\\ncpu-features=sse2,%s\\\\n\";' > rec.c && "
                    "cc -c -fPIE rec.c -o rec.o && "
                    "cc -pie m.o rec.o %s/runtime/start/libwasmaot_start.a "
                    "%s/wasi-libc-shim/libwasmaot_wasi.a %s/runtime/libwasmaot_rt.a "
                    "%s/runtime/libwasmaot_common.a -lm -o app",
                    dir, lacking, BUILD_ROOT, BUILD_ROOT, BUILD_ROOT, BUILD_ROOT),
                 0);
    int status = sh("cd %s && ./app > out.txt 2> err.txt", dir);
    cr_expect_eq(status, 1);
    char err[4096], path[128], want[256];
    snprintf(path, sizeof path, "%s/err.txt", dir);
    slurp(path, err, sizeof err);
    snprintf(want, sizeof want, "(--cpu=future): %s\n", lacking);
    cr_expect(strstr(err, want) != NULL, "stderr: %s", err);
    cr_expect_eq(strchr(err, '\n'), strrchr(err, '\n'), "more than one line: %s", err);
    /* inspect reads the same record from the file. */
    cr_expect_eq(sh("cd %s && '%s' inspect app | grep -q '^cpu features: sse2 %s$'", dir,
                    WA_WASMAOT, lacking),
                 0);
}

/* ---- inspect --------------------------------------------------------------------------------- */

Test(inspect, reads_the_record_of_a_compiled_program, .init = make_dir, .fini = remove_dir) {
    char path[128], why[256];
    cr_assert_eq(sh("cd %s && '%s' '%s' -o hello --dir . --env 'A=b c'", dir, WA_WASMAOT, EXAMPLE),
                 0);
    snprintf(path, sizeof path, "%s/hello", dir);
    char *record = wa_inspect_read_record(path, why, sizeof why);
    cr_assert_not_null(record, "%s", why);
    cr_expect(strstr(record, "version=" WA_VERSION "\n") != NULL, "%s", record);
    cr_expect(strstr(record, "\ncpu-option=x86-64-v2\n") != NULL, "%s", record);
    cr_expect(strstr(record, "\ngrant=--dir .\ngrant=--env 'A=b c'\n") != NULL, "%s", record);
    free(record);
    /* A stripped executable keeps its record: it is a loaded section, not debug data. */
    cr_assert_eq(sh("cd %s && strip hello", dir), 0);
    record = wa_inspect_read_record(path, why, sizeof why);
    cr_expect_not_null(record, "after strip: %s", why);
    free(record);
    cr_expect_null(wa_inspect_read_record(WA_WASMAOT, why, sizeof why));
    cr_expect(strstr(why, "no .wasmaot_info section") != NULL, "%s", why);
    cr_expect_null(wa_inspect_read_record(EXAMPLE, why, sizeof why));
    cr_expect_str_eq(why, "not an ELF file");
}

/*
 * A grant holding a line break is baked (the record escapes it) and given to
 * the program intact; inspect shows it escaped, and never like a grant that
 * holds a backslash and an "n".
 */
Test(inspect, grants_with_line_breaks, .init = make_dir, .fini = remove_dir) {
    char path[128], why[256];
    cr_assert_eq(
        sh("cd %s && '%s' '%s' -o hello --env 'A=x\ny' --env 'B=a\\nb'", dir, WA_WASMAOT, EXAMPLE),
        0);
    snprintf(path, sizeof path, "%s/hello", dir);
    char *record = wa_inspect_read_record(path, why, sizeof why);
    cr_assert_not_null(record, "%s", why);
    wa_grants_t g = {0};
    cr_assert(wa_build_info_grants(record, &g, why, sizeof why), "%s", why);
    cr_assert_eq(g.count, 2);
    cr_expect_str_eq(g.items[0].value, "x\ny");
    cr_expect_str_eq(g.items[1].value, "a\\nb");
    wa_grants_free(&g);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    wa_inspect_print(record, out);
    fclose(out);
    cr_expect(strstr(text, "--env 'A=x\\ny'   (escaped: ") != NULL, "%s", text);
    cr_expect(strstr(text, "--env 'B=a\\nb'\n") != NULL, "%s", text);
    free(text);
    free(record);
}

Test(limits, parse_with_units_and_the_last_of_each_wins) {
    wa_grants_t g = {0};
    char why[256] = "";
    cr_assert(wa_grants_parse_words(&g,
                                    "--max-memory 64MiB --max-stack=512K --fuel 1000 "
                                    "--timeout 1500ms --max-memory 2G --timeout=2m",
                                    why, sizeof why),
              "%s", why);
    wa_limits_t l = wa_grants_limits(&g);
    cr_expect_eq(l.max_memory, 2ull << 30);
    cr_expect_eq(l.max_stack, 512ull << 10);
    cr_expect(l.has_fuel);
    cr_expect_eq(l.fuel, 1000);
    cr_expect(l.has_timeout);
    cr_expect_eq(l.timeout_ns, 120000000000ull);
    /* Formatting reads back as written. */
    char buf[64];
    wa_grants_format(&g.items[0], buf, sizeof buf);
    cr_expect_str_eq(buf, "--max-memory 64MiB");
    wa_grants_format(&g.items[3], buf, sizeof buf);
    cr_expect_str_eq(buf, "--timeout 1500ms");
    wa_grants_free(&g);
    wa_limits_t none = wa_grants_limits(&g);
    cr_expect(!none.has_fuel && !none.has_timeout && none.max_memory == 0 && none.max_stack == 0);
}

Test(limits, bad_values_name_the_option) {
    const char *cases[][2] = {
        {"--fuel -1", "--fuel"},
        {"--fuel 12x", "--fuel"},
        {"--timeout 5x", "--timeout"},
        {"--timeout 10", "--timeout"},
        {"--timeout 0ms", "--timeout"},
        {"--max-memory lots", "--max-memory"},
        {"--max-memory 1T", "--max-memory"},
        {"--max-stack 4K", "--max-stack"},
        {"--max-memory 99999999999999999999", "--max-memory"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        wa_grants_t g = {0};
        char why[256] = "";
        cr_expect(!wa_grants_parse_words(&g, cases[k][0], why, sizeof why), "%s", cases[k][0]);
        cr_expect(strstr(why, cases[k][1]) != NULL, "%s: %s", cases[k][0], why);
        wa_grants_free(&g);
    }
}
