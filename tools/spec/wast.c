/*
 * wast.c: turning a .wast script into commands. wast2json (wabt) does the
 * text parsing: it writes NAME.json, listing the commands, and one file per
 * module (NAME.N.wasm, or NAME.N.wat for `module quote` text that only an
 * assert_malformed may hold) into a fresh temporary directory. This file
 * runs it and reads the JSON with json-c into SpecCommand records; the JSON
 * tree stays alive with the script because the records borrow its strings.
 *
 * Command shapes (wabt's spec JSON format):
 *   module              {line, name?, filename}
 *   register            {line, name?, as}
 *   action              {line, action}
 *   assert_return       {line, action, expected: [value...]}
 *   assert_trap         {line, action, text}            (a trapping instantiation
 *   assert_exhaustion   {line, action, text}             is assert_uninstantiable)
 *   assert_exception    {line, action}                  (exception handling)
 *   assert_invalid, assert_malformed, assert_unlinkable, assert_uninstantiable
 *                       {line, filename, text, module_type: "binary" | "text"}
 *   action: {type: "invoke" | "get", module?, field, args?: [value...]}
 */
#include "spec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef WA_WAST2JSON
#define WA_WAST2JSON "wast2json"
#endif

/* The part of a path after its last slash. */
static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

static char *join(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p == NULL)
        abort();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/*
 * Runs wast2json wast -o json, with its diagnostics going to err_path.
 * Returns true if it exited with status 0.
 */
static bool run_wast2json(const char *wast, WaFeatures features, const char *json,
                          const char *err_path) {
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        char flags[WA_FEATURE_COUNT][WA_FEATURE_WABT_FLAG_SIZE];
        char *args[WA_FEATURE_COUNT + 5];
        int n = 0;
        args[n++] = WA_WAST2JSON;
        n += wa_features_wabt_flags(features, flags, args + n);
        args[n++] = (char *)wast;
        args[n++] = "-o";
        args[n++] = (char *)json;
        args[n] = NULL;
        execvp(WA_WAST2JSON, args);
        fprintf(stderr, "cannot run %s: %s\n", WA_WAST2JSON, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return false;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The first line of a file, for a one-line error message. */
static void first_line(const char *path, char *buf, size_t size) {
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    if (fgets(buf, (int)size, f) != NULL)
        buf[strcspn(buf, "\n")] = '\0';
    fclose(f);
}

static SpecName get_name(json_object *o, const char *key) {
    json_object *v = json_object_object_get(o, key);
    if (v == NULL || !json_object_is_type(v, json_type_string))
        return (SpecName){NULL, 0};
    return (SpecName){json_object_get_string(v), (size_t)json_object_get_string_len(v)};
}

static const char *get_string(json_object *o, const char *key) {
    return get_name(o, key).data;
}

/* Marks a command unreadable, with the reason (the first one wins). */
static void set_bad(SpecCommand *c, const char *fmt, const char *detail) {
    if (c->bad != NULL)
        return;
    char buf[300];
    snprintf(buf, sizeof buf, fmt, detail);
    c->bad = strdup(buf);
}

/* Reads a JSON array of values into a new array; marks the command bad on error. */
static SpecValue *read_values(json_object *arr, uint32_t *count, SpecCommand *c) {
    *count = 0;
    if (arr == NULL)
        return NULL;
    if (!json_object_is_type(arr, json_type_array)) {
        set_bad(c, "%s is not an array", "a value list");
        return NULL;
    }
    size_t n = json_object_array_length(arr);
    SpecValue *vals = calloc(n > 0 ? n : 1, sizeof *vals);
    if (vals == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        char why[200];
        if (!spec_values_parse(json_object_array_get_idx(arr, i), &vals[i], why, sizeof why))
            set_bad(c, "%s", why);
    }
    *count = (uint32_t)n;
    return vals;
}

static void read_action(json_object *o, SpecCommand *c) {
    json_object *a = json_object_object_get(o, "action");
    if (a == NULL) {
        set_bad(c, "%s without an action", "command");
        return;
    }
    const char *type = get_string(a, "type");
    if (type == NULL || (strcmp(type, "invoke") != 0 && strcmp(type, "get") != 0)) {
        set_bad(c, "unknown action type \"%s\"", type ? type : "");
        return;
    }
    c->action.is_get = strcmp(type, "get") == 0;
    c->action.module = get_name(a, "module");
    c->action.field = get_name(a, "field");
    if (c->action.field.data == NULL)
        set_bad(c, "%s without a field", "action");
    c->action.args = read_values(json_object_object_get(a, "args"), &c->action.nargs, c);
}

static const struct {
    const char *name;
    SpecCmdKind kind;
} kinds[] = {
    {"module", SPEC_CMD_MODULE},
    {"register", SPEC_CMD_REGISTER},
    {"action", SPEC_CMD_ACTION},
    {"assert_return", SPEC_CMD_ASSERT_RETURN},
    {"assert_trap", SPEC_CMD_ASSERT_TRAP},
    {"assert_exhaustion", SPEC_CMD_ASSERT_EXHAUSTION},
    {"assert_invalid", SPEC_CMD_ASSERT_INVALID},
    {"assert_malformed", SPEC_CMD_ASSERT_MALFORMED},
    {"assert_unlinkable", SPEC_CMD_ASSERT_UNLINKABLE},
    {"assert_uninstantiable", SPEC_CMD_ASSERT_UNINSTANTIABLE},
    {"assert_exception", SPEC_CMD_ASSERT_EXCEPTION},
};

static void read_command(json_object *o, const char *dir, SpecCommand *c) {
    memset(c, 0, sizeof *c);
    json_object *line = json_object_object_get(o, "line");
    c->line = line != NULL ? (uint32_t)json_object_get_int(line) : 0;
    const char *type = get_string(o, "type");
    size_t k = 0;
    while (k < sizeof kinds / sizeof kinds[0] && (type == NULL || strcmp(kinds[k].name, type) != 0))
        k++;
    if (k == sizeof kinds / sizeof kinds[0]) {
        /* Keep it as an action-less command marked bad: it counts as a failure. */
        c->kind = SPEC_CMD_ACTION;
        set_bad(c, "unknown command type \"%s\"", type ? type : "");
        return;
    }
    c->kind = kinds[k].kind;
    c->name = get_name(o, "name");
    c->text = get_string(o, "text");
    const char *filename = get_string(o, "filename");
    if (filename != NULL) {
        c->module_path = join(dir, filename);
        const char *mt = get_string(o, "module_type");
        c->text_module = mt != NULL && strcmp(mt, "text") == 0;
    }
    switch (c->kind) {
    case SPEC_CMD_MODULE:
    case SPEC_CMD_ASSERT_INVALID:
    case SPEC_CMD_ASSERT_MALFORMED:
    case SPEC_CMD_ASSERT_UNLINKABLE:
    case SPEC_CMD_ASSERT_UNINSTANTIABLE:
        if (filename == NULL)
            set_bad(c, "%s without a module file", type);
        break;
    case SPEC_CMD_REGISTER:
        c->as = get_name(o, "as");
        if (c->as.data == NULL)
            set_bad(c, "%s without a name", type);
        break;
    case SPEC_CMD_ASSERT_RETURN:
        read_action(o, c);
        c->expected = read_values(json_object_object_get(o, "expected"), &c->nexpected, c);
        break;
    case SPEC_CMD_ACTION:
    case SPEC_CMD_ASSERT_TRAP:
    case SPEC_CMD_ASSERT_EXHAUSTION:
    case SPEC_CMD_ASSERT_EXCEPTION:
        read_action(o, c);
        break;
    }
    if (c->kind >= SPEC_CMD_ASSERT_TRAP && c->kind != SPEC_CMD_ASSERT_EXCEPTION && c->text == NULL)
        set_bad(c, "%s without an expected message", type);
}

bool spec_wast_load(const char *wast, WaFeatures features, SpecScript *s, char *why,
                    size_t why_size) {
    memset(s, 0, sizeof *s);
    s->wast = wast;
    const char *tmp = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/wasmaot-spec-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
    if (mkdtemp(tmpl) == NULL) {
        snprintf(why, why_size, "cannot create a temporary directory: %s", strerror(errno));
        return false;
    }
    s->dir = strdup(tmpl);

    /*
     * A script already in wast2json's JSON form (NAME.json beside its module
     * files) is read as it is: how tests write modules that wast2json 1.0.32
     * cannot parse (tests/spec/wasm3/gen_exnref.py). Otherwise NAME.json, so
     * wast2json names the module files NAME.N.wasm.
     */
    size_t wast_len = strlen(wast);
    bool is_json = wast_len > 5 && strcmp(wast + wast_len - 5, ".json") == 0;
    char *module_dir = NULL;
    if (is_json) {
        module_dir = strdup(wast);
        char *slash = strrchr(module_dir, '/');
        if (slash != NULL)
            *slash = '\0';
        else
            strcpy(module_dir, ".");
    }
    char json_name[512];
    snprintf(json_name, sizeof json_name, "%.500s", base_name(wast));
    char *dot = strrchr(json_name, '.');
    if (dot != NULL)
        *dot = '\0';
    strcat(json_name, ".json");
    char *json = is_json ? strdup(wast) : join(s->dir, json_name);
    char *err_path = join(s->dir, "wast2json.log");
    bool ok = is_json || run_wast2json(wast, features, json, err_path);
    if (!ok) {
        char line[300];
        first_line(err_path, line, sizeof line);
        snprintf(why, why_size, "wast2json failed: %s", line[0] ? line : "(no message)");
    } else {
        s->root = json_object_from_file(json);
        json_object *cmds = s->root ? json_object_object_get(s->root, "commands") : NULL;
        if (cmds == NULL || !json_object_is_type(cmds, json_type_array)) {
            snprintf(why, why_size, "cannot read wast2json's output %s: %s", json,
                     json_util_get_last_err() ? json_util_get_last_err() : "no command list");
            ok = false;
        } else {
            size_t n = json_object_array_length(cmds);
            s->cmds = calloc(n > 0 ? n : 1, sizeof *s->cmds);
            if (s->cmds == NULL)
                abort();
            for (size_t i = 0; i < n; i++) {
                read_command(json_object_array_get_idx(cmds, i), is_json ? module_dir : s->dir,
                             &s->cmds[i]);
                s->cmds[i].fixup = spec_fixups_apply(wast, &s->cmds[i]);
            }
            s->ncmds = (uint32_t)n;
        }
    }
    free(json);
    free(err_path);
    free(module_dir);
    return ok;
}

/* Empties and removes the temporary directory (wast2json and the compiler write it flat). */
static void remove_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = join(dir, e->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

void spec_wast_free(SpecScript *s) {
    for (uint32_t i = 0; i < s->ncmds; i++) {
        SpecCommand *c = &s->cmds[i];
        free(c->module_path);
        free(c->action.args);
        free(c->expected);
        free(c->bad);
    }
    free(s->cmds);
    if (s->root != NULL)
        json_object_put(s->root);
    if (s->dir != NULL)
        remove_dir(s->dir);
    free(s->dir);
    memset(s, 0, sizeof *s);
}
