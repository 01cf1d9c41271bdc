/*
 * driver.c: the pipeline. Each step either succeeds or leaves its one-line
 * error in the WaDiag; the output appears only when every step succeeded.
 */
#include "driver.h"

#include "codegen/build_info.h"
#include "codegen/codegen.h"
#include "link/link.h"
#include "wasm/decode.h"
#include "wasm/validate.h"

#include "../runtime/wa_escape.h"
#include "../wasi-libc-shim/wa_wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
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

/* A printable copy of an import's "module.name", both parts escaped (wa_escape.h), for messages. */
static void import_name(const WaImport *imp, char *buf, size_t size) {
    size_t n = wa_rt_escape(buf, size, (const char *)imp->module.data, imp->module.len);
    if (n + 1 < size) {
        buf[n] = '.';
        wa_rt_escape(buf + n + 1, size - n - 1, (const char *)imp->name.data, imp->name.len);
    }
}

/*
 * Every import must be a WASI function the shim provides, with the right
 * type; otherwise the program could not start. Lists all unknown imports at
 * once, so the user sees the whole problem.
 */
static bool check_imports(const WaModule *m, bool allow_unknown, WaDiag *d) {
    char unknown[400] = "";
    size_t nunknown = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const WaImport *imp = &m->imports[i];
        char name[256];
        import_name(imp, name, sizeof name);
        if (imp->kind != WA_EXTERN_FUNC) {
            if (allow_unknown)
                continue;
            return wa_diag_error(
                d, imp->offset, "unsupported import %s: only WASI functions can be imported", name);
        }
        const WaFuncType *ft = &m->types[m->funcs[imp->index].type_index];
        uint8_t codes[64];
        wa_rt_functype_t type = {ft->nparams, ft->nresults, codes};
        if (ft->nparams + ft->nresults > sizeof codes) {
            type.nparams = type.nresults = 0; /* no WASI function has that many */
        } else {
            for (uint32_t k = 0; k < ft->nparams; k++)
                codes[k] = (uint8_t)ft->params[k];
            for (uint32_t k = 0; k < ft->nresults; k++)
                codes[ft->nparams + k] = (uint8_t)ft->results[k];
        }
        char *module = strndup((const char *)imp->module.data, imp->module.len);
        char *field = strndup((const char *)imp->name.data, imp->name.len);
        void *code;
        wa_wasi_lookup_t found = wa_wasi_lookup(module, field, &type, &code);
        free(module);
        free(field);
        if (found == WA_WASI_TYPE_MISMATCH)
            return wa_diag_error(d, imp->offset, "import %s has the wrong type for WASI", name);
        if (found == WA_WASI_UNKNOWN && !allow_unknown) {
            size_t len = strlen(unknown);
            snprintf(unknown + len, sizeof unknown - len, "%s%s", nunknown ? ", " : "", name);
            nunknown++;
        }
    }
    if (nunknown > 0)
        return wa_diag_error_no_offset(
            d, "unknown import%s: %s (use --allow-unknown-imports to compile them as traps)",
            nunknown > 1 ? "s" : "", unknown);
    return true;
}

/*
 * Temporary files removed when a signal kills the compile. The output is
 * written to OUTPUT.PID.tmp (and, for an executable, the object to
 * OUTPUT.PID.tmp.o) and renamed at the end, so a compile that fails leaves
 * nothing; one that SIGINT, SIGTERM or SIGHUP ends must not leave them
 * either. The handler unlinks the paths recorded here (unlink is
 * async-signal-safe) and re-raises the signal with its default action
 * (SA_RESETHAND), so the exit status still says which signal it was. A path
 * is recorded before its file can exist and cleared before it is freed.
 */
enum { NTEMPS = 2 };
static const char *volatile temp_paths[NTEMPS];
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void remove_temps_and_die(int sig) {
    int saved = errno;
    for (int i = 0; i < NTEMPS; i++)
        if (temp_paths[i] != NULL)
            unlink(temp_paths[i]);
    errno = saved;
    raise(sig); /* blocked until this handler returns; then the default action */
}

/* Installs the handler, saving the previous actions in `old`. */
static void catch_signals(struct sigaction old[3]) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_temps_and_die;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++)
        sigaddset(&sa.sa_mask, cleanup_signals[i]);
    for (int i = 0; i < 3; i++) {
        sigaction(cleanup_signals[i], NULL, &old[i]);
        /* A signal the caller ignores (nohup) stays ignored. */
        if (old[i].sa_handler != SIG_IGN)
            sigaction(cleanup_signals[i], &sa, NULL);
    }
}

static void restore_signals(const struct sigaction old[3]) {
    for (int i = 0; i < 3; i++)
        sigaction(cleanup_signals[i], &old[i], NULL);
}

/* A temporary file name beside `path` (so the final rename stays on one file system). */
static char *temp_beside(const char *path, const char *suffix) {
    size_t n = strlen(path) + strlen(suffix) + 32;
    char *tmp = malloc(n);
    snprintf(tmp, n, "%s.%ld.tmp%s", path, (long)getpid(), suffix);
    return tmp;
}

static bool compile_to(const WaCompileOptions *o, const WaModule *m, const char *obj_path,
                       WaOutputKind kind, WaDiag *d) {
    WaCodegen cg;
    WaCodegenOptions co = {
        .opt_level = o->opt_level,
        .cpu = o->cpu,
        .embeddable = o->emit == WA_EMIT_SHARED,
        .canonical_nans = o->canonical_nans,
    };
    /* Only an executable has a build record: its start-up code reads it. */
    char *record = NULL;
    if (o->emit == WA_EMIT_EXE)
        WA_TRY(wa_build_info_text(o->cpu, &o->grants, &record, d));
    bool ok = wa_codegen_module(&cg, m, &co, d);
    if (ok && record != NULL)
        wa_build_info_emit(&cg, record);
    ok = ok && wa_codegen_emit(&cg, &co, kind, obj_path);
    free(record);
    wa_codegen_dispose(&cg);
    return ok;
}

static bool produce_output(const WaCompileOptions *o, const WaModule *m, WaDiag *d) {
    struct sigaction old[3];
    char *tmp_out = temp_beside(o->output, "");
    temp_paths[0] = tmp_out;
    catch_signals(old);
    bool ok;
    if (o->emit == WA_EMIT_EXE || o->emit == WA_EMIT_SHARED) {
        char *tmp_obj = temp_beside(o->output, ".o");
        temp_paths[1] = tmp_obj;
        ok = compile_to(o, m, tmp_obj, WA_OUTPUT_OBJECT, d) &&
             (o->emit == WA_EMIT_EXE ? wa_link_exe(tmp_obj, tmp_out, d)
                                     : wa_link_shared(tmp_obj, tmp_out, d));
        unlink(tmp_obj);
        temp_paths[1] = NULL;
        free(tmp_obj);
    } else {
        WaOutputKind kind = o->emit == WA_EMIT_OBJ       ? WA_OUTPUT_OBJECT
                            : o->emit == WA_EMIT_LLVM_IR ? WA_OUTPUT_LLVM_IR
                                                         : WA_OUTPUT_ASSEMBLY;
        ok = compile_to(o, m, tmp_out, kind, d);
    }
    if (ok && rename(tmp_out, o->output) != 0)
        ok = wa_diag_error_no_offset(d, "cannot write %s: %s", o->output, strerror(errno));
    if (!ok)
        unlink(tmp_out);
    temp_paths[0] = NULL;
    restore_signals(old);
    free(tmp_out);
    return ok;
}

bool wa_driver_compile(const WaCompileOptions *o, WaDiag *d) {
    uint8_t *bytes = NULL;
    size_t size = 0;
    WA_TRY(wa_driver_read_module(o->input, &bytes, &size, d));
    WaModule m;
    bool ok = wa_decode_module(bytes, size, o->input, &m, d);
    if (ok) {
        /* A shared object's imports are resolved by its embedder, not by WASI. */
        bool standalone = o->emit != WA_EMIT_SHARED;
        ok = wa_validate_module(&m, d) &&
             (!standalone || check_imports(&m, o->allow_unknown_imports, d)) &&
             produce_output(o, &m, d);
        wa_module_free(&m);
    }
    free(bytes);
    return ok;
}
