/*
 * embed.c: WASI for an embedded module (wa_wasi_embed.h), and the start-up
 * of a compiled executable, which runtime/start/entry.c builds on it: the
 * grants applied to a new WASI context, the environment, the imports
 * resolved, instantiation, `_initialize` or `_start`.
 *
 * Order, as wasmtime numbers fds and as README "Grants" says: listening
 * sockets first (fds 3, 4, ...), then preopened directories, each in grant
 * order. Environment: --inherit-env first (the whole host environment but
 * WASMAOT_OPTIONS), then every --env in order, a later one replacing an
 * earlier one of the same name.
 *
 * Every message names what failed in one line; names from the module are
 * escaped (wa_escape.h). Nothing here ends the process.
 */
#include "wa_wasi_embed.h"

#include "../runtime/wa_build_info.h"
#include "../runtime/wa_escape.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

/* ---- Configuration ---- */

struct wa_wasi_config {
    char **args; /* argc strings, copied */
    int argc;
    wa_grants_t grants;
    char *const *host_env; /* NULL: environ */
    int stdio[3];          /* -1: the host's own */
    const char *record;    /* the build record, or NULL */
    bool allow_unknown;    /* unknown function imports trap when called, as in executables */
};

wa_wasi_config_t *wa_wasi_config_new(void) {
    wa_wasi_config_t *cfg = calloc(1, sizeof *cfg);
    if (cfg == NULL)
        return NULL;
    cfg->stdio[0] = cfg->stdio[1] = cfg->stdio[2] = -1;
    return cfg;
}

static void free_args(wa_wasi_config_t *cfg) {
    for (int i = 0; i < cfg->argc; i++)
        free(cfg->args[i]);
    free(cfg->args);
    cfg->args = NULL;
    cfg->argc = 0;
}

void wa_wasi_config_free(wa_wasi_config_t *cfg) {
    if (cfg == NULL)
        return;
    free_args(cfg);
    wa_grants_free(&cfg->grants);
    free(cfg);
}

bool wa_wasi_config_set_args(wa_wasi_config_t *cfg, int argc, const char *const *argv) {
    if (cfg == NULL || argc < 0 || (argv == NULL && argc > 0))
        return false;
    free_args(cfg);
    cfg->args = calloc((size_t)argc + 1, sizeof *cfg->args);
    if (cfg->args == NULL)
        return false;
    for (int i = 0; i < argc; i++) {
        cfg->args[i] = strdup(argv[i] != NULL ? argv[i] : "");
        cfg->argc = i + 1;
        if (cfg->args[i] == NULL) {
            free_args(cfg);
            return false;
        }
    }
    return true;
}

bool wa_wasi_config_grants(wa_wasi_config_t *cfg, const char *text, char *why, size_t why_size) {
    if (cfg == NULL || text == NULL) {
        if (why != NULL && why_size > 0)
            snprintf(why, why_size, "no configuration or grants given");
        return false;
    }
    return wa_grants_parse_words(&cfg->grants, text, why, why_size);
}

wa_grants_t *wa_wasi_config_grant_list(wa_wasi_config_t *cfg) {
    return cfg != NULL ? &cfg->grants : NULL;
}

void wa_wasi_config_set_host_env(wa_wasi_config_t *cfg, char *const *envp) {
    if (cfg != NULL)
        cfg->host_env = envp;
}

bool wa_wasi_config_set_stdio(wa_wasi_config_t *cfg, int stdin_fd, int stdout_fd, int stderr_fd) {
    if (cfg == NULL || stdin_fd < -1 || stdout_fd < -1 || stderr_fd < -1)
        return false;
    cfg->stdio[0] = stdin_fd;
    cfg->stdio[1] = stdout_fd;
    cfg->stdio[2] = stderr_fd;
    return true;
}

void wa_wasi_config_set_build_info(wa_wasi_config_t *cfg, const char *record) {
    if (cfg != NULL)
        cfg->record = record;
}

void wa_wasi_config_allow_unknown_imports(wa_wasi_config_t *cfg, bool allow) {
    if (cfg != NULL)
        cfg->allow_unknown = allow;
}

/* ---- Instances ---- */

struct wa_wasi_instance {
    const wa_rt_module_t *module;
    wa_wasi_ctx_t *wasi;
    wa_rt_extern_t *externs;   /* per import */
    wa_rt_func_t *funcs;       /* per import: the WASI function made for it */
    wa_rt_memory_t **memories; /* per import: the shared memory made for it, or NULL */
    wa_rt_instance_t *inst;
    bool started;
    char **env; /* "NAME=VALUE" strings, NULL-terminated */
    size_t nenv;
};

/* Does the record's "instrumented=" line name `what` (fuel, timeout)? */
static bool is_instrumented(const char *record, const char *what) {
    size_t len;
    const char *v = record ? wa_build_info_find(record, "instrumented", NULL, &len) : NULL;
    size_t n = strlen(what);
    for (size_t i = 0; v != NULL && i + n <= len; i++)
        if ((i == 0 || v[i - 1] == ',') && memcmp(v + i, what, n) == 0 &&
            (i + n == len || v[i + n] == ','))
            return true;
    return false;
}

/*
 * Applies the limits of the grants, before anything runs on a stack the
 * limit should bound or allocates a memory it should cap.
 */
static bool apply_limits(const wa_wasi_config_t *cfg, const wa_rt_module_t *m, wa_rt_error_t *err) {
    wa_limits_t l = wa_grants_limits(&cfg->grants);
    if (l.has_fuel && !is_instrumented(cfg->record, "fuel")) {
        wa_rt_error_set(err, WA_RT_ERROR_GRANT,
                        "--fuel: the program was compiled without --fuel, so it cannot count "
                        "fuel (compile it with --fuel N)");
        return false;
    }
    if (l.has_timeout && !is_instrumented(cfg->record, "timeout")) {
        wa_rt_error_set(err, WA_RT_ERROR_GRANT,
                        "--timeout: the program was compiled without --timeout, so it "
                        "cannot be interrupted (compile it with --timeout DURATION)");
        return false;
    }
    for (uint32_t i = 0; l.max_memory != 0 && i < m->nmemories; i++) {
        if (m->memories[i].min * WA_RT_PAGE_SIZE > l.max_memory) {
            wa_rt_error_set(
                err, WA_RT_ERROR_GRANT,
                "memory %u needs %llu bytes (%llu pages) at start, more than --max-memory "
                "allows (%llu bytes)",
                (unsigned)i, (unsigned long long)(m->memories[i].min * WA_RT_PAGE_SIZE),
                (unsigned long long)m->memories[i].min, l.max_memory);
            return false;
        }
    }
    /* Process-wide settings: changed only by a configuration that has them. */
    bool has_max_memory = false, has_max_stack = false;
    for (size_t i = 0; i < cfg->grants.count; i++) {
        has_max_memory = has_max_memory || cfg->grants.items[i].kind == WA_GRANT_MAX_MEMORY;
        has_max_stack = has_max_stack || cfg->grants.items[i].kind == WA_GRANT_MAX_STACK;
    }
    if (has_max_memory)
        wa_rt_set_max_memory(l.max_memory);
    if (has_max_stack)
        wa_rt_set_max_stack(l.max_stack);
    if (l.has_fuel)
        wa_rt_set_fuel(l.fuel > INT64_MAX ? INT64_MAX : (int64_t)l.fuel);
    if (l.has_timeout && !wa_rt_start_timeout(l.timeout_ns)) {
        wa_rt_error_set(err, WA_RT_ERROR_GRANT, "--timeout: cannot start the timer thread");
        return false;
    }
    return true;
}

/* Sets name=value in the program's environment, replacing an earlier value of name. */
static bool set_env(wa_wasi_instance_t *wi, const char *name, size_t name_len, const char *value) {
    size_t n = name_len + strlen(value) + 2;
    char *entry = malloc(n);
    if (entry == NULL)
        return false;
    snprintf(entry, n, "%.*s=%s", (int)name_len, name, value);
    for (size_t i = 0; i < wi->nenv; i++) {
        if (strncmp(wi->env[i], entry, name_len + 1) == 0) {
            free(wi->env[i]);
            wi->env[i] = entry;
            return true;
        }
    }
    char **grown = realloc(wi->env, (wi->nenv + 2) * sizeof *grown);
    if (grown == NULL) {
        free(entry);
        return false;
    }
    wi->env = grown;
    wi->env[wi->nenv++] = entry;
    wi->env[wi->nenv] = NULL;
    return true;
}

/* The host's value of NAME in envp, or NULL. */
static const char *host_value(char *const *envp, const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; envp != NULL && envp[i] != NULL; i++)
        if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
            return envp[i] + n + 1;
    return NULL;
}

/* The program's environment, from the grants and the host's environment. */
static bool build_env(wa_wasi_instance_t *wi, const wa_wasi_config_t *cfg) {
    wi->env = calloc(1, sizeof *wi->env);
    if (wi->env == NULL)
        return false;
    char *const *envp = cfg->host_env != NULL ? cfg->host_env : environ;
    const wa_grants_t *g = &cfg->grants;
    bool inherit = false;
    for (size_t i = 0; i < g->count; i++)
        inherit = inherit || g->items[i].kind == WA_GRANT_INHERIT_ENV;
    size_t skip_len = strlen(WA_GRANTS_OPTIONS_VAR);
    for (size_t i = 0; inherit && envp != NULL && envp[i] != NULL; i++) {
        const char *eq = strchr(envp[i], '=');
        if (eq == NULL)
            continue;
        size_t name_len = (size_t)(eq - envp[i]);
        if (name_len == skip_len && strncmp(envp[i], WA_GRANTS_OPTIONS_VAR, skip_len) == 0)
            continue;
        if (!set_env(wi, envp[i], name_len, eq + 1))
            return false;
    }
    for (size_t i = 0; i < g->count; i++) {
        const wa_grant_t *gr = &g->items[i];
        if (gr->kind != WA_GRANT_ENV)
            continue;
        /* "--env NAME": the host's value, or nothing if the host has none. */
        const char *value = gr->value ? gr->value : host_value(envp, gr->name);
        if (value != NULL && !set_env(wi, gr->name, strlen(gr->name), value))
            return false;
    }
    return true;
}

/* Opens the granted sockets, then the granted directories, in grant order. */
static bool open_grants(wa_wasi_ctx_t *wasi, const wa_grants_t *g, wa_rt_error_t *err) {
    char why[256];
    uint32_t fd;
    for (size_t i = 0; i < g->count; i++) {
        const wa_grant_t *gr = &g->items[i];
        if (gr->kind == WA_GRANT_TCPLISTEN &&
            !wa_wasi_ctx_tcplisten(wasi, gr->host, &fd, why, sizeof why)) {
            wa_rt_error_set(err, WA_RT_ERROR_GRANT, "cannot listen on %s (--tcplisten): %s",
                            gr->host, why);
            return false;
        }
    }
    for (size_t i = 0; i < g->count; i++) {
        const wa_grant_t *gr = &g->items[i];
        if (gr->kind == WA_GRANT_DIR &&
            !wa_wasi_ctx_preopen(wasi, gr->host, gr->guest, gr->read_only, &fd)) {
            wa_rt_error_set(err, WA_RT_ERROR_GRANT, "cannot open directory '%s' (--dir): %s",
                            gr->host, strerror(errno));
            return false;
        }
    }
    return true;
}

/* An import's "module.name" for a message, both parts escaped (wa_escape.h). */
static void import_name(const wa_rt_import_t *imp, char *buf, size_t size) {
    size_t n = wa_rt_escape(buf, size, imp->module, imp->module_len);
    if (n + 1 < size) {
        buf[n] = '.';
        wa_rt_escape(buf + n + 1, size - n - 1, imp->name, imp->name_len);
    }
}

/* Is s[0..len) free of NUL bytes, so that s can serve as a C string? */
static bool is_c_string(const char *s, uint32_t len) {
    return strlen(s) == len;
}

/* Does the C string s equal the name bytes[0 .. len)? */
static bool name_is(const char *s, const char *bytes, uint32_t len) {
    return s != NULL && strlen(s) == len && memcmp(s, bytes, len) == 0;
}

/* "unknown import: import 2 "env"."log" (function)", names escaped, into err. */
static void unknown_import(wa_rt_error_t *err, const wa_rt_module_t *m, uint32_t i) {
    static const char *const kinds[] = {"function", "table", "memory", "global", "tag"};
    const wa_rt_import_t *imp = &m->imports[i];
    char module[WA_RT_ESCAPE_MAX * 32 + 1], name[WA_RT_ESCAPE_MAX * 32 + 1];
    wa_rt_escape(module, sizeof module, imp->module, imp->module_len);
    wa_rt_escape(name, sizeof name, imp->name, imp->name_len);
    wa_rt_error_set(err, WA_RT_ERROR_LINK, "unknown import: import %u \"%s\".\"%s\" (%s)", i,
                    module, name, imp->kind < 5 ? kinds[imp->kind] : "extern");
    if (err != NULL)
        err->import_index = i;
}

/*
 * Resolves function import i of m to WASI into *f. An import nothing
 * provides is an "unknown import" error, or, with allow_unknown (an
 * executable: the compiler let it through only with
 * --allow-unknown-imports), becomes wa_rt_unknown_import, which traps when
 * called.
 */
static bool resolve_wasi_func(const wa_rt_module_t *m, uint32_t i, wa_wasi_ctx_t *wasi,
                              bool allow_unknown, wa_rt_func_t *f, wa_rt_error_t *err) {
    const wa_rt_import_t *imp = &m->imports[i];
    const wa_rt_functype_t *type = &m->types[m->func_types[imp->index]];
    void *code = NULL;
    wa_wasi_lookup_t found = WA_WASI_UNKNOWN;
    if (is_c_string(imp->module, imp->module_len) && is_c_string(imp->name, imp->name_len))
        found = wa_wasi_lookup(imp->module, imp->name, type, &code);
    f->type_id = wa_rt_type_id(type);
    f->func_index = imp->index;
    f->instance = NULL;
    f->tail_code = NULL; /* a host function: tail-called as a call and a return */
    switch (found) {
    case WA_WASI_FOUND:
        f->code = code;
        f->ctx = wasi;
        return true;
    case WA_WASI_TYPE_MISMATCH: {
        char what[256];
        import_name(imp, what, sizeof what);
        wa_rt_error_set(err, WA_RT_ERROR_LINK,
                        "incompatible import type: %s does not have the WASI signature", what);
        if (err != NULL)
            err->import_index = i;
        return false;
    }
    case WA_WASI_UNKNOWN:
        break;
    }
    if (!allow_unknown) {
        unknown_import(err, m, i);
        return false;
    }
    /* A code pointer in a void * (POSIX allows it; memcpy keeps ISO C happy). */
    void (*stand_in)(void *) = wa_rt_unknown_import;
    memcpy(&f->code, &stand_in, sizeof stand_in);
    f->ctx = (void *)imp;
    return true;
}

static bool resolve_imports(wa_wasi_instance_t *wi, const wa_wasi_config_t *cfg,
                            const wa_rt_named_extern_t *extra, size_t nextra, wa_rt_error_t *err) {
    const wa_rt_module_t *m = wi->module;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wa_rt_import_t *imp = &m->imports[i];
        bool given = false;
        for (size_t k = 0; k < nextra && !given; k++) {
            if (name_is(extra[k].module, imp->module, imp->module_len) &&
                name_is(extra[k].name, imp->name, imp->name_len)) {
                wi->externs[i] = extra[k].ext;
                given = true;
            }
        }
        if (given)
            continue;
        if (imp->kind == WA_RT_EXTERN_MEMORY && m->memories[imp->index].shared) {
            /* wasi-threads: the program's one memory, shared by every thread's instance. */
            wa_rt_memory_t *mem = wa_rt_memory_new(&m->memories[imp->index]);
            if (mem == NULL) {
                wa_rt_error_set(err, WA_RT_ERROR_RESOURCE,
                                "cannot allocate the imported shared memory");
                return false;
            }
            wi->memories[i] = mem;
            wi->externs[i] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_MEMORY, .memory = mem};
            wa_wasi_ctx_set_memory(wi->wasi, mem);
            continue;
        }
        if (imp->kind != WA_RT_EXTERN_FUNC && !cfg->allow_unknown) {
            unknown_import(err, m, i);
            return false;
        }
        if (imp->kind != WA_RT_EXTERN_FUNC) {
            char what[256];
            import_name(imp, what, sizeof what);
            wa_rt_error_set(err, WA_RT_ERROR_LINK,
                            "unsupported import: %s (an executable can import only functions)",
                            what);
            if (err != NULL)
                err->import_index = i;
            return false;
        }
        if (!resolve_wasi_func(m, i, wi->wasi, cfg->allow_unknown, &wi->funcs[i], err))
            return false;
        wi->externs[i] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_FUNC, .func = &wi->funcs[i]};
    }
    return true;
}

wa_wasi_instance_t *wa_wasi_prepare(const wa_rt_module_t *m, const wa_wasi_config_t *cfg,
                                    const wa_rt_named_extern_t *extra, size_t nextra,
                                    wa_rt_error_t *err) {
    if (err != NULL)
        memset(err, 0, sizeof *err);
    if (m == NULL || cfg == NULL || (extra == NULL && nextra > 0)) {
        wa_rt_error_set(err, WA_RT_ERROR_LINK, "no module, configuration or extra imports given");
        return NULL;
    }
    /* Before the limits and the WASI context change anything. */
    if (!wa_rt_module_abi_ok(m, err))
        return NULL;
    if (!apply_limits(cfg, m, err))
        return NULL;
    wa_wasi_instance_t *wi = calloc(1, sizeof *wi);
    if (wi == NULL) {
        wa_rt_error_set(err, WA_RT_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    wi->module = m;
    if (!build_env(wi, cfg)) {
        wa_rt_error_set(err, WA_RT_ERROR_RESOURCE, "out of memory building the environment");
        goto fail;
    }
    wi->wasi =
        wa_wasi_ctx_new(cfg->argc, (const char *const *)cfg->args, (const char *const *)wi->env);
    if (wi->wasi == NULL) {
        wa_rt_error_set(err, WA_RT_ERROR_RESOURCE, "out of memory creating the WASI context");
        goto fail;
    }
    for (uint32_t fd = 0; fd < 3; fd++) {
        if (cfg->stdio[fd] >= 0 && !wa_wasi_ctx_set_stdio(wi->wasi, fd, cfg->stdio[fd])) {
            wa_rt_error_set(err, WA_RT_ERROR_GRANT,
                            "cannot use host fd %d as the guest's fd %u: %s", cfg->stdio[fd], fd,
                            strerror(errno));
            goto fail;
        }
    }
    if (!open_grants(wi->wasi, &cfg->grants, err))
        goto fail;
    size_t n = m->nimports > 0 ? m->nimports : 1;
    wi->externs = calloc(n, sizeof *wi->externs);
    wi->funcs = calloc(n, sizeof *wi->funcs);
    wi->memories = calloc(n, sizeof *wi->memories);
    if (wi->externs == NULL || wi->funcs == NULL || wi->memories == NULL) {
        wa_rt_error_set(err, WA_RT_ERROR_RESOURCE, "out of memory resolving imports");
        goto fail;
    }
    if (!resolve_imports(wi, cfg, extra, nextra, err))
        goto fail;
    return wi;
fail:
    wa_wasi_free(wi);
    return NULL;
}

/* Points WASI at the exported "memory" before the start function can use it. */
static void connect_memory(wa_rt_instance_t *inst, void *data) {
    wa_rt_extern_t mem;
    if (wa_rt_instance_export(inst, "memory", strlen("memory"), WA_RT_EXTERN_MEMORY, &mem))
        wa_wasi_ctx_set_memory(data, mem.memory);
}

/*
 * The exported function `name`, or NULL; *is_void tells whether its type is
 * [] -> []. (Through instance.c, not the embedding API's embed.c, which
 * would bring dlopen into every executable.)
 */
static wa_rt_func_t *func_export(const wa_rt_instance_t *inst, const char *name, bool *is_void) {
    wa_rt_extern_t e;
    *is_void = false;
    if (!wa_rt_instance_export(inst, name, strlen(name), WA_RT_EXTERN_FUNC, &e))
        return NULL;
    const wa_rt_functype_t *t = wa_rt_type_of_id(e.func->type_id);
    *is_void = t != NULL && t->nparams == 0 && t->nresults == 0;
    return e.func;
}

bool wa_wasi_start(wa_wasi_instance_t *wi, wa_rt_error_t *err) {
    if (err != NULL)
        memset(err, 0, sizeof *err);
    if (wi == NULL || wi->started) {
        wa_rt_error_set(err, WA_RT_ERROR_LINK,
                        "no prepared WASI instance given, or started already");
        return false;
    }
    wi->started = true;
    const wa_rt_module_t *m = wi->module;
    wa_rt_instantiate_options_t options = {
        .before_start = connect_memory,
        .before_start_data = wi->wasi,
    };
    wi->inst = wa_rt_instantiate(m, wi->externs, m->nimports, &options, err);
    if (wi->inst == NULL) {
        if (err != NULL && err->kind == WA_RT_ERROR_TRAP) {
            wi->inst = err->instance; /* kept until wa_wasi_free, to describe the trap */
            err->instance = NULL;
        }
        return false;
    }
    /* A reactor (WASI's application ABI): _initialize once, and only without _start. */
    bool init_void, start_void;
    wa_rt_func_t *init = func_export(wi->inst, "_initialize", &init_void);
    if (init != NULL && init_void && func_export(wi->inst, "_start", &start_void) == NULL) {
        wa_rt_trap_t kind = wa_rt_call_void(init);
        if (kind != WA_RT_TRAP_NONE) {
            if (err != NULL) {
                err->kind = WA_RT_ERROR_TRAP;
                err->trap = *wa_rt_last_trap();
                wa_rt_trap_format(&err->trap, err->message, sizeof err->message);
            }
            return false;
        }
    }
    return true;
}

wa_wasi_instance_t *wa_wasi_instantiate(const wa_rt_module_t *m, const wa_wasi_config_t *cfg,
                                        const wa_rt_named_extern_t *extra, size_t nextra,
                                        wa_rt_error_t *err) {
    wa_wasi_instance_t *wi = wa_wasi_prepare(m, cfg, extra, nextra, err);
    if (wi == NULL)
        return NULL;
    if (!wa_wasi_start(wi, err)) {
        /* A trap's line names its function while the instance still lives. */
        if (err != NULL && err->kind == WA_RT_ERROR_TRAP)
            wa_rt_trap_format(&err->trap, err->message, sizeof err->message);
        wa_wasi_free(wi);
        return NULL;
    }
    return wi;
}

wa_rt_trap_t wa_wasi_run_command(wa_wasi_instance_t *wi, int *exit_code) {
    if (exit_code != NULL)
        *exit_code = 0;
    if (wi == NULL || wi->inst == NULL || !wi->started)
        return WA_RT_TRAP_MISUSE;
    bool is_void;
    wa_rt_func_t *start = func_export(wi->inst, "_start", &is_void);
    if (start == NULL || !is_void)
        return WA_RT_TRAP_MISUSE;
    wa_rt_trap_t kind = wa_rt_call_void(start);
    if (kind == WA_RT_TRAP_EXIT) {
        if (exit_code != NULL)
            *exit_code = wa_rt_last_trap()->exit_code;
        return WA_RT_TRAP_NONE;
    }
    return kind;
}

wa_rt_instance_t *wa_wasi_instance(const wa_wasi_instance_t *wi) {
    return wi != NULL ? wi->inst : NULL;
}

wa_wasi_ctx_t *wa_wasi_context(const wa_wasi_instance_t *wi) {
    return wi != NULL ? wi->wasi : NULL;
}

const wa_rt_extern_t *wa_wasi_imports(const wa_wasi_instance_t *wi) {
    return wi != NULL ? wi->externs : NULL;
}

void wa_wasi_free(wa_wasi_instance_t *wi) {
    if (wi == NULL)
        return;
    wa_rt_instance_free(wi->inst);
    for (uint32_t i = 0; wi->memories != NULL && i < wi->module->nimports; i++)
        wa_rt_memory_free(wi->memories[i]);
    free(wi->memories);
    free(wi->externs);
    free(wi->funcs);
    if (wi->wasi != NULL)
        wa_wasi_ctx_free(wi->wasi);
    for (size_t i = 0; i < wi->nenv; i++)
        free(wi->env[i]);
    free(wi->env);
    free(wi);
}
