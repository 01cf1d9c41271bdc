/*
 * commands.c: executing a script's commands through the embedding API
 * (wa_rt_embed.h), as the reference interpreter's script runner does
 * (interpreter/script/run.ml).
 *
 * State: the current module (the latest `module`), modules by $name, and
 * registered names (`register`, plus `spectest` from the start) that
 * imports resolve against. Every instance lives until the script ends,
 * because tables and imports can keep references into any of them; then
 * all are freed before the modules are unloaded.
 *
 * Each command ends as exactly one of:
 *   pass
 *   fail            one line: file:LINE: what was expected, what happened
 *   skip            it needs a module that failed to load (that failure was
 *                   reported on its own line); never a pass
 *   not applicable  text-format assert_malformed: wasmaot reads binaries only
 *
 * Messages: trap and link messages match when the expected text is a prefix
 * of ours, as the reference runner checks. Three exceptions, written out in
 * message_matches: the reference interpreter appends the element index to
 * "uninitialized element" and one test (bulk.wast) spells it out; our traps
 * carry no index, so our message followed by " <digits>" also matches. Newer
 * reference interpreters detail "type mismatch:" in their own words, so any
 * "type mismatch:" of ours matches one. And a script written for Wasm 1.0
 * (memory64's binary.wast) uses the 1.0 wording of messages the reference
 * interpreter has renamed since: renamed_messages lists each, with ours.
 */
#include "spec.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum Outcome { PASS, FAIL, SKIP } Outcome;

/* A module name bound to an instance; inst NULL: the module failed to load at `line`. */
typedef struct Binding {
    char *name;
    size_t len;
    wa_rt_instance_t *inst;
    uint32_t line;
    bool is_spectest; /* the spectest host module */
} Binding;

typedef struct Runner {
    const SpecScript *s;
    const SpecOptions *opt;
    SpecCounts *counts;
    bool quiet; /* building state for --line: run but neither count nor print */
    SpecCompiler *compiler;
    SpecHost *spectest;

    wa_rt_instance_t **instances; /* every instance made, to free at the end */
    uint32_t ninstances, cap_instances;
    Binding *named; /* $name -> instance */
    uint32_t nnamed, cap_named;
    Binding *registered; /* register "name" -> instance; searched from the end */
    uint32_t nregistered, cap_registered;

    wa_rt_instance_t *current; /* the latest module, NULL if none or it failed */
    uint32_t current_line;     /* the line of the latest module command (0: none) */
} Runner;

/* The result of running an action. */
typedef struct ActionResult {
    Outcome outcome; /* FAIL: it could not run (message set); SKIP: its module failed */
    char message[512];
    wa_rt_trap_t trap; /* WA_RT_TRAP_NONE if it returned */
    uint32_t nresults;
    const uint8_t *types;  /* result types */
    wa_rt_value_t *values; /* results (owned) */
} ActionResult;

/* ---- Reporting ---- */

/* A name with its non-printable bytes escaped, for messages. */
static const char *printable(SpecName n, char *buf, size_t size) {
    size_t k = 0;
    for (size_t i = 0; i < n.len && k + 5 < size; i++) {
        unsigned char ch = (unsigned char)n.data[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
            buf[k++] = (char)ch;
        else
            k += (size_t)snprintf(buf + k, size - k, "\\%02x", ch);
    }
    buf[k] = '\0';
    return buf;
}

static void report(Runner *r, const SpecCommand *c, Outcome o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Counts a failure or skip; prints a failure (and, verbose, a skip) as file:LINE: message. */
static void report(Runner *r, const SpecCommand *c, Outcome o, const char *fmt, ...) {
    if (r->quiet)
        return;
    if (o == FAIL) {
        r->counts->failed++;
    } else {
        r->counts->skipped++;
        if (!r->opt->verbose)
            return;
    }
    va_list ap;
    va_start(ap, fmt);
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printf("%s:%u: %s%s\n", r->s->wast, c->line, o == SKIP ? "skipped: " : "", msg);
}

static void pass(Runner *r) {
    if (!r->quiet)
        r->counts->passed++;
}

/* The reference interpreter's Wasm 1.0 messages that 2.0 renamed: 1.0's, then 2.0's (ours). */
static const char *const renamed_messages[][2] = {
    {"zero flag expected", "zero byte expected"},
    {"junk after last section", "unexpected content after last section"},
    /* a vector length beyond the end of the input: 1.0 read on and ran out */
    {"unexpected end of section or function", "length out of bounds"},
};

static bool prefix_of(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool message_matches(const char *ours, const char *expected) {
    if (prefix_of(ours, expected))
        return true;
    for (size_t i = 0; i < sizeof renamed_messages / sizeof renamed_messages[0]; i++) {
        if (strcmp(expected, renamed_messages[i][0]) == 0 &&
            prefix_of(ours, renamed_messages[i][1]))
            return true;
    }
    /*
     * Newer reference interpreters (the exception-handling proposal's
     * suite) follow "type mismatch:" with their own rendering of the types
     * ("instruction requires [i32] but stack has []"); wasmaot words the
     * detail its own way, so the kind of error is what is compared, as the
     * Wasm 2.0 suite's plain "type mismatch" compares it.
     */
    static const char mismatch[] = "type mismatch:";
    if (strncmp(expected, mismatch, sizeof mismatch - 1) == 0 &&
        strncmp(ours, mismatch, sizeof mismatch - 1) == 0)
        return true;
    /* The reference's "uninitialized element N": our message, a space, digits. */
    size_t k = strlen(ours);
    if (strncmp(expected, ours, k) != 0 || expected[k] != ' ' || expected[k + 1] == '\0')
        return false;
    for (const char *p = expected + k + 1; *p != '\0'; p++) {
        if (!isdigit((unsigned char)*p))
            return false;
    }
    return strcmp(ours, "uninitialized element") == 0;
}

/* ---- State ---- */

static void *grow(void *array, uint32_t *cap, size_t elem_size) {
    *cap = *cap ? 2 * *cap : 16;
    void *p = realloc(array, *cap * elem_size);
    if (p == NULL)
        abort();
    return p;
}

static void keep_instance(Runner *r, wa_rt_instance_t *inst) {
    if (r->ninstances == r->cap_instances)
        r->instances = grow(r->instances, &r->cap_instances, sizeof *r->instances);
    r->instances[r->ninstances++] = inst;
}

static void bind(Binding **list, uint32_t *n, uint32_t *cap, SpecName name, wa_rt_instance_t *inst,
                 uint32_t line, bool is_spectest) {
    if (*n == *cap)
        *list = grow(*list, cap, sizeof **list);
    Binding *b = &(*list)[(*n)++];
    b->name = malloc(name.len + 1);
    if (b->name == NULL)
        abort();
    memcpy(b->name, name.data, name.len);
    b->name[name.len] = '\0';
    b->len = name.len;
    b->inst = inst;
    b->line = line;
    b->is_spectest = is_spectest;
}

/* The latest binding of `name`, or NULL. */
static const Binding *find(const Binding *list, uint32_t n, SpecName name) {
    for (uint32_t i = n; i-- > 0;) {
        if (list[i].len == name.len && memcmp(list[i].name, name.data, name.len) == 0)
            return &list[i];
    }
    return NULL;
}

/*
 * The instance an action or register addresses: `name` if given, else the
 * current module. SKIP if that module failed to load, FAIL if there is none.
 */
static Outcome target_instance(Runner *r, SpecName name, wa_rt_instance_t **inst, char *why,
                               size_t why_size) {
    char buf[200];
    if (name.data != NULL) {
        const Binding *b = find(r->named, r->nnamed, name);
        if (b == NULL) {
            snprintf(why, why_size, "unknown module %s", printable(name, buf, sizeof buf));
            return FAIL;
        }
        *inst = b->inst;
        if (b->inst == NULL) {
            snprintf(why, why_size, "module %s (line %u) did not load", b->name, b->line);
            return SKIP;
        }
        return PASS;
    }
    *inst = r->current;
    if (r->current != NULL)
        return PASS;
    if (r->current_line == 0) {
        snprintf(why, why_size, "no module to act on");
        return FAIL;
    }
    snprintf(why, why_size, "the module at line %u did not load", r->current_line);
    return SKIP;
}

/*
 * Resolves every import of m against the registered names. An import whose
 * module name or field nothing provides stays WA_RT_EXTERN_MISSING, so
 * instantiation reports "unknown import"; one of the wrong kind is passed as
 * found, so it reports "incompatible import type". SKIP (with why) if an
 * import comes from a registered module that failed to load.
 */
static Outcome resolve_imports(Runner *r, const wa_rt_module_t *m, wa_rt_extern_t *exts, char *why,
                               size_t why_size) {
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wa_rt_import_t *imp = &m->imports[i];
        exts[i] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_MISSING};
        const Binding *b =
            find(r->registered, r->nregistered, (SpecName){imp->module, imp->module_len});
        if (b == NULL)
            continue;
        if (!b->is_spectest && b->inst == NULL) {
            snprintf(why, why_size, "it imports from \"%s\", whose module (line %u) did not load",
                     b->name, b->line);
            return SKIP;
        }
        wa_rt_extern_t found;
        bool ok = b->is_spectest
                      ? spec_spectest_export(r->spectest, imp->name, imp->name_len, &found)
                      : wa_rt_instance_export_any(b->inst, imp->name, imp->name_len, &found);
        if (ok)
            exts[i] = found;
    }
    return PASS;
}

/* How making the instance of a module command went. */
typedef struct Instantiation {
    Outcome outcome; /* PASS: inst is the new instance; else why says why */
    wa_rt_instance_t *inst;
    bool instantiate_failed; /* it compiled and its imports resolved, wa_rt_instantiate failed: err
                              */
    wa_rt_error_t err;
    char why[700];
} Instantiation;

/*
 * Compiles (cached), links and instantiates the module of command c: FAIL
 * if it does not compile or instantiate, SKIP if an import comes from a
 * module that failed to load.
 */
static void instantiate(Runner *r, const SpecCommand *c, Instantiation *out) {
    memset(out, 0, sizeof *out);
    const SpecModule *sm = spec_compile_module(r->compiler, c->module_path);
    if (sm->lib == NULL) {
        out->outcome = FAIL;
        snprintf(out->why, sizeof out->why, "%s", sm->error);
        return;
    }
    const wa_rt_module_t *m = wa_rt_loaded_module(sm->lib);
    wa_rt_extern_t *exts = calloc(m->nimports > 0 ? m->nimports : 1, sizeof *exts);
    if (exts == NULL)
        abort();
    out->outcome = resolve_imports(r, m, exts, out->why, sizeof out->why);
    if (out->outcome == PASS) {
        out->inst = wa_rt_instantiate(m, exts, m->nimports, NULL, &out->err);
        if (out->inst != NULL) {
            keep_instance(r, out->inst);
        } else {
            out->instantiate_failed = true;
            out->outcome = FAIL;
            snprintf(out->why, sizeof out->why, "%s", out->err.message);
            /* A trap in init or start leaves the instance alive (spec 4.5.4). */
            if (out->err.instance != NULL)
                keep_instance(r, out->err.instance);
        }
    }
    free(exts);
}

/* ---- Actions ---- */

static void run_action(Runner *r, const SpecAction *a, ActionResult *res) {
    memset(res, 0, sizeof *res);
    char buf[200];
    wa_rt_instance_t *inst = NULL;
    res->outcome = target_instance(r, a->module, &inst, res->message, sizeof res->message);
    if (res->outcome != PASS)
        return;
    wa_rt_extern_t ext;
    if (a->is_get) {
        if (!wa_rt_instance_export(inst, a->field.data, a->field.len, WA_RT_EXTERN_GLOBAL, &ext)) {
            res->outcome = FAIL;
            snprintf(res->message, sizeof res->message, "no exported global \"%s\"",
                     printable(a->field, buf, sizeof buf));
            return;
        }
        res->values = calloc(1, sizeof *res->values);
        if (res->values == NULL)
            abort();
        res->values[0] = wa_rt_global_get(&ext);
        res->nresults = 1;
        /* The type lives in the module descriptor, which outlives the result. */
        const wa_rt_export_t *e =
            wa_rt_module_export(inst->module, a->field.data, a->field.len, WA_RT_EXTERN_GLOBAL);
        res->types = &inst->module->globals[e->index].type;
        return;
    }
    if (!wa_rt_instance_export(inst, a->field.data, a->field.len, WA_RT_EXTERN_FUNC, &ext)) {
        res->outcome = FAIL;
        snprintf(res->message, sizeof res->message, "no exported function \"%s\"",
                 printable(a->field, buf, sizeof buf));
        return;
    }
    const wa_rt_functype_t *type = wa_rt_func_type(ext.func);
    bool args_ok = type->nparams == a->nargs;
    for (uint32_t i = 0; args_ok && i < a->nargs; i++)
        args_ok = type->types[i] == a->args[i].type;
    if (!args_ok) {
        res->outcome = FAIL;
        snprintf(res->message, sizeof res->message,
                 "the arguments do not fit the type of \"%s\" (%u parameters)",
                 printable(a->field, buf, sizeof buf), type->nparams);
        return;
    }
    uint32_t nslots = type->nparams > type->nresults ? type->nparams : type->nresults;
    res->values = calloc(nslots > 0 ? nslots : 1, sizeof *res->values);
    if (res->values == NULL)
        abort();
    for (uint32_t i = 0; i < a->nargs; i++)
        res->values[i] = a->args[i].value;
    res->trap = wa_rt_call(ext.func, res->values);
    res->nresults = type->nresults;
    res->types = type->types + type->nparams;
}

/* "invoke \"f\"" or "get \"g\"" [on $M], for messages. */
static const char *describe_action(const SpecAction *a, char *buf, size_t size) {
    char field[200], module[100];
    snprintf(buf, size, "%s \"%s\"%s%s", a->is_get ? "get" : "invoke",
             printable(a->field, field, sizeof field), a->module.data ? " on " : "",
             a->module.data ? printable(a->module, module, sizeof module) : "");
    return buf;
}

/* ---- Commands ---- */

static void cmd_module(Runner *r, const SpecCommand *c) {
    Instantiation in;
    instantiate(r, c, &in);
    r->current = in.outcome == PASS ? in.inst : NULL;
    r->current_line = c->line;
    if (c->name.data != NULL)
        bind(&r->named, &r->nnamed, &r->cap_named, c->name, r->current, c->line, false);
    if (in.outcome == PASS)
        pass(r);
    else
        report(r, c, in.outcome, "module: %s", in.why);
}

static void cmd_register(Runner *r, const SpecCommand *c) {
    wa_rt_instance_t *inst = NULL;
    char why[300];
    Outcome o = target_instance(r, c->name, &inst, why, sizeof why);
    if (o == FAIL) {
        report(r, c, FAIL, "register: %s", why);
        return;
    }
    /* A failed module is registered too, so its importers are skipped, not failed. */
    uint32_t line =
        c->name.data != NULL ? find(r->named, r->nnamed, c->name)->line : r->current_line;
    bind(&r->registered, &r->nregistered, &r->cap_registered, c->as, inst, line, false);
    if (o == PASS)
        pass(r);
    else
        report(r, c, o, "register: %s", why);
}

static void cmd_assert_return(Runner *r, const SpecCommand *c) {
    char act[300];
    describe_action(&c->action, act, sizeof act);
    ActionResult res;
    run_action(r, &c->action, &res);
    if (res.outcome != PASS) {
        report(r, c, res.outcome, "%s: %s", act, res.message);
    } else if (res.trap != WA_RT_TRAP_NONE) {
        report(r, c, FAIL, "%s: expected a result, trapped: %s", act, wa_rt_trap_message(res.trap));
    } else if (res.nresults != c->nexpected) {
        report(r, c, FAIL, "%s: expected %u results, got %u", act, c->nexpected, res.nresults);
    } else {
        for (uint32_t i = 0; i < c->nexpected; i++) {
            const SpecValue *e = &c->expected[i];
            char want[600], got[600];
            spec_values_format(e, want, sizeof want);
            if (res.types[i] != e->type) {
                report(r, c, FAIL, "%s: result %u: expected %s, got a %s", act, i, want,
                       spec_values_type_name(res.types[i]));
                free(res.values);
                return;
            }
            if (!spec_values_match(e, &res.values[i])) {
                spec_values_format_actual(res.types[i], e->lane, &res.values[i], got, sizeof got);
                report(r, c, FAIL, "%s: result %u: expected %s, got %s", act, i, want, got);
                free(res.values);
                return;
            }
        }
        pass(r);
    }
    free(res.values);
}

/* assert_trap and assert_exhaustion on an action: it must trap with the expected message. */
static void cmd_assert_trap(Runner *r, const SpecCommand *c) {
    char act[300];
    describe_action(&c->action, act, sizeof act);
    ActionResult res;
    run_action(r, &c->action, &res);
    if (res.outcome != PASS)
        report(r, c, res.outcome, "%s: %s", act, res.message);
    else if (res.trap == WA_RT_TRAP_NONE)
        report(r, c, FAIL, "%s: expected trap \"%s\", returned normally", act, c->text);
    else if (!message_matches(wa_rt_trap_message(res.trap), c->text))
        report(r, c, FAIL, "%s: expected trap \"%s\", trapped: %s", act, c->text,
               wa_rt_trap_message(res.trap));
    else
        pass(r);
    free(res.values);
}

/*
 * assert_exception (exception handling): the action must end with an
 * exception no wasm handler caught, which the runner then drops.
 */
static void cmd_assert_exception(Runner *r, const SpecCommand *c) {
    char act[300];
    describe_action(&c->action, act, sizeof act);
    ActionResult res;
    run_action(r, &c->action, &res);
    if (res.outcome != PASS)
        report(r, c, res.outcome, "%s: %s", act, res.message);
    else if (res.trap == WA_RT_TRAP_NONE)
        report(r, c, FAIL, "%s: expected an exception, returned normally", act);
    else if (res.trap != WA_RT_TRAP_EXCEPTION)
        report(r, c, FAIL, "%s: expected an exception, trapped: %s", act,
               wa_rt_trap_message(res.trap));
    else
        pass(r);
    if (res.trap == WA_RT_TRAP_EXCEPTION)
        wa_rt_exception_release(wa_rt_last_trap()->exception);
    free(res.values);
}

/* assert_invalid and binary assert_malformed: decoding or validation must fail as expected. */
static void cmd_assert_rejected(Runner *r, const SpecCommand *c) {
    const char *what = c->kind == SPEC_CMD_ASSERT_INVALID ? "invalid" : "malformed";
    char msg[600];
    if (spec_compile_check(c->module_path, r->opt->features, msg, sizeof msg))
        report(r, c, FAIL, "expected %s module (\"%s\"), it was accepted", what, c->text);
    else if (!message_matches(msg, c->text))
        report(r, c, FAIL, "expected %s module (\"%s\"), rejected with: %s", what, c->text, msg);
    else
        pass(r);
}

/*
 * assert_unlinkable (a link error expected) and assert_uninstantiable (a
 * trap in init or start expected).
 */
static void cmd_assert_instantiation(Runner *r, const SpecCommand *c) {
    bool want_link = c->kind == SPEC_CMD_ASSERT_UNLINKABLE;
    const char *what = want_link ? "link error" : "trap";
    Instantiation in;
    instantiate(r, c, &in);
    if (in.outcome == PASS) {
        report(r, c, FAIL, "expected %s \"%s\", instantiated", what, c->text);
    } else if (!in.instantiate_failed) {
        report(r, c, in.outcome, "expected %s \"%s\", %s", what, c->text, in.why);
    } else if (in.err.kind != (want_link ? WA_RT_ERROR_LINK : WA_RT_ERROR_TRAP) ||
               !message_matches(in.err.message, c->text)) {
        report(r, c, FAIL, "expected %s \"%s\", got: %s", what, c->text, in.err.message);
    } else {
        pass(r);
    }
}

static void run_command(Runner *r, const SpecCommand *c) {
    if (r->opt->verbose && !r->quiet) {
        static const char *const names[] = {"module",
                                            "register",
                                            "action",
                                            "assert_return",
                                            "assert_trap",
                                            "assert_exhaustion",
                                            "assert_invalid",
                                            "assert_malformed",
                                            "assert_unlinkable",
                                            "assert_uninstantiable",
                                            "assert_exception"};
        char what[300] = "", buf[200];
        if (c->action.field.data != NULL)
            describe_action(&c->action, what, sizeof what);
        else if (c->kind == SPEC_CMD_REGISTER && c->as.data != NULL)
            snprintf(what, sizeof what, "\"%s\"", printable(c->as, buf, sizeof buf));
        else if (c->kind == SPEC_CMD_MODULE && c->name.data != NULL)
            snprintf(what, sizeof what, "%s", printable(c->name, buf, sizeof buf));
        if (c->text != NULL) {
            size_t len = strlen(what);
            snprintf(what + len, sizeof what - len, "%s\"%s\"", len ? " " : "", c->text);
        }
        printf("%s:%u: %s%s%s\n", r->s->wast, c->line, names[c->kind], what[0] ? " " : "", what);
        if (c->fixup != NULL)
            printf("%s:%u: note: module file replaced (see fixups.c): %s\n", r->s->wast, c->line,
                   c->fixup);
    }
    if (c->bad != NULL) {
        report(r, c, FAIL, "cannot read the command: %s", c->bad);
        return;
    }
    switch (c->kind) {
    case SPEC_CMD_MODULE:
        cmd_module(r, c);
        break;
    case SPEC_CMD_REGISTER:
        cmd_register(r, c);
        break;
    case SPEC_CMD_ACTION: {
        char act[300];
        describe_action(&c->action, act, sizeof act);
        ActionResult res;
        run_action(r, &c->action, &res);
        if (res.outcome != PASS)
            report(r, c, res.outcome, "%s: %s", act, res.message);
        else if (res.trap != WA_RT_TRAP_NONE)
            report(r, c, FAIL, "%s: trapped: %s", act, wa_rt_trap_message(res.trap));
        else
            pass(r);
        free(res.values);
        break;
    }
    case SPEC_CMD_ASSERT_RETURN:
        cmd_assert_return(r, c);
        break;
    case SPEC_CMD_ASSERT_TRAP:
    case SPEC_CMD_ASSERT_EXHAUSTION:
        cmd_assert_trap(r, c);
        break;
    case SPEC_CMD_ASSERT_INVALID:
    case SPEC_CMD_ASSERT_MALFORMED:
        if (c->text_module) {
            /* `module quote` text: a text-parser test, and wasmaot has none. */
            if (!r->quiet)
                r->counts->not_applicable++;
            break;
        }
        cmd_assert_rejected(r, c);
        break;
    case SPEC_CMD_ASSERT_UNLINKABLE:
    case SPEC_CMD_ASSERT_UNINSTANTIABLE:
        cmd_assert_instantiation(r, c);
        break;
    case SPEC_CMD_ASSERT_EXCEPTION:
        cmd_assert_exception(r, c);
        break;
    }
}

/* Commands that change state later commands may see: the setup for --line. */
static bool builds_state(const SpecCommand *c) {
    switch (c->kind) {
    case SPEC_CMD_ASSERT_INVALID:
    case SPEC_CMD_ASSERT_MALFORMED:
    case SPEC_CMD_ASSERT_UNLINKABLE:
        return false;
    default:
        return true;
    }
}

uint32_t spec_commands_run(const SpecScript *s, const SpecOptions *opt, SpecCounts *counts) {
    Runner r = {.s = s, .opt = opt, .counts = counts};
    r.compiler = spec_compile_new(s->dir, opt->opt_level, opt->cpu, opt->features);
    r.spectest = spec_spectest_new(opt->verbose);
    bind(&r.registered, &r.nregistered, &r.cap_registered, (SpecName){"spectest", 8}, NULL, 0,
         true);
    uint32_t ran = 0;
    for (uint32_t i = 0; i < s->ncmds; i++) {
        const SpecCommand *c = &s->cmds[i];
        if (opt->line != 0 && c->line > opt->line)
            break;
        if (opt->line != 0 && c->line != opt->line && !builds_state(c))
            continue;
        r.quiet = opt->line != 0 && c->line != opt->line;
        ran += !r.quiet;
        run_command(&r, c);
    }
    fflush(stdout);

    /* Newest first: nothing runs any more, but keep the order of creation in reverse. */
    for (uint32_t i = r.ninstances; i-- > 0;)
        wa_rt_instance_free(r.instances[i]);
    free(r.instances);
    for (uint32_t i = 0; i < r.nnamed; i++)
        free(r.named[i].name);
    for (uint32_t i = 0; i < r.nregistered; i++)
        free(r.registered[i].name);
    free(r.named);
    free(r.registered);
    spec_spectest_free(r.spectest);
    spec_compile_free(r.compiler);
    return ran;
}
