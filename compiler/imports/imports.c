/*
 * imports.c: a module's imports checked against the WASI functions an
 * executable's start-up code provides (imports.h).
 *
 * The compiler reads the shim's table, wasi-libc-shim/wasi_funcs.def, as
 * data: it neither includes the shim's headers nor links the shim. Each
 * entry here is a row's name and its core wasm type as a string of value
 * type codes (spec 5.3.3: 0x7F is i32, 0x7E is i64), compared with the
 * import's function type code by code. Names are compared byte for byte
 * with their lengths, as the start-up code (which sees them as C strings
 * and refuses any with a NUL byte) resolves them.
 */
#include "imports.h"

#include "../../runtime/wa_escape.h"
#include "../base/vec.h"

#include <stdio.h>
#include <string.h>

typedef struct WasiFunc {
    const char *module;
    const char *name;
    const char *params;  /* one value type code per parameter */
    const char *results; /* one value type code per result */
} WasiFunc;

#define RESULT_ERRNO "\x7F"
#define RESULT_EXIT ""
#define RESULT_I32 "\x7F"
#define PARAMS(...) __VA_ARGS__
static const WasiFunc wasi_funcs[] = {
#define WA_WASI_FUNC(name, result, params)                                                         \
    {WA_WASI_MODULE_NAME, #name, "" PARAMS params, RESULT_##result},
#define WA_WASI_FUNC_OF(module, name, cname, result, params)                                       \
    {module, name, "" PARAMS params, RESULT_##result},
#define WA_WASI_I32(name) "\x7F"
#define WA_WASI_I64(name) "\x7E"
#include "../../wasi-libc-shim/wasi_funcs.def"
};

_Static_assert(WA_VT_I32 == 0x7F && WA_VT_I64 == 0x7E, "value type codes are the binary encoding");

/* Does the byte string `b` equal the C string `s`? */
static bool bytes_are(WaBytes b, const char *s) {
    return b.len == strlen(s) && memcmp(b.data, s, b.len) == 0;
}

/* Do the `n` value types at `types` spell the type codes `codes`? */
static bool types_are(const WaValType *types, uint32_t n, const char *codes) {
    if (strlen(codes) != n)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (types[i] != (WaValType)(unsigned char)codes[i])
            return false;
    return true;
}

/* The table's entry for the import, or NULL if it is not a WASI function the shim provides. */
static const WasiFunc *find_wasi(const WaImport *imp) {
    for (size_t i = 0; i < sizeof wasi_funcs / sizeof wasi_funcs[0]; i++)
        if (bytes_are(imp->module, wasi_funcs[i].module) &&
            bytes_are(imp->name, wasi_funcs[i].name))
            return &wasi_funcs[i];
    return NULL;
}

/* A printable copy of an import's "module.name", both parts escaped (wa_escape.h), for messages. */
static void import_name(const WaImport *imp, char *buf, size_t size) {
    size_t n = wa_rt_escape(buf, size, (const char *)imp->module.data, imp->module.len);
    if (n + 1 < size) {
        buf[n] = '.';
        wa_rt_escape(buf + n + 1, size - n - 1, (const char *)imp->name.data, imp->name.len);
    }
}

/* A growing string: the list of unknown imports. */
typedef WA_VEC(char) NameList;

/* Appends ", " (after the first) and the whole escaped "module.name" of imp to list. */
static void list_import(NameList *list, const WaImport *imp) {
    size_t room = WA_RT_ESCAPE_MAX * ((size_t)imp->module.len + imp->name.len) + 4;
    wa_vec_reserve(list, list->len + room);
    if (list->len > 0) {
        list->data[list->len++] = ',';
        list->data[list->len++] = ' ';
    }
    import_name(imp, list->data + list->len, room);
    list->len += strlen(list->data + list->len);
}

bool wa_imports_check(const WaModule *m, bool allow_unknown, WaDiag *d) {
    NameList unknown = {0}; /* every unknown import, whole: the message lists them all */
    size_t nunknown = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const WaImport *imp = &m->imports[i];
        char name[256];
        import_name(imp, name, sizeof name);
        /*
         * wasi-threads (wasm32-wasip1-threads): the module imports its shared
         * memory, which the start-up code makes from the import's type and
         * gives every thread's instance.
         */
        if (imp->kind == WA_EXTERN_MEMORY && wa_module_memory_is_shared(m, imp->index))
            continue;
        if (imp->kind != WA_EXTERN_FUNC) {
            if (allow_unknown)
                continue;
            wa_vec_free(&unknown);
            return wa_diag_error(
                d, imp->offset, "unsupported import %s: only WASI functions can be imported", name);
        }
        const WasiFunc *wasi = find_wasi(imp);
        if (wasi != NULL) {
            const WaFuncType *ft = &m->types[m->funcs[imp->index].type_index];
            if (!types_are(ft->params, ft->nparams, wasi->params) ||
                !types_are(ft->results, ft->nresults, wasi->results)) {
                wa_vec_free(&unknown);
                return wa_diag_error(d, imp->offset, "import %s has the wrong type for WASI", name);
            }
        } else if (!allow_unknown) {
            list_import(&unknown, imp);
            nunknown++;
        }
    }
    if (nunknown > 0) {
        wa_vec_push(&unknown, '\0');
        wa_diag_error_no_offset(
            d, "unknown import%s: %s (use --allow-unknown-imports to compile them as traps)",
            nunknown > 1 ? "s" : "", unknown.data);
        wa_vec_free(&unknown);
        return false;
    }
    return true;
}
