/*
 * build_info.c: reading the build record (wa_build_info.h).
 */
#include "wa_build_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wa_build_info_find(const char *record, const char *key, const char *from, size_t *len) {
    size_t key_len = strlen(key);
    const char *line = from ? from : record;
    /* Continue from the start of the next line when `from` is inside one. */
    if (from != NULL && from != record && from[-1] != '\n') {
        line = strchr(from, '\n');
        line = line ? line + 1 : from + strlen(from);
    }
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t line_len = end ? (size_t)(end - line) : strlen(line);
        if (line_len > key_len && strncmp(line, key, key_len) == 0 && line[key_len] == '=') {
            *len = line_len - key_len - 1;
            return line + key_len + 1;
        }
        line += line_len + (end ? 1 : 0);
    }
    return NULL;
}

char *wa_build_info_value(const char *value, size_t len) {
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = value[i];
        if (c == '\\' && i + 1 < len) {
            c = value[++i];
            c = c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return out;
}

bool wa_build_info_grants(const char *record, wa_grants_t *g, char *why, size_t why_size) {
    size_t len;
    for (const char *v = wa_build_info_find(record, "grant", NULL, &len); v != NULL;
         v = wa_build_info_find(record, "grant", v + len, &len)) {
        char *line = wa_build_info_value(v, len);
        if (line == NULL) {
            snprintf(why, why_size, "out of memory");
            return false;
        }
        bool ok = wa_grants_parse_words(g, line, why, why_size);
        free(line);
        if (!ok)
            return false;
    }
    return true;
}
