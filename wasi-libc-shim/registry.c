/*
 * registry.c: the table of implemented WASI functions, expanded from
 * wasi_funcs.def, and the lookup that resolves a module's imports against it
 * (wa_wasi.h).
 *
 * Each entry holds the import module name (WA_WASI_MODULE_NAME, or another
 * WASI module's for the WA_WASI_FUNC_OF rows: wasi-threads), the witx name, the C function
 * wa_wasi_<name>, and the core wasm type as the row gives it, a string of value type codes (spec
 * 5.3.3, as wa_rt_functype_t holds them: 0x7F is i32, 0x7E is i64; an ERRNO
 * result is one i32, an EXIT result none).
 */
#include "wasi_impl.h"

#include <string.h>

typedef struct wasi_func {
    const char *module; /* the import module name */
    const char *name;
    const char *params;  /* one value type code per parameter */
    const char *results; /* one value type code per result */
    void (*code)(void);  /* the wa_wasi_<name> function, called with its real signature */
} wasi_func_t;

#define RESULT_ERRNO "\x7F"
#define RESULT_EXIT ""
#define RESULT_I32 "\x7F"
#define PARAMS(...) __VA_ARGS__
static const wasi_func_t funcs[] = {
#define WA_WASI_FUNC(name, result, params)                                                         \
    {WA_WASI_MODULE_NAME, #name, "" PARAMS params, RESULT_##result, (void (*)(void))wa_wasi_##name},
#define WA_WASI_FUNC_OF(module, name, cname, result, params)                                       \
    {module, name, "" PARAMS params, RESULT_##result, (void (*)(void))wa_wasi_##cname},
#define WA_WASI_I32(name) "\x7F"
#define WA_WASI_I64(name) "\x7E"
#include "wasi_funcs.def"
};

_Static_assert(WA_RT_I32 == 0x7F && WA_RT_I64 == 0x7E, "value type codes are the binary encoding");

bool wa_wasi_is_module(const char *module) {
    return strcmp(module, WA_WASI_MODULE_NAME) == 0;
}

/* Are the `n` value types at `types` the type codes `codes`? */
static bool types_match(const uint8_t *types, uint32_t n, const char *codes) {
    return strlen(codes) == n && (n == 0 || memcmp(types, codes, n) == 0);
}

wa_wasi_lookup_t wa_wasi_lookup(const char *module, const char *name, const wa_rt_functype_t *type,
                                void **code) {
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        const wasi_func_t *f = &funcs[i];
        if (strcmp(f->module, module) != 0 || strcmp(f->name, name) != 0)
            continue;
        /* A type with no values may have types == NULL: no arithmetic on it then. */
        const uint8_t *results = type->nresults ? type->types + type->nparams : NULL;
        if (!types_match(type->types, type->nparams, f->params) ||
            !types_match(results, type->nresults, f->results))
            return WA_WASI_TYPE_MISMATCH;
        /* POSIX (dlsym) guarantees function and data pointers convert both ways. */
        *code = (void *)(uintptr_t)f->code;
        return WA_WASI_FOUND;
    }
    return WA_WASI_UNKNOWN;
}
