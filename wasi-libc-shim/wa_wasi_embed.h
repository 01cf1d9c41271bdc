/*
 * wa_wasi_embed.h: WASI preview1 for an embedded module, through public
 * calls: a host that loaded a module built with `wasmaot --emit=shared`
 * (wa_rt_load) instantiates it with WASI and the grants of the command line
 * (wa_grants.h: --dir, --env, --inherit-env, --tcplisten, --max-memory,
 * --max-stack), runs a command's `_start` or calls a reactor's exports after
 * its `_initialize`. A compiled executable's own start-up
 * (runtime/start/entry.c) goes through these same functions.
 *
 *     wa_wasi_config_t *cfg = wa_wasi_config_new();
 *     wa_wasi_config_set_args(cfg, 2, (const char *[]){"prog", "in.txt"});
 *     wa_wasi_config_grants(cfg, "--dir data::/data --env LANG=C", why, sizeof why);
 *     wa_wasi_instance_t *wi = wa_wasi_instantiate(m, cfg, NULL, 0, &err);
 *     int code;
 *     wa_rt_trap_t t = wa_wasi_run_command(wi, &code);  (NONE: code is the exit status)
 *     wa_wasi_free(wi);
 *     wa_wasi_config_free(cfg);
 *
 * Imports: an import named in the host's `extra` list (wa_rt_named_extern_t)
 * takes that extern, so a host may add its own functions beside WASI or
 * replace a WASI function; otherwise a wasi_snapshot_preview1 function is
 * WASI's; a shared memory import (wasi-threads' env.memory) is made from the
 * import's type. Anything else fails with "unknown import" naming it
 * (escaped, wa_escape.h), unless wa_wasi_config_allow_unknown_imports.
 *
 * wasi-threads: an embedded module's wasi.thread-spawn returns -1 (no
 * thread), as the guest sees when threads are unavailable: the executable's
 * threads (runtime/start/threads.c) end the whole process when any thread
 * traps, which an embedding must not do. A module using threads still
 * instantiates and runs on one thread.
 *
 * Limits (--max-memory, --max-stack) are process-wide in this runtime
 * (wa_rt_api.h): preparing a config that has them sets them for every
 * instance made afterwards. --fuel and --timeout need to know that the
 * module was compiled with them (its build record says so: pass
 * wa_rt_loaded_build_info to wa_wasi_config_set_build_info); without that
 * they are refused. Fuel, like the others, is process-wide.
 *
 * Misuse returns an error, never a crash: every function below says what it
 * returns for NULL arguments and other mistakes it can see.
 *
 * Part: the WASI shim (libwasmaot_wasi.a), which uses the runtime and the
 * common library; an embedder links libwasmaot_wasi.a before
 * libwasmaot_rt.a (whole, exported: wa_rt_embed.h) and libwasmaot_common.a.
 */
#ifndef WA_WASI_EMBED_H
#define WA_WASI_EMBED_H

#include "wa_grants.h"
#include "wa_rt_embed.h"
#include "wa_wasi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Configuration ---- */

/* What a WASI instance gets: arguments, grants, stdio. */
typedef struct wa_wasi_config wa_wasi_config_t;

/*
 * A new configuration: no arguments, no grants (so no directory and an
 * empty environment, as the command line without flags), stdio the host's
 * fds 0, 1 and 2. NULL if out of memory.
 */
wa_wasi_config_t *wa_wasi_config_new(void);

/* Frees a configuration (NULL is ignored). Instances made from it do not need it. */
void wa_wasi_config_free(wa_wasi_config_t *cfg);

/*
 * The program's arguments, argv[0 .. argc) (argv[0] is its name); copied.
 * False if cfg is NULL, argc < 0, argv is NULL with argc > 0, or memory runs out.
 */
bool wa_wasi_config_set_args(wa_wasi_config_t *cfg, int argc, const char *const *argv);

/*
 * Adds grants written as in WASMAOT_OPTIONS ("--dir HOST::GUEST:ro --env
 * K=V", wa_grants.h), after those already given. False with the reason in
 * why[0 .. why_size) for a malformed one (the grants before it in text stay
 * added), or if cfg or text is NULL.
 */
bool wa_wasi_config_grants(wa_wasi_config_t *cfg, const char *text, char *why, size_t why_size);

/* The grant list itself, to add to with wa_grants_parse_*; NULL if cfg is NULL. */
wa_grants_t *wa_wasi_config_grant_list(wa_wasi_config_t *cfg);

/*
 * The host environment that --inherit-env and "--env NAME" read
 * (NULL-terminated "K=V" strings, read when an instance is prepared, not
 * copied). Default: the process's `environ`. WASMAOT_OPTIONS is never
 * passed on. Ignored if cfg is NULL.
 */
void wa_wasi_config_set_host_env(wa_wasi_config_t *cfg, char *const *envp);

/*
 * The host fds the guest's fds 0, 1, 2 stand for (-1: the host's own 0, 1,
 * 2). Each is duplicated when an instance is prepared, so the host may
 * close its own afterwards. False if cfg is NULL or an fd is below -1.
 */
bool wa_wasi_config_set_stdio(wa_wasi_config_t *cfg, int stdin_fd, int stdout_fd, int stderr_fd);

/*
 * The module's build record (wa_build_info.h: the executable's
 * `wasmaot_build_info`, or wa_rt_loaded_build_info for a shared object),
 * which says whether it counts fuel or can be interrupted; not copied.
 * Without one, --fuel and --timeout are refused.
 */
void wa_wasi_config_set_build_info(wa_wasi_config_t *cfg, const char *record);

/*
 * Whether a function import that neither the extra list nor WASI provides
 * is allowed (it then traps "call to an unknown import" when called, as in
 * an executable compiled with --allow-unknown-imports), or fails
 * wa_wasi_prepare with "unknown import" naming it (the default). Ignored
 * if cfg is NULL.
 */
void wa_wasi_config_allow_unknown_imports(wa_wasi_config_t *cfg, bool allow);

/* ---- Instances ---- */

/* A module instance with its WASI context and the imports resolved for it. */
typedef struct wa_wasi_instance wa_wasi_instance_t;

/*
 * Everything before instantiation: applies the limits, builds the
 * environment, makes the WASI context (arguments, stdio, then listening
 * sockets and directories in grant order: fds 3, 4, ...), and resolves every
 * import of m (see the opening comment). Returns NULL with *err filled (err
 * may be NULL): WA_RT_ERROR_GRANT for a grant that cannot be had (a
 * directory that cannot be opened, an address that cannot be bound, a limit
 * that cannot apply), WA_RT_ERROR_LINK naming an import nothing provides or
 * whose type is not WASI's, WA_RT_ERROR_RESOURCE when memory runs out; also
 * LINK if m or cfg is NULL, or extra is NULL with nextra > 0. The extra
 * externs must outlive the instance.
 */
wa_wasi_instance_t *wa_wasi_prepare(const wa_rt_module_t *m, const wa_wasi_config_t *cfg,
                                    const wa_rt_named_extern_t *extra, size_t nextra,
                                    wa_rt_error_t *err);

/*
 * Instantiates a prepared instance (WASI pointed at the exported "memory"
 * before the start function runs), then runs a reactor's `_initialize`
 * (exported, type [] -> [], and no `_start`). False with *err filled as
 * wa_rt_instantiate fills it; for a trap (kind TRAP, a proc_exit is trap
 * kind WA_RT_TRAP_EXIT) the instance that trapped stays in wi
 * (wa_wasi_instance) until wa_wasi_free, so the trap can be described. False
 * (LINK) also if wi is NULL or already started.
 */
bool wa_wasi_start(wa_wasi_instance_t *wi, wa_rt_error_t *err);

/*
 * wa_wasi_prepare then wa_wasi_start. On failure everything is freed and
 * NULL returned; a trap's err->message is then its one line
 * (wa_rt_trap_format) and err->instance NULL.
 */
wa_wasi_instance_t *wa_wasi_instantiate(const wa_rt_module_t *m, const wa_wasi_config_t *cfg,
                                        const wa_rt_named_extern_t *extra, size_t nextra,
                                        wa_rt_error_t *err);

/*
 * Runs the command's exported `_start`, guarded. Returns WA_RT_TRAP_NONE
 * when it returned (*exit_code 0) or called proc_exit (*exit_code its code);
 * otherwise the trap's kind (wa_rt_last_trap() describes it; the host lives
 * on, but the instance should not run again). Returns WA_RT_TRAP_MISUSE if
 * wi is NULL or not started, or the module has no `_start` of type [] -> [].
 * exit_code may be NULL.
 */
wa_rt_trap_t wa_wasi_run_command(wa_wasi_instance_t *wi, int *exit_code);

/* The module instance (NULL before wa_wasi_start or if wi is NULL), for wa_rt_instance_func. */
wa_rt_instance_t *wa_wasi_instance(const wa_wasi_instance_t *wi);

/* The WASI context (NULL if wi is NULL). */
wa_wasi_ctx_t *wa_wasi_context(const wa_wasi_instance_t *wi);

/* The imports resolved for the module, m->nimports of them (NULL if wi is NULL). */
const wa_rt_extern_t *wa_wasi_imports(const wa_wasi_instance_t *wi);

/*
 * Frees the instance, its WASI context (closing what the guest opened and
 * the granted directories and sockets) and the memories made for imports.
 * NULL is ignored.
 */
void wa_wasi_free(wa_wasi_instance_t *wi);

#ifdef __cplusplus
}
#endif

#endif
