/*
 * features.c: the feature table's views (features.def) and the check that a
 * decoded module uses only the features enabled (spec: each proposal's
 * overview says which constructs it adds; Wasm 2.0 merged seven of them).
 *
 * The check runs between decoding and validation, so that a module that
 * uses a disabled feature is told so ("return_call needs the tail-call
 * feature (--enable-tail-call)") rather than getting a type error the
 * feature would explain. Opcodes are matched to features by the
 * WA_FEATURE_OPS ranges of features.def; what is not an opcode is listed in
 * wa_features_check, one check per construct, each naming its proposal.
 */
#include "features.h"

#include "../base/reader.h"
#include "instr.h"

#include <string.h>

enum { STATUS_ON, STATUS_OFF, STATUS_MISSING };
#define STATUS_OF_ON STATUS_ON
#define STATUS_OF_OFF STATUS_OFF
#define STATUS_OF_MISSING STATUS_MISSING

static const struct {
    const char *name;
    uint8_t status;
    bool wabt_on;
    const char *description;
} features[WA_FEATURE_COUNT] = {
#define WA_FEATURE(NAME, CLI, STATUS, WABT_ON, DESCRIPTION)                                        \
    [WA_FEATURE_##NAME] = {CLI, STATUS_OF_##STATUS, WABT_ON, DESCRIPTION},
#include "features.def"
#undef WA_FEATURE
};

WaFeatures wa_features_default(void) {
    WaFeatures set = 0;
    for (int f = 0; f < WA_FEATURE_COUNT; f++) {
        if (features[f].status == STATUS_ON)
            set |= WA_FEATURE_BIT(f);
    }
    return set;
}

WaFeatures wa_features_all(void) {
    WaFeatures set = 0;
    for (int f = 0; f < WA_FEATURE_COUNT; f++) {
        if (features[f].status != STATUS_MISSING)
            set |= WA_FEATURE_BIT(f);
    }
    return set;
}

const char *wa_feature_name(WaFeature f) {
    return features[f].name;
}

const char *wa_feature_description(WaFeature f) {
    return features[f].description;
}

bool wa_feature_implemented(WaFeature f) {
    return features[f].status != STATUS_MISSING;
}

bool wa_feature_wabt_default(WaFeature f) {
    return features[f].wabt_on;
}

int wa_features_wabt_flags(WaFeatures set, char flags[][WA_FEATURE_WABT_FLAG_SIZE], char **argv) {
    int n = 0;
    for (int f = 0; f < WA_FEATURE_COUNT; f++) {
        bool on = (set & WA_FEATURE_BIT(f)) != 0;
        if (on == features[f].wabt_on)
            continue;
        snprintf(flags[n], WA_FEATURE_WABT_FLAG_SIZE, "--%s-%s", on ? "enable" : "disable",
                 features[f].name);
        argv[n] = flags[n];
        n++;
    }
    return n;
}

WaFeature wa_feature_lookup(const char *name, size_t len) {
    for (int f = 0; f < WA_FEATURE_COUNT; f++) {
        if (strlen(features[f].name) == len && memcmp(features[f].name, name, len) == 0)
            return (WaFeature)f;
    }
    return WA_FEATURE_COUNT;
}

WaFeatureArg wa_features_parse_arg(WaFeatures *set, const char *arg, char *why, size_t why_size) {
    if (strcmp(arg, "--enable-all") == 0) {
        *set |= wa_features_all();
        return WA_FEATURE_ARG_OK;
    }
    bool enable = strncmp(arg, "--enable-", 9) == 0;
    if (!enable && strncmp(arg, "--disable-", 10) != 0)
        return WA_FEATURE_ARG_NONE;
    const char *name = arg + (enable ? 9 : 10);
    WaFeature f = wa_feature_lookup(name, strlen(name));
    if (f == WA_FEATURE_COUNT) {
        snprintf(why, why_size, "unknown feature '%s' in %s (see --help for the features)", name,
                 arg);
        return WA_FEATURE_ARG_ERROR;
    }
    if (!wa_feature_implemented(f)) {
        if (!enable)
            return WA_FEATURE_ARG_OK; /* never enabled anyway */
        snprintf(why, why_size, "wasmaot does not support %s yet (%s)", name,
                 features[f].description);
        return WA_FEATURE_ARG_ERROR;
    }
    if (enable)
        *set |= WA_FEATURE_BIT(f);
    else
        *set &= ~WA_FEATURE_BIT(f);
    return WA_FEATURE_ARG_OK;
}

void wa_features_print_help(FILE *out, const char *indent) {
    fprintf(out,
            "%s--enable-FEATURE, --disable-FEATURE, --enable-all (every feature wasmaot has)\n",
            indent);
    for (int f = 0; f < WA_FEATURE_COUNT; f++) {
        const char *state = features[f].status == STATUS_ON    ? "on"
                            : features[f].status == STATUS_OFF ? "off"
                                                               : "not supported yet";
        fprintf(out, "%s  %-24s %s (%s)\n", indent, features[f].name, features[f].description,
                state);
    }
}

void wa_features_format(WaFeatures set, char *buf, size_t size) {
    size_t n = 0;
    buf[0] = '\0';
    for (int f = 0; f < WA_FEATURE_COUNT && n < size; f++) {
        if (set & WA_FEATURE_BIT(f))
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "", features[f].name);
    }
}

/* ---- Opcodes ---- */

static const struct {
    uint8_t prefix;
    uint32_t code;
} op_codes[WA_OP_COUNT] = {
#define WA_OP(NAME, PREFIX, CODE, TEXT, IMM, CLASS, T1, T2, T3, TR, MEMLOG2, AUX, SHAPE, NEST,     \
              CONST)                                                                               \
    [WA_OP_##NAME] = {PREFIX, CODE},
#include "opcodes.def"
#undef WA_OP
};

static const struct {
    WaFeature feature;
    uint8_t prefix;
    uint32_t first, last;
} op_ranges[] = {
#define WA_FEATURE(NAME, CLI, STATUS, WABT_ON, DESCRIPTION)
#define WA_FEATURE_OPS(NAME, PREFIX, FIRST, LAST) {WA_FEATURE_##NAME, PREFIX, FIRST, LAST},
#include "features.def"
#undef WA_FEATURE_OPS
#undef WA_FEATURE
};

WaFeature wa_op_feature(int op) {
    for (size_t i = 0; i < sizeof op_ranges / sizeof *op_ranges; i++) {
        if (op_codes[op].prefix == op_ranges[i].prefix && op_codes[op].code >= op_ranges[i].first &&
            op_codes[op].code <= op_ranges[i].last)
            return op_ranges[i].feature;
    }
    return WA_FEATURE_COUNT;
}

/* ---- The module check ---- */

typedef struct Check {
    const WaModule *m;
    WaFeatures set;
    WaDiag *d;
    WaArena scratch;
} Check;

/* Fails unless feature f is enabled: "WHAT needs the F feature (--enable-F)" at offset. */
static bool need(Check *c, WaFeature f, size_t offset, const char *what) {
    if (c->set & WA_FEATURE_BIT(f))
        return true;
    return wa_diag_error(c->d, offset, "%s needs the %s feature (--enable-%s)", what,
                         features[f].name, features[f].name);
}

/* A value type outside Wasm 1.0: v128 (simd) and references as values (reference-types). */
static bool check_valtype(Check *c, WaValType t, size_t offset) {
    if (t == WA_VT_V128)
        return need(c, WA_FEATURE_SIMD, offset, "type v128");
    if (t == WA_VT_EXNREF)
        return need(c, WA_FEATURE_EXCEPTIONS, offset, "type exnref");
    if (wa_valtype_is_ref(t))
        return need(c, WA_FEATURE_REFERENCE_TYPES, offset,
                    t == WA_VT_FUNCREF ? "a funcref value" : "type externref");
    return true;
}

/* Table element types: funcref is Wasm 1.0, externref needs reference-types. */
static bool check_table_type(Check *c, const WaTableType *t, size_t offset) {
    if (t->elem == WA_VT_EXTERNREF)
        return need(c, WA_FEATURE_REFERENCE_TYPES, offset, "a table of externref");
    return true;
}

/* One instruction of a body or a constant expression. */
static bool check_instr(Check *c, const WaInstr *in, bool in_const) {
    WaFeature f = wa_op_feature(in->op);
    if (f != WA_FEATURE_COUNT)
        WA_TRY(need(c, f, in->offset, wa_op_name[in->op]));
    /*
     * Without extended-const, i32.add & co. are what Wasm 2.0 calls them in
     * a constant expression, and the message starts with its wording (the
     * 2.0 suite's elem.wast expects "constant expression required").
     */
    if (in_const && wa_op_const[in->op] == 2 &&
        !(c->set & WA_FEATURE_BIT(WA_FEATURE_EXTENDED_CONST)))
        return wa_diag_error(c->d, in->offset,
                             "constant expression required: %s needs the extended-const feature "
                             "(--enable-extended-const)",
                             wa_op_name[in->op]);
    if (wa_op_imm[in->op] == WA_IMM_BLOCK || wa_op_imm[in->op] == WA_IMM_TRY_TABLE) {
        const WaBlockType *bt =
            wa_op_imm[in->op] == WA_IMM_BLOCK ? &in->imm.block : &in->imm.try_table.block;
        if (bt->kind == WA_BLOCK_TYPEIDX)
            WA_TRY(need(c, WA_FEATURE_MULTI_VALUE, in->offset, "a block type by type index"));
        if (bt->kind == WA_BLOCK_VALUE)
            WA_TRY(check_valtype(c, bt->value, in->offset));
    }
    return true;
}

/* The instructions from code up to code+size; stops quietly at one that does not decode. */
static bool check_code(Check *c, const uint8_t *code, size_t size, bool in_const) {
    const WaModule *m = c->m;
    WaDiag quiet; /* read errors are the validator's to report */
    wa_diag_init(&quiet, NULL);
    WaReader r = wa_module_reader(m, code, size, &quiet);
    bool ok = true;
    while (ok && !wa_reader_at_end(&r)) {
        WaInstr in;
        if (!wa_instr_read(&r, &c->scratch, &in))
            break;
        ok = check_instr(c, &in, in_const);
    }
    wa_arena_reset(&c->scratch);
    return ok;
}

static bool check_const(Check *c, const WaConstExpr *e) {
    return check_code(c, e->code, e->size, true);
}

static bool check_types(Check *c) {
    for (uint32_t i = 0; i < c->m->ntypes; i++) {
        const WaFuncType *ft = &c->m->types[i];
        for (uint32_t k = 0; k < ft->nparams; k++)
            WA_TRY(check_valtype(c, ft->params[k], ft->offset));
        for (uint32_t k = 0; k < ft->nresults; k++)
            WA_TRY(check_valtype(c, ft->results[k], ft->offset));
        if (ft->nresults > 1)
            WA_TRY(need(c, WA_FEATURE_MULTI_VALUE, ft->offset,
                        "a function type with several results"));
    }
    return true;
}

static bool check_tables_and_globals(Check *c) {
    const WaModule *m = c->m;
    for (uint32_t i = 0; i < m->ntables; i++) {
        WA_TRY(check_table_type(c, &m->tables[i].type, m->tables[i].offset));
        /* Wasm 1.0 calls it "multiple tables" (the threads proposal's imports.wast expects that
           prefix, as the 1.0 suite did). */
        if (i == 1)
            WA_TRY(need(c, WA_FEATURE_REFERENCE_TYPES, m->tables[i].offset,
                        "multiple tables: a second table"));
    }
    for (uint32_t i = 0; i < m->nmemories; i++) {
        /* The decoder reads the shared flag only with threads; this keeps the check whole. */
        if (m->memories[i].limits.shared)
            WA_TRY(
                need(c, WA_FEATURE_THREADS,
                     m->memories[i].imported ? m->imports[m->memories[i].import_index].offset : 0,
                     "a shared memory"));
    }
    for (uint32_t i = 0; i < m->nglobals; i++) {
        const WaGlobal *g = &m->globals[i];
        WA_TRY(check_valtype(c, g->type.type, g->offset));
        if (g->imported && g->type.is_mutable)
            WA_TRY(need(c, WA_FEATURE_MUTABLE_GLOBALS, m->imports[g->import_index].offset,
                        "importing a mutable global"));
        if (!g->imported)
            WA_TRY(check_const(c, &g->init));
    }
    for (uint32_t i = 0; i < m->nexports; i++) {
        const WaExport *e = &m->exports[i];
        if (e->kind == WA_EXTERN_GLOBAL && e->index < m->nglobals &&
            m->globals[e->index].type.is_mutable)
            WA_TRY(need(c, WA_FEATURE_MUTABLE_GLOBALS, e->offset, "exporting a mutable global"));
    }
    return true;
}

static bool check_segments(Check *c) {
    const WaModule *m = c->m;
    if (m->has_data_count)
        WA_TRY(need(c, WA_FEATURE_BULK_MEMORY, m->data_count_offset, "the data count section"));
    for (uint32_t i = 0; i < m->nelems; i++) {
        const WaElemSegment *seg = &m->elems[i];
        /* Wasm 1.0 has only encoding 0: active, table 0, function indices. */
        if (seg->flags != 0)
            WA_TRY(need(c, WA_FEATURE_BULK_MEMORY, seg->offset_in_file,
                        "an element segment of this encoding (passive, declarative, explicit "
                        "table or expressions)"));
        if (seg->type == WA_VT_EXTERNREF)
            WA_TRY(need(c, WA_FEATURE_REFERENCE_TYPES, seg->offset_in_file,
                        "an element segment of externref"));
        if (seg->mode == WA_SEGMENT_ACTIVE)
            WA_TRY(check_const(c, &seg->offset));
        for (uint32_t k = 0; seg->exprs != NULL && k < seg->count; k++)
            WA_TRY(check_const(c, &seg->exprs[k]));
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const WaDataSegment *seg = &m->datas[i];
        if (seg->flags != 0)
            WA_TRY(need(c, WA_FEATURE_BULK_MEMORY, seg->offset_in_file,
                        "a passive or explicit-memory data segment"));
        if (seg->mode == WA_SEGMENT_ACTIVE)
            WA_TRY(check_const(c, &seg->offset));
    }
    return true;
}

static bool check_funcs(Check *c) {
    const WaModule *m = c->m;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        for (uint32_t k = 0; k < f->nlocal_runs; k++)
            WA_TRY(check_valtype(c, f->local_runs[k].type, f->code_offset));
        if (!check_code(c, f->code, f->code_size, false)) {
            wa_diag_set_func(c->d, i, f->name);
            return false;
        }
    }
    return true;
}

bool wa_features_check(const WaModule *m, WaFeatures set, WaDiag *d) {
    Check c = {.m = m, .set = set, .d = d};
    wa_arena_init(&c.scratch);
    bool ok =
        check_types(&c) && check_tables_and_globals(&c) && check_segments(&c) && check_funcs(&c);
    wa_arena_free(&c.scratch);
    return ok;
}
