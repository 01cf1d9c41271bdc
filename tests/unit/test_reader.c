/*
 * test_reader.c: the byte reader's primitives (spec 5.2): LEB128 integers of
 * every width at their limits, over-long and too-large encodings, truncation,
 * floats, byte strings, names and UTF-8 validity, with the spec suite's
 * messages and the offsets they are reported at.
 */
#include "base/reader.h"

#include <criterion/criterion.h>
#include <string.h>

/* A reader over a literal byte list, with its own diagnostics. */
typedef struct Fixture {
    WaDiag d;
    WaReader r;
} Fixture;

#define FIX(name, ...)                                                                             \
    static const uint8_t name##_bytes[] = {__VA_ARGS__};                                           \
    Fixture name;                                                                                  \
    wa_diag_init(&name.d, "t.wasm");                                                               \
    wa_reader_init(&name.r, name##_bytes, sizeof(name##_bytes), &name.d)

static void expect_error(const Fixture *f, const char *message, size_t offset) {
    cr_assert(f->d.failed, "expected failure \"%s\"", message);
    cr_assert_str_eq(f->d.message, message);
    cr_assert(f->d.has_offset);
    cr_assert_eq(f->d.offset, offset, "offset %zu, expected %zu", f->d.offset, offset);
}

Test(reader, u32_small_and_max) {
    FIX(a, 0x00, 0x7f, 0xe5, 0x8e, 0x26, 0xff, 0xff, 0xff, 0xff, 0x0f);
    uint32_t v;
    cr_assert(wa_read_u32(&a.r, &v));
    cr_assert_eq(v, 0);
    cr_assert(wa_read_u32(&a.r, &v));
    cr_assert_eq(v, 127);
    cr_assert(wa_read_u32(&a.r, &v));
    cr_assert_eq(v, 624485);
    cr_assert(wa_read_u32(&a.r, &v));
    cr_assert_eq(v, UINT32_MAX);
    cr_assert(wa_reader_at_end(&a.r));
}

Test(reader, u32_non_minimal_within_five_bytes_is_allowed) {
    FIX(a, 0x82, 0x80, 0x80, 0x80, 0x00);
    uint32_t v;
    cr_assert(wa_read_u32(&a.r, &v));
    cr_assert_eq(v, 2);
}

Test(reader, u32_six_bytes_is_too_long) {
    FIX(a, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    uint8_t skip;
    uint32_t v;
    cr_assert(wa_read_u8(&a.r, &skip));
    cr_assert_not(wa_read_u32(&a.r, &v));
    expect_error(&a, "integer representation too long", 1);
}

Test(reader, u32_unused_bits_set_is_too_large) {
    FIX(a, 0xff, 0xff, 0xff, 0xff, 0x1f);
    uint32_t v;
    cr_assert_not(wa_read_u32(&a.r, &v));
    expect_error(&a, "integer too large", 0);
}

Test(reader, u32_value_above_max_is_too_large) {
    FIX(a, 0x80, 0x80, 0x80, 0x80, 0x10);
    uint32_t v;
    cr_assert_not(wa_read_u32(&a.r, &v));
    expect_error(&a, "integer too large", 0);
}

Test(reader, u32_truncated_is_unexpected_end) {
    FIX(a, 0x80, 0x80);
    uint32_t v;
    cr_assert_not(wa_read_u32(&a.r, &v));
    expect_error(&a, "unexpected end", 2);
}

Test(reader, end_message_is_configurable_and_inherited) {
    FIX(a, 0x05, 0x80);
    a.r.end_message = "unexpected end of section or function";
    WaReader sub = wa_reader_sub(&a.r, 2);
    uint32_t v;
    cr_assert(wa_read_u32(&sub, &v));
    cr_assert_not(wa_read_u32(&sub, &v));
    expect_error(&a, "unexpected end of section or function", 2);
}

Test(reader, s32_limits) {
    FIX(a, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x78, 0xff, 0xff, 0xff, 0xff, 0x07, 0xff, 0xff, 0xff, 0xff,
        0x7f, 0xc0, 0xbb, 0x78);
    int32_t v;
    cr_assert(wa_read_s32(&a.r, &v));
    cr_assert_eq(v, -1);
    cr_assert(wa_read_s32(&a.r, &v));
    cr_assert_eq(v, INT32_MIN);
    cr_assert(wa_read_s32(&a.r, &v));
    cr_assert_eq(v, INT32_MAX);
    cr_assert(wa_read_s32(&a.r, &v));
    cr_assert_eq(v, -1); /* non-minimal but within 5 bytes */
    cr_assert(wa_read_s32(&a.r, &v));
    cr_assert_eq(v, -123456);
}

Test(reader, s32_bad_sign_extension_is_too_large) {
    /* Last byte's unused bits (above bit 3) must copy the sign bit: 0x70 has sign 0. */
    FIX(a, 0x80, 0x80, 0x80, 0x80, 0x70);
    int32_t v;
    cr_assert_not(wa_read_s32(&a.r, &v));
    expect_error(&a, "integer too large", 0);
}

Test(reader, s32_positive_overflow_is_too_large) {
    FIX(a, 0xff, 0xff, 0xff, 0xff, 0x0f);
    int32_t v;
    cr_assert_not(wa_read_s32(&a.r, &v));
    expect_error(&a, "integer too large", 0);
}

Test(reader, s32_six_bytes_is_too_long) {
    FIX(a, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f);
    int32_t v;
    cr_assert_not(wa_read_s32(&a.r, &v));
    expect_error(&a, "integer representation too long", 0);
}

Test(reader, s33_covers_u32_type_indices) {
    FIX(a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x80, 0x80, 0x80, 0x80, 0x70, 0x40);
    int64_t v;
    cr_assert(wa_read_s33(&a.r, &v));
    cr_assert_eq(v, (int64_t)UINT32_MAX);
    cr_assert(wa_read_s33(&a.r, &v));
    cr_assert_eq(v, -((int64_t)1 << 32));
    cr_assert(wa_read_s33(&a.r, &v));
    cr_assert_eq(v, -64);
}

Test(reader, s33_too_large) {
    FIX(a, 0xff, 0xff, 0xff, 0xff, 0x1f);
    int64_t v;
    cr_assert_not(wa_read_s33(&a.r, &v));
    expect_error(&a, "integer too large", 0);
}

Test(reader, s64_limits) {
    FIX(a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f, /* INT64_MIN */
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00);   /* INT64_MAX */
    int64_t v;
    cr_assert(wa_read_s64(&a.r, &v));
    cr_assert_eq(v, INT64_MIN);
    cr_assert(wa_read_s64(&a.r, &v));
    cr_assert_eq(v, INT64_MAX);
}

Test(reader, s64_bad_last_byte) {
    FIX(a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    int64_t v;
    cr_assert_not(wa_read_s64(&a.r, &v));
    expect_error(&a, "integer too large", 0);
}

Test(reader, s64_eleven_bytes_is_too_long) {
    FIX(a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    int64_t v;
    cr_assert_not(wa_read_s64(&a.r, &v));
    expect_error(&a, "integer representation too long", 0);
}

Test(reader, u64_limits) {
    FIX(a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0x02);
    uint64_t v;
    cr_assert(wa_read_u64(&a.r, &v));
    cr_assert_eq(v, UINT64_MAX);
    cr_assert_not(wa_read_u64(&a.r, &v));
    expect_error(&a, "integer too large", 10);
}

Test(reader, one_bit_leb_for_flags) {
    FIX(a, 0x01, 0x02);
    uint64_t v;
    cr_assert(wa_read_uleb(&a.r, 1, &v));
    cr_assert_eq(v, 1);
    cr_assert_not(wa_read_uleb(&a.r, 1, &v));
    expect_error(&a, "integer too large", 1);
}

Test(reader, floats_are_little_endian_bits) {
    FIX(a, 0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f, 0x01);
    uint32_t f;
    uint64_t g;
    cr_assert(wa_read_f32(&a.r, &f));
    cr_assert_eq(f, 0x3fc00000u); /* 1.5f */
    cr_assert(wa_read_f64(&a.r, &g));
    cr_assert_eq(g, 0x7ff8000000000000ull); /* canonical NaN, bits kept exactly */
    cr_assert_not(wa_read_f32(&a.r, &f));
    expect_error(&a, "unexpected end", 13);
}

Test(reader, bytes_past_end_fail) {
    FIX(a, 1, 2, 3);
    const uint8_t *p;
    cr_assert(wa_read_bytes(&a.r, 2, &p));
    cr_assert_eq(p[0], 1);
    cr_assert_not(wa_read_bytes(&a.r, 2, &p));
    cr_assert_str_eq(a.d.message, "unexpected end");
}

Test(reader, name_valid_and_invalid) {
    FIX(a, 0x03, 'a', 0xc3, 0xa9, 0x02, 0xc0, 0x80);
    const uint8_t *p;
    uint32_t len;
    cr_assert(wa_read_name(&a.r, &p, &len));
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(p, "a\xc3\xa9", 3), 0);
    cr_assert_not(wa_read_name(&a.r, &p, &len));
    expect_error(&a, "malformed UTF-8 encoding", 5);
}

static bool utf8(const char *s) {
    return wa_utf8_valid((const uint8_t *)s, strlen(s));
}

Test(reader, utf8_accepts_every_length) {
    cr_assert(utf8(""));
    cr_assert(utf8("plain ascii"));
    cr_assert(utf8("\xc2\x80"));         /* U+0080, smallest 2-byte */
    cr_assert(utf8("\xdf\xbf"));         /* U+07FF */
    cr_assert(utf8("\xe0\xa0\x80"));     /* U+0800 */
    cr_assert(utf8("\xed\x9f\xbf"));     /* U+D7FF, just below the surrogates */
    cr_assert(utf8("\xee\x80\x80"));     /* U+E000, just above them */
    cr_assert(utf8("\xef\xbf\xbf"));     /* U+FFFF */
    cr_assert(utf8("\xf0\x90\x80\x80")); /* U+10000 */
    cr_assert(utf8("\xf4\x8f\xbf\xbf")); /* U+10FFFF, the last code point */
}

Test(reader, utf8_rejects_malformed) {
    cr_assert_not(utf8("\x80"));             /* stray continuation byte */
    cr_assert_not(utf8("\xc0\x80"));         /* overlong NUL */
    cr_assert_not(utf8("\xc1\xbf"));         /* overlong 2-byte */
    cr_assert_not(utf8("\xe0\x9f\xbf"));     /* overlong 3-byte */
    cr_assert_not(utf8("\xf0\x8f\xbf\xbf")); /* overlong 4-byte */
    cr_assert_not(utf8("\xed\xa0\x80"));     /* surrogate U+D800 */
    cr_assert_not(utf8("\xed\xbf\xbf"));     /* surrogate U+DFFF */
    cr_assert_not(utf8("\xf4\x90\x80\x80")); /* U+110000 */
    cr_assert_not(utf8("\xf8\x88\x80\x80\x80"));
    cr_assert_not(utf8("\xff"));
    cr_assert_not(utf8("\xe2\x82"));      /* truncated */
    cr_assert_not(utf8("\xc3\x28"));      /* bad continuation */
    cr_assert_not(utf8("a\xf0\x90\x80")); /* truncated at the end */
}
