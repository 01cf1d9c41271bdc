/*
 * driver.c: the pipeline, as the list of passes it runs (wa_driver_compile):
 *
 *   read            the module file (wa_driver_read_module)
 *   decode          wasm/decode.c
 *   validate        wasm/validate.c
 *   check imports   imports/imports.c: only WASI functions of the shim's
 *                   table (not for --emit=shared: its embedder resolves them)
 *   record          codegen/build_info.c: an executable's build record (CPU,
 *                   grants), made before lowering so a bad grant costs nothing
 *   begin codegen   codegen/codegen.c: the LLVM module for the target CPU, a
 *                   declaration per function
 *   lower functions lower/: each function's body
 *   lower initializer codegen/instance.c: globals, element expressions and
 *                   active segments, as one initialiser function
 *   describe module codegen/instance.c: the descriptor the runtime
 *                   instantiates from, and the build record's global
 *   verify          codegen/emit.c: the LLVM module is well formed
 *   optimize        codegen/emit.c: LLVM's pipeline for -O1..-O3
 *   write           codegen/emit.c: the object, the assembly or the LLVM IR
 *   link            link/link.c: the executable or the shared object (the
 *                   other kinds are the written file itself)
 *
 * Each pass either succeeds or leaves its one-line error in the WaDiag, and
 * the next runs only after a success. Everything a pass sets up lives in one
 * Compile, which finish() releases whatever pass stopped the run. The output
 * appears only when every pass succeeded: it is written to temporary files
 * (base/tempfile.c) and renamed into place at the end.
 */
#include "driver.h"

#include "base/tempfile.h"
#include "codegen/build_info.h"
#include "codegen/codegen.h"
#include "imports/imports.h"
#include "link/link.h"
#include "wasm/decode.h"
#include "wasm/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool wa_driver_read_module(const char *path, uint8_t **out, size_t *size, WaDiag *d) {
    /* O_NONBLOCK: opening a FIFO must not wait for a writer before "not a regular file". */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return wa_diag_error_no_offset(d, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return wa_diag_error_no_offset(d, "not a regular file");
    }
    size_t len = (size_t)sb.st_size;
    uint8_t *buf = malloc(len ? len : 1);
    size_t done = 0;
    while (buf != NULL && done < len) {
        ssize_t n = read(fd, buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    int e = errno;
    close(fd);
    if (buf == NULL || done != len) {
        free(buf);
        return wa_diag_error_no_offset(d, "cannot read: %s", strerror(e));
    }
    *out = buf;
    *size = len;
    return true;
}

/* One compile: its options and what the passes made so far. */
typedef struct Compile {
    const WaCompileOptions *o;
    WaDiag *d;
    uint8_t *bytes; /* the module file (read) */
    size_t size;
    WaModule m;    /* decode */
    bool decoded;  /* m needs wa_module_free */
    char *record;  /* an executable's build record (record); NULL for other kinds */
    WaCodegen cg;  /* begin_codegen ... write_output */
    bool lowering; /* cg needs wa_codegen_dispose */
    WaCodegenOptions co;
    LLVMValueRef init;  /* the module initialiser (lower_initializer) */
    WaTempFiles temps;  /* emit: slot 0 the output, slot 1 the object before linking */
    bool temps_begun;   /* temps needs wa_tempfile_end */
    const char *output; /* the output's temporary file */
    const char *object; /* the object's temporary file, or NULL if nothing is linked */
} Compile;

static bool read_input(Compile *c) {
    return wa_driver_read_module(c->o->input, &c->bytes, &c->size, c->d);
}

static bool decode(Compile *c) {
    c->decoded = wa_decode_module(c->bytes, c->size, c->o->input, &c->m, c->d);
    return c->decoded;
}

/* Before validation, so a module using a disabled feature is told which one. */
static bool check_features(Compile *c) {
    return wa_features_check(&c->m, c->o->features, c->d);
}

static bool validate(Compile *c) {
    return wa_validate_module(&c->m, c->d);
}

static bool check_imports(Compile *c) {
    /* A shared object's imports are resolved by its embedder, not by WASI. */
    if (c->o->emit == WA_EMIT_SHARED)
        return true;
    return wa_imports_check(&c->m, c->o->allow_unknown_imports, c->d);
}

static bool make_record(Compile *c) {
    /* Only an executable has a build record: its start-up code reads it. */
    if (c->o->emit != WA_EMIT_EXE)
        return true;
    return wa_build_info_text(c->o->cpu, &c->o->grants, &c->record, c->d);
}

static bool begin_codegen(Compile *c) {
    c->co = (WaCodegenOptions){
        .opt_level = c->o->opt_level,
        .cpu = c->o->cpu,
        .embeddable = c->o->emit == WA_EMIT_SHARED,
        .canonical_nans = c->o->canonical_nans,
    };
    c->lowering = true;
    return wa_codegen_begin(&c->cg, &c->m, &c->co, c->d);
}

static bool lower_functions(Compile *c) {
    return wa_codegen_functions(&c->cg);
}

static bool lower_initializer(Compile *c) {
    return wa_codegen_initializer(&c->cg, &c->init);
}

static bool describe_module(Compile *c) {
    wa_codegen_descriptor(&c->cg, c->init, c->co.embeddable);
    if (c->record != NULL)
        wa_build_info_emit(&c->cg, c->record);
    return true;
}

static bool verify(Compile *c) {
    return wa_codegen_verify(&c->cg);
}

static bool optimize(Compile *c) {
    return wa_codegen_optimize(&c->cg, c->o->opt_level);
}

/* What --emit=KIND makes of the LLVM module: an object unless it is text. */
static WaOutputKind emitted_kind(WaEmitKind emit) {
    switch (emit) {
    case WA_EMIT_LLVM_IR:
        return WA_OUTPUT_LLVM_IR;
    case WA_EMIT_ASM:
        return WA_OUTPUT_ASSEMBLY;
    default:
        return WA_OUTPUT_OBJECT;
    }
}

static bool write_output(Compile *c) {
    wa_tempfile_begin(&c->temps);
    c->temps_begun = true;
    c->output = wa_tempfile_name(&c->temps, 0, c->o->output, "");
    bool linked = c->o->emit == WA_EMIT_EXE || c->o->emit == WA_EMIT_SHARED;
    if (linked)
        c->object = wa_tempfile_name(&c->temps, 1, c->o->output, ".o");
    return wa_codegen_write(&c->cg, emitted_kind(c->o->emit), linked ? c->object : c->output);
}

static bool link_output(Compile *c) {
    switch (c->o->emit) {
    case WA_EMIT_EXE:
        return wa_link_exe(c->object, c->output, c->d);
    case WA_EMIT_SHARED:
        return wa_link_shared(c->object, c->output, c->d);
    default:
        return true;
    }
}

/* Puts the output in place if every pass succeeded (`ok`), then releases everything. */
static bool finish(Compile *c, bool ok) {
    if (c->temps_begun) {
        ok = ok && wa_tempfile_keep(&c->temps, 0, c->o->output, c->d);
        wa_tempfile_end(&c->temps);
    }
    if (c->lowering)
        wa_codegen_dispose(&c->cg);
    free(c->record);
    if (c->decoded)
        wa_module_free(&c->m);
    free(c->bytes);
    return ok;
}

bool wa_driver_compile(const WaCompileOptions *o, WaDiag *d) {
    Compile c = {.o = o, .d = d};
    bool ok = read_input(&c) && decode(&c) && check_features(&c) && validate(&c) &&
              check_imports(&c) && make_record(&c) && begin_codegen(&c) && lower_functions(&c) &&
              lower_initializer(&c) && describe_module(&c) && verify(&c) && optimize(&c) &&
              write_output(&c) && link_output(&c);
    return finish(&c, ok);
}
