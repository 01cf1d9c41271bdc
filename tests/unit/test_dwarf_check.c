/*
 * test_dwarf_check.c: the bounds-checked walk of .debug_info made before
 * LLVM's DWARF reader sees it (compiler/debug/dwarf_check.h): well-formed
 * units of DWARF 4 and 5 (DWARF32 and DWARF64) pass, with every form of
 * fixed, LEB128, string and block size; a value, an entry or a header
 * that runs past its unit, an unknown form or abbreviation code, and a bad
 * version or address size fail.
 */
#include "debug/dwarf_check.h"

#include <criterion/criterion.h>
#include <string.h>

/* A compile unit entry (code 1) with one attribute of `form`, and the end of its table. */
#define ABBREV(form) {1, 0x11, 0, 0x03, (form), 0, 0, 0}

/* A DWARF 4 unit: header (version 4, abbreviations at 0, 4-byte addresses), then `die`. */
static size_t unit4(uint8_t *out, const uint8_t *die, size_t n) {
    uint32_t length = (uint32_t)(2 + 4 + 1 + n);
    memcpy(out, &length, 4);
    const uint8_t header[] = {4, 0, 0, 0, 0, 0, 4};
    memcpy(out + 4, header, sizeof header);
    memcpy(out + 4 + sizeof header, die, n);
    return 4 + length;
}

static bool check4(const uint8_t *abbrev, size_t abbrev_size, const uint8_t *die, size_t n) {
    uint8_t info[256];
    size_t size = unit4(info, die, n);
    return wa_dwarf_info_well_formed(info, size, abbrev, abbrev_size, false);
}

#define CHECK4(abbrev, ...)                                                                        \
    check4(abbrev, sizeof abbrev, (const uint8_t[]){__VA_ARGS__},                                  \
           sizeof((const uint8_t[]){__VA_ARGS__}))

Test(dwarf_check, fixed_size_forms) {
    const uint8_t data1[] = ABBREV(0x0b), data2[] = ABBREV(0x05), data4[] = ABBREV(0x06),
                  data8[] = ABBREV(0x07), data16[] = ABBREV(0x1e), addr[] = ABBREV(0x01);
    cr_assert(CHECK4(data1, 1, 7));
    cr_assert(CHECK4(data2, 1, 7, 0));
    cr_assert(CHECK4(data4, 1, 1, 2, 3, 4));
    cr_assert(CHECK4(data8, 1, 1, 2, 3, 4, 5, 6, 7, 8));
    cr_assert(CHECK4(data16, 1, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8));
    cr_assert(CHECK4(addr, 1, 1, 2, 3, 4));
    /* one byte short */
    cr_assert_not(CHECK4(data4, 1, 1, 2, 3));
    cr_assert_not(CHECK4(addr, 1, 1, 2, 3));
    cr_assert_not(CHECK4(data16, 1, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7));
}

Test(dwarf_check, variable_size_forms) {
    const uint8_t udata[] = ABBREV(0x0f), string[] = ABBREV(0x08), block1[] = ABBREV(0x0a),
                  block4[] = ABBREV(0x04), exprloc[] = ABBREV(0x18), indirect[] = ABBREV(0x16);
    cr_assert(CHECK4(udata, 1, 0x80, 0x80, 0x01));
    cr_assert_not(CHECK4(udata, 1, 0x80, 0x80)); /* the LEB128 never ends */
    cr_assert(CHECK4(string, 1, 'a', 'b', 0));
    cr_assert_not(CHECK4(string, 1, 'a', 'b')); /* no NUL in the unit */
    cr_assert(CHECK4(block1, 1, 2, 9, 9));
    cr_assert_not(CHECK4(block1, 1, 3, 9, 9));
    cr_assert(CHECK4(exprloc, 1, 1, 0x9f));
    cr_assert_not(CHECK4(exprloc, 1, 0x82, 0x01, 0x9f)); /* 130 bytes promised */
    /* The crash LLVM's reader had: a block4 longer than the unit (then a LEB128 read). */
    cr_assert_not(CHECK4(block4, 1, 0xf0, 0xff, 0xff, 0x7f, 0, 0, 0, 0));
    cr_assert(CHECK4(block4, 1, 1, 0, 0, 0, 9));
    cr_assert(CHECK4(indirect, 1, 0x0b, 7));        /* indirect data1 */
    cr_assert_not(CHECK4(indirect, 1, 0x16, 0x0b)); /* indirect indirect */
}

Test(dwarf_check, abbreviations) {
    const uint8_t unknown_form[] = ABBREV(0x7e), implicit[] = {1, 0x11, 0, 0x03, 0x21, 5, 0, 0, 0};
    const uint8_t nested[] = {1, 0x11, 1, 0x03, 0x0b, 0, 0, 2, 0x34, 0, 0x03, 0x0b, 0, 0, 0};
    const uint8_t data1[] = ABBREV(0x0b);
    cr_assert_not(CHECK4(unknown_form, 1, 0));
    cr_assert(CHECK4(implicit, 1)); /* implicit_const: its value is in the table */
    cr_assert(CHECK4(nested, 1, 7, 2, 8, 2, 9, 0));
    cr_assert_not(CHECK4(nested, 1, 7, 3, 8)); /* code 3 is not in the table */
    cr_assert_not(CHECK4(data1, 0x81));        /* an unfinished code */
    const uint8_t die[] = {1, 7};
    cr_assert_not(check4(data1, 4, die, sizeof die)); /* the table cut short */
    const uint8_t twice[] = {1, 0x11, 0, 0x03, 0x0b, 0, 0, 1, 0x11, 0, 0, 0, 0};
    cr_assert_not(CHECK4(twice, 1, 7)); /* code 1 declared twice */
}

Test(dwarf_check, headers) {
    const uint8_t abbrev[] = ABBREV(0x0b);
    /* DWARF 5: unit type 1 (compile), address size 4, abbreviations at 0 */
    const uint8_t v5[] = {9, 0, 0, 0, 5, 0, 1, 4, 0, 0, 0, 0, 1};
    cr_assert_not(wa_dwarf_info_well_formed(v5, sizeof v5, abbrev, sizeof abbrev, false));
    const uint8_t v5_ok[] = {10, 0, 0, 0, 5, 0, 1, 4, 0, 0, 0, 0, 1, 7};
    cr_assert(wa_dwarf_info_well_formed(v5_ok, sizeof v5_ok, abbrev, sizeof abbrev, false));
    /* DWARF64: 0xffffffff, then an 8-byte length and an 8-byte abbreviation offset */
    const uint8_t dwarf64[] = {0xff, 0xff, 0xff, 0xff, 13, 0, 0, 0, 0, 0, 0, 0, 4,
                               0,    0,    0,    0,    0,  0, 0, 0, 0, 4, 1, 7};
    cr_assert(wa_dwarf_info_well_formed(dwarf64, sizeof dwarf64, abbrev, sizeof abbrev, false));
    const uint8_t version9[] = {9, 0, 0, 0, 9, 0, 0, 0, 0, 0, 4, 1, 7};
    cr_assert_not(
        wa_dwarf_info_well_formed(version9, sizeof version9, abbrev, sizeof abbrev, false));
    const uint8_t address3[] = {9, 0, 0, 0, 4, 0, 0, 0, 0, 0, 3, 1, 7};
    cr_assert_not(
        wa_dwarf_info_well_formed(address3, sizeof address3, abbrev, sizeof abbrev, false));
    const uint8_t too_long[] = {40, 0, 0, 0, 4, 0, 0, 0, 0, 0, 4, 1, 7};
    cr_assert_not(
        wa_dwarf_info_well_formed(too_long, sizeof too_long, abbrev, sizeof abbrev, false));
    const uint8_t abbrev_beyond[] = {9, 0, 0, 0, 4, 0, 99, 0, 0, 0, 4, 1, 7};
    cr_assert_not(wa_dwarf_info_well_formed(abbrev_beyond, sizeof abbrev_beyond, abbrev,
                                            sizeof abbrev, false));
    /* two units back to back, the second cut short */
    uint8_t two[64];
    const uint8_t die[] = {1, 7};
    size_t n = unit4(two, die, sizeof die);
    n += unit4(two + n, die, sizeof die);
    cr_assert(wa_dwarf_info_well_formed(two, n, abbrev, sizeof abbrev, false));
    cr_assert_not(wa_dwarf_info_well_formed(two, n - 1, abbrev, sizeof abbrev, false));
    cr_assert(wa_dwarf_info_well_formed(two, 0, abbrev, sizeof abbrev, false)); /* no unit */
    /* A DWARF 4 type unit (.debug_types): the header ends with a signature and an offset. */
    const uint8_t type_unit[] = {21, 0, 0, 0, 4, 0, 0, 0, 0, 0, 4, 1, 2,
                                 3,  4, 5, 6, 7, 8, 0, 0, 0, 0, 1, 7};
    cr_assert(wa_dwarf_info_well_formed(type_unit, sizeof type_unit, abbrev, sizeof abbrev, true));
    cr_assert_not(
        wa_dwarf_info_well_formed(type_unit, sizeof type_unit, abbrev, sizeof abbrev, false));
}
