/*
 * grants.c: the one parser of grant flags (wa_grants.h), shared by the
 * compiler's command line, the build record's "grant=" lines and
 * WASMAOT_OPTIONS.
 *
 * Only the spelling is checked here: that a directory grant has a host path
 * and a guest name, an environment grant a name, an address the HOST:PORT
 * shape with a port in 0..65535. Whether the directory exists or the
 * address can be bound is known only when the program starts.
 */
#include "wa_grants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A grant flag: its name and how to read its value. */
typedef struct flag_spec {
    const char *name;
    wa_grant_kind_t kind;
    bool has_value;
    const char *value_shape; /* for "needs a value" messages */
} flag_spec_t;

// clang-format off
static const flag_spec_t flags[] = {
    {"--dir",         WA_GRANT_DIR,         true,  "HOST[::GUEST[:ro]]"},
    {"--env",         WA_GRANT_ENV,         true,  "NAME[=VALUE]"},
    {"--inherit-env", WA_GRANT_INHERIT_ENV, false, NULL},
    {"--tcplisten",   WA_GRANT_TCPLISTEN,   true,  "HOST:PORT"},
    {"--max-memory",  WA_GRANT_MAX_MEMORY,  true,  "SIZE, e.g. 64MiB"},
    {"--max-stack",   WA_GRANT_MAX_STACK,   true,  "SIZE, e.g. 8MiB"},
    {"--fuel",        WA_GRANT_FUEL,        true,  "N, a number of instructions"},
    {"--timeout",     WA_GRANT_TIMEOUT,     true,  "DURATION, e.g. 500ms or 10s"},
};
// clang-format on

static void set_why(char *why, size_t why_size, const char *fmt, const char *a, const char *b) {
    if (why_size > 0)
        snprintf(why, why_size, fmt, a, b);
}

static bool append(wa_grants_t *g, const wa_grant_t *gr) {
    if (g->count == g->capacity) {
        size_t cap = g->capacity ? 2 * g->capacity : 8;
        wa_grant_t *items = realloc(g->items, cap * sizeof *items);
        if (items == NULL)
            return false;
        g->items = items;
        g->capacity = cap;
    }
    g->items[g->count++] = *gr;
    return true;
}

static void free_grant(wa_grant_t *gr) {
    free(gr->host);
    free(gr->guest);
    free(gr->name);
    free(gr->value);
}

/* Is `addr` "HOST:PORT" or "[HOST]:PORT", with a decimal port in 0..65535? */
static bool is_host_port(const char *addr) {
    const char *colon = strrchr(addr, ':');
    if (colon == NULL || colon == addr || colon[1] == '\0' || strlen(colon + 1) > 5)
        return false;
    long port = 0;
    for (const char *p = colon + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        port = port * 10 + (*p - '0');
    }
    if (port > 65535)
        return false;
    size_t host_len = (size_t)(colon - addr);
    if (addr[0] == '[')
        return host_len >= 3 && addr[host_len - 1] == ']';
    /* An IPv6 address needs its brackets, or its last colon would read as the port's. */
    return memchr(addr, ':', host_len) == NULL;
}

/* Fills *gr from the value of a --dir flag: HOST, HOST::GUEST or HOST::GUEST:ro. */
static bool parse_dir(const char *v, wa_grant_t *gr, char *why, size_t why_size) {
    const char *sep = strstr(v, "::");
    size_t host_len = sep ? (size_t)(sep - v) : strlen(v);
    const char *guest = sep ? sep + 2 : v;
    size_t guest_len = strlen(guest);
    if (sep != NULL && guest_len >= 3 && strcmp(guest + guest_len - 3, ":ro") == 0) {
        gr->read_only = true;
        guest_len -= 3;
    }
    if (host_len == 0) {
        set_why(why, why_size,
                sep ? "--dir %s: no host directory before '::'" : "--dir%s needs a host directory",
                v, NULL);
        return false;
    }
    if (guest_len == 0) {
        set_why(why, why_size, "--dir %s: no guest name after '::'", v, NULL);
        return false;
    }
    if (sep != NULL && strstr(guest, "::") != NULL) {
        set_why(why, why_size, "--dir %s: more than one '::'", v, NULL);
        return false;
    }
    gr->host = strndup(v, host_len);
    gr->guest = strndup(guest, guest_len);
    return true;
}

/* Fills *gr from the value of an --env flag: NAME=VALUE or NAME. */
static bool parse_env(const char *v, wa_grant_t *gr, char *why, size_t why_size) {
    const char *eq = strchr(v, '=');
    size_t name_len = eq ? (size_t)(eq - v) : strlen(v);
    if (name_len == 0) {
        set_why(why, why_size, "--env %s: no variable name", v, NULL);
        return false;
    }
    if (name_len == strlen(WA_GRANTS_OPTIONS_VAR) &&
        strncmp(v, WA_GRANTS_OPTIONS_VAR, name_len) == 0) {
        set_why(why, why_size, "--env %s: %s is for the runtime and never given to the program", v,
                WA_GRANTS_OPTIONS_VAR);
        return false;
    }
    gr->name = strndup(v, name_len);
    gr->value = eq ? strdup(eq + 1) : NULL;
    return true;
}

/*
 * Reads a decimal number at *p (at most 2^62, so that a unit cannot make it
 * wrap) and moves *p past it; false if there is none or it is too big.
 */
static bool read_decimal(const char **p, unsigned long long *out) {
    const char *s = *p;
    unsigned long long n = 0;
    if (*s < '0' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        n = n * 10 + (unsigned long long)(*s - '0');
        if (n > (1ull << 62))
            return false;
    }
    *p = s;
    *out = n;
    return true;
}

/* The multiplier of `unit` in `units` (name, factor pairs, NULL-terminated); 0 if unknown. */
typedef struct unit_spec {
    const char *name;
    unsigned long long factor;
} unit_spec_t;

static unsigned long long unit_factor(const unit_spec_t *units, const char *unit) {
    for (const unit_spec_t *u = units; u->name != NULL; u++)
        if (strcmp(u->name, unit) == 0)
            return u->factor;
    return 0;
}

// clang-format off
static const unit_spec_t size_units[] = {
    {"", 1}, {"B", 1},
    {"K", 1ull << 10}, {"KiB", 1ull << 10}, {"k", 1ull << 10},
    {"M", 1ull << 20}, {"MiB", 1ull << 20},
    {"G", 1ull << 30}, {"GiB", 1ull << 30},
    {NULL, 0},
};
static const unit_spec_t time_units[] = {
    {"us", 1000ull}, {"ms", 1000000ull}, {"s", 1000000000ull},
    {"m", 60000000000ull}, {"h", 3600000000000ull},
    {NULL, 0},
};
static const unit_spec_t count_units[] = {{"", 1}, {NULL, 0}};
// clang-format on

/* The smallest --max-stack: room for the guard, the host margin and some wasm frames. */
#define MIN_MAX_STACK (64ull << 10)

/* Fills *gr from the value of a limit flag: a number with a unit its kind allows. */
static bool parse_limit(const flag_spec_t *f, const char *v, wa_grant_t *gr, char *why,
                        size_t why_size) {
    const unit_spec_t *units = f->kind == WA_GRANT_TIMEOUT ? time_units
                               : f->kind == WA_GRANT_FUEL  ? count_units
                                                           : size_units;
    const char *p = v;
    unsigned long long n, factor = 0;
    if (read_decimal(&p, &n))
        factor = unit_factor(units, p);
    if (factor == 0 || n > ~0ull / factor) {
        set_why(why, why_size, "%s needs %s", f->name,
                f->kind == WA_GRANT_TIMEOUT ? "a duration such as 500ms, 10s or 2m (units us, "
                                              "ms, s, m, h)"
                : f->kind == WA_GRANT_FUEL  ? "a non-negative whole number of instructions"
                                            : "a size such as 65536, 64MiB or 1GiB (units K, M, G "
                                              "or KiB, MiB, GiB)");
        size_t len = strlen(why);
        if (len + 1 < why_size)
            snprintf(why + len, why_size - len, ", not '%s'", v);
        return false;
    }
    gr->amount = n * factor;
    if (f->kind == WA_GRANT_MAX_STACK && gr->amount < MIN_MAX_STACK) {
        set_why(why, why_size, "%s %s: less than the smallest stack, 64KiB", f->name, v);
        return false;
    }
    if (f->kind == WA_GRANT_TIMEOUT && gr->amount == 0) {
        set_why(why, why_size, "%s %s: a timeout must be longer than zero", f->name, v);
        return false;
    }
    gr->value = strdup(v);
    return true;
}

static bool parse_value(const flag_spec_t *f, const char *v, wa_grant_t *gr, char *why,
                        size_t why_size) {
    switch (f->kind) {
    case WA_GRANT_DIR:
        return parse_dir(v, gr, why, why_size);
    case WA_GRANT_ENV:
        return parse_env(v, gr, why, why_size);
    case WA_GRANT_TCPLISTEN:
        if (!is_host_port(v)) {
            set_why(why, why_size, "--tcplisten %s: expected HOST:PORT (or [IPv6]:PORT)", v, NULL);
            return false;
        }
        gr->host = strdup(v);
        return true;
    case WA_GRANT_MAX_MEMORY:
    case WA_GRANT_MAX_STACK:
    case WA_GRANT_FUEL:
    case WA_GRANT_TIMEOUT:
        return parse_limit(f, v, gr, why, why_size);
    case WA_GRANT_INHERIT_ENV:
        break;
    }
    return true;
}

bool wa_grants_is_limit(wa_grant_kind_t kind) {
    return kind == WA_GRANT_MAX_MEMORY || kind == WA_GRANT_MAX_STACK || kind == WA_GRANT_FUEL ||
           kind == WA_GRANT_TIMEOUT;
}

wa_limits_t wa_grants_limits(const wa_grants_t *g) {
    wa_limits_t l = {0};
    for (size_t i = 0; i < g->count; i++) {
        const wa_grant_t *gr = &g->items[i];
        switch (gr->kind) {
        case WA_GRANT_MAX_MEMORY:
            l.max_memory = gr->amount;
            break;
        case WA_GRANT_MAX_STACK:
            l.max_stack = gr->amount;
            break;
        case WA_GRANT_FUEL:
            l.has_fuel = true;
            l.fuel = gr->amount;
            break;
        case WA_GRANT_TIMEOUT:
            l.has_timeout = true;
            l.timeout_ns = gr->amount;
            break;
        default:
            break;
        }
    }
    return l;
}

wa_grants_arg_t wa_grants_parse_arg(wa_grants_t *g, int argc, char *const *argv, int *i, char *why,
                                    size_t why_size) {
    const char *a = argv[*i];
    const flag_spec_t *f = NULL;
    const char *value = NULL;
    for (size_t k = 0; k < sizeof flags / sizeof *flags && f == NULL; k++) {
        size_t n = strlen(flags[k].name);
        if (strncmp(a, flags[k].name, n) == 0 && (a[n] == '\0' || a[n] == '=')) {
            f = &flags[k];
            value = a[n] == '=' ? a + n + 1 : NULL;
        }
    }
    if (f == NULL)
        return WA_GRANTS_ARG_NONE;
    if (!f->has_value && value != NULL) {
        set_why(why, why_size, "%s takes no value", f->name, NULL);
        return WA_GRANTS_ARG_ERROR;
    }
    if (f->has_value && value == NULL) {
        if (*i + 1 >= argc) {
            set_why(why, why_size, "%s needs a value (%s)", f->name, f->value_shape);
            return WA_GRANTS_ARG_ERROR;
        }
        value = argv[++*i];
    }
    wa_grant_t gr = {.kind = f->kind};
    if (!parse_value(f, value ? value : "", &gr, why, why_size)) {
        free_grant(&gr);
        return WA_GRANTS_ARG_ERROR;
    }
    /* Every string the grant should hold was copied, or memory ran out. */
    bool copied = f->kind == WA_GRANT_INHERIT_ENV || gr.host != NULL || gr.name != NULL ||
                  (wa_grants_is_limit(f->kind) && gr.value != NULL);
    copied = copied && (f->kind != WA_GRANT_DIR || gr.guest != NULL) &&
             (f->kind != WA_GRANT_ENV || gr.value != NULL || strchr(value, '=') == NULL);
    if (!copied || !append(g, &gr)) {
        free_grant(&gr);
        set_why(why, why_size, "%s: out of memory", f->name, NULL);
        return WA_GRANTS_ARG_ERROR;
    }
    return WA_GRANTS_ARG_OK;
}

/* ---- words ---------------------------------------------------------------------------------- */

/* A growing string. */
typedef struct text {
    char *s;
    size_t len, cap;
    bool oom;
} text_t;

static void put_char(text_t *t, char c) {
    if (t->len + 1 >= t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        char *s = realloc(t->s, cap);
        if (s == NULL) {
            t->oom = true;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    t->s[t->len++] = c;
    t->s[t->len] = '\0';
}

/* Makes t an empty string rather than none (so a quoted '' is a word). */
static void start_word(text_t *t) {
    if (t->s == NULL && !t->oom) {
        put_char(t, 'x');
        if (t->s != NULL)
            t->s[t->len = 0] = '\0';
    }
}

static bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void wa_grants_free_words(char **words) {
    for (size_t k = 0; words && words[k]; k++)
        free(words[k]);
    free(words);
}

/* Appends the finished word w (taking it over) to the word array. */
static bool push_word(char ***words, int *count, text_t *w) {
    char **grown = realloc(*words, ((size_t)*count + 2) * sizeof *grown);
    if (grown == NULL)
        return false;
    *words = grown;
    grown[(*count)++] = w->s ? w->s : strdup("");
    grown[*count] = NULL;
    *w = (text_t){0};
    return grown[*count - 1] != NULL;
}

bool wa_grants_split_words(const char *text, char ***words, int *count, char *why,
                           size_t why_size) {
    *words = calloc(1, sizeof **words);
    *count = 0;
    text_t w = {0};
    bool in_word = false;
    const char *p = text;
    const char *problem = NULL;
    while (*words != NULL && *p && problem == NULL) {
        char c = *p++;
        if (is_blank(c)) {
            if (in_word && !push_word(words, count, &w))
                problem = "out of memory";
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\'') {
            while (*p && *p != '\'')
                put_char(&w, *p++);
            if (*p == '\0')
                problem = "unbalanced single quote";
            else
                p++;
            start_word(&w); /* '' is an empty word, not none */
        } else if (c == '"') {
            while (*p && *p != '"') {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                    p++;
                put_char(&w, *p++);
            }
            if (*p == '\0')
                problem = "unbalanced double quote";
            else
                p++;
            start_word(&w);
        } else if (c == '\\') {
            if (*p == '\0')
                problem = "a backslash at the end";
            else
                put_char(&w, *p++);
        } else {
            put_char(&w, c);
        }
        if (w.oom)
            problem = "out of memory";
    }
    if (*words == NULL)
        problem = "out of memory";
    if (problem == NULL && in_word && !push_word(words, count, &w))
        problem = "out of memory";
    if (problem != NULL) {
        free(w.s);
        wa_grants_free_words(*words);
        *words = NULL;
        *count = 0;
        set_why(why, why_size, "%s", problem, NULL);
        return false;
    }
    return true;
}

bool wa_grants_parse_words(wa_grants_t *g, const char *text, char *why, size_t why_size) {
    char **words;
    int n;
    if (!wa_grants_split_words(text, &words, &n, why, why_size))
        return false;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        wa_grants_arg_t r = wa_grants_parse_arg(g, n, words, &i, why, why_size);
        if (r == WA_GRANTS_ARG_NONE) {
            set_why(why, why_size,
                    words[i][0] == '-' ? "unknown option '%s'" : "'%s' is not a grant flag",
                    words[i], NULL);
            ok = false;
        } else if (r == WA_GRANTS_ARG_ERROR) {
            ok = false;
        }
    }
    wa_grants_free_words(words);
    return ok;
}

/* ---- formatting ----------------------------------------------------------------------------- */

/* Appends s as one word, single-quoted unless every byte is safe bare. */
static void put_word(text_t *t, const char *s) {
    bool bare = *s != '\0';
    for (const char *p = s; *p && bare; p++)
        bare = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./:=@%+,[]",
                      *p) != NULL;
    if (bare) {
        for (const char *p = s; *p; p++)
            put_char(t, *p);
        return;
    }
    put_char(t, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            /* Close the quote, a backslash-escaped quote, reopen. */
            put_char(t, '\'');
            put_char(t, '\\');
            put_char(t, '\'');
        }
        put_char(t, *p);
    }
    put_char(t, '\'');
}

static void put_str(text_t *t, const char *s) {
    while (*s)
        put_char(t, *s++);
}

size_t wa_grants_format(const wa_grant_t *gr, char *buf, size_t size) {
    text_t t = {0};
    char *joined = NULL;
    switch (gr->kind) {
    case WA_GRANT_DIR: {
        size_t n = strlen(gr->host) + strlen(gr->guest) + 8;
        joined = malloc(n);
        /* "--dir X" when the guest name is the host path, as it was most likely given. */
        bool same = !gr->read_only && strcmp(gr->host, gr->guest) == 0 && !strstr(gr->host, "::");
        if (joined && same)
            snprintf(joined, n, "%s", gr->host);
        else if (joined)
            snprintf(joined, n, "%s::%s%s", gr->host, gr->guest, gr->read_only ? ":ro" : "");
        put_str(&t, "--dir ");
        break;
    }
    case WA_GRANT_ENV: {
        size_t n = strlen(gr->name) + (gr->value ? strlen(gr->value) : 0) + 2;
        joined = malloc(n);
        if (joined)
            snprintf(joined, n, "%s%s%s", gr->name, gr->value ? "=" : "",
                     gr->value ? gr->value : "");
        put_str(&t, "--env ");
        break;
    }
    case WA_GRANT_INHERIT_ENV:
        put_str(&t, "--inherit-env");
        break;
    case WA_GRANT_TCPLISTEN:
        joined = strdup(gr->host);
        put_str(&t, "--tcplisten ");
        break;
    case WA_GRANT_MAX_MEMORY:
    case WA_GRANT_MAX_STACK:
    case WA_GRANT_FUEL:
    case WA_GRANT_TIMEOUT:
        joined = strdup(gr->value);
        put_str(&t, gr->kind == WA_GRANT_MAX_MEMORY  ? "--max-memory "
                    : gr->kind == WA_GRANT_MAX_STACK ? "--max-stack "
                    : gr->kind == WA_GRANT_FUEL      ? "--fuel "
                                                     : "--timeout ");
        break;
    }
    if (joined)
        put_word(&t, joined);
    free(joined);
    size_t len = t.len;
    if (size > 0) {
        size_t n = len < size - 1 ? len : size - 1;
        if (t.s)
            memcpy(buf, t.s, n);
        buf[n] = '\0';
    }
    free(t.s);
    return len;
}

void wa_grants_free(wa_grants_t *g) {
    for (size_t k = 0; k < g->count; k++)
        free_grant(&g->items[k]);
    free(g->items);
    *g = (wa_grants_t){0};
}
