/*
 * dwarf_check.c: the bounds-checked walk of .debug_info that dwarf_check.h
 * describes (DWARF 5, section 7: unit headers 7.5.1, abbreviations 7.5.3,
 * attribute forms 7.5.6; DWARF 2-4 headers; GNU forms as LLVM reads them).
 */
#include "dwarf_check.h"

#include <stdlib.h>
#include <string.h>

/* Abbreviation codes above this are refused: no producer numbers them that high. */
#define MAX_CODE 65536u

typedef struct Cursor {
    const uint8_t *p, *end;
} Cursor;

static bool take(Cursor *c, size_t n) {
    if ((size_t)(c->end - c->p) < n)
        return false;
    c->p += n;
    return true;
}

static bool fixed(Cursor *c, unsigned n, uint64_t *v) {
    if ((size_t)(c->end - c->p) < n)
        return false;
    *v = 0;
    for (unsigned i = 0; i < n; i++)
        *v |= (uint64_t)c->p[i] << (8 * i);
    c->p += n;
    return true;
}

static bool leb(Cursor *c, uint64_t *v) {
    *v = 0;
    for (unsigned shift = 0; c->p < c->end && shift < 70; shift += 7) {
        uint8_t b = *c->p++;
        if (shift < 64)
            *v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80)
            return true;
    }
    return false;
}

/* A length, then that many bytes. */
static bool block(Cursor *c, unsigned length_size) {
    uint64_t n;
    return (length_size == 0 ? leb(c, &n) : fixed(c, length_size, &n)) && n <= SIZE_MAX &&
           take(c, (size_t)n);
}

/* What a unit's forms depend on. */
typedef struct Unit {
    unsigned version, address_size, offset_size;
} Unit;

/* Skips one value of `form`; false if it is unknown or runs past the unit. */
static bool skip_value(Cursor *c, uint64_t form, const Unit *u, unsigned depth) {
    uint64_t v;
    switch (form) {
    case 0x19: /* flag_present */
    case 0x21: /* implicit_const: in the abbreviation */
        return true;
    case 0x0b: /* data1 */
    case 0x0c: /* flag */
    case 0x11: /* ref1 */
    case 0x25: /* strx1 */
    case 0x29: /* addrx1 */
        return take(c, 1);
    case 0x05: /* data2 */
    case 0x12: /* ref2 */
    case 0x26: /* strx2 */
    case 0x2a: /* addrx2 */
        return take(c, 2);
    case 0x27: /* strx3 */
    case 0x2b: /* addrx3 */
        return take(c, 3);
    case 0x06: /* data4 */
    case 0x13: /* ref4 */
    case 0x1c: /* ref_sup4 */
    case 0x28: /* strx4 */
    case 0x2c: /* addrx4 */
        return take(c, 4);
    case 0x07: /* data8 */
    case 0x14: /* ref8 */
    case 0x20: /* ref_sig8 */
    case 0x24: /* ref_sup8 */
        return take(c, 8);
    case 0x1e: /* data16 */
        return take(c, 16);
    case 0x01: /* addr */
        return take(c, u->address_size);
    case 0x0e:   /* strp */
    case 0x17:   /* sec_offset */
    case 0x1d:   /* strp_sup */
    case 0x1f:   /* line_strp */
    case 0x1f20: /* GNU_ref_alt */
    case 0x1f21: /* GNU_strp_alt */
        return take(c, u->offset_size);
    case 0x10: /* ref_addr: an address in DWARF 2, an offset since */
        return take(c, u->version <= 2 ? u->address_size : u->offset_size);
    case 0x0d:   /* sdata */
    case 0x0f:   /* udata */
    case 0x15:   /* ref_udata */
    case 0x1a:   /* strx */
    case 0x1b:   /* addrx */
    case 0x22:   /* loclistx */
    case 0x23:   /* rnglistx */
    case 0x1f01: /* GNU_addr_index */
    case 0x1f02: /* GNU_str_index */
        return leb(c, &v);
    case 0x08: /* string */
        while (c->p < c->end)
            if (*c->p++ == '\0')
                return true;
        return false;
    case 0x0a: /* block1 */
        return block(c, 1);
    case 0x03: /* block2 */
        return block(c, 2);
    case 0x04: /* block4 */
        return block(c, 4);
    case 0x09: /* block */
    case 0x18: /* exprloc */
        return block(c, 0);
    case 0x16: /* indirect: the form comes first */
        return depth == 0 && leb(c, &v) && skip_value(c, v, u, depth + 1);
    default:
        return false;
    }
}

/* An abbreviation table: per code, its children flag and where its forms start in `forms`. */
typedef struct Abbrevs {
    uint32_t *first; /* per code: 1 + index into forms of its first form; 0: no such code */
    uint8_t *children;
    uint64_t *forms; /* each declaration's forms, then 0 */
    size_t ncodes, nforms, cap;
} Abbrevs;

static bool add_form(Abbrevs *a, uint64_t form) {
    if (a->nforms == a->cap) {
        size_t cap = a->cap != 0 ? 2 * a->cap : 64;
        uint64_t *forms = realloc(a->forms, cap * sizeof *forms);
        if (forms == NULL)
            return false;
        a->forms = forms;
        a->cap = cap;
    }
    a->forms[a->nforms++] = form;
    return true;
}

/* Makes room for code in a's per-code arrays, the new entries zero. */
static bool add_code(Abbrevs *a, uint64_t code) {
    if (code < a->ncodes)
        return true;
    size_t n = a->ncodes * 2 > code ? a->ncodes * 2 : (size_t)code + 64;
    uint32_t *first = realloc(a->first, n * sizeof *first);
    if (first != NULL)
        a->first = first;
    uint8_t *children = realloc(a->children, n);
    if (children != NULL)
        a->children = children;
    if (first == NULL || children == NULL)
        return false;
    memset(a->first + a->ncodes, 0, (n - a->ncodes) * sizeof *first);
    memset(a->children + a->ncodes, 0, n - a->ncodes);
    a->ncodes = n;
    return true;
}

/* Reads the table at abbrev[offset...] into a (freed by the caller either way). */
static bool read_abbrevs(const uint8_t *abbrev, size_t size, uint64_t offset, Abbrevs *a) {
    if (offset >= size)
        return false;
    Cursor c = {abbrev + offset, abbrev + size};
    for (;;) {
        uint64_t code, tag, attr, form, value;
        if (!leb(&c, &code))
            return false;
        if (code == 0)
            return true;
        if (code >= MAX_CODE || !add_code(a, code) || a->first[code] != 0 || !leb(&c, &tag) ||
            c.p >= c.end || a->nforms >= UINT32_MAX - 1)
            return false;
        a->children[code] = *c.p++;
        a->first[code] = (uint32_t)a->nforms + 1;
        do {
            if (!leb(&c, &attr) || !leb(&c, &form))
                return false;
            if (form == 0x21 && !leb(&c, &value)) /* implicit_const's value */
                return false;
            if ((attr != 0 || form != 0) && !add_form(a, form))
                return false;
        } while (attr != 0 || form != 0);
        if (!add_form(a, 0))
            return false;
    }
}

/* The entries of one unit, from c to its end. */
static bool check_entries(Cursor *c, const Abbrevs *a, const Unit *u) {
    while (c->p < c->end) {
        uint64_t code;
        if (!leb(c, &code))
            return false;
        if (code == 0)
            continue; /* the end of a list of children */
        if (code >= a->ncodes || a->first[code] == 0)
            return false;
        for (const uint64_t *f = &a->forms[a->first[code] - 1]; *f != 0; f++)
            if (!skip_value(c, *f, u, 0))
                return false;
    }
    return true;
}

/* One unit at c: its header, then its entries; c moves past it. types: of .debug_types. */
static bool check_unit(Cursor *c, const uint8_t *abbrev, size_t abbrev_size, bool types) {
    uint64_t length, version, abbrev_offset, address_size, unit_type = 1;
    Unit u = {0, 0, 4};
    if (!fixed(c, 4, &length))
        return false;
    if (length == 0xffffffffu) {
        u.offset_size = 8;
        if (!fixed(c, 8, &length))
            return false;
    } else if (length >= 0xfffffff0u) {
        return false;
    }
    if (length > (uint64_t)(c->end - c->p))
        return false;
    Cursor unit = {c->p, c->p + length};
    c->p = unit.end;
    if (!fixed(&unit, 2, &version) || version < 2 || version > 5)
        return false;
    if (version == 5) {
        if (!fixed(&unit, 1, &unit_type) || !fixed(&unit, 1, &address_size) ||
            !fixed(&unit, u.offset_size, &abbrev_offset))
            return false;
        /* DW_UT_skeleton, split_compile: a dwo id; type, split_type: a signature and offset */
        if ((unit_type == 4 || unit_type == 5) && !take(&unit, 8))
            return false;
        if ((unit_type == 2 || unit_type == 6) && !take(&unit, 8 + u.offset_size))
            return false;
        if (unit_type < 1 || unit_type > 6)
            return false;
    } else if (!fixed(&unit, u.offset_size, &abbrev_offset) || !fixed(&unit, 1, &address_size)) {
        return false;
    } else if (types &&
               !take(&unit, 8 + u.offset_size)) { /* DWARF 4 type unit: signature, offset */
        return false;
    }
    if (address_size != 2 && address_size != 4 && address_size != 8)
        return false;
    u.version = (unsigned)version;
    u.address_size = (unsigned)address_size;
    Abbrevs a = {0};
    bool ok = read_abbrevs(abbrev, abbrev_size, abbrev_offset, &a) && check_entries(&unit, &a, &u);
    free(a.first);
    free(a.children);
    free(a.forms);
    return ok;
}

bool wa_dwarf_info_well_formed(const uint8_t *info, size_t info_size, const uint8_t *abbrev,
                               size_t abbrev_size, bool types) {
    Cursor c = {info, info + info_size};
    while (c.p < c.end)
        if (!check_unit(&c, abbrev, abbrev_size, types))
            return false;
    return true;
}
