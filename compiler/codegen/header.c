/*
 * header.c: --header FILE (with --emit=shared): a C header that declares
 * the module's function exports as typed C functions, so a C host calls a
 * compiled module like a library.
 *
 * What it holds, for a header app.h (prefix "app", from the file name's
 * stem made an identifier):
 *   - `app_t`, the bound module: the instance and one wa_rt_func_t * per
 *     function export;
 *   - `app_bind(&m, inst, why, why_size)`, which finds every function
 *     export in an instance with its type checked
 *     (wa_rt_instance_func_typed), false with the reason otherwise;
 *   - per function export, a static inline function
 *         wa_rt_trap_t app_NAME(const app_t *m, params..., results *...)
 *     that packs the parameters into the array convention, calls through
 *     wa_rt_call (guarded: a trap comes back as its kind, wa_rt_last_trap
 *     has the rest) and stores each result through its pointer (NULL: not
 *     wanted), only when the call returned.
 *
 * Why static inline functions over the embedding API rather than wrappers
 * generated into the shared object: they need no new code generation, no
 * new runtime entry point and no second symbol per export in the object,
 * they work with any module the header was made for, and a call through
 * them costs what wa_rt_call costs (README "Embedding" has the figure).
 *
 * C types: i32 int32_t, i64 int64_t, f32 float, f64 double, v128
 * wa_rt_value_t (its 16 bytes in .v128), funcref const wa_rt_func_t *,
 * externref void *, exnref wa_rt_exception_t *. Several results: one
 * pointer each, r0, r1, ...
 *
 * Names: NAME is the export name made an identifier
 * (wa_header_identifier); when two exports, or an export and app_t or
 * app_bind, would get the same C name, the later gets "_2", "_3", ... The
 * export's own name is in a comment above it, escaped (wa_escape.h), with
 * "*" + "/" written "*\x2f" so that no name ends the comment; in the C
 * string that looks it up, every byte outside [A-Za-z0-9_] is an octal
 * escape. An export name with a NUL byte cannot be looked up by C string
 * (wa_rt_instance_func_typed) and gets a comment instead of a function.
 */
#include "header.h"

#include "../../runtime/wa_escape.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t wa_header_identifier(const uint8_t *name, size_t len, char *buf, size_t size) {
    size_t out = 0;
    bool lead = len == 0 || (name[0] >= '0' && name[0] <= '9');
    size_t want = len + (lead ? 1 : 0);
    if (size == 0)
        return want;
    if (lead && out + 1 < size)
        buf[out++] = '_';
    for (size_t i = 0; i < len && out + 1 < size; i++) {
        uint8_t c = name[i];
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        buf[out++] = ok ? (char)c : '_';
    }
    buf[out] = '\0';
    return want;
}

/* The C type of a wasm value type, for a parameter. */
static const char *c_type(WaValType t) {
    switch (t) {
    case WA_VT_I32:
        return "int32_t";
    case WA_VT_I64:
        return "int64_t";
    case WA_VT_F32:
        return "float";
    case WA_VT_F64:
        return "double";
    case WA_VT_V128:
        return "wa_rt_value_t";
    case WA_VT_FUNCREF:
        return "const wa_rt_func_t *";
    case WA_VT_EXTERNREF:
        return "void *";
    case WA_VT_EXNREF:
        return "wa_rt_exception_t *";
    default:
        return "wa_rt_value_t";
    }
}

/* The wa_rt_value_t member holding a value of type t ("" for v128: the whole value). */
static const char *member(WaValType t) {
    switch (t) {
    case WA_VT_I32:
        return ".i32";
    case WA_VT_I64:
        return ".i64";
    case WA_VT_F32:
        return ".f32";
    case WA_VT_F64:
        return ".f64";
    case WA_VT_FUNCREF:
    case WA_VT_EXTERNREF:
    case WA_VT_EXNREF:
        return ".ref";
    default:
        return "";
    }
}

/* The runtime's macro for a value type code (wa_rt.h). */
static const char *rt_code(WaValType t) {
    switch (t) {
    case WA_VT_I32:
        return "WA_RT_I32";
    case WA_VT_I64:
        return "WA_RT_I64";
    case WA_VT_F32:
        return "WA_RT_F32";
    case WA_VT_F64:
        return "WA_RT_F64";
    case WA_VT_V128:
        return "WA_RT_V128";
    case WA_VT_FUNCREF:
        return "WA_RT_FUNCREF";
    case WA_VT_EXTERNREF:
        return "WA_RT_EXTERNREF";
    default:
        return "WA_RT_EXNREF";
    }
}

/* A name for a comment: escaped, and never holding the end of a comment. */
static void put_comment_name(FILE *f, const WaBytes *name) {
    size_t n = wa_rt_escape(NULL, 0, (const char *)name->data, name->len);
    char *buf = malloc(n + 1);
    if (buf == NULL) {
        fputs("(name)", f);
        return;
    }
    wa_rt_escape(buf, n + 1, (const char *)name->data, name->len);
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '/' && i > 0 && buf[i - 1] == '*')
            fputs("\\x2f", f);
        else
            fputc(buf[i], f);
    }
    free(buf);
}

/* A name as a C string literal: bytes outside [A-Za-z0-9_] as octal escapes. */
static void put_c_string(FILE *f, const WaBytes *name) {
    fputc('"', f);
    for (uint32_t i = 0; i < name->len; i++) {
        uint8_t c = name->data[i];
        bool plain =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (plain)
            fputc(c, f);
        else
            fprintf(f, "\\%03o", c);
    }
    fputc('"', f);
}

/* The C names taken so far, to make each new one unique. */
typedef struct names {
    char **items;
    size_t n;
} names_t;

static bool taken(const names_t *t, const char *s) {
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->items[i], s) == 0)
            return true;
    return false;
}

/* Takes `base` or, if taken, base_2, base_3, ...; returns the name (owned by t) or NULL. */
static const char *take(names_t *t, const char *base) {
    size_t len = strlen(base) + 16;
    char *s = malloc(len);
    if (s == NULL)
        return NULL;
    snprintf(s, len, "%s", base);
    for (unsigned k = 2; taken(t, s); k++)
        snprintf(s, len, "%s_%u", base, k);
    char **grown = realloc(t->items, (t->n + 1) * sizeof *grown);
    if (grown == NULL) {
        free(s);
        return NULL;
    }
    t->items = grown;
    t->items[t->n++] = s;
    return s;
}

static void free_names(names_t *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i]);
    free(t->items);
}

static void put_type(FILE *f, const WaFuncType *ft) {
    fputc('[', f);
    for (uint32_t i = 0; i < ft->nparams; i++)
        fprintf(f, "%s%s", i ? " " : "", wa_valtype_name(ft->params[i]));
    fputs("] -> [", f);
    for (uint32_t i = 0; i < ft->nresults; i++)
        fprintf(f, "%s%s", i ? " " : "", wa_valtype_name(ft->results[i]));
    fputc(']', f);
}

/* Is the export function export i, with a name C can look up? */
static bool bindable(const WaExport *e) {
    return e->kind == WA_EXTERN_FUNC && memchr(e->name.data, 0, e->name.len) == NULL;
}

static const WaFuncType *export_type(const WaModule *m, const WaExport *e) {
    return &m->types[m->funcs[e->index].type_index];
}

/* The whole header into f; false if memory runs out. */
static bool write_header(FILE *f, const WaModule *m, const char *file, const char *prefix) {
    names_t names = {0};
    const char *type_name = NULL, *bind_name = NULL;
    char buf[600];
    snprintf(buf, sizeof buf, "%s_t", prefix);
    type_name = take(&names, buf);
    snprintf(buf, sizeof buf, "%s_bind", prefix);
    bind_name = take(&names, buf);
    const char **cnames = calloc(m->nexports > 0 ? m->nexports : 1, sizeof *cnames);
    if (type_name == NULL || bind_name == NULL || cnames == NULL) {
        free(cnames);
        free_names(&names);
        return false;
    }
    uint32_t nfuncs = 0;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const WaExport *e = &m->exports[i];
        if (!bindable(e))
            continue;
        char id[512];
        int n = snprintf(buf, sizeof buf, "%s_", prefix);
        wa_header_identifier(e->name.data, e->name.len, id, sizeof id);
        snprintf(buf + n, sizeof buf - (size_t)n, "%s", id);
        cnames[i] = take(&names, buf);
        if (cnames[i] == NULL) {
            free(cnames);
            free_names(&names);
            return false;
        }
        nfuncs++;
    }

    char guard[600];
    for (size_t i = 0; i <= strlen(prefix); i++)
        guard[i] = (char)(prefix[i] >= 'a' && prefix[i] <= 'z' ? prefix[i] - 'a' + 'A' : prefix[i]);
    fprintf(f,
            "/*\n"
            " * %s: the function exports of a module as C functions, written by\n"
            " * `wasmaot --emit=shared --header`. Calls go through the embedding API\n"
            " * (wa_rt_embed.h): load the shared object, instantiate it (wa_rt_instantiate,\n"
            " * or wa_wasi_instantiate for WASI), then\n"
            " *     %s m;\n"
            " *     if (!%s(&m, inst, why, sizeof why)) ... (an export missing or of\n"
            " *         another type: why says which)\n"
            " * and call the functions below: each returns WA_RT_TRAP_NONE and stores\n"
            " * its results through the pointers given (NULL: not wanted), or the trap's\n"
            " * kind (wa_rt_last_trap() has the rest). C types: i32 int32_t, i64\n"
            " * int64_t, f32 float, f64 double, v128 wa_rt_value_t (.v128), funcref\n"
            " * const wa_rt_func_t *, externref void *, exnref wa_rt_exception_t *.\n"
            " */\n"
            "#ifndef %s_H_WASMAOT\n"
            "#define %s_H_WASMAOT\n\n"
            "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
            "#include \"wa_rt_embed.h\"\n\n",
            file, type_name, bind_name, guard, guard);
    fprintf(f, "typedef struct {\n    wa_rt_instance_t *instance;\n");
    fprintf(f, "    wa_rt_func_t *funcs[%u];\n} %s;\n\n", nfuncs > 0 ? nfuncs : 1, type_name);

    fprintf(f,
            "/* Finds every function export in inst with its type; false, with one line in why,\n"
            "   if one is missing or has another type. */\n"
            "static inline bool %s(%s *m, wa_rt_instance_t *inst, char *why, size_t why_size) {\n",
            bind_name, type_name);
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const WaExport *e = &m->exports[i];
        if (cnames[i] == NULL)
            continue;
        const WaFuncType *ft = export_type(m, e);
        uint32_t n = ft->nparams + ft->nresults;
        fprintf(f, "    static const uint8_t types%u[%u] = {", k, n > 0 ? n : 1);
        for (uint32_t j = 0; j < n; j++)
            fprintf(f, "%s%s", j ? ", " : "",
                    rt_code(j < ft->nparams ? ft->params[j] : ft->results[j - ft->nparams]));
        if (n == 0)
            fputs("0", f);
        fprintf(f, "};\n    static const wa_rt_functype_t type%u = {%u, %u, types%u};\n", k,
                ft->nparams, ft->nresults, k);
        k++;
    }
    fprintf(f, "    m->instance = inst;\n");
    k = 0;
    for (uint32_t i = 0; i < m->nexports; i++) {
        if (cnames[i] == NULL)
            continue;
        fputs("    m->funcs[", f);
        fprintf(f, "%u] = wa_rt_instance_func_typed(inst, ", k);
        put_c_string(f, &m->exports[i].name);
        fprintf(f,
                ", &type%u, why, why_size);\n    if (m->funcs[%u] == NULL)\n        return "
                "false;\n",
                k, k);
        k++;
    }
    fputs("    return true;\n}\n", f);

    k = 0;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const WaExport *e = &m->exports[i];
        if (e->kind == WA_EXTERN_FUNC && cnames[i] == NULL) {
            fputs("\n/* export \"", f);
            put_comment_name(f, &e->name);
            fputs("\": its name holds a NUL byte, so it is not bound here */\n", f);
            continue;
        }
        if (cnames[i] == NULL)
            continue;
        const WaFuncType *ft = export_type(m, e);
        fputs("\n/* export \"", f);
        put_comment_name(f, &e->name);
        fputs("\": ", f);
        put_type(f, ft);
        fputs(" */\n", f);
        fprintf(f, "static inline wa_rt_trap_t %s(const %s *m", cnames[i], type_name);
        for (uint32_t j = 0; j < ft->nparams; j++) {
            const char *t = c_type(ft->params[j]);
            fprintf(f, ", %s%sp%u", t, t[strlen(t) - 1] == '*' ? "" : " ", j);
        }
        for (uint32_t j = 0; j < ft->nresults; j++) {
            const char *t = c_type(ft->results[j]);
            fprintf(f, ", %s%s*r%u", t, t[strlen(t) - 1] == '*' ? "" : " ", j);
        }
        fputs(") {\n", f);
        uint32_t slots = ft->nparams > ft->nresults ? ft->nparams : ft->nresults;
        fprintf(f, "    wa_rt_value_t v[%u];\n", slots > 0 ? slots : 1);
        for (uint32_t j = 0; j < ft->nparams; j++) {
            WaValType t = ft->params[j];
            if (t == WA_VT_FUNCREF)
                fprintf(f, "    v[%u].ref = (void *)p%u;\n", j, j);
            else
                fprintf(f, "    v[%u]%s = p%u;\n", j, member(t), j);
        }
        fprintf(f, "    wa_rt_trap_t trap = wa_rt_call(m->funcs[%u], v);\n", k);
        for (uint32_t j = 0; j < ft->nresults; j++) {
            WaValType t = ft->results[j];
            fprintf(f, "    if (trap == WA_RT_TRAP_NONE && r%u != NULL)\n        *r%u = ", j, j);
            if (t == WA_VT_FUNCREF)
                fprintf(f, "(const wa_rt_func_t *)v[%u].ref;\n", j);
            else
                fprintf(f, "v[%u]%s;\n", j, member(t));
        }
        fputs("    return trap;\n}\n", f);
        k++;
    }
    fprintf(f, "\n#endif\n");
    free(cnames);
    free_names(&names);
    return true;
}

bool wa_header_write(const WaModule *m, const char *path, WaDiag *d) {
    /* The prefix: the file name's stem ("include/app.h" -> "app"), made an identifier. */
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    size_t stem = strcspn(base, ".");
    char prefix[256];
    wa_header_identifier((const uint8_t *)base, stem, prefix, sizeof prefix);

    size_t tmp_len = strlen(path) + 16;
    char *tmp = malloc(tmp_len);
    if (tmp == NULL)
        return wa_diag_error_no_offset(d, "out of memory writing the header %s", path);
    snprintf(tmp, tmp_len, "%s.tmp-XXXXXX", path);
    FILE *f = NULL;
    int fd = mkstemp(tmp);
    if (fd >= 0)
        f = fdopen(fd, "w");
    if (f == NULL) {
        int e = errno;
        free(tmp);
        return wa_diag_error_no_offset(d, "cannot write the header %s: %s", path, strerror(e));
    }
    bool ok = write_header(f, m, base, prefix);
    ok = fflush(f) == 0 && ok;
    int e = errno;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) != 0) {
        e = errno;
        ok = false;
    }
    if (!ok) {
        remove(tmp);
        free(tmp);
        return wa_diag_error_no_offset(d, "cannot write the header %s: %s", path, strerror(e));
    }
    free(tmp);
    return true;
}
