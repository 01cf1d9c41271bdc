/*
 * test_decode.c: the module decoder (spec chapter 5) and the instruction
 * reader (spec 5.4) on hand-written byte strings: well-formed modules and
 * what they decode to, each section kind and segment encoding, and each
 * malformed-module error with its spec-suite message and offset.
 *
 * Modules are built with a small byte builder: sec() frames a section with
 * its id and LEB128 size, so tests write only section contents.
 */
#include "wasm/decode.h"
#include "wasm/instr.h"
#include "wasm2_encodings.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- byte builder ---- */

typedef struct Buf {
    uint8_t b[4096];
    size_t n;
} Buf;

static void put(Buf *buf, const uint8_t *bytes, size_t n) {
    cr_assert(buf->n + n <= sizeof(buf->b));
    memcpy(buf->b + buf->n, bytes, n);
    buf->n += n;
}

#define PUT(buf, ...)                                                                              \
    do {                                                                                           \
        static const uint8_t bytes_[] = {__VA_ARGS__};                                             \
        put((buf), bytes_, sizeof(bytes_));                                                        \
    } while (0)

static void put_u32(Buf *buf, uint32_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        if (v)
            byte |= 0x80;
        put(buf, &byte, 1);
    } while (v);
}

static void header(Buf *buf) {
    buf->n = 0;
    PUT(buf, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
}

/* Appends section `id` with the given contents. */
static void sec(Buf *buf, uint8_t id, const uint8_t *contents, size_t n) {
    put(buf, &id, 1);
    put_u32(buf, (uint32_t)n);
    put(buf, contents, n);
}

#define SEC(buf, id, ...)                                                                          \
    do {                                                                                           \
        static const uint8_t c_[] = {__VA_ARGS__};                                                 \
        sec((buf), (id), c_, sizeof(c_));                                                          \
    } while (0)

/* ---- decoding helpers ---- */

static WaDiag d;
static WaModule m;

static bool decode(const Buf *buf) {
    wa_diag_init(&d, "t.wasm");
    return wa_decode_module(buf->b, buf->n, "t.wasm", test_encoding, &m, &d);
}

static void decode_ok(const Buf *buf) {
    bool ok = decode(buf);
    cr_assert(ok, "decode failed: %s at 0x%zx", d.message, d.offset);
}

static void decode_fails(const Buf *buf, const char *message, size_t offset) {
    cr_assert_not(decode(buf), "decode should fail with \"%s\"", message);
    cr_assert_str_eq(d.message, message);
    cr_assert(d.has_offset);
    cr_assert_eq(d.offset, offset, "offset 0x%zx, expected 0x%zx", d.offset, offset);
    /* A failed decode leaves nothing to free. */
    cr_assert_null(m.arena.chunks);
}

static void teardown(void) {
    if (m.arena.chunks)
        wa_module_free(&m);
}

TestSuite(decode, .fini = teardown);

/* ---- header ---- */

Test(decode, empty_module) {
    Buf b;
    header(&b);
    decode_ok(&b);
    cr_assert_eq(m.ntypes + m.nfuncs + m.nimports + m.nexports + m.ncustoms, 0);
    cr_assert_eq(m.size, 8);
    cr_assert_null(m.name);
}

Test(decode, rejects_truncated_magic) {
    Buf b = {.b = {0x00, 0x61, 0x73}, .n = 3};
    decode_fails(&b, "unexpected end", 3);
    Buf e = {.n = 0};
    decode_fails(&e, "unexpected end", 0);
}

Test(decode, rejects_bad_magic) {
    Buf b = {.b = {'a', 's', 'm', 0x00, 0x01, 0, 0, 0}, .n = 8};
    decode_fails(&b, "magic header not detected", 0);
}

Test(decode, rejects_truncated_version) {
    Buf b = {.b = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00}, .n = 6};
    decode_fails(&b, "unexpected end", 6);
}

Test(decode, rejects_bad_version) {
    Buf b = {.b = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}, .n = 8};
    decode_fails(&b, "unknown binary version", 4);
}

/* ---- section framing ---- */

Test(decode, rejects_malformed_section_id) {
    Buf b;
    header(&b);
    PUT(&b, 0x0e, 0x00);
    decode_fails(&b, "malformed section id", 8);
}

/* Without exception handling the tag section (id 13) is Wasm 2.0's unknown id, named. */
Test(decode, rejects_tag_section_without_exceptions) {
    Buf b;
    header(&b);
    PUT(&b, 0x0d, 0x00);
    decode_fails(&b,
                 "malformed section id 13: the tag section needs the exceptions feature "
                 "(--enable-exceptions)",
                 8);
}

Test(decode, rejects_section_size_past_end) {
    Buf b;
    header(&b);
    PUT(&b, 0x01, 0x07, 0x01, 0x60, 0x00, 0x00);
    decode_fails(&b, "length out of bounds", 9);
}

Test(decode, rejects_section_with_extra_bytes) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00); /* 1 type declared, 2 given */
    decode_fails(&b, "section size mismatch", 8);
}

Test(decode, rejects_section_content_past_its_size) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x02, 0x60, 0x00, 0x00); /* 2 types declared, 1 given, at the end of file */
    decode_fails(&b, "unexpected end of section or function", 14);
}

Test(decode, reading_past_section_end_is_size_mismatch) {
    /* The type section's size covers one type, but its count says two and the
       next bytes happen to form one: the section read too much. */
    Buf b;
    header(&b);
    PUT(&b, 0x01, 0x04, 0x02, 0x60, 0x00, 0x00);
    PUT(&b, 0x60, 0x00, 0x00);
    decode_fails(&b, "section size mismatch", 8);
}

Test(decode, rejects_out_of_order_sections) {
    Buf b;
    header(&b);
    SEC(&b, 3, 0x00);
    SEC(&b, 1, 0x00);
    decode_fails(&b, "unexpected content after last section", 11);
}

Test(decode, rejects_repeated_section) {
    Buf b;
    header(&b);
    SEC(&b, 8, 0x00);
    SEC(&b, 8, 0x00);
    decode_fails(&b, "unexpected content after last section", 11);
}

Test(decode, data_count_goes_between_element_and_code) {
    Buf b;
    header(&b);
    SEC(&b, 9, 0x00);
    SEC(&b, 12, 0x00);
    SEC(&b, 10, 0x00);
    SEC(&b, 11, 0x00);
    decode_ok(&b);
    cr_assert(m.has_data_count);
    cr_assert_eq(m.data_count, 0);

    header(&b);
    SEC(&b, 10, 0x00);
    SEC(&b, 12, 0x00);
    decode_fails(&b, "unexpected content after last section", 11);
}

Test(decode, custom_sections_anywhere) {
    Buf b;
    header(&b);
    SEC(&b, 0, 0x01, 'a', 1, 2, 3);
    SEC(&b, 1, 0x00);
    SEC(&b, 0, 0x02, 'b', 'c');
    SEC(&b, 10, 0x00);
    SEC(&b, 0, 0x00);
    decode_ok(&b);
    cr_assert_eq(m.ncustoms, 3);
    cr_assert_eq(m.customs[0].name.len, 1);
    cr_assert_eq(m.customs[0].name.data[0], 'a');
    cr_assert_eq(m.customs[0].size, 3);
    cr_assert_eq(m.customs[0].offset, 12);
    cr_assert_eq(m.customs[0].payload[2], 3);
    cr_assert_eq(m.customs[1].size, 0);
    cr_assert_eq(m.customs[2].name.len, 0);
}

Test(decode, rejects_custom_section_name_past_size) {
    Buf b;
    header(&b);
    PUT(&b, 0x00, 0x00, 0x00); /* size 0, but a name length byte follows */
    decode_fails(&b, "unexpected end of section or function", 11);
}

Test(decode, rejects_custom_section_bad_utf8_name) {
    Buf b;
    header(&b);
    SEC(&b, 0, 0x02, 0xc0, 0x80);
    decode_fails(&b, "malformed UTF-8 encoding", 11);
}

Test(decode, rejects_truncated_section_header) {
    Buf b;
    header(&b);
    PUT(&b, 0x00);
    decode_fails(&b, "unexpected end", 9);
}

/* ---- type section ---- */

Test(decode, types) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x03, 0x60, 0x00, 0x00, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7b, 0x60, 0x03, 0x7d, 0x7c,
        0x70, 0x02, 0x6f, 0x7f);
    decode_ok(&b);
    cr_assert_eq(m.ntypes, 3);
    cr_assert_eq(m.types[0].nparams + m.types[0].nresults, 0);
    cr_assert_eq(m.types[1].nparams, 2);
    cr_assert_eq(m.types[1].params[0], WA_VT_I32);
    cr_assert_eq(m.types[1].params[1], WA_VT_I64);
    cr_assert_eq(m.types[1].results[0], WA_VT_V128);
    cr_assert_eq(m.types[2].params[2], WA_VT_FUNCREF);
    cr_assert_eq(m.types[2].results[0], WA_VT_EXTERNREF);
    cr_assert_eq(m.types[2].results[1], WA_VT_I32);
}

Test(decode, rejects_bad_functype_form) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x61, 0x00, 0x00);
    decode_fails(&b, "malformed functype", 11);
}

Test(decode, rejects_overlong_functype_form) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0xe0, 0x7f, 0x00, 0x00);
    decode_fails(&b, "integer representation too long", 11);
}

Test(decode, rejects_bad_value_type) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x01, 0x40, 0x00);
    decode_fails(&b, "malformed value type", 13);
}

Test(decode, rejects_huge_count) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0xff, 0xff, 0xff, 0xff, 0x0f);
    decode_fails(&b, "length out of bounds", 10);
}

/* ---- imports ---- */

Test(decode, imports_of_every_kind) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 2, 0x04,                                        /* 4 imports */
        0x01, 'm', 0x01, 'f', 0x00, 0x00,                   /* func type 0 */
        0x01, 'm', 0x01, 't', 0x01, 0x6f, 0x01, 0x02, 0x05, /* table externref 2..5 */
        0x01, 'm', 0x01, 'M', 0x02, 0x00, 0x01,             /* memory 1.. */
        0x01, 'm', 0x01, 'g', 0x03, 0x7e, 0x01);            /* global mut i64 */
    decode_ok(&b);
    cr_assert_eq(m.nimports, 4);
    cr_assert_eq(m.nfuncs, 1);
    cr_assert_eq(m.nfunc_imports, 1);
    cr_assert(m.funcs[0].imported);
    cr_assert_eq(m.funcs[0].import_index, 0);
    cr_assert_eq(m.ntables, 1);
    cr_assert_eq(m.tables[0].type.elem, WA_VT_EXTERNREF);
    cr_assert(m.tables[0].type.limits.has_max);
    cr_assert_eq(m.tables[0].type.limits.min, 2);
    cr_assert_eq(m.tables[0].type.limits.max, 5);
    cr_assert_eq(m.tables[0].import_index, 1);
    cr_assert_eq(m.nmemories, 1);
    cr_assert_eq(m.memories[0].limits.min, 1);
    cr_assert_not(m.memories[0].limits.has_max);
    cr_assert_eq(m.nglobals, 1);
    cr_assert_eq(m.nglobal_imports, 1);
    cr_assert_eq(m.globals[0].type.type, WA_VT_I64);
    cr_assert(m.globals[0].type.is_mutable);
    cr_assert_eq(m.imports[3].kind, WA_EXTERN_GLOBAL);
    cr_assert_eq(m.imports[3].index, 0);
    cr_assert_eq(m.imports[1].name.data[0], 't');
    cr_assert_eq(m.imports[0].offset, 17);
}

Test(decode, rejects_malformed_import_kind) {
    Buf b;
    header(&b);
    SEC(&b, 2, 0x01, 0x00, 0x00, 0x05);
    decode_fails(&b, "malformed import kind", 13);
    header(&b);
    SEC(&b, 2, 0x01, 0x00, 0x00, 0x04, 0x00, 0x00);
    decode_fails(&b,
                 "malformed import kind: a tag import needs the exceptions feature "
                 "(--enable-exceptions)",
                 13);
}

Test(decode, rejects_malformed_mutability) {
    Buf b;
    header(&b);
    SEC(&b, 2, 0x01, 0x00, 0x00, 0x03, 0x7f, 0x02);
    decode_fails(&b, "malformed mutability", 15);
}

Test(decode, rejects_import_name_bad_utf8) {
    Buf b;
    header(&b);
    SEC(&b, 2, 0x01, 0x01, 0xff, 0x00, 0x00, 0x00);
    decode_fails(&b, "malformed UTF-8 encoding", 12);
}

Test(decode, rejects_bad_limits_flags) {
    Buf b;
    header(&b);
    SEC(&b, 5, 0x01, 0x02, 0x00);
    /* Wasm 2.0's message for a shared memory, then the feature it needs. */
    decode_fails(&b,
                 "integer too large: memory limits flag bit 1 (a shared memory) needs the "
                 "threads feature (--enable-threads)",
                 11);
    header(&b);
    SEC(&b, 5, 0x01, 0x81, 0x00, 0x00);
    decode_fails(&b, "integer representation too long", 11);
}

Test(decode, rejects_bad_table_reftype) {
    Buf b;
    header(&b);
    SEC(&b, 4, 0x01, 0x7f, 0x00, 0x00);
    decode_fails(&b, "malformed reference type", 11);
}

/* ---- functions and code ---- */

Test(decode, function_bodies) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 2, 0x01, 0x00, 0x00, 0x00, 0x00); /* one imported function */
    SEC(&b, 3, 0x02, 0x00, 0x00);
    SEC(&b, 10, 0x02,                                          /* 2 bodies */
        0x02, 0x00, 0x0b,                                      /* no locals, end */
        0x08, 0x02, 0x03, 0x7f, 0x01, 0x7b, 0x01, 0x1a, 0x0b); /* 3 i32, 1 v128; nop-ish */
    decode_ok(&b);
    cr_assert_eq(m.nfuncs, 3);
    cr_assert(m.funcs[0].imported);
    const WaFunc *f1 = &m.funcs[1], *f2 = &m.funcs[2];
    cr_assert_not(f1->imported);
    cr_assert_eq(f1->nlocals, 0);
    cr_assert_eq(f1->code_size, 1);
    cr_assert_eq(f1->code[0], 0x0b);
    cr_assert_eq(f1->code_offset, (size_t)(f1->code - m.bytes));
    cr_assert_eq(f2->nlocal_runs, 2);
    cr_assert_eq(f2->nlocals, 4);
    cr_assert_eq(f2->local_runs[0].count, 3);
    cr_assert_eq(f2->local_runs[1].type, WA_VT_V128);
    cr_assert_eq(f2->code_size, 3);
    cr_assert_eq(f2->code[0], 0x01);
    cr_assert_eq(f2->code[2], 0x0b);
    cr_assert_eq(f2->code_offset + f2->code_size, b.n);
}

Test(decode, rejects_function_without_code) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    decode_fails(&b, "function and code section have inconsistent lengths", b.n);
}

Test(decode, rejects_code_without_function) {
    Buf b;
    header(&b);
    SEC(&b, 10, 0x01, 0x02, 0x00, 0x0b);
    decode_fails(&b, "function and code section have inconsistent lengths", 10);
}

Test(decode, rejects_code_count_mismatch) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x02, 0x00, 0x00);
    SEC(&b, 10, 0x01, 0x02, 0x00, 0x0b);
    decode_fails(&b, "function and code section have inconsistent lengths", 21);
}

Test(decode, rejects_local_count_overflowing_u32) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    SEC(&b, 10, 0x01, 0x0a, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x02, 0x7e, 0x0b);
    decode_fails(&b, "too many locals", 22);
    cr_assert_eq(d.func_index, 0);
}

Test(decode, rejects_locals_over_implementation_limit) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    /* WA_MAX_LOCALS + 1 = 50001 = 0xd1 0x86 0x03 */
    SEC(&b, 10, 0x01, 0x06, 0x01, 0xd1, 0x86, 0x03, 0x7f, 0x0b);
    decode_fails(&b, "too many locals: 50001, more than wasmaot's limit of 50000", 22);
    /* Exactly at the limit is fine. */
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    SEC(&b, 10, 0x01, 0x06, 0x01, 0xd0, 0x86, 0x03, 0x7f, 0x0b);
    decode_ok(&b);
    cr_assert_eq(m.funcs[0].nlocals, WA_MAX_LOCALS);
}

Test(decode, rejects_body_past_section) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    SEC(&b, 10, 0x01, 0x05, 0x00, 0x0b);
    decode_fails(&b, "length out of bounds", 21);
}

/* ---- tables, memories, globals, exports, start ---- */

Test(decode, tables_memories_globals) {
    Buf b;
    header(&b);
    SEC(&b, 4, 0x02, 0x70, 0x00, 0x0a, 0x6f, 0x01, 0x00, 0x80, 0x80, 0x04);
    SEC(&b, 5, 0x01, 0x01, 0x01, 0x80, 0x80, 0x04);
    SEC(&b, 6, 0x02, 0x7f, 0x00, 0x41, 0x2a, 0x0b, 0x7c, 0x01, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
        0x0b);
    decode_ok(&b);
    cr_assert_eq(m.ntables, 2);
    cr_assert_eq(m.tables[0].type.elem, WA_VT_FUNCREF);
    cr_assert_eq(m.tables[0].type.limits.min, 10);
    cr_assert_eq(m.tables[1].type.limits.max, 65536);
    cr_assert_eq(m.memories[0].limits.min, 1);
    cr_assert_eq(m.memories[0].limits.max, 65536);
    cr_assert_eq(m.nglobals, 2);
    cr_assert_not(m.globals[0].type.is_mutable);
    cr_assert_eq(m.globals[0].init.size, 3);
    cr_assert_eq(m.globals[0].init.code[1], 0x2a);
    cr_assert_eq(m.globals[0].init.offset, (size_t)(m.globals[0].init.code - m.bytes));
    cr_assert_eq(m.globals[1].type.type, WA_VT_F64);
    cr_assert_eq(m.globals[1].init.size, 10);
    cr_assert_eq(m.globals[1].init.code[9], 0x0b);
}

Test(decode, const_expr_spans_nested_blocks) {
    /* Invalid (blocks are not constant) but well-formed: decoding must find the right end. */
    Buf b;
    header(&b);
    SEC(&b, 6, 0x01, 0x7f, 0x00, 0x02, 0x40, 0x0b, 0x41, 0x00, 0x0b);
    decode_ok(&b);
    cr_assert_eq(m.globals[0].init.size, 6);
}

Test(decode, rejects_const_expr_with_illegal_opcode) {
    Buf b;
    header(&b);
    SEC(&b, 6, 0x01, 0x7f, 0x00, 0xf3, 0x0b);
    decode_fails(&b, "illegal opcode f3", 13);
}

Test(decode, rejects_const_expr_without_end) {
    Buf b;
    header(&b);
    SEC(&b, 6, 0x01, 0x7f, 0x00, 0x41, 0x00);
    decode_fails(&b, "unexpected end of section or function", 15);
}

Test(decode, exports_and_start) {
    Buf b;
    header(&b);
    SEC(&b, 7, 0x02, 0x01, 'f', 0x00, 0x03, 0x02, 'g', 'h', 0x03, 0x80, 0x01);
    SEC(&b, 8, 0x05);
    decode_ok(&b);
    cr_assert_eq(m.nexports, 2);
    cr_assert_eq(m.exports[0].kind, WA_EXTERN_FUNC);
    cr_assert_eq(m.exports[0].index, 3);
    cr_assert_eq(m.exports[1].name.len, 2);
    cr_assert_eq(m.exports[1].kind, WA_EXTERN_GLOBAL);
    cr_assert_eq(m.exports[1].index, 128);
    cr_assert(m.has_start);
    cr_assert_eq(m.start, 5);
}

Test(decode, rejects_malformed_export_kind) {
    Buf b;
    header(&b);
    SEC(&b, 7, 0x01, 0x00, 0x05, 0x00);
    decode_fails(&b, "malformed export kind", 12);
}

/*
 * Exception handling, with the proposal on (this file's other tests run
 * without it, wasm2_encodings.h): the tag section sits between memory and
 * global, tags are imported and exported with kind 4, a tag's attribute
 * byte must be 0.
 */
Test(decode, exception_tags) {
    test_encoding = wa_features_default();
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x01, 0x7f, 0x00);                 /* type 0: [i32] -> [] */
    SEC(&b, 2, 0x01, 0x01, 'm', 0x01, 't', 0x04, 0x00, 0x00); /* import m.t: tag of type 0 */
    SEC(&b, 13, 0x02, 0x00, 0x00, 0x00, 0x00);                /* two tags of type 0 */
    SEC(&b, 7, 0x01, 0x01, 'e', 0x04, 0x02);                  /* export "e": tag 2 */
    decode_ok(&b);
    cr_assert_eq(m.ntags, 3);
    cr_assert_eq(m.ntag_imports, 1);
    cr_assert(m.tags[0].imported);
    cr_assert_not(m.tags[2].imported);
    cr_assert_eq(m.exports[0].kind, WA_EXTERN_TAG);
    cr_assert_eq(m.exports[0].index, 2);
    /* Out of order: the tag section comes before the global section. */
    header(&b);
    SEC(&b, 6, 0x00);
    SEC(&b, 13, 0x00);
    decode_fails(&b, "unexpected content after last section", 11);
    header(&b);
    SEC(&b, 13, 0x01, 0x01, 0x00);
    decode_fails(&b, "malformed tag attribute", 11);
}

/* ---- element segments: all eight encodings ---- */

Test(decode, element_segments_all_encodings) {
    Buf b;
    header(&b);
    SEC(&b, 9, 0x08,                                          /* 8 segments */
        0x00, 0x41, 0x01, 0x0b, 0x02, 0x00, 0x01,             /* 0: active t0, func idx */
        0x01, 0x00, 0x01, 0x02,                               /* 1: passive, elemkind */
        0x02, 0x03, 0x41, 0x02, 0x0b, 0x00, 0x01, 0x04,       /* 2: active table 3 */
        0x03, 0x00, 0x01, 0x05,                               /* 3: declarative */
        0x04, 0x41, 0x00, 0x0b, 0x01, 0xd2, 0x06, 0x0b,       /* 4: active t0, exprs */
        0x05, 0x6f, 0x02, 0xd0, 0x6f, 0x0b, 0xd0, 0x6f, 0x0b, /* 5: passive externref */
        0x06, 0x01, 0x41, 0x00, 0x0b, 0x70, 0x00,             /* 6: active table 1, none */
        0x07, 0x70, 0x01, 0xd2, 0x07, 0x0b);                  /* 7: declarative exprs */
    decode_ok(&b);
    cr_assert_eq(m.nelems, 8);
    const WaElemSegment *e = m.elems;
    cr_assert_eq(e[0].mode, WA_SEGMENT_ACTIVE);
    cr_assert_eq(e[0].table_index, 0);
    cr_assert_eq(e[0].offset.size, 3);
    cr_assert_eq(e[0].type, WA_VT_FUNCREF);
    cr_assert_eq(e[0].count, 2);
    cr_assert_eq(e[0].func_indices[1], 1);
    cr_assert_null(e[0].exprs);
    cr_assert_eq(e[1].mode, WA_SEGMENT_PASSIVE);
    cr_assert_eq(e[1].func_indices[0], 2);
    cr_assert_eq(e[2].mode, WA_SEGMENT_ACTIVE);
    cr_assert_eq(e[2].table_index, 3);
    cr_assert_eq(e[2].func_indices[0], 4);
    cr_assert_eq(e[3].mode, WA_SEGMENT_DECLARATIVE);
    cr_assert_eq(e[3].func_indices[0], 5);
    cr_assert_eq(e[4].mode, WA_SEGMENT_ACTIVE);
    cr_assert_eq(e[4].exprs[0].size, 3);
    cr_assert_null(e[4].func_indices);
    cr_assert_eq(e[5].mode, WA_SEGMENT_PASSIVE);
    cr_assert_eq(e[5].type, WA_VT_EXTERNREF);
    cr_assert_eq(e[5].count, 2);
    cr_assert_eq(e[5].exprs[1].code[1], 0x6f);
    cr_assert_eq(e[6].table_index, 1);
    cr_assert_eq(e[6].count, 0);
    cr_assert_eq(e[7].mode, WA_SEGMENT_DECLARATIVE);
    cr_assert_eq(e[7].exprs[0].code[1], 0x07);
    cr_assert_eq(e[0].offset_in_file, 11);
}

Test(decode, rejects_bad_element_kind) {
    Buf b;
    header(&b);
    SEC(&b, 9, 0x01, 0x01, 0x01, 0x00);
    decode_fails(&b, "malformed element kind", 12);
}

Test(decode, rejects_bad_element_reftype) {
    Buf b;
    header(&b);
    SEC(&b, 9, 0x01, 0x05, 0x7f, 0x00);
    decode_fails(&b, "malformed reference type", 12);
}

Test(decode, rejects_bad_element_flags) {
    Buf b;
    header(&b);
    SEC(&b, 9, 0x01, 0x08, 0x00);
    decode_fails(&b, "malformed elements segment kind", 11);
}

/* ---- data segments ---- */

Test(decode, data_segments_all_encodings) {
    Buf b;
    header(&b);
    SEC(&b, 12, 0x03);
    SEC(&b, 11, 0x03,                           /* 3 segments */
        0x00, 0x41, 0x10, 0x0b, 0x02, 'h', 'i', /* active memory 0 */
        0x01, 0x01, 'x',                        /* passive */
        0x02, 0x00, 0x41, 0x00, 0x0b, 0x00);    /* active, explicit memory 0, empty */
    decode_ok(&b);
    cr_assert(m.has_data_count);
    cr_assert_eq(m.data_count, 3);
    cr_assert_eq(m.ndatas, 3);
    cr_assert_eq(m.datas[0].mode, WA_SEGMENT_ACTIVE);
    cr_assert_eq(m.datas[0].offset.code[1], 0x10);
    cr_assert_eq(m.datas[0].size, 2);
    cr_assert_eq(memcmp(m.datas[0].bytes, "hi", 2), 0);
    cr_assert_eq(m.datas[1].mode, WA_SEGMENT_PASSIVE);
    cr_assert_eq(m.datas[1].bytes[0], 'x');
    cr_assert_eq(m.datas[2].memory_index, 0);
    cr_assert_eq(m.datas[2].size, 0);
}

Test(decode, rejects_data_count_mismatch) {
    Buf b;
    header(&b);
    SEC(&b, 12, 0x02);
    SEC(&b, 11, 0x01, 0x01, 0x00);
    decode_fails(&b, "data count and data section have inconsistent lengths", 13);
}

Test(decode, rejects_data_count_without_data) {
    Buf b;
    header(&b);
    SEC(&b, 12, 0x01);
    decode_fails(&b, "data count and data section have inconsistent lengths", b.n);
}

Test(decode, rejects_data_bytes_past_end) {
    Buf b;
    header(&b);
    SEC(&b, 11, 0x01, 0x01, 0x07, 'a', 'b', 'c', 'd', 'e', 'f');
    decode_fails(&b, "unexpected end of section or function", b.n);
}

Test(decode, rejects_bad_data_flags) {
    Buf b;
    header(&b);
    SEC(&b, 11, 0x01, 0x03, 0x00);
    decode_fails(&b, "malformed data segment kind", 11);
}

/* ---- name section ---- */

static void module_with_two_funcs(Buf *b) {
    header(b);
    SEC(b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(b, 2, 0x01, 0x00, 0x01, 'i', 0x00, 0x00);
    SEC(b, 3, 0x01, 0x00);
    SEC(b, 10, 0x01, 0x02, 0x00, 0x0b);
}

Test(decode, name_section_names_module_and_functions) {
    Buf b;
    module_with_two_funcs(&b);
    SEC(&b, 0, 0x04, 'n', 'a', 'm', 'e',                    /* section name */
        0x00, 0x04, 0x03, 'm', 'o', 'd',                    /* module name */
        0x01, 0x07, 0x02, 0x00, 0x01, 'a', 0x01, 0x01, 'b', /* function names */
        0x02, 0x03, 0x01, 0x00, 0x00);                      /* local names: skipped */
    decode_ok(&b);
    cr_assert_str_eq(m.name, "mod");
    cr_assert_str_eq(m.funcs[0].name, "a");
    cr_assert_str_eq(m.funcs[1].name, "b");
    cr_assert_eq(m.ncustoms, 1);
}

Test(decode, malformed_name_section_is_ignored) {
    Buf b;
    module_with_two_funcs(&b);
    /* Function index 5 does not exist: the whole section is ignored, module name included. */
    SEC(&b, 0, 0x04, 'n', 'a', 'm', 'e', 0x00, 0x02, 0x01, 'm', 0x01, 0x04, 0x01, 0x05, 0x01, 'x');
    decode_ok(&b);
    cr_assert_null(m.name);
    cr_assert_null(m.funcs[0].name);
    cr_assert_null(m.funcs[1].name);

    module_with_two_funcs(&b);
    /* Truncated subsection. */
    SEC(&b, 0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x09, 0x01, 0x00);
    decode_ok(&b);
    cr_assert_null(m.funcs[0].name);

    module_with_two_funcs(&b);
    /* Bad UTF-8 in a function name. */
    SEC(&b, 0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x04, 0x01, 0x00, 0x01, 0xff);
    decode_ok(&b);
    cr_assert_null(m.funcs[0].name);
}

Test(decode, function_names_must_increase) {
    Buf b;
    module_with_two_funcs(&b);
    SEC(&b, 0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x07, 0x02, 0x01, 0x01, 'b', 0x00, 0x01, 'a');
    decode_ok(&b);
    cr_assert_null(m.funcs[0].name);
}

/* ---- the instruction reader ---- */

static WaArena scratch;
static WaDiag id;

static void instr_setup(void) {
    wa_arena_init(&scratch);
    wa_diag_init(&id, "t.wasm");
}

static void instr_teardown(void) {
    wa_arena_free(&scratch);
}

TestSuite(instr, .init = instr_setup, .fini = instr_teardown);

/* Reads one instruction from bytes; fails the test if it does not take all of them. */
static WaInstr read1(const uint8_t *bytes, size_t n) {
    WaReader r;
    wa_reader_init(&r, bytes, n, &id);
    r.features = test_encoding;
    WaInstr in;
    cr_assert(wa_instr_read(&r, &scratch, &in), "read failed: %s", id.message);
    cr_assert(wa_reader_at_end(&r), "instruction took %zu of %zu bytes", wa_reader_offset(&r), n);
    return in;
}

#define READ1(...) read1((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static void read_fails(const uint8_t *bytes, size_t n, const char *message, size_t offset) {
    wa_diag_init(&id, "t.wasm");
    WaReader r;
    wa_reader_init(&r, bytes, n, &id);
    r.features = test_encoding;
    WaInstr in;
    cr_assert_not(wa_instr_read(&r, &scratch, &in), "should fail with \"%s\"", message);
    cr_assert_str_eq(id.message, message);
    cr_assert_eq(id.offset, offset);
}

#define READ_FAILS(message, offset, ...)                                                           \
    do {                                                                                           \
        static const uint8_t b_[] = {__VA_ARGS__};                                                 \
        read_fails(b_, sizeof(b_), (message), (offset));                                           \
    } while (0)

/* Facts about each row, for checking the lookup maps against the table. */
static const struct {
    unsigned prefix, code;
} rows[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST,     \
              CONST)                                                                               \
    [WA_OP_##NAME] = {PREFIX, CODE},
#include "wasm/opcodes.def"
#undef WA_OP
};

/* The smallest well-formed immediates of each kind, and how many bytes they take. */
static size_t minimal_immediates(WaImmKind imm, uint8_t *out) {
    static const uint8_t zeros[16] = {0};
    switch (imm) {
    case WA_IMM_NONE:
        return 0;
    case WA_IMM_BLOCK:
        out[0] = 0x40;
        return 1;
    case WA_IMM_LABEL:
    case WA_IMM_FUNC:
    case WA_IMM_LOCAL:
    case WA_IMM_GLOBAL:
    case WA_IMM_TABLE:
    case WA_IMM_MEMIDX:
    case WA_IMM_I32:
    case WA_IMM_I64:
    case WA_IMM_DATA:
    case WA_IMM_ELEM:
    case WA_IMM_LANE:
    case WA_IMM_FENCE:
    case WA_IMM_TAG:
        out[0] = 0;
        return 1;
    case WA_IMM_TRY_TABLE: /* empty block type, no catch clauses */
        out[0] = 0x40;
        out[1] = 0;
        return 2;
    case WA_IMM_BR_TABLE:
    case WA_IMM_CALL_INDIRECT:
    case WA_IMM_MEMARG:
    case WA_IMM_MEMORY_INIT:
    case WA_IMM_MEMORY_COPY:
    case WA_IMM_TABLE_INIT:
    case WA_IMM_TABLE_COPY:
        out[0] = out[1] = 0;
        return 2;
    case WA_IMM_MEMARG_LANE:
        out[0] = out[1] = out[2] = 0;
        return 3;
    case WA_IMM_F32:
        memcpy(out, zeros, 4);
        return 4;
    case WA_IMM_F64:
        memcpy(out, zeros, 8);
        return 8;
    case WA_IMM_SELECT_T:
        out[0] = 1;
        out[1] = WA_VT_I32;
        return 2;
    case WA_IMM_HEAPTYPE:
        out[0] = WA_VT_FUNCREF;
        return 1;
    case WA_IMM_V128:
    case WA_IMM_SHUFFLE:
        memcpy(out, zeros, 16);
        return 16;
    }
    cr_assert_fail("unknown immediate kind %d", imm);
    return 0;
}

Test(instr, every_row_reads_back_as_itself) {
    for (int op = 0; op < WA_OP_COUNT; op++) {
        uint8_t bytes[32];
        size_t n = 0;
        if (rows[op].prefix) {
            bytes[n++] = (uint8_t)rows[op].prefix;
            /* Sub-opcodes are LEB128; encode the long ones in two bytes like real modules. */
            if (rows[op].code >= 0x80) {
                bytes[n++] = (uint8_t)(0x80 | (rows[op].code & 0x7f));
                bytes[n++] = (uint8_t)(rows[op].code >> 7);
            } else {
                bytes[n++] = (uint8_t)rows[op].code;
            }
        } else {
            bytes[n++] = (uint8_t)rows[op].code;
        }
        n += minimal_immediates((WaImmKind)wa_op_imm[op], bytes + n);
        WaInstr in = read1(bytes, n);
        cr_assert_eq(in.op, (WaOpcode)op, "%s read back as %s", wa_op_name[op], wa_op_name[in.op]);
        cr_assert_not_null(wa_op_name[op]);
    }
}

Test(instr, tables_have_expected_facts) {
    cr_assert_str_eq(wa_op_name[WA_OP_I32_ADD], "i32.add");
    cr_assert_eq(wa_op_class[WA_OP_I32_ADD], WA_CLASS_BINARY);
    cr_assert_eq(wa_op_aux[WA_OP_I32_ADD], WA_AUX_ADD);
    cr_assert_eq(wa_op_sig[WA_OP_I64_STORE32][1], WA_VT_I64);
    cr_assert_eq(wa_op_memlog2[WA_OP_I64_LOAD], 3);
    cr_assert_eq(wa_op_sig[WA_OP_BLOCK][0], WA_VT_SPECIAL);
    /* SIMD rows. */
    cr_assert_str_eq(wa_op_name[WA_OP_I8X16_EXTRACT_LANE_S], "i8x16.extract_lane_s");
    const uint8_t *s = wa_op_sig[WA_OP_I8X16_EXTRACT_LANE_S];
    cr_assert(s[0] == WA_VT_V128 && s[1] == WA_VT_X && s[3] == WA_VT_I32);
    s = wa_op_sig[WA_OP_I64X2_REPLACE_LANE];
    cr_assert(s[0] == WA_VT_V128 && s[1] == WA_VT_I64 && s[3] == WA_VT_V128);
    s = wa_op_sig[WA_OP_V128_BITSELECT];
    cr_assert(s[0] == WA_VT_V128 && s[1] == WA_VT_V128 && s[2] == WA_VT_V128);
    s = wa_op_sig[WA_OP_I32X4_SHL];
    cr_assert(s[0] == WA_VT_V128 && s[1] == WA_VT_I32 && s[3] == WA_VT_V128);
    cr_assert_eq(wa_op_sig[WA_OP_F64X2_SPLAT][0], WA_VT_F64);
    cr_assert_eq(wa_op_sig[WA_OP_V128_ANY_TRUE][3], WA_VT_I32);
    cr_assert_eq(wa_op_memlog2[WA_OP_V128_LOAD], 4);
    cr_assert_eq(wa_op_memlog2[WA_OP_V128_LOAD8X8_S], 3);
    cr_assert_eq(wa_op_memlog2[WA_OP_V128_LOAD32_ZERO], 2);
    cr_assert_eq(wa_op_memlog2[WA_OP_V128_LOAD8_SPLAT], 0);
    cr_assert_eq(wa_op_memlog2[WA_OP_V128_LOAD16_LANE], 1);
    cr_assert_eq(wa_op_memlog2[WA_OP_V128_STORE64_LANE], 3);
    cr_assert_eq(wa_op_imm[WA_OP_V128_STORE], WA_IMM_MEMARG);
    cr_assert_eq(wa_op_class[WA_OP_F32X4_PMIN], WA_CLASS_SIMD);
    cr_assert_eq(wa_op_aux[WA_OP_I16X8_ADD_SAT_U], WA_AUX_ADD_SAT_U);
}

/*
 * The SHAPE column against the names: a row whose name starts with a shape
 * ("i16x8.") has that shape; a "v128." row has one only if it moves lanes
 * (a lane, splat or zero access of 2^MEMLOG2-byte lanes, or loadNxM_s/u,
 * whose 8 bytes widen into the shape's lanes); other rows have none.
 */
Test(instr, lane_shapes_match_names) {
    for (int op = 0; op < WA_OP_COUNT; op++) {
        const char *name = wa_op_name[op];
        WaLaneShape s = wa_op_shape[op];
        if (s.lanes == 0) {
            cr_assert(s.lane_bits == 0 && !s.is_float, "%s: lane bits without lanes", name);
            cr_assert(rows[op].prefix != 0xFD || strncmp(name, "v128.", 5) == 0, "%s has no shape",
                      name);
            cr_assert(wa_op_imm[op] != WA_IMM_LANE && wa_op_imm[op] != WA_IMM_MEMARG_LANE,
                      "%s takes a lane index but has no lanes", name);
            continue;
        }
        cr_assert_eq(rows[op].prefix, 0xFD, "%s is not SIMD but has a shape", name);
        cr_assert_eq(s.lane_bits * s.lanes, 128, "%s: %u x %u bits", name, s.lanes, s.lane_bits);
        char prefix[16];
        snprintf(prefix, sizeof prefix, "%c%ux%u.", s.is_float ? 'f' : 'i', s.lane_bits, s.lanes);
        if (strncmp(name, "v128.", 5) != 0) {
            cr_assert_eq(strncmp(name, prefix, strlen(prefix)), 0, "%s has shape %s", name, prefix);
            continue;
        }
        cr_assert_not(s.is_float, "%s", name);
        if (wa_op_aux[op] == WA_AUX_SEXT || wa_op_aux[op] == WA_AUX_ZEXT)
            cr_assert_eq(s.lanes * s.lane_bits / 2, 8u << wa_op_memlog2[op], "%s", name);
        else
            cr_assert_eq(s.lane_bits, 8u << wa_op_memlog2[op], "%s", name);
    }
    WaLaneShape s = wa_op_shape[WA_OP_V128_LOAD8X8_S];
    cr_assert(s.lane_bits == 16 && s.lanes == 8 && !s.is_float);
    s = wa_op_shape[WA_OP_V128_STORE16_LANE];
    cr_assert(s.lane_bits == 16 && s.lanes == 8);
    s = wa_op_shape[WA_OP_F64X2_PROMOTE_LOW_F32X4];
    cr_assert(s.lane_bits == 64 && s.lanes == 2 && s.is_float);
    cr_assert_eq(wa_op_shape[WA_OP_V128_AND].lanes, 0);
    cr_assert_eq(wa_op_shape[WA_OP_I32_ADD].lanes, 0);
}

/* The NEST column: block and loop open, if opens with arms, else and end; nothing else nests. */
Test(instr, nesting) {
    for (int op = 0; op < WA_OP_COUNT; op++) {
        WaNesting want =
            op == WA_OP_BLOCK || op == WA_OP_LOOP || op == WA_OP_TRY || op == WA_OP_TRY_TABLE
                ? WA_NEST_OPEN
            : op == WA_OP_IF                             ? WA_NEST_OPEN_ARMS
            : op == WA_OP_ELSE                           ? WA_NEST_ELSE
            : op == WA_OP_END || op == WA_OP_DELEGATE    ? WA_NEST_CLOSE
            : op == WA_OP_CATCH || op == WA_OP_CATCH_ALL ? WA_NEST_CATCH
                                                         : WA_NEST__;
        cr_assert_eq(wa_op_nest[op], want, "%s nests as %d", wa_op_name[op], wa_op_nest[op]);
    }
}

/*
 * The CONST column: 1 for exactly the instructions of Wasm 2.0 constant
 * expressions (spec 3.3.10), 2 for those the extended-const proposal adds.
 */
Test(instr, constant_instructions) {
    static const WaOpcode constant[] = {WA_OP_I32_CONST, WA_OP_I64_CONST,  WA_OP_F32_CONST,
                                        WA_OP_F64_CONST, WA_OP_V128_CONST, WA_OP_REF_NULL,
                                        WA_OP_REF_FUNC,  WA_OP_GLOBAL_GET};
    static const WaOpcode extended[] = {WA_OP_I32_ADD, WA_OP_I32_SUB, WA_OP_I32_MUL,
                                        WA_OP_I64_ADD, WA_OP_I64_SUB, WA_OP_I64_MUL};
    for (int op = 0; op < WA_OP_COUNT; op++) {
        int want = 0;
        for (size_t i = 0; i < sizeof constant / sizeof constant[0]; i++)
            want = constant[i] == (WaOpcode)op ? 1 : want;
        for (size_t i = 0; i < sizeof extended / sizeof extended[0]; i++)
            want = extended[i] == (WaOpcode)op ? 2 : want;
        cr_assert_eq(wa_op_const[op], want, "%s", wa_op_name[op]);
    }
}

Test(instr, rejects_illegal_opcodes) {
    READ_FAILS("illegal opcode 27", 0, 0x27);
    READ_FAILS("illegal opcode ff", 0, 0xff);
    READ_FAILS("illegal opcode fc 12", 0, 0xfc, 0x12);
    READ_FAILS("illegal opcode fd 9a", 0, 0xfd, 0x9a, 0x01);  /* unassigned SIMD gap */
    READ_FAILS("illegal opcode fd 100", 0, 0xfd, 0x80, 0x02); /* beyond 255 */
    READ_FAILS("integer representation too long", 1, 0xfc, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
}

Test(instr, prefixed_sub_opcode_is_leb128) {
    WaInstr in = READ1(0xfd, 0x80, 0x01); /* 0x80 = i16x8.abs */
    cr_assert_eq(in.op, WA_OP_I16X8_ABS);
    in = READ1(0xfc, 0x80, 0x00); /* i32.trunc_sat_f32_s, non-minimal LEB */
    cr_assert_eq(in.op, WA_OP_I32_TRUNC_SAT_F32_S);
}

Test(instr, block_types) {
    WaInstr in = READ1(0x02, 0x40);
    cr_assert_eq(in.imm.block.kind, WA_BLOCK_EMPTY);
    in = READ1(0x03, 0x7b);
    cr_assert_eq(in.imm.block.kind, WA_BLOCK_VALUE);
    cr_assert_eq(in.imm.block.value, WA_VT_V128);
    in = READ1(0x04, 0x85, 0x01);
    cr_assert_eq(in.imm.block.kind, WA_BLOCK_TYPEIDX);
    cr_assert_eq(in.imm.block.type_index, 133);
    READ_FAILS("malformed value type", 1, 0x02, 0x50);
    READ_FAILS("unexpected end", 1, 0x02);
}

Test(instr, br_table) {
    WaInstr in = READ1(0x0e, 0x03, 0x00, 0x01, 0x80, 0x01, 0x02);
    cr_assert_eq(in.imm.br_table.count, 3);
    cr_assert_eq(in.imm.br_table.labels[2], 128);
    cr_assert_eq(in.imm.br_table.default_label, 2);
    READ_FAILS("length out of bounds", 1, 0x0e, 0x05, 0x00);
}

Test(instr, memory_immediates) {
    WaInstr in = READ1(0x28, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f);
    cr_assert_eq(in.imm.memarg.align_log2, 2);
    cr_assert_eq(in.imm.memarg.offset, UINT32_MAX);
    cr_assert_eq(in.imm.memarg.memory, 0);
    READ_FAILS("integer too large", 2, 0x28, 0x02, 0xff, 0xff, 0xff, 0xff, 0x1f);
    in = READ1(0x3f, 0x00);
    cr_assert_eq(in.op, WA_OP_MEMORY_SIZE);
    READ_FAILS("zero byte expected", 1, 0x3f, 0x01);
    READ_FAILS("zero byte expected", 1, 0x40, 0x80, 0x00); /* a long zero is not the byte */
    in = READ1(0xfc, 0x08, 0x03, 0x00);
    cr_assert_eq(in.imm.pair.a, 3);
    READ_FAILS("zero byte expected", 3, 0xfc, 0x08, 0x03, 0x01);
    READ1(0xfc, 0x0a, 0x00, 0x00);
    READ_FAILS("zero byte expected", 3, 0xfc, 0x0a, 0x00, 0x01);
    READ_FAILS("zero byte expected", 2, 0xfc, 0x0b, 0x01);
}

Test(instr, constants) {
    WaInstr in = READ1(0x41, 0x80, 0x80, 0x80, 0x80, 0x78);
    cr_assert_eq(in.imm.i32, INT32_MIN);
    in = READ1(0x42, 0x7f);
    cr_assert_eq(in.imm.i64, -1);
    in = READ1(0x43, 0x00, 0x00, 0xc0, 0x7f);
    cr_assert_eq(in.imm.f32_bits, 0x7fc00000u);
    in = READ1(0x44, 1, 2, 3, 4, 5, 6, 7, 8);
    cr_assert_eq(in.imm.f64_bits, 0x0807060504030201ull);
    READ_FAILS("integer too large", 1, 0x41, 0xff, 0xff, 0xff, 0xff, 0x0f);
}

Test(instr, reference_and_select_immediates) {
    WaInstr in = READ1(0xd0, 0x6f);
    cr_assert_eq(in.imm.index, WA_VT_EXTERNREF);
    READ_FAILS("malformed reference type", 1, 0xd0, 0x7f);
    in = READ1(0x1c, 0x01, 0x7c);
    cr_assert_eq(in.imm.select_t.count, 1);
    cr_assert_eq(in.imm.select_t.type, WA_VT_F64);
    in = READ1(0x1c, 0x02, 0x7f, 0x7e); /* well-formed; the validator rejects count 2 */
    cr_assert_eq(in.imm.select_t.count, 2);
    in = READ1(0x11, 0x04, 0x02);
    cr_assert_eq(in.imm.call_indirect.type_index, 4);
    cr_assert_eq(in.imm.call_indirect.table_index, 2);
    in = READ1(0xfc, 0x0c, 0x05, 0x01);
    cr_assert_eq(in.imm.pair.a, 5);
    cr_assert_eq(in.imm.pair.b, 1);
    in = READ1(0xfc, 0x0e, 0x02, 0x03);
    cr_assert_eq(in.imm.pair.a, 2);
    cr_assert_eq(in.imm.pair.b, 3);
}

Test(instr, simd_immediates) {
    WaInstr in = READ1(0xfd, 0x0c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    cr_assert_eq(in.op, WA_OP_V128_CONST);
    cr_assert_eq(in.imm.bytes[15], 15);
    in = READ1(0xfd, 0x0d, 31, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16);
    cr_assert_eq(in.op, WA_OP_I8X16_SHUFFLE);
    cr_assert_eq(in.imm.bytes[0], 31);
    in = READ1(0xfd, 0x15, 0x0f);
    cr_assert_eq(in.op, WA_OP_I8X16_EXTRACT_LANE_S);
    cr_assert_eq(in.lane, 15);
    in = READ1(0xfd, 0x57, 0x03, 0x10, 0x01);
    cr_assert_eq(in.op, WA_OP_V128_LOAD64_LANE);
    cr_assert_eq(in.imm.memarg.align_log2, 3);
    cr_assert_eq(in.imm.memarg.offset, 16);
    cr_assert_eq(in.lane, 1);
    READ_FAILS("unexpected end", 4, 0xfd, 0x0c, 0, 1);
}

Test(instr, offset_is_the_opcode_position) {
    static const uint8_t b[] = {0x01, 0x41, 0x05, 0x0b};
    WaReader r;
    wa_reader_init(&r, b, sizeof(b), &id);
    r.features = test_encoding;
    WaInstr in;
    cr_assert(wa_instr_read(&r, &scratch, &in));
    cr_assert(wa_instr_read(&r, &scratch, &in));
    cr_assert_eq(in.offset, 1);
    cr_assert_eq(in.imm.i32, 5);
    cr_assert(wa_instr_read(&r, &scratch, &in));
    cr_assert_eq(in.op, WA_OP_END);
    cr_assert(wa_reader_at_end(&r));
}

/*
 * The multi-memory and memory64 encodings, with the proposals on: this file's
 * other tests are written for Wasm 2.0 and run with them off
 * (wasm2_encodings.h); Criterion runs each test in its own process, so
 * switching them on here stays here.
 */
Test(instr, proposal_memory_immediates) {
    test_encoding = wa_features_default();
    /* memarg with bit 6: align 2, memory 1, offset 16. */
    WaInstr in = READ1(0x28, 0x42, 0x01, 0x10);
    cr_assert_eq(in.imm.memarg.align_log2, 2);
    cr_assert_eq(in.imm.memarg.memory, 1);
    cr_assert_eq(in.imm.memarg.offset, 16);
    /* memory64: the offset is a u64 (2^32 here), for every memory. */
    in = READ1(0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10);
    cr_assert_eq(in.imm.memarg.offset, UINT64_C(1) << 32);
    cr_assert_eq(in.imm.memarg.memory, 0);
    /* Memory indices are u32s: memory.size 2, a long zero, memory.copy 1 <- 3. */
    in = READ1(0x3f, 0x02);
    cr_assert_eq(in.imm.index, 2);
    in = READ1(0x40, 0x80, 0x00);
    cr_assert_eq(in.imm.index, 0);
    in = READ1(0xfc, 0x0a, 0x01, 0x03);
    cr_assert_eq(in.imm.pair.a, 1);
    cr_assert_eq(in.imm.pair.b, 3);
    in = READ1(0xfc, 0x08, 0x05, 0x02);
    cr_assert_eq(in.imm.pair.a, 5);
    cr_assert_eq(in.imm.pair.b, 2);
}

Test(decode, proposal_memory_types) {
    test_encoding = wa_features_default();
    Buf b;
    /* Two memories, the second i64 with a 5-byte maximum. */
    header(&b);
    SEC(&b, 5, 0x02, 0x00, 0x01, 0x05, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10);
    decode_ok(&b);
    cr_assert_eq(m.nmemories, 2);
    cr_assert_not(m.memories[0].limits.is64);
    cr_assert(m.memories[1].limits.is64);
    cr_assert_eq(m.memories[1].limits.max, UINT64_C(1) << 32);
    wa_module_free(&m);
    header(&b);
    SEC(&b, 5, 0x01, 0x08, 0x00);
    decode_fails(&b, "malformed limits flags", 11);
}

/* Threads proposal: limits flags 0x02/0x03 (shared), 0x07 with memory64; the 0xFE opcodes. */
Test(decode, threads_shared_memories) {
    test_encoding = wa_features_default();
    Buf b;
    header(&b);
    SEC(&b, 5, 0x02, 0x03, 0x01, 0x02, 0x07, 0x00, 0x01);
    decode_ok(&b);
    cr_assert(m.memories[0].limits.shared && m.memories[0].limits.has_max);
    cr_assert_eq(m.memories[0].limits.max, 2);
    cr_assert(m.memories[1].limits.shared && m.memories[1].limits.is64);
    wa_module_free(&m);
    /* Without memory64 the flag is a 2-bit LEB128. */
    test_encoding = wa_features_default() & ~WA_FEATURE_BIT(WA_FEATURE_MEMORY64);
    header(&b);
    SEC(&b, 5, 0x01, 0x02, 0x00);
    decode_ok(&b);
    cr_assert(m.memories[0].limits.shared && !m.memories[0].limits.has_max);
    wa_module_free(&m);
    header(&b);
    SEC(&b, 5, 0x01, 0x04, 0x00);
    decode_fails(&b,
                 "integer too large: memory limits flag bit 2 (an i64 memory) needs the "
                 "memory64 feature (--enable-memory64)",
                 11);
    /* i32.atomic.rmw.cmpxchg align 2 offset 8; atomic.fence's zero byte. */
    WaInstr in = READ1(0xfe, 0x48, 0x02, 0x08);
    cr_assert_eq(in.op, WA_OP_I32_ATOMIC_RMW_CMPXCHG);
    cr_assert_eq(in.imm.memarg.offset, 8);
    in = READ1(0xfe, 0x03, 0x00);
    cr_assert_eq(in.op, WA_OP_ATOMIC_FENCE);
}

/* try_table's catch clauses (exception handling): kind, tag for the first two, label. */
Test(instr, try_table_immediates) {
    test_encoding = wa_features_default();
    WaInstr in =
        READ1(0x1f, 0x40, 0x04, 0x00, 0x01, 0x02, 0x01, 0x03, 0x04, 0x02, 0x05, 0x03, 0x06);
    cr_assert_eq(in.op, WA_OP_TRY_TABLE);
    cr_assert_eq(in.imm.try_table.block.kind, WA_BLOCK_EMPTY);
    cr_assert_eq(in.imm.try_table.ncatches, 4);
    cr_assert_eq(in.imm.try_table.catches[0].kind, WA_CATCH);
    cr_assert_eq(in.imm.try_table.catches[0].tag, 1);
    cr_assert_eq(in.imm.try_table.catches[0].label, 2);
    cr_assert_eq(in.imm.try_table.catches[1].kind, WA_CATCH_REF);
    cr_assert_eq(in.imm.try_table.catches[1].tag, 3);
    cr_assert_eq(in.imm.try_table.catches[1].label, 4);
    cr_assert_eq(in.imm.try_table.catches[2].kind, WA_CATCH_ALL);
    cr_assert_eq(in.imm.try_table.catches[2].label, 5);
    cr_assert_eq(in.imm.try_table.catches[3].kind, WA_CATCH_ALL_REF);
    cr_assert_eq(in.imm.try_table.catches[3].label, 6);
    READ_FAILS("malformed catch clause", 3, 0x1f, 0x40, 0x01, 0x04, 0x00);
    /* exnref is a value type, and exn a heap type, with the proposal. */
    in = READ1(0xd0, 0x69);
    cr_assert_eq(in.imm.index, WA_VT_EXNREF);
}

/*
 * The code section's count is checked against the function section's once
 * every section is read, as the reference interpreter does: a duplicate code
 * section after it is reported first.
 */
Test(decode, code_count_checked_after_all_sections) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x02, 0x00, 0x00);        /* two functions */
    SEC(&b, 10, 0x01, 0x02, 0x00, 0x0b); /* one body */
    SEC(&b, 10, 0x01, 0x02, 0x00, 0x0b); /* a second code section */
    decode_fails(&b, "unexpected content after last section", 25);
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x02, 0x00, 0x00);
    SEC(&b, 10, 0x01, 0x02, 0x00, 0x0b);
    decode_fails(&b, "function and code section have inconsistent lengths", 21);
}

/*
 * A body's instructions are read past its declared size, as the reference
 * interpreter reads them, so a memarg offset that straddles the body's end is
 * reported as the over-long LEB128 it is (binary-leb128.wast).
 */
Test(decode, leb128_straddling_a_body_end) {
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    SEC(&b, 5, 0x01, 0x00, 0x01);
    /* Code section of 7 bytes: one body of 5 (locals, i32.const 0, i32.load align 2, ...). */
    PUT(&b, 0x0a, 0x07, 0x01, 0x05, 0x00, 0x41, 0x00, 0x28, 0x02);
    PUT(&b, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b);
    decode_fails(&b, "integer representation too long", 32);
}

/*
 * With memory64 (Wasm 3.0) a table's limits flags are one byte, bit 2 being
 * table64, and its bounds are u64s for an i32 table too (the validator
 * bounds those by 2^32-1).
 */
Test(decode, table_limits_flags_with_memory64) {
    test_encoding = wa_features_default();
    Buf b;
    header(&b);
    SEC(&b, 4, 0x01, 0x70, 0x08, 0x00);
    decode_fails(&b, "malformed limits flags", 12);
    header(&b);
    SEC(&b, 4, 0x01, 0x70, 0x02, 0x00);
    decode_fails(&b, "malformed limits flags", 12);
    header(&b);
    SEC(&b, 4, 0x01, 0x70, 0x05, 0x03, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01); /* max 2^42 */
    decode_ok(&b);
    cr_assert(m.tables[0].type.limits.is64 && m.tables[0].type.limits.has_max);
    cr_assert_eq(m.tables[0].type.limits.min, 3);
    cr_assert_eq(m.tables[0].type.limits.max, UINT64_C(1) << 42);
    wa_module_free(&m);
    header(&b);
    SEC(&b, 4, 0x01, 0x70, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10); /* min 2^32: a u64 */
    decode_ok(&b);
    cr_assert(!m.tables[0].type.limits.is64);
    cr_assert_eq(m.tables[0].type.limits.min, UINT64_C(1) << 32);
    wa_module_free(&m);
    header(&b);
    SEC(&b, 4, 0x01, 0x70, 0x01, 0x02, 0x05);
    decode_ok(&b);
    cr_assert(m.tables[0].type.limits.has_max && !m.tables[0].type.limits.shared);
    cr_assert_eq(m.tables[0].type.limits.max, 5);
    wa_module_free(&m);
}

/*
 * Without memory64, limits flag bit 2 is Wasm 2.0's "integer too large",
 * and the message names the feature, for a table as for a memory.
 */
Test(decode, i64_limits_need_memory64) {
    test_encoding = wa_features_default() & ~WA_FEATURE_BIT(WA_FEATURE_MEMORY64);
    Buf b;
    header(&b);
    SEC(&b, 4, 0x01, 0x70, 0x04, 0x00);
    decode_fails(&b,
                 "integer too large: table limits flag bit 2 (an i64 table) needs the memory64 "
                 "feature (--enable-memory64)",
                 12);
    header(&b);
    SEC(&b, 5, 0x01, 0x05, 0x00, 0x01);
    decode_fails(&b,
                 "integer too large: memory limits flag bit 2 (an i64 memory) needs the "
                 "memory64 feature (--enable-memory64)",
                 11);
}

/* Legacy exception handling's structure: catch, catch_all and delegate only where a try allows. */
Test(decode, legacy_try_structure) {
    test_encoding = wa_features_default();
    Buf b;
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    SEC(&b, 10, 0x01, 0x06, 0x00, 0x02, 0x40, 0x19, 0x0b, 0x0b); /* block catch_all end end */
    decode_fails(&b, "END opcode expected (catch_all without try)", 25);
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    SEC(&b, 10, 0x01, 0x06, 0x00, 0x02, 0x40, 0x18, 0x00, 0x0b); /* block delegate 0 end */
    decode_fails(&b, "END opcode expected (delegate without try)", 25);
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    /* try catch_all catch_all end end: nothing after catch_all but end */
    SEC(&b, 10, 0x01, 0x07, 0x00, 0x06, 0x40, 0x19, 0x19, 0x0b, 0x0b);
    decode_fails(&b, "END opcode expected (catch_all without try)", 26);
    header(&b);
    SEC(&b, 1, 0x01, 0x60, 0x00, 0x00);
    SEC(&b, 3, 0x01, 0x00);
    SEC(&b, 10, 0x01, 0x06, 0x00, 0x06, 0x40, 0x18, 0x00, 0x0b); /* try delegate 0 end */
    decode_ok(&b);
    wa_module_free(&m);
}
