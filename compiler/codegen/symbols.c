/*
 * symbols.c: symbol names for wasm functions in output objects.
 *
 * Escaping: "wasm_<index>_" then each byte of the name; [A-Za-z0-9] as is,
 * anything else (including '_') as "_" + two lowercase hex digits. The escape
 * is reversible and keeps symbols valid for every assembler and debugger.
 */
#include "codegen.h"

#include <stdio.h>
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
