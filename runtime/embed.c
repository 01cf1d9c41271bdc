/*
 * embed.c: the embedding API (wa_rt_embed.h): loading module shared
 * objects, host functions, calls with the array convention, and checked
 * access to globals, memories and tables.
 *
 * A host function is a wa_rt_func_t whose ctx is a wa_rt_host_func_t
 * {callback, env} stored beside it. Its trampoline is call_host below (host
 * code calls it directly); its native code stays NULL until an instance
 * imports it, when instance.c binds it to that module's host thunk of the
 * import's type, generated code that packs native arguments into a values
 * array and calls the callback (wa_rt.h). A wasm function's trampoline is
 * the module's generated array-convention caller of its type.
 */
#include "wa_build_info.h"
#include "wa_escape.h"
#include "wa_rt_embed.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Loading ---- */

struct wa_rt_loaded {
    void *handle;
    const wa_rt_module_t *module;
    const char *build_info; /* the build record, or NULL */
};

static void set_why(char *why, size_t why_size, const char *fmt, const char *a, unsigned x,
                    unsigned y) {
    if (why != NULL && why_size > 0)
        snprintf(why, why_size, fmt, a, x, y);
}

wa_rt_loaded_t *wa_rt_load(const char *path, char *why, size_t why_size) {
    /*
     * RTLD_LOCAL: every module defines `wasmaot_module` and its wasm_*
     * functions; keeping them out of the global scope lets many modules
     * coexist. RTLD_NOW: an unresolved runtime symbol fails here, not at the
     * first call.
     */
    if (path == NULL) {
        set_why(why, why_size, "cannot load: no path given%s", "", 0, 0);
        return NULL;
    }
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        set_why(why, why_size, "cannot load: %s", dlerror(), 0, 0);
        return NULL;
    }
    const wa_rt_module_t *m = dlsym(handle, "wasmaot_module");
    if (m == NULL) {
        set_why(why, why_size, "%s: no wasmaot_module symbol (not a wasmaot module)", path, 0, 0);
        dlclose(handle);
        return NULL;
    }
    if (m->abi_version != WA_RT_ABI_VERSION) {
        set_why(why, why_size, "%s: built for runtime ABI %u, this runtime is ABI %u", path,
                m->abi_version, WA_RT_ABI_VERSION);
        dlclose(handle);
        return NULL;
    }
    /* A module without function types has no functions and needs neither array. */
    if (m->ntypes > 0 && (m->trampolines == NULL || m->host_thunks == NULL)) {
        set_why(why, why_size, "%s: not built for embedding (use wasmaot --emit=shared)", path, 0,
                0);
        dlclose(handle);
        return NULL;
    }
    wa_rt_loaded_t *lib = malloc(sizeof *lib);
    if (lib == NULL) {
        set_why(why, why_size, "%s: out of memory", path, 0, 0);
        dlclose(handle);
        return NULL;
    }
    lib->handle = handle;
    lib->module = m;
    /* Only a module compiled with --fuel or --timeout has one (compiler/driver.c). */
    lib->build_info = dlsym(handle, WA_BUILD_INFO_SYMBOL);
    return lib;
}

const wa_rt_module_t *wa_rt_loaded_module(const wa_rt_loaded_t *lib) {
    return lib != NULL ? lib->module : NULL;
}

const char *wa_rt_loaded_build_info(const wa_rt_loaded_t *lib) {
    return lib != NULL ? lib->build_info : NULL;
}

void wa_rt_unload(wa_rt_loaded_t *lib) {
    if (lib == NULL)
        return;
    dlclose(lib->handle);
    free(lib);
}

/* ---- Host functions ---- */

/* A host function: the reference wasm sees, and the closure its ctx points to. */
typedef struct host_func_impl {
    wa_rt_func_t func; /* first: a wa_rt_func_t * is a host_func_impl_t * */
    wa_rt_host_func_t host;
} host_func_impl_t;

/* The trampoline of every host function: no native code in between. */
static void call_host(void *code, void *ctx, wa_rt_value_t *values) {
    (void)code;
    const wa_rt_host_func_t *host = ctx;
    host->callback(host->env, values);
}

wa_rt_func_t *wa_rt_host_func_new(const wa_rt_functype_t *type, wa_rt_host_callback_t callback,
                                  void *env) {
    if (type == NULL || callback == NULL)
        return NULL;
    host_func_impl_t *impl = calloc(1, sizeof *impl);
    if (impl == NULL)
        return NULL;
    impl->host = (wa_rt_host_func_t){.callback = callback, .env = env};
    impl->func = (wa_rt_func_t){
        .code = NULL, /* bound by the first instance that imports it */
        .ctx = &impl->host,
        .type_id = wa_rt_type_id(type),
        .func_index = 0,
        .instance = NULL,
        .trampoline = call_host,
        .tail_code = NULL, /* tail-called as a call and a return (compiler/lower/call.c) */
    };
    return &impl->func;
}

void wa_rt_host_func_free(wa_rt_func_t *f) {
    free((host_func_impl_t *)f);
}

/* ---- Calls ---- */

const wa_rt_functype_t *wa_rt_func_type(const wa_rt_func_t *f) {
    return f != NULL ? wa_rt_type_of_id(f->type_id) : NULL;
}

typedef struct call_args {
    const wa_rt_func_t *f;
    wa_rt_value_t *values;
} call_args_t;

static void run_call(void *arg) {
    const call_args_t *c = arg;
    c->f->trampoline(c->f->code, c->f->ctx, c->values);
}

/*
 * Whether a reference of value type `type` may be handed to wasm code: a
 * funcref must be NULL or have native code, since wasm may store it in a
 * table and call_indirect jumps to its code (an unbound host function has
 * none until an instance imports it).
 */
static bool reachable_ref(uint8_t type, const void *ref) {
    return type != WA_RT_FUNCREF || ref == NULL || ((const wa_rt_func_t *)ref)->code != NULL;
}

wa_rt_trap_t wa_rt_call(const wa_rt_func_t *f, wa_rt_value_t *values) {
    /* Caller bugs the API can see: refused before any code runs, never a jump to NULL. */
    if (f == NULL || f->trampoline == NULL)
        return WA_RT_TRAP_MISUSE;
    const wa_rt_functype_t *t = wa_rt_func_type(f);
    if (t == NULL || (values == NULL && t->nparams + t->nresults > 0))
        return WA_RT_TRAP_MISUSE;
    /* An unbound host function as argument: a later call_indirect would jump to NULL. */
    for (uint32_t i = 0; i < t->nparams; i++)
        if (!reachable_ref(t->types[i], values[i].ref))
            return WA_RT_TRAP_MISUSE;
    call_args_t c = {f, values};
    return wa_rt_call_guarded(run_call, &c);
}

wa_rt_trap_t wa_rt_call_checked(const wa_rt_func_t *f, wa_rt_value_t *values, uint32_t nargs,
                                uint32_t nvalues) {
    const wa_rt_functype_t *t = wa_rt_func_type(f);
    if (t == NULL || nargs != t->nparams || nvalues < t->nparams || nvalues < t->nresults)
        return WA_RT_TRAP_MISUSE;
    return wa_rt_call(f, values);
}

/* ---- Exports ---- */

bool wa_rt_instance_export_any(const wa_rt_instance_t *inst, const char *name, size_t name_len,
                               wa_rt_extern_t *out) {
    if (inst == NULL || name == NULL || out == NULL)
        return false;
    const wa_rt_module_t *m = inst->module;
    /* Export names are unique across kinds (spec 3.4.10), so the first match is the one. */
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wa_rt_export_t *e = &m->exports[i];
        if (e->name_len == name_len && memcmp(e->name, name, name_len) == 0)
            return wa_rt_instance_export(inst, name, name_len, e->kind, out);
    }
    return false;
}

wa_rt_func_t *wa_rt_instance_func(const wa_rt_instance_t *inst, const char *name) {
    wa_rt_extern_t ext;
    if (inst == NULL || name == NULL ||
        !wa_rt_instance_export(inst, name, strlen(name), WA_RT_EXTERN_FUNC, &ext))
        return NULL;
    return ext.func;
}

/* Appends text to buf[0 .. size) at *len, as snprintf would, counting what did not fit. */
static void append(char *buf, size_t size, size_t *len, const char *text) {
    size_t n = strlen(text);
    if (*len < size) {
        size_t room = size - *len - 1;
        size_t copy = n < room ? n : room;
        memcpy(buf + *len, text, copy);
        buf[*len + copy] = '\0';
    }
    *len += n;
}

size_t wa_rt_functype_format(const wa_rt_functype_t *type, char *buf, size_t size) {
    size_t len = 0;
    if (size > 0)
        buf[0] = '\0';
    append(buf, size, &len, "[");
    for (uint32_t i = 0; i < type->nparams + type->nresults; i++) {
        if (i == type->nparams)
            append(buf, size, &len, "] -> [");
        else if (i > 0)
            append(buf, size, &len, " ");
        append(buf, size, &len, wa_rt_value_type_name(type->types[i]));
    }
    if (type->nresults == 0)
        append(buf, size, &len, "] -> [");
    append(buf, size, &len, "]");
    return len;
}

static bool same_functype(const wa_rt_functype_t *a, const wa_rt_functype_t *b) {
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           memcmp(a->types, b->types, a->nparams + a->nresults) == 0;
}

wa_rt_func_t *wa_rt_instance_func_typed(const wa_rt_instance_t *inst, const char *name,
                                        const wa_rt_functype_t *type, char *why, size_t why_size) {
    if (why != NULL && why_size > 0)
        why[0] = '\0';
    if (inst == NULL || name == NULL || type == NULL) {
        set_why(why, why_size, "no instance, name or type given%s", "", 0, 0);
        return NULL;
    }
    char escaped[WA_RT_ESCAPE_MAX * 64 + 1];
    wa_rt_escape(escaped, sizeof escaped, name, strlen(name));
    wa_rt_func_t *f = wa_rt_instance_func(inst, name);
    if (f == NULL) {
        set_why(why, why_size, "no function export \"%s\"", escaped, 0, 0);
        return NULL;
    }
    const wa_rt_functype_t *has = wa_rt_func_type(f);
    if (!same_functype(has, type)) {
        char h[256], w[256];
        wa_rt_functype_format(has, h, sizeof h);
        wa_rt_functype_format(type, w, sizeof w);
        if (why != NULL && why_size > 0)
            snprintf(why, why_size, "export \"%s\" is a function %s, not %s", escaped, h, w);
        return NULL;
    }
    return f;
}

/* ---- Imports by name ---- */

size_t wa_rt_import_describe(const wa_rt_module_t *m, uint32_t i, char *buf, size_t size) {
    const wa_rt_import_t *imp = &m->imports[i];
    char module[WA_RT_ESCAPE_MAX * 64 + 1], name[WA_RT_ESCAPE_MAX * 64 + 1];
    wa_rt_escape(module, sizeof module, imp->module, imp->module_len);
    wa_rt_escape(name, sizeof name, imp->name, imp->name_len);
    int n = snprintf(buf, size, "import %u \"%s\".\"%s\" (%s)", i, module, name,
                     wa_rt_extern_kind_name(imp->kind));
    return n > 0 ? (size_t)n : 0;
}

/* Does the C string s equal the name bytes[0 .. len)? */
static bool name_is(const char *s, const char *bytes, uint32_t len) {
    return strlen(s) == len && memcmp(s, bytes, len) == 0;
}

typedef struct named_list {
    const wa_rt_named_extern_t *items;
    size_t n;
} named_list_t;

static bool resolve_from_list(void *data, const wa_rt_module_t *m, const wa_rt_import_t *imp,
                              wa_rt_extern_t *out) {
    (void)m;
    const named_list_t *l = data;
    for (size_t k = 0; k < l->n; k++) {
        const wa_rt_named_extern_t *e = &l->items[k];
        if (e->module != NULL && e->name != NULL &&
            name_is(e->module, imp->module, imp->module_len) &&
            name_is(e->name, imp->name, imp->name_len)) {
            *out = e->ext;
            return true;
        }
    }
    return false;
}

bool wa_rt_imports_resolve(const wa_rt_module_t *m, wa_rt_import_resolver_t resolve, void *data,
                           wa_rt_extern_t *imports, char *why, size_t why_size) {
    if (m == NULL || resolve == NULL || (imports == NULL && m->nimports > 0)) {
        set_why(why, why_size, "no module, resolver or import array given%s", "", 0, 0);
        return false;
    }
    for (uint32_t i = 0; i < m->nimports; i++) {
        if (!resolve(data, m, &m->imports[i], &imports[i])) {
            char what[600];
            wa_rt_import_describe(m, i, what, sizeof what);
            set_why(why, why_size, "unknown import: %s", what, 0, 0);
            return false;
        }
    }
    return true;
}

bool wa_rt_imports_by_name(const wa_rt_module_t *m, const wa_rt_named_extern_t *list, size_t n,
                           wa_rt_extern_t *imports, char *why, size_t why_size) {
    if (list == NULL && n > 0) {
        set_why(why, why_size, "no list of named imports given%s", "", 0, 0);
        return false;
    }
    named_list_t l = {list, n};
    return wa_rt_imports_resolve(m, resolve_from_list, &l, imports, why, why_size);
}

/* ---- Exceptions ---- */

wa_rt_tag_t *wa_rt_tag_new(const wa_rt_functype_t *type) {
    if (type == NULL || type->nresults != 0)
        return NULL;
    wa_rt_tag_t *tag = calloc(1, sizeof *tag);
    if (tag == NULL)
        return NULL;
    tag->type_id = wa_rt_type_id(type);
    tag->index = UINT32_MAX;
    tag->instance = NULL;
    return tag;
}

void wa_rt_tag_free(wa_rt_tag_t *tag) {
    free(tag);
}

const wa_rt_functype_t *wa_rt_tag_type(const wa_rt_tag_t *tag) {
    return tag != NULL ? wa_rt_type_of_id(tag->type_id) : NULL;
}

/* ---- Globals ---- */

wa_rt_value_t wa_rt_global_get(const wa_rt_extern_t *global) {
    if (global == NULL || global->kind != WA_RT_EXTERN_GLOBAL || global->global.value == NULL)
        return (wa_rt_value_t){.v128 = {0}};
    return *global->global.value;
}

bool wa_rt_global_set(const wa_rt_extern_t *global, wa_rt_value_t value) {
    if (global == NULL || global->kind != WA_RT_EXTERN_GLOBAL || global->global.value == NULL ||
        !global->global.type.is_mutable || !reachable_ref(global->global.type.type, value.ref))
        return false;
    *global->global.value = value;
    return true;
}

/* ---- Memories ---- */

uint32_t wa_rt_memory_pages(const wa_rt_memory_t *mem) {
    return mem != NULL ? (uint32_t)(mem->size / WA_RT_PAGE_SIZE) : 0;
}

/* Is [addr, addr + n) inside the memory? Written so that no sum can wrap. */
static bool memory_range_ok(const wa_rt_memory_t *mem, uint64_t addr, size_t n) {
    return mem != NULL && addr <= mem->size && n <= mem->size - addr;
}

bool wa_rt_memory_read(const wa_rt_memory_t *mem, uint64_t addr, void *dst, size_t n) {
    if (!memory_range_ok(mem, addr, n) || (dst == NULL && n > 0))
        return false;
    memcpy(dst, mem->base + addr, n);
    return true;
}

bool wa_rt_memory_write(wa_rt_memory_t *mem, uint64_t addr, const void *src, size_t n) {
    if (!memory_range_ok(mem, addr, n) || (src == NULL && n > 0))
        return false;
    memcpy(mem->base + addr, src, n);
    return true;
}

/* ---- Tables ---- */

bool wa_rt_table_get(const wa_rt_table_t *table, uint32_t i, void **ref) {
    if (table == NULL || ref == NULL || i >= table->size)
        return false;
    *ref = table->elems[i];
    return true;
}

bool wa_rt_table_set(wa_rt_table_t *table, uint32_t i, void *ref) {
    if (table == NULL || i >= table->size || !reachable_ref(table->elem_type, ref))
        return false;
    table->elems[i] = ref;
    return true;
}
