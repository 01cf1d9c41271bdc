/*
 * Reader: a bounded cursor over bytes, with the WebAssembly binary format's
 * primitive encodings (spec 5.2: bytes, LEB128 integers, IEEE floats, names).
 *
 * Every read checks the bound and reports failure through the WaDiag with the
 * absolute file offset and the spec suite's wording:
 *   "unexpected end"                   the bytes ran out
 *   "integer representation too long"  a LEB128 longer than ceil(N/7) bytes
 *   "integer too large"                unused bits of the last LEB128 byte are not
 *                                      zero (or not the sign extension, for signed)
 *   "malformed UTF-8 encoding"         a name that is not valid UTF-8
 * A sub-reader (wa_reader_sub) covers a section or function body: running off
 * its end is "unexpected end" too, but the caller can tell the two apart by
 * checking lengths first where the spec wants "length out of bounds".
 */
#ifndef WA_BASE_READER_H
#define WA_BASE_READER_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct WaReader {
    const uint8_t *base; /* start of the whole input; offsets are relative to it */
    const uint8_t *p;    /* next byte */
    const uint8_t *end;  /* one past the last readable byte */
    WaDiag *d;
    /* What running off `end` is called; NULL means "unexpected end". The decoder sets
       "unexpected end of section or function" on section and body readers, as the spec
       suite words it there; sub-readers inherit it. */
    const char *end_message;
    /* The WebAssembly features (a WaFeatures set, wasm/features.h) that decide how the input is
       encoded: the decoder's argument, and the decoded module's (wa_module_reader) after it;
       0 (Wasm 1.0) from wa_reader_init. Readers copied from a reader keep it. */
    uint32_t features;
} WaReader;

/* A reader over all of bytes[0, size). */
void wa_reader_init(WaReader *r, const uint8_t *bytes, size_t size, WaDiag *d);

/* A reader over the next `size` bytes of r, which must all be there (checked by caller). */
WaReader wa_reader_sub(const WaReader *r, size_t size);

static inline size_t wa_reader_offset(const WaReader *r) {
    return (size_t)(r->p - r->base);
}
static inline size_t wa_reader_left(const WaReader *r) {
    return (size_t)(r->end - r->p);
}
static inline bool wa_reader_at_end(const WaReader *r) {
    return r->p >= r->end;
}

bool wa_read_u8(WaReader *r, uint8_t *out);
bool wa_read_u32(WaReader *r, uint32_t *out);  /* unsigned LEB128, 32 bits */
bool wa_read_u64(WaReader *r, uint64_t *out);  /* unsigned LEB128, 64 bits */
bool wa_read_s32(WaReader *r, int32_t *out);   /* signed LEB128, 32 bits */
bool wa_read_s33(WaReader *r, int64_t *out);   /* signed LEB128, 33 bits (block types) */
bool wa_read_s64(WaReader *r, int64_t *out);   /* signed LEB128, 64 bits */
bool wa_read_f32(WaReader *r, uint32_t *bits); /* 4 little-endian bytes, as raw bits */
bool wa_read_f64(WaReader *r, uint64_t *bits); /* 8 little-endian bytes, as raw bits */

/* Points *out at the next n bytes and skips them. */
bool wa_read_bytes(WaReader *r, size_t n, const uint8_t **out);

/* A name (u32 length + UTF-8 bytes); *out points into the input, not NUL-terminated. */
bool wa_read_name(WaReader *r, const uint8_t **out, uint32_t *len);

/* Is s[0, n) well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF)? */
bool wa_utf8_valid(const uint8_t *s, size_t n);

/* The generic LEB128 readers behind the above, for `bits` of 1..64. */
bool wa_read_uleb(WaReader *r, unsigned bits, uint64_t *out);
bool wa_read_sleb(WaReader *r, unsigned bits, int64_t *out);

#endif
