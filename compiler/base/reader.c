/*
 * Reader primitives: LEB128 (spec 5.2.2), floats (5.2.3), names (5.2.4).
 *
 * LEB128 rules: an N-bit integer takes at most ceil(N/7) bytes; in the last
 * byte the bits beyond N must be zero (unsigned) or copies of the sign bit
 * (signed). Over-long encodings report "integer representation too long" and
 * bad padding "integer too large", as the spec suite expects.
 */
#include "reader.h"

#include <string.h>

void wa_reader_init(WaReader *r, const uint8_t *bytes, size_t size, WaDiag *d) {
    r->base = bytes;
    r->p = bytes;
    r->end = bytes + size;
    r->d = d;
    r->end_message = NULL;
    r->features = 0;
}

WaReader wa_reader_sub(const WaReader *r, size_t size) {
    WaReader sub = *r;
    sub.end = r->p + size;
    return sub;
}

static bool unexpected_end(WaReader *r) {
    return wa_diag_error(r->d, wa_reader_offset(r), "%s",
                         r->end_message ? r->end_message : "unexpected end");
}

bool wa_read_u8(WaReader *r, uint8_t *out) {
    if (r->p >= r->end)
        return unexpected_end(r);
    *out = *r->p++;
    return true;
}

bool wa_read_uleb(WaReader *r, unsigned bits, uint64_t *out) {
    size_t start = wa_reader_offset(r);
    unsigned max_bytes = (bits + 6) / 7;
    uint64_t result = 0;
    for (unsigned i = 0;; i++) {
        if (i == max_bytes)
            return wa_diag_error(r->d, start, "integer representation too long");
        uint8_t byte;
        if (r->p >= r->end)
            return unexpected_end(r);
        byte = *r->p++;
        unsigned shift = 7 * i;
        if (i == max_bytes - 1) {
            /* Last allowed byte: only bits - shift payload bits may be set. */
            unsigned used = bits - shift;
            if (byte & 0x80)
                return wa_diag_error(r->d, start, "integer representation too long");
            if (used < 7 && (byte >> used) != 0)
                return wa_diag_error(r->d, start, "integer too large");
        }
        result |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            break;
    }
    *out = result;
    return true;
}

bool wa_read_sleb(WaReader *r, unsigned bits, int64_t *out) {
    size_t start = wa_reader_offset(r);
    unsigned max_bytes = (bits + 6) / 7;
    uint64_t result = 0;
    unsigned shift = 0;
    uint8_t byte;
    for (unsigned i = 0;; i++) {
        if (i == max_bytes)
            return wa_diag_error(r->d, start, "integer representation too long");
        if (r->p >= r->end)
            return unexpected_end(r);
        byte = *r->p++;
        if (i == max_bytes - 1) {
            if (byte & 0x80)
                return wa_diag_error(r->d, start, "integer representation too long");
            /* Bits at and above (bits - shift - 1) must all equal the sign bit. */
            unsigned used = bits - shift; /* payload bits available in this byte, 1..7 */
            if (used < 7) {
                uint8_t rest = (uint8_t)((byte & 0x7f) >> (used - 1));
                uint8_t all = (uint8_t)(0x7f >> (used - 1));
                if (rest != 0 && rest != all)
                    return wa_diag_error(r->d, start, "integer too large");
            }
        }
        result |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80))
            break;
    }
    if (shift < 64 && (byte & 0x40))
        result |= ~(uint64_t)0 << shift;
    *out = (int64_t)result;
    return true;
}

bool wa_read_u32(WaReader *r, uint32_t *out) {
    uint64_t v;
    WA_TRY(wa_read_uleb(r, 32, &v));
    *out = (uint32_t)v;
    return true;
}

bool wa_read_u64(WaReader *r, uint64_t *out) {
    return wa_read_uleb(r, 64, out);
}

bool wa_read_s32(WaReader *r, int32_t *out) {
    int64_t v;
    WA_TRY(wa_read_sleb(r, 32, &v));
    *out = (int32_t)v;
    return true;
}

bool wa_read_s33(WaReader *r, int64_t *out) {
    return wa_read_sleb(r, 33, out);
}

bool wa_read_s64(WaReader *r, int64_t *out) {
    return wa_read_sleb(r, 64, out);
}

bool wa_read_bytes(WaReader *r, size_t n, const uint8_t **out) {
    if (wa_reader_left(r) < n) {
        r->p = r->end;
        return unexpected_end(r);
    }
    *out = r->p;
    r->p += n;
    return true;
}

bool wa_read_f32(WaReader *r, uint32_t *bits) {
    const uint8_t *b;
    WA_TRY(wa_read_bytes(r, 4, &b));
    *bits = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}

bool wa_read_f64(WaReader *r, uint64_t *bits) {
    const uint8_t *b;
    WA_TRY(wa_read_bytes(r, 8, &b));
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    *bits = v;
    return true;
}

bool wa_utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        uint32_t cp;
        size_t len;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

bool wa_read_name(WaReader *r, const uint8_t **out, uint32_t *len) {
    uint32_t n;
    WA_TRY(wa_read_u32(r, &n));
    size_t at = wa_reader_offset(r);
    WA_TRY(wa_read_bytes(r, n, out));
    if (!wa_utf8_valid(*out, n))
        return wa_diag_error(r->d, at, "malformed UTF-8 encoding");
    *len = n;
    return true;
}
