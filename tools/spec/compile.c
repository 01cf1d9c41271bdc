/*
 * compile.c: module files to loaded modules. A module is compiled in
 * process with the compiler library (wa_driver_compile, WA_EMIT_SHARED: the
 * same pipeline as `wasmaot --emit=shared`, lld linking the object into a
 * shared object) and loaded with wa_rt_load.
 *
 * Scripts repeat modules (wast2json writes one file per command, and many
 * tests instantiate the same module again), so results are cached by the
 * file's bytes: an FNV-1a hash picks the candidates, a full compare decides.
 * A cached failure is a failure again without recompiling.
 */
#include "spec.h"

#include "driver.h"
#include "wasm/decode.h"
#include "wasm/features.h"
#include "wasm/validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct cache_entry {
    uint64_t hash;
    uint8_t *bytes;
    size_t size;
    bool unreadable; /* the file could not be read: never matches */
    SpecModule module;
} cache_entry_t;

struct SpecCompiler {
    char *dir;
    int opt_level;
    const char *cpu;
    WaFeatures features;
    cache_entry_t *entries;
    uint32_t count, cap;
};

SpecCompiler *spec_compile_new(const char *dir, int opt_level, const char *cpu,
                               WaFeatures features) {
    SpecCompiler *c = calloc(1, sizeof *c);
    if (c == NULL || (c->dir = strdup(dir)) == NULL)
        abort();
    c->opt_level = opt_level;
    c->cpu = cpu;
    c->features = features;
    return c;
}

/* The whole file in a malloc'ed buffer, or NULL with the reason in why. */
static uint8_t *read_all(const char *path, size_t *size, char *why, size_t why_size) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(why, why_size, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    uint8_t *buf = NULL;
    if (fstat(fileno(f), &st) == 0 && (buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1))) {
        *size = fread(buf, 1, (size_t)st.st_size, f);
        if (*size != (size_t)st.st_size) {
            free(buf);
            buf = NULL;
        }
    }
    if (buf == NULL)
        snprintf(why, why_size, "cannot read %s", path);
    fclose(f);
    return buf;
}

static uint64_t fnv1a(const uint8_t *p, size_t n) {
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* Compiles `path` into the next shared object of the directory and loads it. */
static void compile_and_load(SpecCompiler *c, const char *path, SpecModule *out) {
    char so[4096];
    snprintf(so, sizeof so, "%s/module-%u.so", c->dir, c->count);
    WaCompileOptions o = {
        .input = path,
        .output = so,
        .emit = WA_EMIT_SHARED,
        .opt_level = c->opt_level,
        .cpu = c->cpu,
        .features = c->features,
    };
    WaDiag d;
    wa_diag_init(&d, NULL);
    if (!wa_driver_compile(&o, &d)) {
        char msg[sizeof out->error - 20];
        snprintf(out->error, sizeof out->error, "compile error: %s",
                 wa_diag_format(&d, msg, sizeof msg));
        return;
    }
    char why[sizeof out->error - 20];
    out->lib = wa_rt_load(so, why, sizeof why);
    if (out->lib == NULL)
        snprintf(out->error, sizeof out->error, "load error: %s", why);
}

const SpecModule *spec_compile_module(SpecCompiler *c, const char *path) {
    char why[512];
    size_t size = 0;
    uint8_t *bytes = read_all(path, &size, why, sizeof why);
    uint64_t hash = bytes != NULL ? fnv1a(bytes, size) : 0;
    for (uint32_t i = 0; bytes != NULL && i < c->count; i++) {
        cache_entry_t *e = &c->entries[i];
        if (!e->unreadable && e->hash == hash && e->size == size &&
            memcmp(e->bytes, bytes, size) == 0) {
            free(bytes);
            return &e->module;
        }
    }
    if (c->count == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->entries = realloc(c->entries, c->cap * sizeof *c->entries);
        if (c->entries == NULL)
            abort();
    }
    cache_entry_t *e = &c->entries[c->count];
    memset(e, 0, sizeof *e);
    e->hash = hash;
    e->bytes = bytes;
    e->size = size;
    e->unreadable = bytes == NULL;
    if (e->unreadable)
        snprintf(e->module.error, sizeof e->module.error, "%s", why);
    else
        compile_and_load(c, path, &e->module);
    c->count++;
    return &e->module;
}

bool spec_compile_check(const char *path, WaFeatures features, char *msg, size_t msg_size) {
    size_t size;
    uint8_t *bytes = read_all(path, &size, msg, msg_size);
    if (bytes == NULL)
        return false;
    WaDiag d;
    wa_diag_init(&d, NULL);
    WaModule m;
    bool ok = wa_decode_module(bytes, size, NULL, features, &m, &d);
    if (ok) {
        ok = wa_features_check(&m, features, &d) && wa_validate_module(&m, &d);
        wa_module_free(&m);
    }
    free(bytes);
    if (!ok)
        snprintf(msg, msg_size, "%s", d.message);
    return ok;
}

void spec_compile_free(SpecCompiler *c) {
    for (uint32_t i = 0; i < c->count; i++) {
        wa_rt_unload(c->entries[i].module.lib);
        free(c->entries[i].bytes);
    }
    free(c->entries);
    free(c->dir);
    free(c);
}
