/*
 * test_escape.c: wa_rt_escape (runtime/escape.c), the one escaping of module
 * names in every message of the compiler and the runtime.
 */
#include "wa_escape.h"

#include <criterion/criterion.h>
#include <string.h>

static const char *escape(const char *s, size_t n) {
    static char buf[256];
    size_t len = wa_rt_escape(buf, sizeof buf, s, n);
    cr_assert_eq(len, strlen(buf), "the returned length is the escaped length");
    return buf;
}

#define ESCAPE(lit) escape(lit, sizeof lit - 1)

Test(escape, keeps_printable_ascii_and_utf8) {
    cr_assert_str_eq(ESCAPE("main"), "main");
    cr_assert_str_eq(ESCAPE("a b~!"), "a b~!");
    cr_assert_str_eq(ESCAPE("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
                     "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

Test(escape, escapes_control_bytes_and_backslash) {
    cr_assert_str_eq(ESCAPE("a\nb\rc\td"), "a\\nb\\rc\\td");
    cr_assert_str_eq(ESCAPE("\x1b[31mred"), "\\x1b[31mred");
    cr_assert_str_eq(ESCAPE("\x07\x7f"), "\\x07\\x7f");
    cr_assert_str_eq(ESCAPE("a\\nb"), "a\\\\nb");
    cr_assert_str_eq(ESCAPE("nul\0x"), "nul\\x00x");
}

Test(escape, escapes_c1_controls) {
    /* U+009B (CSI) is well-formed UTF-8, and a terminal control. */
    cr_assert_str_eq(ESCAPE("\xc2\x9b"
                            "2J"),
                     "\\xc2\\x9b2J");
    cr_assert_str_eq(ESCAPE("\xc2\xa0"), "\xc2\xa0"); /* U+00A0 is printable */
}

Test(escape, escapes_malformed_utf8_bytewise) {
    cr_assert_str_eq(ESCAPE("\xff"), "\\xff");
    cr_assert_str_eq(ESCAPE("\xc0\xaf"), "\\xc0\\xaf");                   /* overlong '/' */
    cr_assert_str_eq(ESCAPE("\xed\xa0\x80"), "\\xed\\xa0\\x80");          /* a surrogate */
    cr_assert_str_eq(ESCAPE("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
    cr_assert_str_eq(ESCAPE("\xe2\x82"), "\\xe2\\x82");                   /* truncated */
    cr_assert_str_eq(ESCAPE("\xe2\x82x"), "\\xe2\\x82x");
}

Test(escape, truncates_at_an_escape_boundary_and_counts_all) {
    char buf[6];
    size_t len = wa_rt_escape(buf, sizeof buf, "abcd\n", 5);
    cr_assert_eq(len, 6);          /* "abcd\\n" */
    cr_assert_str_eq(buf, "abcd"); /* never half of "\\n" */
    len = wa_rt_escape(buf, sizeof buf, "abc\x01", 4);
    cr_assert_eq(len, 7);
    cr_assert_str_eq(buf, "abc"); /* never half of "\\x01" */
    cr_assert_eq(wa_rt_escape(NULL, 0, "\x01\x02", 2), 8);
}

Test(escape, worst_case_fits_the_documented_bound) {
    char in[16];
    memset(in, 0x01, sizeof in);
    char buf[WA_RT_ESCAPE_MAX * sizeof in + 1];
    cr_assert_eq(wa_rt_escape(buf, sizeof buf, in, sizeof in), WA_RT_ESCAPE_MAX * sizeof in);
    cr_assert_eq(strlen(buf), WA_RT_ESCAPE_MAX * sizeof in);
}
