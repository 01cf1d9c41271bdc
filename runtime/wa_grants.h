/*
 * wa_grants.h: what a compiled program is granted beyond its arguments and
 * stdio, spelled as wasmtime spells it, and the one parser of that spelling.
 *
 * The compiler parses grant flags from its command line (to refuse a
 * malformed one at compile time) and bakes them into the executable's build
 * record (wa_build_info_*); at start-up the runtime parses them back from
 * the record, then from the environment variable WASMAOT_OPTIONS, with the
 * same code. The grants:
 *
 *   --dir HOST[::GUEST]      preopen host directory HOST as GUEST (default:
 *   --dir HOST::GUEST:ro     HOST as written); ":ro" takes away every right
 *                            that writes. A relative HOST is resolved against
 *                            the working directory when the program starts.
 *   --env NAME=VALUE         set NAME in the program's environment
 *   --env NAME               NAME with the host's value at start (none if unset)
 *   --inherit-env            the whole host environment
 *   --tcplisten HOST:PORT    a listening TCP socket ("[IPv6]:PORT" too)
 *
 * and the limits, read with the same parser (the last of each kind wins, so
 * WASMAOT_OPTIONS overrides a baked one; wa_grants_limits):
 *
 *   --max-memory SIZE        memory.grow fails beyond SIZE bytes, every memory
 *   --max-stack SIZE         the native stack wasm code may use, every thread
 *   --fuel N                 a budget of N instructions of the compiled code
 *                            (counted at function entries and loop headers:
 *                            compiler/codegen/limits.h)
 *   --timeout DURATION       trap "interrupted" after DURATION
 *
 * SIZE is a decimal number of bytes with an optional unit K, M, G (also KiB,
 * MiB, GiB; powers of 1024); DURATION a decimal number with a unit: us, ms,
 * s, m or h. Fuel and timeout only count in code compiled with them (the
 * compiler instruments it; wa_build_info.h's "instrumented=" line says so).
 *
 * Each flag taking a value also accepts "--flag=VALUE". WASMAOT_OPTIONS is
 * never passed to the program, so it can be neither inherited nor granted.
 *
 * WASMAOT_OPTIONS and the record's "grant=" lines hold words separated by
 * blanks (space, tab, newline), quoted like POSIX shell words without any
 * expansion: '...' is literal; "..." is literal except that \" and \\ are
 * escapes; outside quotes a backslash makes the next character literal.
 *
 * Everything here is plain C with no dependency on the compiler or the WASI
 * shim; applying grants to a WASI context is runtime/start/entry.c's job.
 */
#ifndef WA_GRANTS_H
#define WA_GRANTS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The environment variable holding run-time grants; the program never sees it. */
#define WA_GRANTS_OPTIONS_VAR "WASMAOT_OPTIONS"

typedef enum wa_grant_kind {
    WA_GRANT_DIR,         /* host, guest, read_only */
    WA_GRANT_ENV,         /* name, value (NULL: the host's value at start, if any) */
    WA_GRANT_INHERIT_ENV, /* no fields */
    WA_GRANT_TCPLISTEN,   /* host: the address "HOST:PORT" */
    WA_GRANT_MAX_MEMORY,  /* value: as written; amount: bytes */
    WA_GRANT_MAX_STACK,   /* value: as written; amount: bytes */
    WA_GRANT_FUEL,        /* value: as written; amount: instructions */
    WA_GRANT_TIMEOUT,     /* value: as written; amount: nanoseconds */
} wa_grant_kind_t;

typedef struct wa_grant {
    wa_grant_kind_t kind;
    char *host;  /* DIR: the host directory; TCPLISTEN: the address */
    char *guest; /* DIR: the name the program sees */
    bool read_only;
    char *name;  /* ENV */
    char *value; /* ENV; NULL for the "--env NAME" form; the limits: the value as written */
    unsigned long long amount; /* the limits: the value, in bytes, instructions or ns */
} wa_grant_t;

/* A list of grants in the order given; all strings are owned by the list. */
typedef struct wa_grants {
    wa_grant_t *items;
    size_t count, capacity;
} wa_grants_t;

/* What wa_grants_parse_arg found at argv[*i]. */
typedef enum wa_grants_arg {
    WA_GRANTS_ARG_NONE,  /* not a grant flag: argv[*i] is untouched */
    WA_GRANTS_ARG_OK,    /* a grant, appended; *i is at its last word */
    WA_GRANTS_ARG_ERROR, /* a malformed grant: the reason is in `why` */
} wa_grants_arg_t;

/*
 * Parses the grant flag at argv[*i] (its value is in the same word after
 * "=" or in argv[*i + 1]) and appends it to g. The reason of an error is one
 * phrase naming the flag, e.g. "--dir needs a value (HOST[::GUEST[:ro]])".
 */
wa_grants_arg_t wa_grants_parse_arg(wa_grants_t *g, int argc, char *const *argv, int *i, char *why,
                                    size_t why_size);

/*
 * Splits `text` into words (the quoting described above) and parses them as
 * grant flags, appending to g. False with the reason in `why` for an
 * unbalanced quote, a word that is not a grant flag, or a malformed grant.
 */
bool wa_grants_parse_words(wa_grants_t *g, const char *text, char *why, size_t why_size);

/*
 * Splits `text` into words; *words is a malloc'ed NULL-terminated array of
 * malloc'ed strings (free with wa_grants_free_words). False, with nothing to
 * free, for an unbalanced quote or when memory runs out (reason in `why`).
 */
bool wa_grants_split_words(const char *text, char ***words, int *count, char *why, size_t why_size);
void wa_grants_free_words(char **words);

/*
 * Writes grant `gr` in the spelling wa_grants_parse_words reads back
 * ("--dir 'my dir'::/data:ro"), quoting where needed. Returns the length it
 * needed; the text is truncated (and NUL-terminated) if that is >= size.
 */
size_t wa_grants_format(const wa_grant_t *gr, char *buf, size_t size);

/* The limits in effect after the grants of g: the last of each kind. */
typedef struct wa_limits {
    unsigned long long max_memory; /* bytes; 0: none */
    unsigned long long max_stack;  /* bytes; 0: none */
    bool has_fuel, has_timeout;
    unsigned long long fuel;       /* instructions */
    unsigned long long timeout_ns; /* nanoseconds */
} wa_limits_t;

/* Is kind one of the limits (--max-memory, --max-stack, --fuel, --timeout)? */
bool wa_grants_is_limit(wa_grant_kind_t kind);

/* The limits g sets. */
wa_limits_t wa_grants_limits(const wa_grants_t *g);

/* Frees every grant of g and empties it. */
void wa_grants_free(wa_grants_t *g);

#ifdef __cplusplus
}
#endif

#endif
