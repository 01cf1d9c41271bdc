/*
 * symbols.c: symbol names for wasm functions in output objects.
 *
 * Two forms, so that tools show source names and nothing collides:
 *
 * - A mangled name from the name section (C++ Itanium and Rust legacy
 *   "_Z...", Rust v0 "_R...") made of [A-Za-z0-9_$.] only is the symbol as
 *   is, so nm -C, c++filt, perf and gdb demangle it. No C library, runtime or
 *   LLVM library-call symbol is mangled, so such a name cannot capture one
 *   of theirs. When several functions carry the same name, the one of lowest
 *   index keeps it and the others get ".wasm.<index>" (a clone suffix for
 *   demanglers: "f() [clone .wasm.7]"); a name already holding ".wasm." or
 *   ".entry" (the suffix of tail-call entries, codegen.c) takes the other
 *   form, so no two symbols can be equal.
 *
 * - Any other function: "wasm_<index>" then, when the name section names
 *   it, "_" and each byte of the name: [A-Za-z0-9] as is, anything else
 *   (including '_') as "_" + two lowercase hex digits. The escape is
 *   reversible and keeps symbols valid for every assembler and debugger; C
 *   names ("main", "memcpy", "malloc") take this form because they would
 *   capture the C library's symbols or LLVM's library calls.
 *
 * The table depends only on the module, so every chunk of a split module
 * computes the same one.
 */
#include "codegen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool plain_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char *wa_symbol_name(WaArena *arena, uint32_t index, const char *name) {
    size_t len = name ? strlen(name) : 0;
    char *out = wa_arena_alloc(arena, 32 + 3 * len);
    int n = sprintf(out, "wasm_%u", index);
    if (name == NULL)
        return out;
    out[n++] = '_';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (plain_byte(c))
            out[n++] = (char)c;
        else
            n += sprintf(out + n, "_%02x", c);
    }
    out[n] = '\0';
    return out;
}

bool wa_symbol_is_mangled(const char *name) {
    if (name == NULL || name[0] != '_' || (name[1] != 'Z' && name[1] != 'R') || name[2] == '\0')
        return false;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!plain_byte(c) && c != '_' && c != '$' && c != '.')
            return false;
    }
    return strstr(name, ".wasm.") == NULL && strstr(name, ".entry") == NULL;
}

typedef struct NamedFunc {
    const char *name;
    uint32_t index;
} NamedFunc;

static int compare_named(const void *a, const void *b) {
    const NamedFunc *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

char **wa_symbol_table(WaArena *arena, const WaModule *m) {
    char **symbols = WA_NEW_ARRAY(arena, char *, m->nfuncs);
    NamedFunc *named = WA_NEW_ARRAY(arena, NamedFunc, m->nfuncs);
    size_t n = 0;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        const char *name = m->funcs[i].name;
        symbols[i] = NULL;
        if (wa_symbol_is_mangled(name))
            named[n++] = (NamedFunc){name, i};
        else
            symbols[i] = wa_symbol_name(arena, i, name);
    }
    if (n > 0)
        qsort(named, n, sizeof *named, compare_named);
    for (size_t k = 0; k < n; k++) {
        uint32_t i = named[k].index;
        size_t len = strlen(named[k].name);
        if (k == 0 || strcmp(named[k - 1].name, named[k].name) != 0) {
            symbols[i] = wa_arena_alloc(arena, len + 1);
            memcpy(symbols[i], named[k].name, len + 1);
        } else {
            symbols[i] = wa_arena_alloc(arena, len + 24);
            sprintf(symbols[i], "%s.wasm.%u", named[k].name, i);
        }
    }
    return symbols;
}
