/*
 * escape.c: wa_rt_escape, the escaping of module names for messages
 * (wa_escape.h says which bytes are escaped and how).
 *
 * UTF-8 well-formedness follows the Unicode standard's table 3-7 (the same
 * rule the spec's name decoding uses, spec 5.2.4): the second byte's range
 * depends on the first byte, which rules out overlong forms, surrogates and
 * code points above U+10FFFF.
 */
#include "wa_escape.h"

#include <stdbool.h>

/* The length of the well-formed UTF-8 sequence at s (n bytes left), or 0 if it is not one. */
static size_t utf8_length(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong below U+0800 */
        else if (c == 0xed)
            hi = 0x9f; /* surrogates U+D800..U+DFFF */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xf4)
            hi = 0x8f; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    /* C1 controls (U+0080..U+009F) act on terminals like the C0 ones. */
    if (c == 0xc2 && s[1] <= 0x9f)
        return 0;
    return len;
}

/* Appends `piece` (k bytes) if it fits whole; counts it either way. */
static void put(char *buf, size_t size, size_t *len, bool *full, const char *piece, size_t k) {
    if (!*full && *len + k < size) {
        for (size_t i = 0; i < k; i++)
            buf[*len + i] = piece[i];
        buf[*len + k] = '\0';
    } else {
        *full = true; /* truncate at an escape's boundary, never inside one */
    }
    *len += k;
}

size_t wa_rt_escape(char *buf, size_t size, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t len = 0;
    bool full = size == 0;
    if (size > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        char esc[WA_RT_ESCAPE_MAX];
        if (c == '\\' || c == '\n' || c == '\r' || c == '\t') {
            esc[0] = '\\';
            esc[1] = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            put(buf, size, &len, &full, esc, 2);
            i++;
        } else if (c >= 0x20 && c < 0x7f) {
            put(buf, size, &len, &full, (const char *)&p[i], 1);
            i++;
        } else if (c >= 0x80 && utf8_length(&p[i], n - i) > 0) {
            size_t k = utf8_length(&p[i], n - i);
            put(buf, size, &len, &full, (const char *)&p[i], k);
            i += k;
        } else {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[c >> 4];
            esc[3] = hex[c & 15];
            put(buf, size, &len, &full, esc, 4);
            i++;
        }
    }
    return len;
}
