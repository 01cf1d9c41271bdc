/*
 * values.c: values and result patterns of the spec scripts, as wast2json
 * writes them, and comparing actual results with them.
 *
 * wast2json writes every number as the decimal string of its bit pattern,
 * unsigned: {"type": "i32", "value": "4294967295"} is -1, and a float is its
 * IEEE bits ({"type": "f32", "value": "1065353216"} is 1.0), so comparisons
 * are bit for bit and no float parsing is involved. A float result may be a
 * NaN pattern instead (spec interpreter, "nan:canonical" and
 * "nan:arithmetic"): canonical is a NaN whose payload is exactly the top bit
 * (either sign), arithmetic is any NaN with the top payload bit set. A v128
 * is {"type": "v128", "lane_type": "i8".."f64", "value": [one string per
 * lane]}, and a float lane may be a NaN pattern. References: "null", or for
 * externref a number n (`ref.extern n`); a reference result with no value
 * at all matches any non-null reference.
 */
#include "spec.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lane count and width in bytes of each lane shape, indexed by SpecLane. */
static const struct {
    const char *name;  /* as in lane_type */
    const char *shape; /* as in v128.const */
    unsigned count, width;
} lanes[] = {
    {"i8", "i8x16", 16, 1}, {"i16", "i16x8", 8, 2}, {"i32", "i32x4", 4, 4},
    {"i64", "i64x2", 2, 8}, {"f32", "f32x4", 4, 4}, {"f64", "f64x2", 2, 8},
};

const char *spec_values_type_name(uint8_t type) {
    return wa_rt_value_type_name(type);
}

static bool type_from_name(const char *name, uint8_t *type) {
    static const uint8_t codes[] = {WA_RT_I32,  WA_RT_I64,     WA_RT_F32,       WA_RT_F64,
                                    WA_RT_V128, WA_RT_FUNCREF, WA_RT_EXTERNREF, WA_RT_EXNREF};
    for (size_t i = 0; i < sizeof codes; i++) {
        if (strcmp(name, spec_values_type_name(codes[i])) == 0) {
            *type = codes[i];
            return true;
        }
    }
    return false;
}

void *spec_values_extern_ref(uint64_t n) {
    return (void *)(uintptr_t)(n + 1);
}

/* An unsigned decimal that fits in `bits` bits. */
static bool parse_bits(const char *s, unsigned bits, uint64_t *out) {
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || (bits < 64 && v >> bits != 0))
        return false;
    *out = v;
    return true;
}

/* A float lane or scalar: bits, or a NaN pattern. */
static bool parse_float(const char *s, unsigned bits, SpecMatch *match, uint64_t *out) {
    *out = 0;
    if (s != NULL && strcmp(s, "nan:canonical") == 0) {
        *match = SPEC_MATCH_NAN_CANONICAL;
        return true;
    }
    if (s != NULL && strcmp(s, "nan:arithmetic") == 0) {
        *match = SPEC_MATCH_NAN_ARITHMETIC;
        return true;
    }
    *match = SPEC_MATCH_EXACT;
    return parse_bits(s, bits, out);
}

static bool parse_v128(json_object *o, SpecValue *out, char *why, size_t why_size) {
    json_object *lt = json_object_object_get(o, "lane_type");
    json_object *arr = json_object_object_get(o, "value");
    const char *lane_name = lt != NULL ? json_object_get_string(lt) : "";
    size_t k = 0;
    while (k < sizeof lanes / sizeof lanes[0] && strcmp(lanes[k].name, lane_name) != 0)
        k++;
    if (k == sizeof lanes / sizeof lanes[0]) {
        snprintf(why, why_size, "v128 with unknown lane type \"%s\"", lane_name);
        return false;
    }
    out->lane = (SpecLane)k;
    if (arr == NULL || !json_object_is_type(arr, json_type_array) ||
        json_object_array_length(arr) != lanes[k].count) {
        snprintf(why, why_size, "v128 %s needs %u lanes", lanes[k].shape, lanes[k].count);
        return false;
    }
    bool is_float = out->lane == SPEC_LANE_F32 || out->lane == SPEC_LANE_F64;
    for (unsigned i = 0; i < lanes[k].count; i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(arr, i));
        uint64_t bits;
        bool ok = is_float ? parse_float(s, lanes[k].width * 8, &out->match[i], &bits)
                           : parse_bits(s, lanes[k].width * 8, &bits);
        if (!ok) {
            snprintf(why, why_size, "bad v128 lane value \"%s\"", s ? s : "");
            return false;
        }
        /* Lanes are little-endian in the vector, as in wasm memory. */
        for (unsigned b = 0; b < lanes[k].width; b++)
            out->value.v128[i * lanes[k].width + b] = (uint8_t)(bits >> (8 * b));
    }
    return true;
}

bool spec_values_parse(json_object *o, SpecValue *out, char *why, size_t why_size) {
    memset(out, 0, sizeof *out);
    json_object *t = json_object_object_get(o, "type");
    const char *type_name = t != NULL ? json_object_get_string(t) : "";
    if (!type_from_name(type_name, &out->type)) {
        snprintf(why, why_size, "unknown value type \"%s\"", type_name);
        return false;
    }
    if (out->type == WA_RT_V128)
        return parse_v128(o, out, why, why_size);
    json_object *v = json_object_object_get(o, "value");
    const char *s = v != NULL ? json_object_get_string(v) : NULL;
    uint64_t bits = 0;
    bool ok = true;
    switch (out->type) {
    case WA_RT_I32:
        ok = parse_bits(s, 32, &bits);
        out->value.i32 = (int32_t)(uint32_t)bits;
        break;
    case WA_RT_I64:
        ok = parse_bits(s, 64, &bits);
        out->value.i64 = (int64_t)bits;
        break;
    case WA_RT_F32: {
        ok = parse_float(s, 32, &out->match[0], &bits);
        uint32_t b32 = (uint32_t)bits;
        memcpy(&out->value.f32, &b32, sizeof b32);
        break;
    }
    case WA_RT_F64:
        ok = parse_float(s, 64, &out->match[0], &bits);
        memcpy(&out->value.f64, &bits, sizeof bits);
        break;
    default: /* references */
        if (s == NULL)
            out->any_ref = true;
        else if (strcmp(s, "null") == 0)
            out->value.ref = NULL;
        else if (out->type == WA_RT_EXTERNREF && parse_bits(s, 64, &bits))
            out->value.ref = spec_values_extern_ref(bits);
        else
            ok = false; /* a funcref has no literal but null */
        break;
    }
    if (!ok)
        snprintf(why, why_size, "bad %s value \"%s\"", type_name, s ? s : "(none)");
    return ok;
}

/* Does a float of `bits` bits (as an integer) match a lane pattern? */
static bool float_matches(SpecMatch match, uint64_t expected, uint64_t got, unsigned bits) {
    uint64_t exp_mask = bits == 32 ? UINT64_C(0x7f800000) : UINT64_C(0x7ff0000000000000);
    uint64_t quiet = bits == 32 ? UINT64_C(0x00400000) : UINT64_C(0x0008000000000000);
    uint64_t sign = bits == 32 ? UINT64_C(0x80000000) : UINT64_C(0x8000000000000000);
    switch (match) {
    case SPEC_MATCH_NAN_CANONICAL:
        return (got & ~sign) == (exp_mask | quiet);
    case SPEC_MATCH_NAN_ARITHMETIC:
        return (got & (exp_mask | quiet)) == (exp_mask | quiet);
    default:
        return got == expected;
    }
}

static uint64_t lane_bits(const uint8_t *v128, unsigned index, unsigned width) {
    uint64_t bits = 0;
    for (unsigned b = 0; b < width; b++)
        bits |= (uint64_t)v128[index * width + b] << (8 * b);
    return bits;
}

bool spec_values_match(const SpecValue *e, const wa_rt_value_t *got) {
    switch (e->type) {
    case WA_RT_I32:
        return got->i32 == e->value.i32;
    case WA_RT_I64:
        return got->i64 == e->value.i64;
    case WA_RT_F32: {
        uint32_t a, b;
        memcpy(&a, &e->value.f32, 4);
        memcpy(&b, &got->f32, 4);
        return float_matches(e->match[0], a, b, 32);
    }
    case WA_RT_F64: {
        uint64_t a, b;
        memcpy(&a, &e->value.f64, 8);
        memcpy(&b, &got->f64, 8);
        return float_matches(e->match[0], a, b, 64);
    }
    case WA_RT_V128: {
        unsigned n = lanes[e->lane].count, w = lanes[e->lane].width;
        bool is_float = e->lane == SPEC_LANE_F32 || e->lane == SPEC_LANE_F64;
        for (unsigned i = 0; i < n; i++) {
            uint64_t a = lane_bits(e->value.v128, i, w), b = lane_bits(got->v128, i, w);
            if (is_float ? !float_matches(e->match[i], a, b, w * 8) : a != b)
                return false;
        }
        return true;
    }
    default:
        return e->any_ref ? got->ref != NULL : got->ref == e->value.ref;
    }
}

/* Appends to buf[*len..size), keeping it NUL-terminated and *len honest about truncation. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *len, const char *fmt, ...) {
    if (*len >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += (size_t)n;
}

/* One lane or scalar: integers signed, floats as a number and their bits. */
static void append_number(char *buf, size_t size, size_t *len, SpecMatch match, uint64_t bits,
                          bool is_float, unsigned width) {
    if (match == SPEC_MATCH_NAN_CANONICAL) {
        append(buf, size, len, "nan:canonical");
    } else if (match == SPEC_MATCH_NAN_ARITHMETIC) {
        append(buf, size, len, "nan:arithmetic");
    } else if (is_float && width == 4) {
        uint32_t b = (uint32_t)bits;
        float f;
        memcpy(&f, &b, 4);
        append(buf, size, len, "%.9g (0x%08" PRIx32 ")", (double)f, b);
    } else if (is_float) {
        double d;
        memcpy(&d, &bits, 8);
        append(buf, size, len, "%.17g (0x%016" PRIx64 ")", d, bits);
    } else {
        /* Sign-extend from the lane width. */
        unsigned shift = 64 - width * 8;
        int64_t v = (int64_t)(bits << shift) >> shift;
        append(buf, size, len, "%" PRId64, v);
    }
}

static void format_value(uint8_t type, SpecLane lane, const SpecMatch *match, bool any_ref,
                         const wa_rt_value_t *v, char *buf, size_t size) {
    static const SpecMatch exact[16];
    if (match == NULL)
        match = exact;
    size_t len = 0;
    buf[0] = '\0';
    append(buf, size, &len, "(%s ", spec_values_type_name(type));
    switch (type) {
    case WA_RT_I32:
        append(buf, size, &len, "%" PRId32, v->i32);
        break;
    case WA_RT_I64:
        append(buf, size, &len, "%" PRId64, v->i64);
        break;
    case WA_RT_F32: {
        uint32_t b;
        memcpy(&b, &v->f32, 4);
        append_number(buf, size, &len, match[0], b, true, 4);
        break;
    }
    case WA_RT_F64: {
        uint64_t b;
        memcpy(&b, &v->f64, 8);
        append_number(buf, size, &len, match[0], b, true, 8);
        break;
    }
    case WA_RT_V128: {
        unsigned n = lanes[lane].count, w = lanes[lane].width;
        bool is_float = lane == SPEC_LANE_F32 || lane == SPEC_LANE_F64;
        append(buf, size, &len, "%s", lanes[lane].shape);
        for (unsigned i = 0; i < n; i++) {
            append(buf, size, &len, " ");
            append_number(buf, size, &len, match[i], lane_bits(v->v128, i, w), is_float, w);
        }
        break;
    }
    default:
        if (any_ref)
            append(buf, size, &len, "non-null");
        else if (v->ref == NULL)
            append(buf, size, &len, "null");
        else if (type == WA_RT_EXTERNREF)
            append(buf, size, &len, "extern %" PRIu64, (uint64_t)(uintptr_t)v->ref - 1);
        else
            append(buf, size, &len, "%p", v->ref);
        break;
    }
    append(buf, size, &len, ")");
}

void spec_values_format(const SpecValue *v, char *buf, size_t size) {
    format_value(v->type, v->lane, v->match, v->any_ref, &v->value, buf, size);
}

void spec_values_format_actual(uint8_t type, SpecLane lane, const wa_rt_value_t *v, char *buf,
                               size_t size) {
    format_value(type, lane, NULL, false, v, buf, size);
}
