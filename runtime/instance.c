/*
 * instance.c: instantiation (spec 4.5.4), import matching (spec 4.5.2),
 * exports, and freeing.
 *
 * An instance is an instance_impl_t: what the instance owns, then the
 * public wa_rt_instance_t that generated code receives as ctx, then the
 * storage of the module's own globals, right after it (wa_rt.h: generated
 * code reaches them at fixed offsets from ctx, with no load). Index spaces list imports first
 * (spec 2.5), so the first n*_imports memories, tables, globals and functions are borrowed from the
 * caller's externs and everything after them is owned.
 *
 * Instantiation order follows the spec: match the imports, allocate the
 * module's own memories, tables, globals, function references and segments,
 * then run the generated init (global initialisers, element expressions,
 * active segments in order; it may trap, leaving earlier writes in place),
 * then the start function. A trap in either keeps the instance alive and
 * hands it to the caller (see wa_rt_error_t.instance).
 *
 * Modules with live instances are kept in a lock-free list so a trap PC can
 * be mapped to its module and function, even from the fault handler.
 */
#include "rt_internal.h"
#include "wa_escape.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Modules with live instances ---- */

typedef struct module_node {
    const wa_rt_module_t *m;
    _Atomic uint32_t live;    /* live instances; 0: the descriptor may be gone (dlclose) */
    struct module_node *next; /* set before the node is published, never changed */
} module_node_t;

static module_node_t *_Atomic modules_head;
static pthread_mutex_t modules_lock = PTHREAD_MUTEX_INITIALIZER;

static module_node_t *module_acquire(const wa_rt_module_t *m) {
    pthread_mutex_lock(&modules_lock);
    module_node_t *node = atomic_load_explicit(&modules_head, memory_order_relaxed);
    while (node != NULL && node->m != m)
        node = node->next;
    if (node == NULL) {
        node = malloc(sizeof *node);
        if (node != NULL) {
            node->m = m;
            atomic_init(&node->live, 0);
            node->next = atomic_load_explicit(&modules_head, memory_order_relaxed);
            atomic_store_explicit(&modules_head, node, memory_order_release);
        }
    }
    if (node != NULL)
        atomic_fetch_add(&node->live, 1);
    pthread_mutex_unlock(&modules_lock);
    return node;
}

const wa_rt_module_t *wa_rt_module_at(uintptr_t pc) {
    for (module_node_t *node = atomic_load_explicit(&modules_head, memory_order_acquire);
         node != NULL; node = node->next) {
        if (atomic_load(&node->live) > 0 && pc >= (uintptr_t)node->m->code_start &&
            pc < (uintptr_t)node->m->code_end)
            return node->m;
    }
    return NULL;
}

/* ---- Instances ---- */

typedef struct instance_impl {
    uint32_t nmem_imports, ntable_imports, nglobal_imports, ntag_imports;
    wa_rt_func_t *func_storage; /* the module's own function references */
    wa_rt_tag_t *tag_storage;   /* the module's own tags (exception handling) */
    uint32_t *type_ids;
    void ***elem_arrays;     /* per element segment, kept when the segment is dropped */
    module_node_t *node;     /* NULL if the module list could not take it */
    wa_rt_instance_t pub;    /* &pub is the ctx generated code receives */
    wa_rt_value_t globals[]; /* the module's own globals, in index order (wa_rt.h) */
} instance_impl_t;

/* The layout wa_rt.h promises generated code: the own globals right after the instance. */
_Static_assert(offsetof(instance_impl_t, globals) ==
                   offsetof(instance_impl_t, pub) + WA_RT_INSTANCE_GLOBALS_OFFSET,
               "the module's own globals must follow the instance");
_Static_assert(sizeof(wa_rt_value_t) == WA_RT_GLOBAL_CELL_SIZE, "a global cell's size");

static instance_impl_t *impl_of(wa_rt_instance_t *inst) {
    return (instance_impl_t *)((char *)inst - offsetof(instance_impl_t, pub));
}

void wa_rt_error_set(wa_rt_error_t *err, wa_rt_error_kind_t kind, const char *fmt, ...) {
    if (err == NULL)
        return;
    err->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* A link error for import i: "<what>: import i "mod"."name" (kind)<detail>". */
static void link_error(wa_rt_error_t *err, const wa_rt_module_t *m, uint32_t i, const char *what,
                       const char *detail) {
    const wa_rt_import_t *imp = &m->imports[i];
    /* Names are arbitrary bytes: escaped, so the message stays one printable line. */
    char module[128], name[128];
    wa_rt_escape(module, sizeof module, imp->module, imp->module_len);
    wa_rt_escape(name, sizeof name, imp->name, imp->name_len);
    wa_rt_error_set(err, WA_RT_ERROR_LINK, "%s: import %u \"%s\".\"%s\" (%s)%s", what, i, module,
                    name, wa_rt_extern_kind_name(imp->kind), detail);
    if (err != NULL)
        err->import_index = i;
}

/*
 * Limits matching (spec 4.5.2): the provider's {n1, m1?} matches the
 * import's {n2, m2?} iff n1 >= n2 and (m2 absent, or m1 present and m1 <= m2).
 */
static bool limits_match(uint64_t n1, bool has_m1, uint64_t m1, const wa_rt_limits_t *want) {
    if (n1 < want->min)
        return false;
    return !want->has_max || (has_m1 && m1 <= want->max);
}

static void describe_limits(char *buf, size_t size, uint64_t n1, bool has_m1, uint64_t m1,
                            const wa_rt_limits_t *want) {
    char have_max[32] = "no max", want_max[32] = "no max";
    if (has_m1)
        snprintf(have_max, sizeof have_max, "max %llu", (unsigned long long)m1);
    if (want->has_max)
        snprintf(want_max, sizeof want_max, "max %llu", (unsigned long long)want->max);
    snprintf(buf, size, ": provided {min %llu, %s}, expected {min %llu, %s}",
             (unsigned long long)n1, have_max, (unsigned long long)want->min, want_max);
}

/* Binds import i to ext, checking its type; false (with *err set) on a mismatch. */
static bool bind_import(instance_impl_t *impl, uint32_t i, const wa_rt_extern_t *ext,
                        wa_rt_error_t *err) {
    wa_rt_instance_t *inst = &impl->pub;
    const wa_rt_module_t *m = inst->module;
    const wa_rt_import_t *imp = &m->imports[i];
    const void *target = NULL;
    if (ext != NULL) {
        switch (ext->kind) {
        case WA_RT_EXTERN_FUNC:
            target = ext->func;
            break;
        case WA_RT_EXTERN_TABLE:
            target = ext->table;
            break;
        case WA_RT_EXTERN_MEMORY:
            target = ext->memory;
            break;
        case WA_RT_EXTERN_GLOBAL:
            target = ext->global.value;
            break;
        case WA_RT_EXTERN_TAG:
            target = ext->tag;
            break;
        default:
            break;
        }
    }
    if (target == NULL) {
        link_error(err, m, i, "unknown import", "");
        return false;
    }
    if (ext->kind != imp->kind) {
        char detail[64];
        snprintf(detail, sizeof detail, ": provided a %s", wa_rt_extern_kind_name(ext->kind));
        link_error(err, m, i, "incompatible import type", detail);
        return false;
    }
    char detail[128] = "";
    bool ok = true;
    switch (imp->kind) {
    case WA_RT_EXTERN_FUNC:
        /* Canonical ids make structural function type equality one compare. */
        ok = ext->func->type_id == impl->type_ids[m->func_types[imp->index]];
        if (!ok) {
            snprintf(detail, sizeof detail, ": function type differs");
        } else if (ext->func->code == NULL) {
            /*
             * A host function not yet bound to native code (wa_rt_embed.h):
             * give it this module's host thunk of the import's type. Thunks
             * of equal types are interchangeable, so the first importer's
             * serves every later caller.
             */
            if (m->host_thunks == NULL) {
                ok = false;
                snprintf(detail, sizeof detail,
                         ": a host function needs a module built with --emit=shared");
            } else {
                ext->func->code = m->host_thunks[m->func_types[imp->index]];
                inst->funcs[imp->index] = ext->func;
            }
        } else {
            inst->funcs[imp->index] = ext->func;
        }
        break;
    case WA_RT_EXTERN_TABLE: {
        const wa_rt_table_t *t = ext->table;
        const wa_rt_table_type_t *want = &m->tables[imp->index];
        if (t->elem_type != want->elem_type) {
            ok = false;
            snprintf(detail, sizeof detail, ": element type differs");
        } else if (t->is64 != want->limits.is64) {
            /* table64: a table matches an import of its own address type only. */
            ok = false;
            snprintf(detail, sizeof detail, ": %s table for an %s import", t->is64 ? "i64" : "i32",
                     want->limits.is64 ? "i64" : "i32");
        } else if (!limits_match(t->size, t->has_max, t->max, &want->limits)) {
            ok = false;
            describe_limits(detail, sizeof detail, t->size, t->has_max, t->max, &want->limits);
        } else {
            inst->tables[imp->index] = ext->table;
        }
        break;
    }
    case WA_RT_EXTERN_MEMORY: {
        const wa_rt_memory_t *mem = ext->memory;
        uint64_t pages = mem->size / WA_RT_PAGE_SIZE;
        const wa_rt_limits_t *want = &m->memories[imp->index];
        /* memory64: a memory matches an import of its own address type only. */
        if (mem->is64 != want->is64) {
            ok = false;
            snprintf(detail, sizeof detail, ": %s memory for an %s import",
                     mem->is64 ? "i64" : "i32", want->is64 ? "i64" : "i32");
            break;
        }
        /* Threads proposal: shared matches shared only, unshared unshared only. */
        if (mem->shared != want->shared) {
            ok = false;
            snprintf(detail, sizeof detail, ": %s memory for an %s import",
                     mem->shared ? "shared" : "unshared", want->shared ? "shared" : "unshared");
            break;
        }
        ok = limits_match(pages, mem->has_max, mem->max_pages, want);
        if (!ok)
            describe_limits(detail, sizeof detail, pages, mem->has_max, mem->max_pages, want);
        else
            inst->memories[imp->index] = ext->memory;
        break;
    }
    case WA_RT_EXTERN_GLOBAL: {
        /* Wasm 2.0 globals match only with equal value type and mutability. */
        const wa_rt_global_type_t *want = &m->globals[imp->index];
        ok = ext->global.type.type == want->type && ext->global.type.is_mutable == want->is_mutable;
        if (!ok)
            snprintf(detail, sizeof detail, ": global type differs");
        else
            inst->globals[imp->index] = ext->global.value;
        break;
    }
    case WA_RT_EXTERN_TAG:
        /*
         * Exception handling: a tag matches an import of the same function
         * type; the instance uses the exporter's tag object itself, so that
         * throwing and catching agree on identity across modules.
         */
        ok = ext->tag->type_id == impl->type_ids[m->tag_types[imp->index]];
        if (!ok)
            snprintf(detail, sizeof detail, ": tag type differs");
        else
            inst->tags[imp->index] = ext->tag;
        break;
    default:
        ok = false;
        break;
    }
    if (!ok)
        link_error(err, m, i, "incompatible import type", detail);
    return ok;
}

/* Allocates the instance's arrays; false if out of memory. */
static bool alloc_arrays(instance_impl_t *impl) {
    wa_rt_instance_t *inst = &impl->pub;
    const wa_rt_module_t *m = inst->module;
    /* calloc(0) may return NULL: ask for at least one element so NULL means failure. */
#define ALLOC(n, size) calloc((n) > 0 ? (n) : 1, (size))
    inst->memories = ALLOC(m->nmemories, sizeof *inst->memories);
    inst->tables = ALLOC(m->ntables, sizeof *inst->tables);
    inst->globals = ALLOC(m->nglobals, sizeof *inst->globals);
    inst->funcs = ALLOC(m->nfuncs, sizeof *inst->funcs);
    impl->type_ids = ALLOC(m->ntypes, sizeof *impl->type_ids);
    inst->datas = ALLOC(m->ndatas, sizeof *inst->datas);
    inst->elems = ALLOC(m->nelems, sizeof *inst->elems);
    impl->elem_arrays = ALLOC(m->nelems, sizeof *impl->elem_arrays);
    impl->func_storage = ALLOC(m->nfuncs - m->nfunc_imports, sizeof(wa_rt_func_t));
    inst->tags = ALLOC(m->ntags, sizeof *inst->tags);
    impl->tag_storage = ALLOC(m->ntags - impl->ntag_imports, sizeof(wa_rt_tag_t));
#undef ALLOC
    inst->type_ids = impl->type_ids;
    return inst->memories && inst->tables && inst->globals && inst->funcs && impl->type_ids &&
           inst->datas && inst->elems && impl->elem_arrays && impl->func_storage && inst->tags &&
           impl->tag_storage;
}

/* Creates what the module defines itself; false (with *err set) if a resource runs out. */
static bool define_entities(instance_impl_t *impl, wa_rt_error_t *err) {
    wa_rt_instance_t *inst = &impl->pub;
    const wa_rt_module_t *m = inst->module;
    for (uint32_t i = impl->nmem_imports; i < m->nmemories; i++) {
        inst->memories[i] = wa_rt_memory_new(&m->memories[i]);
        if (inst->memories[i] == NULL) {
            wa_rt_error_set(
                err, WA_RT_ERROR_RESOURCE,
                "cannot allocate memory %u (%llu pages): out of memory or address space", i,
                (unsigned long long)m->memories[i].min);
            return false;
        }
    }
    for (uint32_t i = impl->ntable_imports; i < m->ntables; i++) {
        /* Tables start null; a table with an initialiser gets it from init. */
        inst->tables[i] = wa_rt_table_new(&m->tables[i], NULL);
        if (inst->tables[i] == NULL) {
            wa_rt_error_set(err, WA_RT_ERROR_RESOURCE,
                            "cannot allocate table %u (%llu elements): out of memory or above the "
                            "limit of %u",
                            i, (unsigned long long)m->tables[i].limits.min, WA_RT_TABLE_LIMIT);
            return false;
        }
    }
    for (uint32_t i = impl->nglobal_imports; i < m->nglobals; i++)
        inst->globals[i] = &impl->globals[i - impl->nglobal_imports];
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        wa_rt_func_t *f = &impl->func_storage[i - m->nfunc_imports];
        f->code = m->func_code[i];
        f->tail_code = m->func_tail_code != NULL ? m->func_tail_code[i] : NULL;
        f->ctx = inst;
        f->type_id = impl->type_ids[m->func_types[i]];
        f->func_index = i;
        f->instance = inst;
        /* Embeddable modules carry an array-convention caller per type. */
        f->trampoline = m->trampolines != NULL ? m->trampolines[m->func_types[i]] : NULL;
        inst->funcs[i] = f;
    }
    for (uint32_t i = impl->ntag_imports; i < m->ntags; i++) {
        wa_rt_tag_t *t = &impl->tag_storage[i - impl->ntag_imports];
        t->type_id = impl->type_ids[m->tag_types[i]];
        t->index = i;
        t->instance = inst;
        inst->tags[i] = t;
    }
    for (uint32_t i = 0; i < m->ndatas; i++)
        inst->datas[i] = (wa_rt_segment_t){.data = m->datas[i].bytes, .size = m->datas[i].size};
    for (uint32_t i = 0; i < m->nelems; i++) {
        uint32_t n = m->elem_sizes[i];
        impl->elem_arrays[i] = calloc(n > 0 ? n : 1, sizeof(void *));
        if (impl->elem_arrays[i] == NULL) {
            wa_rt_error_set(err, WA_RT_ERROR_RESOURCE,
                            "cannot allocate element segment %u: out of memory", i);
            return false;
        }
        inst->elems[i] = (wa_rt_segment_t){.data = impl->elem_arrays[i], .size = n};
    }
    return true;
}

static void run_init(void *arg) {
    wa_rt_instance_t *inst = arg;
    inst->module->init(inst);
}

/* Fills *err for a trap in init or start; the instance goes to the caller. */
static void trap_error(wa_rt_error_t *err, wa_rt_instance_t *inst) {
    const wa_rt_trap_info_t *trap = wa_rt_last_trap();
    wa_rt_error_set(err, WA_RT_ERROR_TRAP, "%s", wa_rt_trap_message(trap->kind));
    if (err != NULL) {
        err->trap = *trap;
        err->instance = inst;
    }
}

bool wa_rt_module_abi_ok(const wa_rt_module_t *m, wa_rt_error_t *err) {
    if (m->abi_version == WA_RT_ABI_VERSION)
        return true;
    wa_rt_error_set(err, WA_RT_ERROR_ABI, "module built for runtime ABI %u, this runtime is ABI %u",
                    m->abi_version, WA_RT_ABI_VERSION);
    return false;
}

wa_rt_instance_t *wa_rt_instantiate(const wa_rt_module_t *m, const wa_rt_extern_t *imports,
                                    uint32_t nimports, const wa_rt_instantiate_options_t *options,
                                    wa_rt_error_t *err) {
    if (err != NULL)
        memset(err, 0, sizeof *err);
    if (m == NULL) {
        wa_rt_error_set(err, WA_RT_ERROR_LINK, "no module given");
        return NULL;
    }
    if (!wa_rt_module_abi_ok(m, err))
        return NULL;
    if (imports == NULL && nimports > 0) {
        wa_rt_error_set(err, WA_RT_ERROR_LINK, "no import array given");
        return NULL;
    }
    if (nimports != m->nimports) {
        wa_rt_error_set(err, WA_RT_ERROR_LINK, "the module has %u imports, %u were provided",
                        m->nimports, nimports);
        return NULL;
    }
    uint32_t nglobal_imports = 0;
    for (uint32_t i = 0; i < m->nimports; i++)
        nglobal_imports += m->imports[i].kind == WA_RT_EXTERN_GLOBAL;
    instance_impl_t *impl =
        calloc(1, sizeof *impl + (size_t)(m->nglobals - nglobal_imports) * sizeof(wa_rt_value_t));
    if (impl == NULL) {
        wa_rt_error_set(err, WA_RT_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    wa_rt_instance_t *inst = &impl->pub;
    inst->module = m;
    impl->nglobal_imports = nglobal_imports;
    for (uint32_t i = 0; i < m->nimports; i++) {
        impl->nmem_imports += m->imports[i].kind == WA_RT_EXTERN_MEMORY;
        impl->ntable_imports += m->imports[i].kind == WA_RT_EXTERN_TABLE;
        impl->ntag_imports += m->imports[i].kind == WA_RT_EXTERN_TAG;
    }
    if (!alloc_arrays(impl)) {
        wa_rt_error_set(err, WA_RT_ERROR_RESOURCE, "out of memory");
        goto fail;
    }
    for (uint32_t i = 0; i < m->ntypes; i++)
        impl->type_ids[i] = wa_rt_type_id(&m->types[i]);
    for (uint32_t i = 0; i < m->nimports; i++) {
        if (!bind_import(impl, i, &imports[i], err))
            goto fail;
    }
    if (!define_entities(impl, err))
        goto fail;
    inst->mem0 = m->nmemories > 0 ? inst->memories[0] : NULL;
    inst->mem0_base = inst->mem0 != NULL ? inst->mem0->base : NULL;
    inst->stack_limit = wa_rt_stack_limit();
    inst->host_data = options != NULL ? options->host_data : NULL;
    impl->node = module_acquire(m);

    /* From here on wasm code runs and the instance's references may escape. */
    if (m->init != NULL && wa_rt_call_guarded(run_init, inst) != WA_RT_TRAP_NONE) {
        trap_error(err, inst);
        return NULL;
    }
    if (options != NULL && options->before_start != NULL)
        options->before_start(inst, options->before_start_data);
    if (m->start_func >= 0 && wa_rt_call_void(inst->funcs[m->start_func]) != WA_RT_TRAP_NONE) {
        trap_error(err, inst);
        return NULL;
    }
    return inst;

fail:
    wa_rt_instance_free(inst);
    return NULL;
}

void wa_rt_instance_free(wa_rt_instance_t *inst) {
    if (inst == NULL)
        return;
    instance_impl_t *impl = impl_of(inst);
    const wa_rt_module_t *m = inst->module;
    if (inst->memories != NULL) {
        for (uint32_t i = impl->nmem_imports; i < m->nmemories; i++)
            wa_rt_memory_free(inst->memories[i]);
    }
    if (inst->tables != NULL) {
        for (uint32_t i = impl->ntable_imports; i < m->ntables; i++)
            wa_rt_table_free(inst->tables[i]);
    }
    if (impl->elem_arrays != NULL) {
        for (uint32_t i = 0; i < m->nelems; i++)
            free(impl->elem_arrays[i]);
    }
    if (impl->node != NULL)
        atomic_fetch_sub(&impl->node->live, 1);
    free(inst->memories);
    free(inst->tables);
    free(inst->globals);
    free(inst->funcs);
    free(inst->datas);
    free(inst->elems);
    free(impl->type_ids);
    free(impl->elem_arrays);
    free(impl->func_storage);
    free(inst->tags);
    free(impl->tag_storage);
    free(impl);
}

const wa_rt_export_t *wa_rt_module_export(const wa_rt_module_t *m, const char *name,
                                          size_t name_len, uint8_t kind) {
    for (uint32_t i = 0; i < m->nexports; i++) {
        const wa_rt_export_t *e = &m->exports[i];
        if (e->kind == kind && e->name_len == name_len && memcmp(e->name, name, name_len) == 0)
            return e;
    }
    return NULL;
}

bool wa_rt_instance_export(const wa_rt_instance_t *inst, const char *name, size_t name_len,
                           uint8_t kind, wa_rt_extern_t *out) {
    const wa_rt_module_t *m = inst->module;
    const wa_rt_export_t *e = wa_rt_module_export(m, name, name_len, kind);
    if (e == NULL)
        return false;
    memset(out, 0, sizeof *out);
    out->kind = kind;
    switch (kind) {
    case WA_RT_EXTERN_FUNC:
        out->func = inst->funcs[e->index];
        break;
    case WA_RT_EXTERN_TABLE:
        out->table = inst->tables[e->index];
        break;
    case WA_RT_EXTERN_MEMORY:
        out->memory = inst->memories[e->index];
        break;
    case WA_RT_EXTERN_GLOBAL:
        out->global.value = inst->globals[e->index];
        out->global.type = m->globals[e->index];
        break;
    case WA_RT_EXTERN_TAG:
        out->tag = inst->tags[e->index];
        break;
    default:
        return false;
    }
    return true;
}
