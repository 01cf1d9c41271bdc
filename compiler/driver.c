/*
 * driver.c: the pipeline, as the list of passes it runs (wa_driver_compile):
 *
 *   read            the module file (wa_driver_read_module; a text module
 *                   through wabt's wat2wasm, wat.c)
 *   decode          wasm/decode.c
 *   validate        wasm/validate.c
 *   read debug info debug/wasm_dwarf.h: the module's own DWARF, if any:
 *                   names for the functions the name section does not
 *                   name, and source positions for the backtrace sites
 *   check imports   imports/imports.c: only WASI functions of the shim's
 *                   table (not for --emit=shared: its embedder resolves them)
 *   record          codegen/build_info.c: an executable's build record (CPU,
 *                   grants), made before lowering so a bad grant costs nothing
 *                   (also a shared object's, with --fuel or --timeout)
 *   partition       codegen/codegen.c: the defined functions into chunks by
 *                   code size (one chunk below 1 MiB of code; always one for
 *                   --emit=asm and --emit=llvm-ir, whose text is one module)
 *   name outputs    base/tempfile.c: the temporary file each chunk writes
 *   compile chunks  each chunk on a pool of -j threads (base/pool.c), in an
 *                   LLVM context of its own, by the passes:
 *     begin codegen     codegen/codegen.c: the LLVM module for the target
 *                       CPU, a declaration per function of the chunk
 *     lower functions   lower/: each function's body
 *     lower initializer codegen/instance.c (chunk 0): globals, element
 *                       expressions and active segments, as one function
 *     describe module   codegen/instance.c (chunk 0): the descriptor the
 *                       runtime instantiates from, the build record's global
 *     verify            codegen/emit.c: the LLVM module is well formed
 *     optimize          codegen/emit.c: LLVM's pipeline for -O1..-O3
 *     write             codegen/emit.c: the object, assembly or LLVM IR
 *   combine         link/link.c: --emit=obj with several chunks: their
 *                   objects as one relocatable object (ld.lld -r)
 *   link            link/link.c: the executable or the shared object from
 *                   the chunks' objects (the other kinds are the written
 *                   file itself)
 *   header          codegen/header.c: --header, the C header of the
 *                   exports (--emit=shared)
 *
 * Each pass either succeeds or leaves its one-line error in the WaDiag, and
 * the next runs only after a success. Everything a pass sets up lives in one
 * Compile, which release() frees whatever pass stopped the run. The output
 * appears only when every pass succeeded: it is written to temporary files
 * (base/tempfile.c) and renamed into place at the end.
 *
 * Chunks: each has its own WaCodegen and WaDiag and is disposed of as soon
 * as its file is written. When chunks fail, the error reported is the first
 * failing chunk's (pool.h starts no chunk after a failed one), that is, the
 * failing function of lowest index, whatever the number of threads, and the
 * partition never depends on it, so neither does the output.
 *
 * Two hidden options exist for the tests of this (tests/e2e/parcompile.py),
 * not in --help: --test-chunk-bytes=N cuts even a small module into chunks
 * of about N bytes of code, --test-fail-func=I makes the lowering of
 * function I and of every later one fail with an internal error (so that
 * several chunks fail at once, and the error must still be function I's).
 *
 * Progress and timing (base/progress.h, base/phase_timer.h): on a terminal,
 * a compile longer than about a second shows a progress line, erased before
 * wa_driver_compile returns; with -v, the six phases' times (decode:
 * read..check features; validate: validate..name outputs; lower: begin
 * codegen..describe module; optimize: verify, optimize; codegen: write;
 * link: combine, link and the rename into place), the counts and the
 * output's size are printed on stderr after a successful compile. Each pass
 * chain enters a phase before its first pass (enter_phase, enter_chunk_phase,
 * which always succeed); chunks time themselves, and their times are summed
 * in chunk order after the pool is done. Neither changes the output. One
 * more hidden option, for tests/e2e/progress.py, not in --help:
 * --test-progress-after=MS draws the progress line after MS milliseconds
 * instead of WA_PROGRESS_AFTER_MS (0: at once), so a small module shows it.
 */
#include "driver.h"

#include "base/phase_timer.h"
#include "base/pool.h"
#include "base/progress.h"
#include "base/tempfile.h"
#include "codegen/build_info.h"
#include "codegen/codegen.h"
#include "codegen/header.h"
#include "debug/wasm_dwarf.h"
#include "imports/imports.h"
#include "link/link.h"
#include "wasm/decode.h"
#include "wasm/instr.h"
#include "wasm/validate.h"
#include "wat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool wa_driver_read_module(const char *path, WaFeatures features, uint8_t **out, size_t *size,
                           WaDiag *d) {
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
    if (wa_wat_is_text(buf, len)) {
        free(buf);
        return wa_wat_to_wasm(path, features, out, size, d);
    }
    *out = buf;
    *size = len;
    return true;
}

bool wa_driver_parse_jobs(const char *text, unsigned *jobs) {
    unsigned n = 0;
    if (*text == '\0')
        return false;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        n = n * 10 + (unsigned)(*p - '0');
        if (n > WA_DRIVER_MAX_JOBS)
            return false;
    }
    if (n == 0)
        return false;
    *jobs = n;
    return true;
}

/* One compile: its options and what the passes made so far. */
typedef struct Compile {
    const WaCompileOptions *o;
    WaDiag *d;
    uint8_t *bytes; /* the module file (read) */
    size_t size;
    WaModule m;        /* decode */
    bool decoded;      /* m needs wa_module_free */
    WaWasmDwarf dwarf; /* read debug info: the module's DWARF (empty without) */
    bool has_dwarf;
    char *record; /* an executable's build record (record); NULL for other kinds */
    WaCodegenOptions co;
    WaArena arena;                /* what the chunks share (partition) */
    WaChunk chunks[WA_CHUNK_MAX]; /* partition */
    size_t nchunks;
    WaDiag *chunk_diags;      /* per chunk, its first error */
    const char **chunk_files; /* per chunk, the file it writes (name outputs) */
    WaTempFiles temps;        /* slot 0 the output, 1 the object of one chunk, 2+k chunk k's */
    bool temps_begun;         /* temps needs wa_tempfile_end */
    const char *output;       /* the output's temporary file */

    /* Progress and timing: they never change what is written. */
    WaProgress progress;       /* the progress line (base/progress.h) */
    WaPhaseTimer times;        /* decode, validate, link: wall time */
    WaPhaseTimer *chunk_times; /* per chunk, its lower, optimize and codegen times */
    uint64_t parallel_ns;      /* wall time of compile_chunks */
    unsigned threads;          /* threads compile_chunks ran on */
    uint64_t output_size;      /* the output's size once written (-v) */
} Compile;

_Static_assert(WA_TEMPFILE_MAX >= 2 + WA_CHUNK_MAX, "a temporary file per chunk");

/* One chunk's compile: its LLVM state lives only while it runs. */
typedef struct Chunk {
    Compile *c;
    size_t index;
    WaCodegen cg;
    WaDiag *d;
    LLVMValueRef init; /* the module initialiser (lower_initializer, chunk 0) */
    WaPhaseTimer *times;
} Chunk;

/* Enters phase p of the whole compile (a pass that always succeeds): timer and progress line. */
static bool enter_phase(Compile *c, WaPhase p, const char *doing) {
    wa_phase_enter(&c->times, p);
    wa_progress_phase(&c->progress, doing);
    return true;
}

static bool read_input(Compile *c) {
    return wa_driver_read_module(c->o->input, c->o->features, &c->bytes, &c->size, c->d);
}

static bool decode(Compile *c) {
    c->decoded = wa_decode_module(c->bytes, c->size, c->o->input, c->o->features, &c->m, c->d);
    return c->decoded;
}

/* Before validation, so a module using a disabled feature is told which one. */
static bool check_features(Compile *c) {
    return wa_features_check(&c->m, c->o->features, c->d);
}

static bool validate(Compile *c) {
    return wa_validate_module(&c->m, c->d);
}

/* Names from DWARF where the name section has none (a module wasm-opt stripped keeps its DWARF). */
static bool read_debug_info(Compile *c) {
    c->has_dwarf = wa_wasm_dwarf_read_module(&c->m, c->o->debug_info, &c->dwarf);
    /* -g describes the module's sources: without its DWARF there is nothing to describe. */
    if (c->o->debug_info && c->dwarf.malformed)
        fprintf(stderr,
                "wasmaot: warning: -g: %s: its DWARF is malformed (.debug_info runs past its "
                "bounds): the output has no source positions\n",
                c->o->input);
    else if (c->o->debug_info && (!c->has_dwarf || c->dwarf.nrows == 0))
        fprintf(stderr,
                "wasmaot: warning: -g: %s has no DWARF line table: the output has no source "
                "positions (compile the module with -g, and without wasm-opt, which drops it)\n",
                c->o->input);
    for (uint32_t i = c->m.nfunc_imports; c->has_dwarf && i < c->m.nfuncs; i++)
        if (c->m.funcs[i].name == NULL)
            c->m.funcs[i].name = c->dwarf.func_names[i];
    return true;
}

static bool check_imports(Compile *c) {
    /* A shared object's imports are resolved by its embedder, not by WASI. */
    if (c->o->emit == WA_EMIT_SHARED)
        return true;
    return wa_imports_check(&c->m, c->o->allow_unknown_imports, c->d);
}

static bool make_record(Compile *c) {
    /*
     * An executable has a build record: its start-up code reads it. So does a
     * shared object compiled with --fuel or --timeout, whose embedder passes it
     * on (wa_rt_loaded_build_info, wa_wasi_config_set_build_info) to be let
     * give fuel or a timeout; other shared objects stay as they were.
     */
    bool counts = c->o->fuel || c->o->timeout;
    if (c->o->emit != WA_EMIT_EXE && !(c->o->emit == WA_EMIT_SHARED && counts))
        return true;
    const char *instrumented = c->o->fuel && c->o->timeout ? "fuel,timeout"
                               : c->o->fuel                ? "fuel"
                               : c->o->timeout             ? "timeout"
                                                           : NULL;
    return wa_build_info_text(c->o->target, c->o->cpu, &c->o->grants, instrumented, &c->record,
                              c->d);
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

static bool partition(Compile *c) {
    if (emitted_kind(c->o->emit) == WA_OUTPUT_OBJECT) {
        c->nchunks = wa_codegen_partition(&c->m, c->o->test_chunk_bytes, c->chunks);
    } else {
        c->chunks[0] = (WaChunk){c->m.nfunc_imports, c->m.nfuncs, 0};
        c->nchunks = 1;
    }
    c->co = (WaCodegenOptions){
        .opt_level = c->o->opt_level,
        .cpu = c->o->cpu,
        .embeddable = c->o->emit == WA_EMIT_SHARED,
        .canonical_nans = c->o->canonical_nans,
        .debug_info = c->o->debug_info,
        .fuel = c->o->fuel,
        .timeout = c->o->timeout,
        .split = c->nchunks > 1,
        .test_fail_func = c->o->test_fail_func,
        .progress = &c->progress,
        .sites = emitted_kind(c->o->emit) == WA_OUTPUT_OBJECT,
        .dwarf = c->has_dwarf ? &c->dwarf : NULL,
        .nchunks = (uint32_t)c->nchunks,
        .target = c->o->target,
    };
    /* Facts about the whole module, computed once here rather than once per chunk. */
    if (c->co.split) {
        c->co.fixed_tables = wa_lower_fixed_tables(&c->m, &c->arena);
        c->co.tail_set = wa_codegen_tail_call_functions(&c->m, &c->arena, c->d);
        c->co.tail_set_given = true;
    }
    c->chunk_diags = calloc(c->nchunks, sizeof *c->chunk_diags);
    c->chunk_files = calloc(c->nchunks, sizeof *c->chunk_files);
    c->chunk_times = calloc(c->nchunks, sizeof *c->chunk_times);
    if (c->chunk_diags == NULL || c->chunk_files == NULL || c->chunk_times == NULL)
        return wa_diag_error_no_offset(c->d, "out of memory");
    for (size_t k = 0; k < c->nchunks; k++) {
        wa_diag_init(&c->chunk_diags[k], c->o->input);
        wa_phase_timer_init(&c->chunk_times[k]);
    }
    return true;
}

static bool is_linked(const Compile *c) {
    return c->o->emit == WA_EMIT_EXE || c->o->emit == WA_EMIT_SHARED;
}

static bool name_outputs(Compile *c) {
    wa_tempfile_begin(&c->temps);
    c->temps_begun = true;
    c->output = wa_tempfile_name(&c->temps, 0, c->o->output, "");
    /* The output's place is checked before any work, and a failure names the output. */
    WA_TRY(wa_tempfile_create(&c->temps, 0, c->o->output, c->d));
    if (c->nchunks == 1) {
        c->chunk_files[0] =
            is_linked(c) ? wa_tempfile_name(&c->temps, 1, c->o->output, ".o") : c->output;
        return true;
    }
    for (size_t k = 0; k < c->nchunks; k++) {
        char suffix[32];
        snprintf(suffix, sizeof suffix, ".%zu.o", k);
        c->chunk_files[k] = wa_tempfile_name(&c->temps, 2 + (int)k, c->o->output, suffix);
    }
    return true;
}

/* ---- The passes of one chunk ---- */

/* Enters phase p of the chunk (a pass that always succeeds). */
static bool enter_chunk_phase(Chunk *ch, WaPhase p) {
    wa_phase_enter(ch->times, p);
    return true;
}

static bool begin_codegen(Chunk *ch) {
    return wa_codegen_begin_chunk(&ch->cg, &ch->c->m, &ch->c->co, ch->c->chunks[ch->index], ch->d);
}

static bool lower_functions(Chunk *ch) {
    return wa_codegen_functions(&ch->cg);
}

static bool lower_initializer(Chunk *ch) {
    return ch->index != 0 || wa_codegen_initializer(&ch->cg, &ch->init);
}

static bool describe_module(Chunk *ch) {
    if (ch->index != 0)
        return true;
    wa_codegen_descriptor(&ch->cg, ch->init, ch->c->co.embeddable);
    if (ch->c->record != NULL)
        wa_build_info_emit(&ch->cg, ch->c->record);
    return true;
}

static bool verify(Chunk *ch) {
    return wa_codegen_verify(&ch->cg);
}

static bool optimize(Chunk *ch) {
    return wa_codegen_optimize(&ch->cg, ch->c->o->opt_level);
}

static bool write_output(Chunk *ch) {
    return wa_codegen_write(&ch->cg, emitted_kind(ch->c->o->emit), ch->c->chunk_files[ch->index]);
}

/* Compiles chunk `index` (a pool task): its passes, then its LLVM state is released. */
static bool compile_chunk(void *arg, size_t index) {
    Compile *c = arg;
    Chunk ch = {
        .c = c, .index = index, .d = &c->chunk_diags[index], .times = &c->chunk_times[index]};
    bool ok = enter_chunk_phase(&ch, WA_PHASE_LOWER) && begin_codegen(&ch) &&
              lower_functions(&ch) && lower_initializer(&ch) && describe_module(&ch) &&
              enter_chunk_phase(&ch, WA_PHASE_OPTIMIZE) && verify(&ch) && optimize(&ch) &&
              enter_chunk_phase(&ch, WA_PHASE_CODEGEN) && write_output(&ch);
    wa_codegen_dispose(&ch.cg);
    wa_phase_stop(ch.times);
    if (ok)
        wa_progress_chunk_done(&c->progress, c->chunks[index].end - c->chunks[index].first);
    return ok;
}

static bool compile_chunks(Compile *c) {
    unsigned jobs = c->o->jobs != 0 ? c->o->jobs : wa_pool_cpus();
    c->threads = jobs < c->nchunks ? jobs : (unsigned)c->nchunks;
    wa_phase_stop(&c->times);
    wa_progress_total(&c->progress, c->m.nfuncs - c->m.nfunc_imports, (unsigned)c->nchunks);
    wa_progress_phase(&c->progress, "compiling");
    uint64_t start = wa_phase_now();
    size_t failed = wa_pool_run(jobs, c->nchunks, compile_chunk, c);
    c->parallel_ns = wa_phase_now() - start;
    if (failed == c->nchunks)
        return true;
    *c->d = c->chunk_diags[failed];
    return false;
}

/* ---- Whole outputs ---- */

static bool combine_objects(Compile *c) {
    if (c->o->emit != WA_EMIT_OBJ || c->nchunks == 1)
        return true;
    return wa_link_relocatable(c->chunk_files, c->nchunks, c->output, c->d);
}

static bool link_output(Compile *c) {
    switch (c->o->emit) {
    case WA_EMIT_EXE:
        return wa_link_exe(c->chunk_files, c->nchunks, c->output, c->o->target, c->o->static_exe,
                           c->d);
    case WA_EMIT_SHARED:
        return wa_link_shared(c->chunk_files, c->nchunks, c->output, c->d);
    default:
        return true;
    }
}

/* --header: the C header of the module's function exports (codegen/header.c). */
static bool write_header(Compile *c) {
    if (c->o->header == NULL)
        return true;
    return wa_header_write(&c->m, c->o->header, c->d);
}

/*
 * Puts the output in place if every pass succeeded (`ok`) and erases the
 * progress line, whatever pass stopped the run.
 */
static bool finish(Compile *c, bool ok) {
    struct stat st;
    if (ok && c->o->verbose && stat(c->output, &st) == 0)
        c->output_size = (uint64_t)st.st_size;
    if (c->temps_begun) {
        ok = ok && wa_tempfile_keep(&c->temps, 0, c->o->output, c->d);
        wa_tempfile_end(&c->temps);
    }
    wa_phase_stop(&c->times);
    wa_progress_stop(&c->progress);
    return ok;
}

/* Releases everything the passes made. */
static void release(Compile *c) {
    free(c->chunk_times);
    free(c->chunk_files);
    free(c->chunk_diags);
    wa_arena_free(&c->arena);
    free(c->record);
    if (c->has_dwarf)
        wa_wasm_dwarf_free(&c->dwarf);
    if (c->decoded)
        wa_module_free(&c->m);
    free(c->bytes);
}

/* The -v report of a successful compile that started at `start`. */
static void report(const Compile *c, uint64_t start) {
    WaPhaseTimer chunks;
    wa_phase_timer_init(&chunks);
    for (size_t k = 0; k < c->nchunks; k++)
        wa_phase_add(&chunks, &c->chunk_times[k]);
    WaPhaseReport r = {
        .serial = &c->times,
        .chunks = &chunks,
        .parallel_ns = c->parallel_ns,
        .total_ns = wa_phase_now() - start,
        .functions = c->m.nfuncs - c->m.nfunc_imports,
        .imported = c->m.nfunc_imports,
        .nchunks = c->nchunks,
        .threads = c->threads,
        .output = c->o->output,
        .output_size = c->output_size,
    };
    wa_phase_report_print(&r, stderr);
}

bool wa_driver_compile(const WaCompileOptions *o, WaDiag *d) {
    uint64_t start = wa_phase_now();
    Compile c = {.o = o, .d = d};
    wa_arena_init(&c.arena);
    wa_phase_timer_init(&c.times);
    wa_progress_start(&c.progress, o->input,
                      o->test_progress_after ? o->test_progress_after - 1 : WA_PROGRESS_AFTER_MS);
    bool ok = enter_phase(&c, WA_PHASE_DECODE, "decoding") && read_input(&c) && decode(&c) &&
              check_features(&c) && enter_phase(&c, WA_PHASE_VALIDATE, "validating") &&
              validate(&c) && read_debug_info(&c) && check_imports(&c) && make_record(&c) &&
              partition(&c) && name_outputs(&c) && compile_chunks(&c) &&
              enter_phase(&c, WA_PHASE_LINK, "linking") && combine_objects(&c) && link_output(&c) &&
              write_header(&c);
    ok = finish(&c, ok);
    if (ok && o->verbose)
        report(&c, start);
    release(&c);
    return ok;
}
