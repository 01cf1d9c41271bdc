/*
 * driver.h: the compilation pipeline, as a list of steps:
 * read, decode, validate, check imports, lower, describe, emit, link (driver.c).
 */
#ifndef WA_DRIVER_H
#define WA_DRIVER_H

#include "../runtime/wa_grants.h"
#include "base/diag.h"
#include "codegen/target.h"
#include "wasm/features.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum WaEmitKind {
    WA_EMIT_EXE,     /* a native executable (default) */
    WA_EMIT_OBJ,     /* the object file, unlinked */
    WA_EMIT_LLVM_IR, /* optimised LLVM IR, as text */
    WA_EMIT_ASM,     /* assembly, as text */
    WA_EMIT_SHARED,  /* a shared object for the embedding API (runtime/wa_rt_api.h) */
} WaEmitKind;

typedef struct WaCompileOptions {
    const char *input;  /* the .wasm file */
    const char *output; /* the file to write */
    WaEmitKind emit;
    int opt_level;              /* 0..3 */
    const char *cpu;            /* NULL (the default, cpu.h), "native" or an LLVM CPU name */
    bool allow_unknown_imports; /* compile imports WASI lacks as traps instead of refusing */
    bool canonical_nans;        /* NaN results canonical: the same bits on every machine */
    bool static_exe;            /* --static: link with musl into a static executable */
    bool debug_info;            /* -g: native DWARF for the module's own sources (sites.h) */
    wa_grants_t grants;         /* baked into an executable's build record (--emit=exe) */
    bool fuel;     /* --fuel: instrument for fuel (codegen/limits.h); the amount is a grant */
    bool timeout;  /* --timeout: instrument for interruption; the duration is a grant */
    unsigned jobs; /* -j: threads compiling chunks; 0: the CPUs available */
    size_t test_chunk_bytes; /* tests only (driver.c): chunk size; 0: the normal policy */
    uint32_t
        test_fail_func;  /* tests only (driver.c): 1 + the first function whose lowering fails */
    WaFeatures features; /* what the module may use (wasm/features.def) */
    bool verbose;        /* -v: the phases' times, counts and the output's size on stderr */
    unsigned test_progress_after; /* tests only (driver.c): 1 + ms before the progress line */
    const WaTarget *target;       /* --target (codegen/target.h); NULL: the host */
    const char *header;           /* --header: a C header of the exports (--emit=shared), or NULL */
} WaCompileOptions;

/*
 * Reads the module file at `path` whole into a malloc'ed *out of *size
 * bytes; a module in the text format comes back in the binary format
 * (converted by wat.c, accepting `features`). False with one line in d if it
 * cannot be opened or read or is not a regular file (a FIFO is refused at
 * once, never waited on), or if the text does not convert.
 */
bool wa_driver_read_module(const char *path, WaFeatures features, uint8_t **out, size_t *size,
                           WaDiag *d);

/* The most threads -j may ask for. */
#define WA_DRIVER_MAX_JOBS 256

/*
 * Parses the number of -j: a decimal from 1 to WA_DRIVER_MAX_JOBS, nothing
 * else. False if it is not one.
 */
bool wa_driver_parse_jobs(const char *text, unsigned *jobs);

/*
 * Compiles o->input into o->output. On failure returns false with one line
 * in d and leaves no output file behind (everything is written to a
 * temporary file first and renamed at the end).
 */
bool wa_driver_compile(const WaCompileOptions *o, WaDiag *d);

#endif
