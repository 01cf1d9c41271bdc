/*
 * spec.h: what the files of wasmaot-spec, the spec-test runner, share.
 *
 * The runner is a pipeline per .wast file:
 *   wast.c      runs wast2json and reads its JSON into a SpecScript
 *   values.c    reads values and result patterns (NaN patterns, v128 lanes,
 *               references), compares and prints them
 *   fixups.c    module files wast2json is known to encode differently from the
 *               reference interpreter, replaced by the reference encoding
 *   compile.c   module file -> shared object -> loaded module, cached by content
 *   spectest.c  the `spectest` host module of the reference interpreter
 *   commands.c  executes the commands against the embedding API and counts
 *   main.c      the command line
 *
 * Naming: cross-file functions are spec_<file>_<verb>, types Spec*.
 */
#ifndef WA_SPEC_H
#define WA_SPEC_H

#include "wa_rt_embed.h"
#include "wasm/features.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- values.c ---- */

/* How one scalar or v128 lane of an expected result is matched. */
typedef enum SpecMatch {
    SPEC_MATCH_EXACT,         /* bit for bit */
    SPEC_MATCH_NAN_CANONICAL, /* nan:canonical: a NaN with only the top payload bit set */
    SPEC_MATCH_NAN_ARITHMETIC /* nan:arithmetic: a NaN with the top payload bit set */
} SpecMatch;

/* The lane shape of a v128 value, as wast2json's "lane_type" names it. */
typedef enum SpecLane {
    SPEC_LANE_I8,
    SPEC_LANE_I16,
    SPEC_LANE_I32,
    SPEC_LANE_I64,
    SPEC_LANE_F32,
    SPEC_LANE_F64
} SpecLane;

/*
 * A value given in the script: an argument (always exact) or an expected
 * result (a pattern). A v128 keeps its lane shape so mismatches print in it
 * and NaN patterns apply per lane.
 */
typedef struct SpecValue {
    uint8_t type;        /* WA_RT_I32 .. WA_RT_EXTERNREF */
    SpecLane lane;       /* v128 only */
    SpecMatch match[16]; /* per lane; scalars use match[0] */
    bool any_ref;        /* a reference result with no value given: any non-null reference */
    wa_rt_value_t value; /* the exact bits (zero where a NaN pattern stands) */
} SpecValue;

/*
 * Reads a JSON value object {"type": ..., "value": ...} (v128: "lane_type"
 * and a lane array). False with the reason in why if it is not one.
 */
bool spec_values_parse(json_object *o, SpecValue *out, char *why, size_t why_size);

/* Does `got` (a value of expected->type) match the pattern? */
bool spec_values_match(const SpecValue *expected, const wa_rt_value_t *got);

/* Prints a pattern as the script writes it: "(i32 42)", "(f32 nan:canonical)", "(v128 i8x16 ...)".
 */
void spec_values_format(const SpecValue *v, char *buf, size_t size);

/*
 * Prints an actual value of type `type`; a v128 in the lane shape `lane`, a
 * float with its bits too.
 */
void spec_values_format_actual(uint8_t type, SpecLane lane, const wa_rt_value_t *v, char *buf,
                               size_t size);

/* The name of a value type code ("i32", "funcref"). */
const char *spec_values_type_name(uint8_t type);

/*
 * The host pointer that stands for `ref.extern n`. Null must stay NULL, so n
 * maps to a non-null pointer n + 1 that the runner never dereferences.
 */
void *spec_values_extern_ref(uint64_t n);

/* ---- wast.c ---- */

typedef enum SpecCmdKind {
    SPEC_CMD_MODULE,
    SPEC_CMD_REGISTER,
    SPEC_CMD_ACTION,
    SPEC_CMD_ASSERT_RETURN,
    SPEC_CMD_ASSERT_TRAP,
    SPEC_CMD_ASSERT_EXHAUSTION,
    SPEC_CMD_ASSERT_INVALID,
    SPEC_CMD_ASSERT_MALFORMED,
    SPEC_CMD_ASSERT_UNLINKABLE,
    SPEC_CMD_ASSERT_UNINSTANTIABLE,
    SPEC_CMD_ASSERT_EXCEPTION, /* exception handling: the action throws, uncaught */
} SpecCmdKind;

/* A byte string from the JSON (names may hold NUL bytes). Borrowed from the JSON tree. */
typedef struct SpecName {
    const char *data; /* NULL: absent */
    size_t len;
} SpecName;

/* An `invoke` or `get` action. */
typedef struct SpecAction {
    bool is_get;     /* get a global instead of invoking a function */
    SpecName module; /* the $name of the module acted on; absent: the current module */
    SpecName field;  /* the export */
    SpecValue *args; /* invoke: the arguments */
    uint32_t nargs;
} SpecAction;

typedef struct SpecCommand {
    SpecCmdKind kind;
    uint32_t line;       /* in the .wast file */
    SpecName name;       /* module: its $name; register: the $name to register (absent: current) */
    SpecName as;         /* register: the name imports will use */
    char *module_path;   /* module and assert_* on modules: the module file */
    bool text_module;    /* that file is text (.wat), from `module quote` */
    SpecAction action;   /* action, assert_return, assert_trap, assert_exhaustion */
    SpecValue *expected; /* assert_return: the result patterns */
    uint32_t nexpected;
    const char *text;  /* assert_*: the expected message */
    char *bad;         /* set if the command could not be read: why (a failure) */
    const char *fixup; /* set if fixups.c replaced the module file: why */
} SpecCommand;

typedef struct SpecScript {
    const char *wast;  /* the .wast file, as given */
    char *dir;         /* the temporary directory holding the JSON and module files */
    json_object *root; /* the JSON tree (owns the strings SpecName points to) */
    SpecCommand *cmds;
    uint32_t ncmds;
} SpecScript;

/*
 * Converts `wast` with wast2json (told to accept `features`, wasm/features.def) into a new
 * temporary directory and reads the result. False with the reason in why if wast2json fails or its
 * output cannot be read; a command that cannot be read becomes one with `bad` set.
 */
bool spec_wast_load(const char *wast, WaFeatures features, SpecScript *s, char *why,
                    size_t why_size);

/* Frees the script and removes its temporary directory (and everything in it). */
void spec_wast_free(SpecScript *s);

/* ---- fixups.c ---- */

/*
 * If command c (of script `wast`) is listed in fixups.c and its module file
 * is exactly the listed wast2json output, replaces the file with the
 * reference encoding and returns the reason; else returns NULL.
 */
const char *spec_fixups_apply(const char *wast, const SpecCommand *c);

/* ---- compile.c ---- */

/* The result of compiling one module file. */
typedef struct SpecModule {
    wa_rt_loaded_t *lib; /* NULL if compiling or loading failed */
    char error[600];     /* why, when lib is NULL */
} SpecModule;

typedef struct SpecCompiler SpecCompiler;

/*
 * A compiler writing shared objects into `dir` at optimisation level
 * opt_level for target CPU `cpu` ("native" or an LLVM CPU name), accepting
 * modules that use `features`.
 */
SpecCompiler *spec_compile_new(const char *dir, int opt_level, const char *cpu,
                               WaFeatures features);

/*
 * Compiles and loads the module file at `path`; files with equal bytes share
 * one result. The result lives as long as the compiler.
 */
const SpecModule *spec_compile_module(SpecCompiler *c, const char *path);

/*
 * Decodes, checks features and validates `path` only (assert_invalid, assert_malformed):
 * true if the module is valid, else false with the error message (the
 * spec's wording first) in msg.
 */
bool spec_compile_check(const char *path, WaFeatures features, char *msg, size_t msg_size);

/* Unloads every module and frees the compiler; all instances must be freed first. */
void spec_compile_free(SpecCompiler *c);

/* ---- spectest.c ---- */

typedef struct SpecHost SpecHost;

/* The spectest module's exports, fresh (one per script, as the reference runs it). */
SpecHost *spec_spectest_new(bool verbose);

/* The export `name` of spectest (any kind), or false if it has none. */
bool spec_spectest_export(SpecHost *h, const char *name, size_t len, wa_rt_extern_t *out);

/* Frees spectest; no instance may still use it. */
void spec_spectest_free(SpecHost *h);

/* ---- commands.c ---- */

typedef struct SpecOptions {
    int opt_level;       /* for compiling modules */
    const char *cpu;     /* target CPU for compiling modules: "native" or an LLVM CPU name */
    uint32_t line;       /* run only the command at this line (0: all) */
    bool verbose;        /* print each command as it runs */
    WaFeatures features; /* what modules may use (--enable-X ...), also given to wast2json */
} SpecOptions;

typedef struct SpecCounts {
    uint32_t passed, failed, skipped;
    uint32_t not_applicable; /* text-format assert_malformed: wasmaot has no text parser */
} SpecCounts;

/*
 * Runs the commands of a loaded script, printing one line per failure, and
 * adds their outcomes to *counts. With opt->line, runs only the commands at
 * that line, after silently running the commands before it that build the
 * state it sees (modules, registrations, invocations). Returns how many
 * commands it ran (and counted).
 */
uint32_t spec_commands_run(const SpecScript *s, const SpecOptions *opt, SpecCounts *counts);

#endif
