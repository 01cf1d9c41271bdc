/*
 * registry.c: the table of implemented WASI functions, and the lookup that
 * resolves a module's imports against it (wa_wasi.h).
 *
 * Each row of WA_WASI_FUNCS is X(name, params, results): the witx function
 * name (the C function is wa_wasi_<name>) and its core wasm type, one letter
 * per value: 'i' is i32, 'I' is i64. The letters are the witx types lowered
 * to core wasm as wasi-libc declares them (pointers, sizes, fds, enums and
 * flags become i32; filesize, filedelta, timestamp and rights become i64;
 * every result but proc_exit's is the errno as i32). A function appears here
 * only once it is fully implemented: any other import from the module is
 * unknown.
 */
#include "wasi_impl.h"

#include <string.h>

// clang-format off
#define WA_WASI_FUNCS(X)                                                                           \
    X(args_get,                "ii",      "i")                                                     \
    X(args_sizes_get,          "ii",      "i")                                                     \
    X(clock_res_get,           "ii",      "i")                                                     \
    X(clock_time_get,          "iIi",     "i")                                                     \
    X(environ_get,             "ii",      "i")                                                     \
    X(environ_sizes_get,       "ii",      "i")                                                     \
    X(fd_advise,               "iIIi",    "i")                                                     \
    X(fd_allocate,             "iII",     "i")                                                     \
    X(fd_close,                "i",       "i")                                                     \
    X(fd_datasync,             "i",       "i")                                                     \
    X(fd_fdstat_get,           "ii",      "i")                                                     \
    X(fd_fdstat_set_flags,     "ii",      "i")                                                     \
    X(fd_fdstat_set_rights,    "iII",     "i")                                                     \
    X(fd_filestat_get,         "ii",      "i")                                                     \
    X(fd_filestat_set_size,    "iI",      "i")                                                     \
    X(fd_filestat_set_times,   "iIIi",    "i")                                                     \
    X(fd_pread,                "iiiIi",   "i")                                                     \
    X(fd_prestat_dir_name,     "iii",     "i")                                                     \
    X(fd_prestat_get,          "ii",      "i")                                                     \
    X(fd_pwrite,               "iiiIi",   "i")                                                     \
    X(fd_read,                 "iiii",    "i")                                                     \
    X(fd_readdir,              "iiiIi",   "i")                                                     \
    X(fd_renumber,             "ii",      "i")                                                     \
    X(fd_seek,                 "iIii",    "i")                                                     \
    X(fd_sync,                 "i",       "i")                                                     \
    X(fd_tell,                 "ii",      "i")                                                     \
    X(fd_write,                "iiii",    "i")                                                     \
    X(path_create_directory,   "iii",     "i")                                                     \
    X(path_filestat_get,       "iiiii",   "i")                                                     \
    X(path_filestat_set_times, "iiiiIIi", "i")                                                     \
    X(path_link,               "iiiiiii", "i")                                                     \
    X(path_open,               "iiiiiIIii", "i")                                                   \
    X(path_readlink,           "iiiiii",  "i")                                                     \
    X(path_remove_directory,   "iii",     "i")                                                     \
    X(path_rename,             "iiiiii",  "i")                                                     \
    X(path_symlink,            "iiiii",   "i")                                                     \
    X(path_unlink_file,        "iii",     "i")                                                     \
    X(poll_oneoff,             "iiii",    "i")                                                     \
    X(proc_exit,               "i",       "")                                                      \
    X(proc_raise,              "i",       "i")                                                     \
    X(random_get,              "ii",      "i")                                                     \
    X(sched_yield,             "",        "i")                                                     \
    X(sock_accept,             "iii",     "i")                                                     \
    X(sock_recv,               "iiiiii",  "i")                                                     \
    X(sock_send,               "iiiii",   "i")                                                     \
    X(sock_shutdown,           "ii",      "i")
// clang-format on

typedef struct wasi_func {
    const char *name;
    const char *params;
    const char *results;
    void (*code)(void); /* the wa_wasi_<name> function, called with its real signature */
} wasi_func_t;

static const wasi_func_t funcs[] = {
#define WA_WASI_X(name, params, results) {#name, params, results, (void (*)(void))wa_wasi_##name},
    WA_WASI_FUNCS(WA_WASI_X)
#undef WA_WASI_X
};

#define WASI_MODULE "wasi_snapshot_preview1"

bool wa_wasi_is_module(const char *module) {
    return strcmp(module, WASI_MODULE) == 0;
}

/* Do the `n` value types at `types` spell `letters`? */
static bool types_match(const uint8_t *types, uint32_t n, const char *letters) {
    if (strlen(letters) != n)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t want = letters[i] == 'I' ? WA_RT_I64 : WA_RT_I32;
        if (types[i] != want)
            return false;
    }
    return true;
}

wa_wasi_lookup_t wa_wasi_lookup(const char *module, const char *name, const wa_rt_functype_t *type,
                                void **code) {
    if (!wa_wasi_is_module(module))
        return WA_WASI_UNKNOWN;
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        const wasi_func_t *f = &funcs[i];
        if (strcmp(f->name, name) != 0)
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
