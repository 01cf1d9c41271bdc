/*
 * validate.c: module validation (spec chapter 3, WebAssembly 2.0) and the
 * instruction-sequence algorithm of the spec's appendix ("Validation
 * Algorithm").
 *
 * Two levels:
 *   - Module level (spec 3.4): limits of tables and memories (i64 memories
 *     up to 2^48 pages, memory64), at most one memory unless multi-memory
 *     is on, type indices of functions, constant expressions of globals and
 *     segments, element and data segments, the start function, exports with
 *     distinct names. While checking constant expressions and exports it
 *     collects C.refs, the functions that function bodies may name with
 *     ref.func ("declared" function references, spec 3.4.10).
 *   - Function bodies (spec 3.3, appendix): an operand stack of value types
 *     and a control stack of frames. After unreachable, br, br_table and
 *     return the rest of the frame is stack-polymorphic: popping below the
 *     frame's height yields UNKNOWN, which matches every type.
 *
 * Instructions are read again here with wa_instr_read; the decoder has read
 * every body for structure already (compiler/wasm/decode.c, read_instr_seq),
 * so malformed sequences never reach the validator, as in the spec, which
 * decodes a module before validating it. "data count section required" for
 * memory.init and data.drop in a module without one is reported here.
 *
 * Instructions with a fixed signature take it from opcodes.def (wa_op_sig:
 * operands T1 T2 T3 bottom to top, result TR) after their immediates are
 * checked by immediate kind; rows marked SPECIAL are typed by check_special.
 *
 * Messages start with the spec test suite's wording ("type mismatch",
 * "unknown local 2", ...); index-related messages append the index, because
 * the suite sometimes expects it ("unknown global 0").
 */
#include "validate.h"

#include "../base/arena.h"
#include "../base/check.h"
#include "../base/vec.h"

#include "../../runtime/wa_escape.h"
#include "instr.h"

#include <stdlib.h>
#include <string.h>

/* The operand type that matches anything: what popping a polymorphic stack yields. */
#define VT_UNKNOWN WA_VT_X

/* Most pages a Wasm 2.0 memory may have: 65536 pages of 64 KiB = 4 GiB. */
#define MAX_MEMORY_PAGES 65536u
/* Most pages an i64 memory may have (memory64 proposal): 2^48 pages = 2^64 bytes. */
#define MAX_MEMORY64_PAGES (UINT64_C(1) << 48)

/* One entry of the control stack (the appendix's ctrl_frame). */
typedef struct Frame {
    WaOpcode op; /* BLOCK (also the function's frame), LOOP, IF, or ELSE once `else` is seen;
                    exception handling: TRY_TABLE, TRY (its body), CATCH or CATCH_ALL (a
                    legacy try's handler, once `catch` or `catch_all` is seen) */
    const WaValType *params;
    const WaValType *results;
    uint32_t nparams, nresults;
    size_t height;    /* operand stack height at entry, after the params were popped */
    bool unreachable; /* the rest of the frame is stack-polymorphic */
} Frame;

/* Module-wide facts shared by every check. */
typedef struct ModCheck {
    const WaModule *m;
    WaDiag *d;
    bool *refs; /* per function: may be named by ref.func in a body (C.refs) */
} ModCheck;

/* The state of validating one function body. Vectors are reused across functions. */
typedef struct FuncCheck {
    const ModCheck *mc;
    const WaModule *m;
    WaDiag *d;
    const WaFuncType *type;
    WaValType *locals; /* params then declared locals, in the scratch arena */
    uint32_t nlocals;
    size_t at; /* offset of the instruction being checked, for messages */
    WA_VEC(uint8_t) vals;
    WA_VEC(Frame) ctrls;
    WA_VEC(uint8_t) tmp; /* br_table: the values popped for one label, to push back */
    WaArena scratch;
} FuncCheck;

static const char *type_name(uint8_t t) {
    return t == VT_UNKNOWN ? "unknown" : wa_valtype_name((WaValType)t);
}

static bool is_num(uint8_t t) {
    return t == WA_VT_I32 || t == WA_VT_I64 || t == WA_VT_F32 || t == WA_VT_F64 || t == VT_UNKNOWN;
}

static bool is_vec(uint8_t t) {
    return t == WA_VT_V128 || t == VT_UNKNOWN;
}

static bool is_ref(uint8_t t) {
    return wa_valtype_is_ref((WaValType)t) || t == VT_UNKNOWN;
}

/* ---- Module-level helpers ---------------------------------------------------------------- */

/* Records an error at `offset` if `has_offset`, else without one. */
static bool error_at(WaDiag *d, bool has_offset, size_t offset, const char *what) {
    if (has_offset)
        return wa_diag_error(d, offset, "%s", what);
    return wa_diag_error_no_offset(d, "%s", what);
}

/* Where an imported entity was declared, for messages about it. */
static bool import_offset(const WaModule *m, bool imported, uint32_t import_index, size_t *out) {
    if (!imported || import_index >= m->nimports)
        return false;
    *out = m->imports[import_index].offset;
    return true;
}

/*
 * Limits (spec 3.2.1): min and max within `range`, then min <= max; the
 * reference interpreter checks in this order, so the suite's messages follow it.
 */
static bool check_limits(WaDiag *d, const WaLimits *l, uint64_t range, const char *range_msg,
                         bool has_off, size_t off) {
    if (l->min > range || (l->has_max && l->max > range))
        return error_at(d, has_off, off, range_msg);
    if (l->has_max && l->min > l->max)
        return error_at(d, has_off, off, "size minimum must not be greater than maximum");
    return true;
}

/*
 * A constant expression (spec 3.3.10, Wasm 2.0) of result type `want`: only
 * the instructions of the CONST column (t.const, v128.const, ref.null,
 * ref.func, global.get), and global.get only of an imported immutable global.
 * Only imported globals are visible (spec 3.4.10: the context C' of globals
 * and segments), so naming a defined one is "unknown global". ref.func here
 * declares its function for use in bodies.
 */
static bool check_const_expr(const ModCheck *mc, const WaConstExpr *e, WaValType want,
                             WaArena *scratch) {
    const WaModule *m = mc->m;
    WaDiag *d = mc->d;
    WaReader r = wa_module_reader(m, e->code, e->size, d);
    uint8_t stack[8];
    size_t depth = 0;
    size_t last = e->offset;
    for (;;) {
        if (wa_reader_at_end(&r))
            return wa_diag_error(d, wa_reader_offset(&r), "unexpected end");
        WaInstr in;
        WA_TRY(wa_instr_read(&r, scratch, &in));
        last = in.offset;
        if (wa_op_nest[in.op] == WA_NEST_CLOSE)
            break;
        if (!wa_op_const[in.op])
            return wa_diag_error(d, in.offset, "constant expression required: %s is not constant",
                                 wa_op_name[in.op]);
        uint8_t t;
        switch (in.op) {
        case WA_OP_REF_NULL:
            t = (uint8_t)in.imm.index;
            break;
        case WA_OP_REF_FUNC:
            if (in.imm.index >= m->nfuncs)
                return wa_diag_error(d, in.offset, "unknown function %u", in.imm.index);
            mc->refs[in.imm.index] = true;
            t = WA_VT_FUNCREF;
            break;
        case WA_OP_GLOBAL_GET:
            if (in.imm.index >= m->nglobal_imports)
                return wa_diag_error(d, in.offset, "unknown global %u", in.imm.index);
            if (m->globals[in.imm.index].type.is_mutable)
                return wa_diag_error(d, in.offset,
                                     "constant expression required: global %u is mutable",
                                     in.imm.index);
            t = m->globals[in.imm.index].type.type;
            break;
        default:
            /*
             * t.const, v128.const: no operands; the extended-const
             * proposal's i32/i64 add, sub, mul: two operands of the row's
             * type. Either way the row's result type is pushed.
             */
            for (int k = 1; k >= 0; k--) {
                uint8_t want_operand = wa_op_sig[in.op][k];
                if (want_operand == WA_VT_X)
                    continue;
                if (depth == 0 || stack[depth - 1] != want_operand)
                    return wa_diag_error(d, in.offset, "type mismatch: %s needs two %s operands",
                                         wa_op_name[in.op], wa_valtype_name(want_operand));
                depth--;
            }
            t = wa_op_sig[in.op][3];
            break;
        }
        /* More than one value is a type mismatch; a few slots suffice to say so. */
        if (depth == sizeof stack)
            return wa_diag_error(d, in.offset,
                                 "type mismatch: constant expression leaves %zu values", depth + 1);
        stack[depth++] = t;
    }
    if (!wa_reader_at_end(&r))
        return wa_diag_error(d, wa_reader_offset(&r),
                             "constant expression required: instructions after end");
    if (depth != 1 || stack[0] != want)
        return wa_diag_error(d, last, "type mismatch: constant expression must produce one %s",
                             wa_valtype_name(want));
    return true;
}

static bool check_func_types(const ModCheck *mc) {
    const WaModule *m = mc->m;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        if (f->type_index < m->ntypes)
            continue;
        size_t off = f->code_offset;
        bool has_off =
            f->imported ? import_offset(m, true, f->import_index, &off) : f->code != NULL;
        if (!has_off)
            return wa_diag_error_no_offset(mc->d, "unknown type %u (function %u)", f->type_index,
                                           i);
        return wa_diag_error(mc->d, off, "unknown type %u (function %u)", f->type_index, i);
    }
    return true;
}

/*
 * Tags (exception handling): each names a function type, whose results must
 * be empty (a tag types its payload only: "non-empty tag result type").
 */
static bool check_tags(const ModCheck *mc) {
    const WaModule *m = mc->m;
    for (uint32_t i = 0; i < m->ntags; i++) {
        const WaTag *t = &m->tags[i];
        if (t->type_index >= m->ntypes)
            return wa_diag_error(mc->d, t->offset, "unknown type %u (tag %u)", t->type_index, i);
        if (m->types[t->type_index].nresults != 0)
            return wa_diag_error(mc->d, t->offset, "non-empty tag result type (tag %u)", i);
    }
    return true;
}

static bool check_tables_and_memories(const ModCheck *mc) {
    const WaModule *m = mc->m;
    WaDiag *d = mc->d;
    for (uint32_t i = 0; i < m->ntables; i++) {
        const WaTable *t = &m->tables[i];
        size_t off = 0;
        bool has_off = import_offset(m, t->imported, t->import_index, &off);
        /* table64: an i64 table's bounds may be any u64s (Tabletype_ok: 2^64-1). */
        uint64_t range = t->type.limits.is64 ? UINT64_MAX : UINT32_MAX;
        WA_TRY(check_limits(d, &t->type.limits, range, "table size must be at most 2^32-1", has_off,
                            off));
    }
    for (uint32_t i = 0; i < m->nmemories; i++) {
        const WaMemory *mem = &m->memories[i];
        size_t off = 0;
        bool has_off = import_offset(m, mem->imported, mem->import_index, &off);
        if (mem->limits.is64)
            WA_TRY(check_limits(d, &mem->limits, MAX_MEMORY64_PAGES,
                                "memory size must be at most 2^48 pages (256TiB)", has_off, off));
        else
            WA_TRY(check_limits(d, &mem->limits, MAX_MEMORY_PAGES,
                                "memory size must be at most 65536 pages (4GiB)", has_off, off));
        /* Threads proposal (memory types): a shared memory's size is bounded up front. */
        if (mem->limits.shared && !mem->limits.has_max)
            return error_at(d, has_off, off, "shared memory must have maximum");
    }
    /* Wasm 2.0 allows one memory, imported or defined; the multi-memory proposal lifts this
       (uses_multi_memory: a second memory). */
    if (m->nmemories > 1 && !(m->features & WA_FEATURE_BIT(WA_FEATURE_MULTI_MEMORY)))
        return wa_diag_error_no_offset(d,
                                       "multiple memories: %u memories, at most 1 allowed "
                                       "without the multi-memory feature (--enable-multi-memory)",
                                       m->nmemories);
    return true;
}

static bool check_globals(const ModCheck *mc, WaArena *scratch) {
    const WaModule *m = mc->m;
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        const WaGlobal *g = &m->globals[i];
        if (g->imported)
            continue;
        WA_TRY(check_const_expr(mc, &g->init, g->type.type, scratch));
    }
    return true;
}

static bool check_elems(const ModCheck *mc, WaArena *scratch) {
    const WaModule *m = mc->m;
    WaDiag *d = mc->d;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const WaElemSegment *e = &m->elems[i];
        if (e->mode == WA_SEGMENT_ACTIVE) {
            if (e->table_index >= m->ntables)
                return wa_diag_error(d, e->offset_in_file, "unknown table %u", e->table_index);
            WaValType tt = m->tables[e->table_index].type.elem;
            if (tt != e->type)
                return wa_diag_error(d, e->offset_in_file,
                                     "type mismatch: element segment %u of %s for a table of %s", i,
                                     wa_valtype_name(e->type), wa_valtype_name(tt));
            /* table64: an i64 table's segment offset is an i64 constant expression. */
            WaValType at = wa_module_table_is64(m, e->table_index) ? WA_VT_I64 : WA_VT_I32;
            WA_TRY(check_const_expr(mc, &e->offset, at, scratch));
        }
        for (uint32_t k = 0; k < e->count; k++) {
            if (e->func_indices) {
                uint32_t f = e->func_indices[k];
                if (f >= m->nfuncs)
                    return wa_diag_error(d, e->offset_in_file, "unknown function %u", f);
                mc->refs[f] = true;
            } else {
                WA_TRY(check_const_expr(mc, &e->exprs[k], e->type, scratch));
            }
        }
    }
    return true;
}

static bool check_datas(const ModCheck *mc, WaArena *scratch) {
    const WaModule *m = mc->m;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const WaDataSegment *s = &m->datas[i];
        if (s->mode != WA_SEGMENT_ACTIVE)
            continue;
        if (s->memory_index >= m->nmemories)
            return wa_diag_error(mc->d, s->offset_in_file, "unknown memory %u", s->memory_index);
        /* memory64: an i64 memory's segment offset is an i64 constant expression. */
        WaValType at = wa_module_memory_is64(m, s->memory_index) ? WA_VT_I64 : WA_VT_I32;
        WA_TRY(check_const_expr(mc, &s->offset, at, scratch));
    }
    return true;
}

static bool check_start(const ModCheck *mc) {
    const WaModule *m = mc->m;
    if (!m->has_start)
        return true;
    if (m->start >= m->nfuncs)
        return wa_diag_error_no_offset(mc->d, "unknown function %u (start function)", m->start);
    const WaFuncType *t = wa_module_func_type(m, m->start);
    if (t->nparams != 0 || t->nresults != 0)
        return wa_diag_error_no_offset(mc->d, "start function %u must have type [] -> []",
                                       m->start);
    return true;
}

/* qsort comparator over export pointers, by name bytes. */
static int compare_export_names(const void *a, const void *b) {
    const WaExport *x = *(const WaExport *const *)a;
    const WaExport *y = *(const WaExport *const *)b;
    uint32_t n = x->name.len < y->name.len ? x->name.len : y->name.len;
    int c = n ? memcmp(x->name.data, y->name.data, n) : 0;
    if (c != 0)
        return c;
    return (x->name.len > y->name.len) - (x->name.len < y->name.len);
}

static bool check_exports(const ModCheck *mc, WaArena *scratch) {
    const WaModule *m = mc->m;
    WaDiag *d = mc->d;
    static const char *const kind_name[] = {"function", "table", "memory", "global", "tag"};
    for (uint32_t i = 0; i < m->nexports; i++) {
        const WaExport *e = &m->exports[i];
        uint32_t count = 0;
        switch (e->kind) {
        case WA_EXTERN_FUNC:
            count = m->nfuncs;
            break;
        case WA_EXTERN_TABLE:
            count = m->ntables;
            break;
        case WA_EXTERN_MEMORY:
            count = m->nmemories;
            break;
        case WA_EXTERN_GLOBAL:
            count = m->nglobals;
            break;
        case WA_EXTERN_TAG:
            count = m->ntags;
            break;
        }
        if (e->index >= count)
            return wa_diag_error_no_offset(d, "unknown %s %u (export %u)", kind_name[e->kind],
                                           e->index, i);
        if (e->kind == WA_EXTERN_FUNC)
            mc->refs[e->index] = true;
    }
    /* Names must differ (spec 3.4.10); sorting finds duplicates in n log n. */
    if (m->nexports < 2)
        return true;
    const WaExport **sorted = WA_NEW_ARRAY(scratch, const WaExport *, m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++)
        sorted[i] = &m->exports[i];
    qsort(sorted, m->nexports, sizeof *sorted, compare_export_names);
    for (uint32_t i = 1; i < m->nexports; i++) {
        if (compare_export_names(&sorted[i - 1], &sorted[i]) == 0) {
            char name[128];
            wa_rt_escape(name, sizeof name, (const char *)sorted[i]->name.data,
                         sorted[i]->name.len);
            return wa_diag_error_no_offset(d, "duplicate export name \"%s\"", name);
        }
    }
    return true;
}

/* ---- The operand and control stacks (spec appendix) -------------------------------------- */

static void push_val(FuncCheck *fc, uint8_t t) {
    wa_vec_push(&fc->vals, t);
}

static void push_vals(FuncCheck *fc, const WaValType *ts, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        push_val(fc, (uint8_t)ts[i]);
}

static bool pop_val(FuncCheck *fc, uint8_t *out) {
    const Frame *f = &wa_vec_last(&fc->ctrls);
    if (fc->vals.len == f->height) {
        if (f->unreachable) {
            *out = VT_UNKNOWN;
            return true;
        }
        return wa_diag_error(fc->d, fc->at, "type mismatch: operand missing (stack is empty)");
    }
    *out = wa_vec_pop(&fc->vals);
    return true;
}

/* Pops one operand that must be `want` (or UNKNOWN); *out gets what was popped, if not NULL. */
static bool pop_expect(FuncCheck *fc, uint8_t want, uint8_t *out) {
    const Frame *f = &wa_vec_last(&fc->ctrls);
    if (fc->vals.len == f->height && !f->unreachable)
        return wa_diag_error(fc->d, fc->at, "type mismatch: expected %s but the stack is empty",
                             type_name(want));
    uint8_t got;
    WA_TRY(pop_val(fc, &got));
    if (got != want && got != VT_UNKNOWN && want != VT_UNKNOWN)
        return wa_diag_error(fc->d, fc->at, "type mismatch: expected %s, found %s", type_name(want),
                             type_name(got));
    if (out)
        *out = got;
    return true;
}

/* Pops ts[n-1] ... ts[0]; if `popped` is not NULL, records what was popped in order ts[0].. */
static bool pop_vals(FuncCheck *fc, const WaValType *ts, uint32_t n, uint8_t *popped) {
    for (uint32_t i = n; i-- > 0;) {
        uint8_t got;
        WA_TRY(pop_expect(fc, (uint8_t)ts[i], &got));
        if (popped)
            popped[i] = got;
    }
    return true;
}

static void push_ctrl(FuncCheck *fc, WaOpcode op, const WaValType *params, uint32_t nparams,
                      const WaValType *results, uint32_t nresults) {
    Frame f = {
        .op = op,
        .params = params,
        .results = results,
        .nparams = nparams,
        .nresults = nresults,
        .height = fc->vals.len,
        .unreachable = false,
    };
    wa_vec_push(&fc->ctrls, f);
    push_vals(fc, params, nparams);
}

/* Ends the innermost frame: its results must be exactly what is left above its height. */
static bool pop_ctrl(FuncCheck *fc, Frame *out) {
    WA_CHECK(fc->ctrls.len > 0);
    Frame f = wa_vec_last(&fc->ctrls);
    WA_TRY(pop_vals(fc, f.results, f.nresults, NULL));
    if (fc->vals.len != f.height)
        return wa_diag_error(fc->d, fc->at,
                             "type mismatch: %zu values left on the stack at the end of a block",
                             fc->vals.len - f.height);
    fc->ctrls.len--;
    *out = f;
    return true;
}

/* The types a branch to frame f carries: a loop's params, any other block's results. */
static const WaValType *label_types(const Frame *f, uint32_t *n) {
    if (f->op == WA_OP_LOOP) {
        *n = f->nparams;
        return f->params;
    }
    *n = f->nresults;
    return f->results;
}

/* The rest of the current frame is unreachable: drop its operands, make the stack polymorphic. */
static void set_unreachable(FuncCheck *fc) {
    Frame *f = &wa_vec_last(&fc->ctrls);
    fc->vals.len = f->height;
    f->unreachable = true;
}

/*
 * Whether an else may come in a frame opened by op: an if's frame before its
 * else (the frame becomes an ELSE frame at the else). Frames of block, loop,
 * else and the function's own are ended by end only.
 */
static bool else_may_come(WaOpcode op) {
    return wa_op_nest[op] == WA_NEST_OPEN_ARMS;
}

/* The frame of label `l` (0 = innermost), or an "unknown label" error. */
static bool get_label(FuncCheck *fc, uint32_t l, const Frame **out) {
    if (l >= fc->ctrls.len)
        return wa_diag_error(fc->d, fc->at, "unknown label %u", l);
    *out = &fc->ctrls.data[fc->ctrls.len - 1 - l];
    return true;
}

/* ---- Immediates ---------------------------------------------------------------------------- */

static bool need_memory(FuncCheck *fc, uint32_t index) {
    if (index >= fc->m->nmemories)
        return wa_diag_error(fc->d, fc->at, "unknown memory %u", index);
    return true;
}

static bool need_table(FuncCheck *fc, uint32_t index, WaValType *elem) {
    if (index >= fc->m->ntables)
        return wa_diag_error(fc->d, fc->at, "unknown table %u", index);
    if (elem)
        *elem = fc->m->tables[index].type.elem;
    return true;
}

/* The address type of table `index` (table64, of the memory64 proposal): i64 or i32. */
static uint8_t table_address_type(const FuncCheck *fc, uint32_t index) {
    return wa_module_table_is64(fc->m, index) ? WA_VT_I64 : WA_VT_I32;
}

static bool need_elem(FuncCheck *fc, uint32_t index) {
    if (index >= fc->m->nelems)
        return wa_diag_error(fc->d, fc->at, "unknown elem segment %u", index);
    return true;
}

/*
 * memory.init and data.drop: the index must name a data segment, and the
 * module must have a data count section (spec 5.5.16: it lets a one-pass
 * reader check the index before the data section is seen).
 */
static bool need_data(FuncCheck *fc, uint32_t index) {
    const WaModule *m = fc->m;
    uint32_t count = m->has_data_count ? m->data_count : m->ndatas;
    if (index >= count)
        return wa_diag_error(fc->d, fc->at, "unknown data segment %u", index);
    if (!m->has_data_count)
        return wa_diag_error(fc->d, fc->at, "data count section required");
    return true;
}

static bool need_type(FuncCheck *fc, uint32_t index) {
    if (index >= fc->m->ntypes)
        return wa_diag_error(fc->d, fc->at, "unknown type %u", index);
    return true;
}

/*
 * Alignment (spec 3.3.7): 2^align must not exceed the access width, 2^memlog2
 * bytes. With memory64 the offset is read as a u64; an i32 memory's must fit
 * in u32 (its address type).
 */
static bool check_memarg(FuncCheck *fc, const WaInstr *in) {
    WA_TRY(need_memory(fc, in->imm.memarg.memory));
    if (!wa_module_memory_is64(fc->m, in->imm.memarg.memory) && in->imm.memarg.offset > UINT32_MAX)
        return wa_diag_error(fc->d, fc->at, "offset out of range: %s offset=%llu for an i32 memory",
                             wa_op_name[in->op], (unsigned long long)in->imm.memarg.offset);
    /* Threads proposal: an atomic access's alignment is exactly its width, no hint. */
    if (wa_op_class[in->op] == WA_CLASS_ATOMIC &&
        in->imm.memarg.align_log2 != wa_op_memlog2[in->op])
        return wa_diag_error(fc->d, fc->at,
                             "atomic alignment must be natural: %s align=2^%u, natural 2^%u",
                             wa_op_name[in->op], in->imm.memarg.align_log2, wa_op_memlog2[in->op]);
    if (in->imm.memarg.align_log2 > wa_op_memlog2[in->op])
        return wa_diag_error(
            fc->d, fc->at, "alignment must not be larger than natural: %s align=2^%u, natural 2^%u",
            wa_op_name[in->op], in->imm.memarg.align_log2, wa_op_memlog2[in->op]);
    return true;
}

/*
 * The lane count of a SIMD instruction with lane immediates (extract/replace
 * lane, load/store lane, shuffle), from its SHAPE column.
 */
static unsigned lane_count(WaOpcode op) {
    unsigned n = wa_op_shape[op].lanes;
    WA_CHECK(n != 0);
    return n;
}

static bool check_lane(FuncCheck *fc, const WaInstr *in, unsigned lane, unsigned count) {
    if (lane >= count)
        return wa_diag_error(fc->d, fc->at, "invalid lane index %u: %s has %u lanes", lane,
                             wa_op_name[in->op], count);
    return true;
}

/* Checks the immediates of an instruction whose operand types come from wa_op_sig. */
static bool check_plain_immediates(FuncCheck *fc, const WaInstr *in) {
    switch ((WaImmKind)wa_op_imm[in->op]) {
    case WA_IMM_MEMARG:
        return check_memarg(fc, in);
    case WA_IMM_MEMARG_LANE:
        WA_TRY(check_memarg(fc, in));
        return check_lane(fc, in, in->lane, lane_count(in->op));
    case WA_IMM_MEMIDX:
        return need_memory(fc, in->imm.index);
    case WA_IMM_LANE:
        return check_lane(fc, in, in->lane, lane_count(in->op));
    case WA_IMM_SHUFFLE:
        /* i8x16.shuffle picks from the 32 lanes of its two operands. */
        for (unsigned i = 0; i < 16; i++)
            WA_TRY(check_lane(fc, in, in->imm.bytes[i], 2 * lane_count(in->op)));
        return true;
    case WA_IMM_DATA:
        return need_data(fc, in->imm.index);
    case WA_IMM_ELEM:
        return need_elem(fc, in->imm.index);
    case WA_IMM_MEMORY_INIT:
        /* The reference interpreter checks the memory first, so the suite expects that order. */
        WA_TRY(need_memory(fc, in->imm.pair.b));
        return need_data(fc, in->imm.pair.a);
    case WA_IMM_MEMORY_COPY:
        WA_TRY(need_memory(fc, in->imm.pair.a));
        return need_memory(fc, in->imm.pair.b);
    case WA_IMM_TABLE:
        return need_table(fc, in->imm.index, NULL);
    case WA_IMM_NONE:
    case WA_IMM_FENCE:
    case WA_IMM_I32:
    case WA_IMM_I64:
    case WA_IMM_F32:
    case WA_IMM_F64:
    case WA_IMM_V128:
        return true;
    case WA_IMM_BLOCK:
    case WA_IMM_LABEL:
    case WA_IMM_BR_TABLE:
    case WA_IMM_FUNC:
    case WA_IMM_CALL_INDIRECT:
    case WA_IMM_LOCAL:
    case WA_IMM_GLOBAL:
    case WA_IMM_SELECT_T:
    case WA_IMM_HEAPTYPE:
    case WA_IMM_TABLE_INIT:
    case WA_IMM_TABLE_COPY:
    case WA_IMM_TAG:
    case WA_IMM_TRY_TABLE:
        break;
    }
    /* These immediates only occur on SPECIAL rows; a fixed-signature row with one is a table bug.
     */
    WA_UNREACHABLE();
}

/* ---- Instructions ---------------------------------------------------------------------------- */

/* The [params] -> [results] of a block type (spec 3.2.x blocktype). */
static bool block_type(FuncCheck *fc, const WaBlockType *bt, const WaValType **params,
                       uint32_t *nparams, const WaValType **results, uint32_t *nresults) {
    switch (bt->kind) {
    case WA_BLOCK_EMPTY:
        *params = *results = NULL;
        *nparams = *nresults = 0;
        return true;
    case WA_BLOCK_VALUE: {
        WaValType *one = WA_NEW(&fc->scratch, WaValType);
        *one = bt->value;
        *params = NULL;
        *nparams = 0;
        *results = one;
        *nresults = 1;
        return true;
    }
    case WA_BLOCK_TYPEIDX: {
        WA_TRY(need_type(fc, bt->type_index));
        const WaFuncType *t = &fc->m->types[bt->type_index];
        *params = t->params;
        *nparams = t->nparams;
        *results = t->results;
        *nresults = t->nresults;
        return true;
    }
    }
    WA_UNREACHABLE();
}

static bool check_block(FuncCheck *fc, const WaInstr *in) {
    const WaValType *params, *results;
    uint32_t nparams, nresults;
    WA_TRY(block_type(fc, &in->imm.block, &params, &nparams, &results, &nresults));
    if (in->op == WA_OP_IF)
        WA_TRY(pop_expect(fc, WA_VT_I32, NULL));
    WA_TRY(pop_vals(fc, params, nparams, NULL));
    push_ctrl(fc, in->op, params, nparams, results, nresults);
    return true;
}

static bool check_end(FuncCheck *fc) {
    /*
     * An `if` without `else` has an implicit empty else branch, which passes
     * the params through unchanged: valid only if params and results agree.
     * Checked before the frame is popped.
     */
    const Frame *top = &wa_vec_last(&fc->ctrls);
    if (top->op == WA_OP_IF) {
        bool same = top->nparams == top->nresults;
        for (uint32_t i = 0; same && i < top->nparams; i++)
            same = top->params[i] == top->results[i];
        if (!same)
            return wa_diag_error(fc->d, fc->at,
                                 "type mismatch: if without else must not change the stack type");
    }
    Frame f;
    WA_TRY(pop_ctrl(fc, &f));
    /* After the function's own frame nothing is pushed: the body is complete. */
    if (fc->ctrls.len > 0)
        push_vals(fc, f.results, f.nresults);
    return true;
}

static bool check_br_table(FuncCheck *fc, const WaInstr *in) {
    WA_TRY(pop_expect(fc, WA_VT_I32, NULL));
    const Frame *def = NULL;
    WA_TRY(get_label(fc, in->imm.br_table.default_label, &def));
    uint32_t arity;
    const WaValType *def_types = label_types(def, &arity);
    for (uint32_t i = 0; i < in->imm.br_table.count; i++) {
        const Frame *f = NULL;
        WA_TRY(get_label(fc, in->imm.br_table.labels[i], &f));
        uint32_t n;
        const WaValType *ts = label_types(f, &n);
        if (n != arity)
            return wa_diag_error(fc->d, fc->at,
                                 "type mismatch: br_table label %u carries %u values, default %u",
                                 in->imm.br_table.labels[i], n, arity);
        /*
         * Pop the label's types and push back what was popped, so that under
         * a polymorphic stack each label is checked against the same operands
         * (the appendix's push_vals(pop_vals(label_types(...)))).
         */
        wa_vec_reserve(&fc->tmp, n);
        WA_TRY(pop_vals(fc, ts, n, fc->tmp.data));
        for (uint32_t k = 0; k < n; k++)
            push_val(fc, fc->tmp.data[k]);
    }
    WA_TRY(pop_vals(fc, def_types, arity, NULL));
    set_unreachable(fc);
    return true;
}

static bool check_local(FuncCheck *fc, uint32_t index, WaValType *out) {
    if (index >= fc->nlocals)
        return wa_diag_error(fc->d, fc->at, "unknown local %u", index);
    *out = fc->locals[index];
    return true;
}

static bool check_global(FuncCheck *fc, uint32_t index, const WaGlobalType **out) {
    if (index >= fc->m->nglobals)
        return wa_diag_error(fc->d, fc->at, "unknown global %u", index);
    *out = &fc->m->globals[index].type;
    return true;
}

static bool check_call(FuncCheck *fc, const WaFuncType *t) {
    WA_TRY(pop_vals(fc, t->params, t->nparams, NULL));
    push_vals(fc, t->results, t->nresults);
    return true;
}

/*
 * return_call, return_call_indirect (tail-call proposal, validation): the
 * callee's parameters are popped as for a call, its results must be exactly
 * the caller's (they become the caller's results), and what follows is
 * unreachable, as after `return`.
 */
static bool check_return_call(FuncCheck *fc, const WaFuncType *t) {
    WA_TRY(pop_vals(fc, t->params, t->nparams, NULL));
    bool same = t->nresults == fc->type->nresults;
    for (uint32_t i = 0; same && i < t->nresults; i++)
        same = t->results[i] == fc->type->results[i];
    if (!same)
        return wa_diag_error(fc->d, fc->at,
                             "type mismatch: the tail call's results are not the function's");
    set_unreachable(fc);
    return true;
}

/* Untyped select (spec 3.3.4): both operands numeric, or both vectors, and equal. */
static bool check_select(FuncCheck *fc) {
    WA_TRY(pop_expect(fc, WA_VT_I32, NULL));
    uint8_t t1, t2;
    WA_TRY(pop_val(fc, &t1));
    WA_TRY(pop_val(fc, &t2));
    if (!((is_num(t1) && is_num(t2)) || (is_vec(t1) && is_vec(t2))))
        return wa_diag_error(fc->d, fc->at,
                             "type mismatch: select without a type needs numeric or vector "
                             "operands, found %s and %s",
                             type_name(t2), type_name(t1));
    if (t1 != t2 && t1 != VT_UNKNOWN && t2 != VT_UNKNOWN)
        return wa_diag_error(fc->d, fc->at, "type mismatch: select operands %s and %s differ",
                             type_name(t2), type_name(t1));
    push_val(fc, t1 == VT_UNKNOWN ? t2 : t1);
    return true;
}

/* ---- Exception handling ---- */

/* The tag `index`, or "unknown tag". */
static bool need_tag(FuncCheck *fc, uint32_t index, const WaFuncType **type) {
    if (index >= fc->m->ntags)
        return wa_diag_error(fc->d, fc->at, "unknown tag %u", index);
    *type = &fc->m->types[fc->m->tags[index].type_index];
    return true;
}

/*
 * A catch clause of try_table: its label, resolved in the context outside
 * the try_table (the proposal's rule checks the clauses in C, not in C
 * extended by the try_table's own label), must take the values the clause
 * delivers: the tag's payload (catch), the payload and an exnref
 * (catch_ref), nothing (catch_all), an exnref (catch_all_ref).
 */
static bool check_catch_clause(FuncCheck *fc, const WaCatchClause *c) {
    const WaFuncType *tt = NULL;
    uint32_t npayload = 0;
    if (c->kind == WA_CATCH || c->kind == WA_CATCH_REF) {
        WA_TRY(need_tag(fc, c->tag, &tt));
        npayload = tt->nparams;
    }
    bool ref = c->kind == WA_CATCH_REF || c->kind == WA_CATCH_ALL_REF;
    const Frame *f = NULL;
    WA_TRY(get_label(fc, c->label, &f));
    uint32_t n;
    const WaValType *ts = label_types(f, &n);
    bool same = n == npayload + (ref ? 1u : 0u);
    for (uint32_t i = 0; same && i < npayload; i++)
        same = ts[i] == tt->params[i];
    if (same && ref)
        same = ts[n - 1] == WA_VT_EXNREF;
    if (!same)
        return wa_diag_error(
            fc->d, fc->at, "type mismatch: catch clause's values do not match label %u", c->label);
    return true;
}

/*
 * The instructions of the exception-handling proposal: try_table, throw and
 * throw_ref (the standard encoding) and the legacy try, catch, catch_all,
 * delegate and rethrow, typed as the proposal's rules (and, for the legacy
 * ones, the reference interpreter) say.
 */
static bool check_exception(FuncCheck *fc, const WaInstr *in) {
    const WaFuncType *tt = NULL;
    const Frame *f = NULL;
    Frame fr;
    switch (in->op) {
    case WA_OP_TRY:
        return check_block(fc, in);
    case WA_OP_TRY_TABLE: {
        const WaValType *params, *results;
        uint32_t nparams, nresults;
        WA_TRY(block_type(fc, &in->imm.try_table.block, &params, &nparams, &results, &nresults));
        for (uint32_t i = 0; i < in->imm.try_table.ncatches; i++)
            WA_TRY(check_catch_clause(fc, &in->imm.try_table.catches[i]));
        WA_TRY(pop_vals(fc, params, nparams, NULL));
        push_ctrl(fc, WA_OP_TRY_TABLE, params, nparams, results, nresults);
        return true;
    }
    case WA_OP_CATCH:
    case WA_OP_CATCH_ALL: {
        /* Only after a try's body or one of its catches, never after catch_all. */
        WaOpcode top = wa_vec_last(&fc->ctrls).op;
        if (top != WA_OP_TRY && top != WA_OP_CATCH)
            return wa_diag_error(fc->d, fc->at, "END opcode expected (%s without try)",
                                 wa_op_name[in->op]);
        if (in->op == WA_OP_CATCH)
            WA_TRY(need_tag(fc, in->imm.index, &tt));
        WA_TRY(pop_ctrl(fc, &fr));
        /* The handler starts with the payload on the stack and ends as the try does. */
        push_ctrl(fc, in->op, tt ? tt->params : NULL, tt ? tt->nparams : 0, fr.results,
                  fr.nresults);
        return true;
    }
    case WA_OP_DELEGATE:
        if (wa_vec_last(&fc->ctrls).op != WA_OP_TRY)
            return wa_diag_error(fc->d, fc->at, "END opcode expected (delegate without try)");
        /*
         * The label counts from the frame around the try, so it is label
         * index + 1 while the try's frame is still there.
         */
        if (in->imm.index >= fc->ctrls.len - 1)
            return wa_diag_error(fc->d, fc->at, "unknown label %u", in->imm.index);
        WA_TRY(pop_ctrl(fc, &fr));
        push_vals(fc, fr.results, fr.nresults);
        return true;
    case WA_OP_THROW:
        WA_TRY(need_tag(fc, in->imm.index, &tt));
        WA_TRY(pop_vals(fc, tt->params, tt->nparams, NULL));
        set_unreachable(fc);
        return true;
    case WA_OP_THROW_REF:
        WA_TRY(pop_expect(fc, WA_VT_EXNREF, NULL));
        set_unreachable(fc);
        return true;
    case WA_OP_RETHROW:
        /* Only the exception a handler around it caught can be rethrown. */
        if (in->imm.index >= fc->ctrls.len)
            return wa_diag_error(fc->d, fc->at, "invalid rethrow label %u", in->imm.index);
        f = &fc->ctrls.data[fc->ctrls.len - 1 - in->imm.index];
        if (f->op != WA_OP_CATCH && f->op != WA_OP_CATCH_ALL)
            return wa_diag_error(fc->d, fc->at, "invalid rethrow label %u", in->imm.index);
        set_unreachable(fc);
        return true;
    default:
        break;
    }
    WA_UNREACHABLE();
}

/* Instructions whose typing the validator does itself (T1 = SPECIAL in opcodes.def). */
static bool check_special(FuncCheck *fc, const WaInstr *in) {
    const WaModule *m = fc->m;
    WaValType t = WA_VT_X; /* initialised for gcc: set by need_table etc. before use */
    const WaGlobalType *g = NULL;
    const Frame *f = NULL;
    uint32_t n;
    const WaValType *ts;
    if (wa_op_class[in->op] == WA_CLASS_EXCEPTION)
        return check_exception(fc, in);
    switch (in->op) {
    case WA_OP_UNREACHABLE:
        set_unreachable(fc);
        return true;
    case WA_OP_NOP:
        return true;
    case WA_OP_BLOCK:
    case WA_OP_LOOP:
    case WA_OP_IF:
        return check_block(fc, in);
    case WA_OP_ELSE: {
        /* In the binary format an else outside an if ends nothing: the reader wanted an end. */
        if (!else_may_come(wa_vec_last(&fc->ctrls).op))
            return wa_diag_error(fc->d, fc->at, "END opcode expected (else without if)");
        Frame fr;
        WA_TRY(pop_ctrl(fc, &fr));
        push_ctrl(fc, WA_OP_ELSE, fr.params, fr.nparams, fr.results, fr.nresults);
        return true;
    }
    case WA_OP_END:
        return check_end(fc);
    case WA_OP_BR:
        WA_TRY(get_label(fc, in->imm.index, &f));
        ts = label_types(f, &n);
        WA_TRY(pop_vals(fc, ts, n, NULL));
        set_unreachable(fc);
        return true;
    case WA_OP_BR_IF:
        WA_TRY(get_label(fc, in->imm.index, &f));
        WA_TRY(pop_expect(fc, WA_VT_I32, NULL));
        ts = label_types(f, &n);
        WA_TRY(pop_vals(fc, ts, n, NULL));
        push_vals(fc, ts, n);
        return true;
    case WA_OP_BR_TABLE:
        return check_br_table(fc, in);
    case WA_OP_RETURN:
        WA_TRY(pop_vals(fc, fc->type->results, fc->type->nresults, NULL));
        set_unreachable(fc);
        return true;
    case WA_OP_CALL:
    case WA_OP_RETURN_CALL:
        if (in->imm.index >= m->nfuncs)
            return wa_diag_error(fc->d, fc->at, "unknown function %u", in->imm.index);
        if (in->op == WA_OP_RETURN_CALL)
            return check_return_call(fc, wa_module_func_type(m, in->imm.index));
        return check_call(fc, wa_module_func_type(m, in->imm.index));
    case WA_OP_CALL_INDIRECT:
    case WA_OP_RETURN_CALL_INDIRECT:
        WA_TRY(need_table(fc, in->imm.call_indirect.table_index, &t));
        if (t != WA_VT_FUNCREF)
            return wa_diag_error(fc->d, fc->at, "type mismatch: %s through table %u of %s",
                                 wa_op_name[in->op], in->imm.call_indirect.table_index,
                                 wa_valtype_name(t));
        WA_TRY(need_type(fc, in->imm.call_indirect.type_index));
        WA_TRY(pop_expect(fc, table_address_type(fc, in->imm.call_indirect.table_index), NULL));
        if (in->op == WA_OP_RETURN_CALL_INDIRECT)
            return check_return_call(fc, &m->types[in->imm.call_indirect.type_index]);
        return check_call(fc, &m->types[in->imm.call_indirect.type_index]);
    case WA_OP_DROP: {
        uint8_t any;
        return pop_val(fc, &any);
    }
    case WA_OP_SELECT:
        return check_select(fc);
    case WA_OP_SELECT_T:
        if (in->imm.select_t.count != 1)
            return wa_diag_error(fc->d, fc->at, "invalid result arity: select has %u types",
                                 in->imm.select_t.count);
        t = in->imm.select_t.type;
        WA_TRY(pop_expect(fc, WA_VT_I32, NULL));
        WA_TRY(pop_expect(fc, (uint8_t)t, NULL));
        WA_TRY(pop_expect(fc, (uint8_t)t, NULL));
        push_val(fc, (uint8_t)t);
        return true;
    case WA_OP_LOCAL_GET:
        WA_TRY(check_local(fc, in->imm.index, &t));
        push_val(fc, (uint8_t)t);
        return true;
    case WA_OP_LOCAL_SET:
        WA_TRY(check_local(fc, in->imm.index, &t));
        return pop_expect(fc, (uint8_t)t, NULL);
    case WA_OP_LOCAL_TEE:
        WA_TRY(check_local(fc, in->imm.index, &t));
        WA_TRY(pop_expect(fc, (uint8_t)t, NULL));
        push_val(fc, (uint8_t)t);
        return true;
    case WA_OP_GLOBAL_GET:
        WA_TRY(check_global(fc, in->imm.index, &g));
        push_val(fc, (uint8_t)g->type);
        return true;
    case WA_OP_GLOBAL_SET:
        WA_TRY(check_global(fc, in->imm.index, &g));
        if (!g->is_mutable)
            return wa_diag_error(fc->d, fc->at, "global is immutable: global %u", in->imm.index);
        return pop_expect(fc, (uint8_t)g->type, NULL);
    case WA_OP_TABLE_GET:
        WA_TRY(need_table(fc, in->imm.index, &t));
        WA_TRY(pop_expect(fc, table_address_type(fc, in->imm.index), NULL));
        push_val(fc, (uint8_t)t);
        return true;
    case WA_OP_TABLE_SET:
        WA_TRY(need_table(fc, in->imm.index, &t));
        WA_TRY(pop_expect(fc, (uint8_t)t, NULL));
        return pop_expect(fc, table_address_type(fc, in->imm.index), NULL);
    case WA_OP_TABLE_SIZE:
        WA_TRY(need_table(fc, in->imm.index, &t));
        push_val(fc, table_address_type(fc, in->imm.index));
        return true;
    case WA_OP_TABLE_GROW:
        WA_TRY(need_table(fc, in->imm.index, &t));
        WA_TRY(pop_expect(fc, table_address_type(fc, in->imm.index), NULL));
        WA_TRY(pop_expect(fc, (uint8_t)t, NULL));
        push_val(fc, table_address_type(fc, in->imm.index));
        return true;
    case WA_OP_TABLE_FILL:
        WA_TRY(need_table(fc, in->imm.index, &t));
        WA_TRY(pop_expect(fc, table_address_type(fc, in->imm.index), NULL));
        WA_TRY(pop_expect(fc, (uint8_t)t, NULL));
        return pop_expect(fc, table_address_type(fc, in->imm.index), NULL);
    case WA_OP_TABLE_INIT: {
        /* pair.a is the element segment, pair.b the table; their element types must agree. */
        WA_TRY(need_table(fc, in->imm.pair.b, &t));
        WA_TRY(need_elem(fc, in->imm.pair.a));
        WaValType et = m->elems[in->imm.pair.a].type;
        if (et != t)
            return wa_diag_error(
                fc->d, fc->at, "type mismatch: table.init of %s segment %u into %s table %u",
                wa_valtype_name(et), in->imm.pair.a, wa_valtype_name(t), in->imm.pair.b);
        /* table64: the destination is of the table's address type; offset and count stay i32. */
        WA_TRY(pop_expect(fc, WA_VT_I32, NULL));
        WA_TRY(pop_expect(fc, WA_VT_I32, NULL));
        return pop_expect(fc, table_address_type(fc, in->imm.pair.b), NULL);
    }
    case WA_OP_TABLE_COPY: {
        WaValType src = WA_VT_X;
        WA_TRY(need_table(fc, in->imm.pair.a, &t));
        WA_TRY(need_table(fc, in->imm.pair.b, &src));
        if (src != t)
            return wa_diag_error(
                fc->d, fc->at, "type mismatch: table.copy from %s table %u to %s table %u",
                wa_valtype_name(src), in->imm.pair.b, wa_valtype_name(t), in->imm.pair.a);
        /* table64: each index of its table's address type, the count i64 only if both are. */
        uint8_t dst_at = table_address_type(fc, in->imm.pair.a);
        uint8_t src_at = table_address_type(fc, in->imm.pair.b);
        WA_TRY(pop_expect(fc, dst_at == WA_VT_I64 && src_at == WA_VT_I64 ? WA_VT_I64 : WA_VT_I32,
                          NULL));
        WA_TRY(pop_expect(fc, src_at, NULL));
        return pop_expect(fc, dst_at, NULL);
    }
    case WA_OP_REF_NULL:
        push_val(fc, (uint8_t)in->imm.index);
        return true;
    case WA_OP_REF_IS_NULL: {
        uint8_t r;
        WA_TRY(pop_val(fc, &r));
        if (!is_ref(r))
            return wa_diag_error(fc->d, fc->at,
                                 "type mismatch: ref.is_null expects a reference, "
                                 "found %s",
                                 type_name(r));
        push_val(fc, WA_VT_I32);
        return true;
    }
    case WA_OP_REF_FUNC:
        if (in->imm.index >= m->nfuncs)
            return wa_diag_error(fc->d, fc->at, "unknown function %u", in->imm.index);
        /* Only functions named outside bodies may be referenced (spec 3.4.10, C.refs). */
        if (!fc->mc->refs[in->imm.index])
            return wa_diag_error(fc->d, fc->at, "undeclared function reference %u", in->imm.index);
        push_val(fc, WA_VT_FUNCREF);
        return true;
    default:
        break;
    }
    /* A SPECIAL row this switch does not know is a bug in the table or here, not bad input. */
    WA_UNREACHABLE();
}

/* The address type of memory `index` (memory64 proposal): i64 or i32. */
static uint8_t address_type(const FuncCheck *fc, uint32_t index) {
    return wa_module_memory_is64(fc->m, index) ? WA_VT_I64 : WA_VT_I32;
}

/*
 * opcodes.def types every memory operand as Wasm 2.0 does, i32. With
 * memory64 an address, a size in pages and a byte count are of the memory's
 * address type instead (the proposal's typing rules): the address of a
 * load/store, memory.size's result, memory.grow's operand and result,
 * memory.fill's destination and count, memory.init's destination (its
 * segment offset and count stay i32), and memory.copy's destination and
 * source each by its own memory, the count i64 only if both are i64.
 * Immediates are checked first, so the indices are in range.
 */
static void memory_signature(const FuncCheck *fc, const WaInstr *in, uint8_t sig[4]) {
    switch ((WaImmKind)wa_op_imm[in->op]) {
    case WA_IMM_MEMARG:
    case WA_IMM_MEMARG_LANE:
        sig[0] = address_type(fc, in->imm.memarg.memory);
        return;
    case WA_IMM_MEMIDX: {
        uint8_t at = address_type(fc, in->imm.index);
        if (in->op == WA_OP_MEMORY_SIZE) {
            sig[3] = at;
        } else if (in->op == WA_OP_MEMORY_GROW) {
            sig[0] = sig[3] = at;
        } else { /* memory.fill: dst, value, n */
            sig[0] = sig[2] = at;
        }
        return;
    }
    case WA_IMM_MEMORY_INIT:
        sig[0] = address_type(fc, in->imm.pair.b);
        return;
    case WA_IMM_MEMORY_COPY: {
        uint8_t dst = address_type(fc, in->imm.pair.a), src = address_type(fc, in->imm.pair.b);
        sig[0] = dst;
        sig[1] = src;
        sig[2] = dst == WA_VT_I64 && src == WA_VT_I64 ? WA_VT_I64 : WA_VT_I32;
        return;
    }
    default:
        return;
    }
}

static bool check_instr(FuncCheck *fc, const WaInstr *in) {
    if (wa_op_sig[in->op][0] == WA_VT_SPECIAL)
        return check_special(fc, in);
    WA_TRY(check_plain_immediates(fc, in));
    uint8_t sig[4] = {wa_op_sig[in->op][0], wa_op_sig[in->op][1], wa_op_sig[in->op][2],
                      wa_op_sig[in->op][3]};
    memory_signature(fc, in, sig);
    for (int i = 2; i >= 0; i--) {
        uint8_t want = sig[i];
        if (want != WA_VT_X)
            WA_TRY(pop_expect(fc, want, NULL));
    }
    if (sig[3] != WA_VT_X)
        push_val(fc, sig[3]);
    return true;
}

/* ---- Function bodies ------------------------------------------------------------------------ */

/* Validates the body of defined function `index` (spec 3.4.1 and the appendix algorithm). */
static bool check_body(FuncCheck *fc, uint32_t index) {
    const WaModule *m = fc->m;
    const WaFunc *f = &m->funcs[index];
    const WaFuncType *type = wa_module_func_type(m, index);
    fc->type = type;
    fc->vals.len = 0;
    fc->ctrls.len = 0;

    /* Locals: the parameters, then each declared run. */
    uint64_t total = (uint64_t)type->nparams + f->nlocals;
    if (total > UINT32_MAX)
        return wa_diag_error(fc->d, f->code_offset, "too many locals");
    fc->nlocals = (uint32_t)total;
    fc->locals = WA_NEW_ARRAY(&fc->scratch, WaValType, total ? total : 1);
    uint32_t k = 0;
    for (uint32_t i = 0; i < type->nparams; i++)
        fc->locals[k++] = type->params[i];
    for (uint32_t r = 0; r < f->nlocal_runs; r++) {
        for (uint32_t i = 0; i < f->local_runs[r].count && k < fc->nlocals; i++)
            fc->locals[k++] = f->local_runs[r].type;
    }
    WA_CHECK(k == fc->nlocals);

    /* The function's own frame: a block whose label carries the results. */
    push_ctrl(fc, WA_OP_BLOCK, NULL, 0, type->results, type->nresults);

    /* The decoder read this body for structure: it ends with its final end, exactly. */
    WaReader r = wa_module_reader(m, f->code, f->code_size, fc->d);
    fc->at = f->code_offset;
    while (fc->ctrls.len > 0) {
        WaInstr in;
        WA_TRY(wa_instr_read(&r, &fc->scratch, &in));
        fc->at = in.offset;
        WA_TRY(check_instr(fc, &in));
    }
    WA_CHECK(wa_reader_at_end(&r));
    return true;
}

static bool check_bodies(FuncCheck *fc) {
    const WaModule *m = fc->m;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        if (m->funcs[i].imported)
            continue;
        bool ok = check_body(fc, i);
        wa_arena_reset(&fc->scratch);
        if (!ok) {
            wa_diag_set_func(fc->d, i, m->funcs[i].name);
            return false;
        }
    }
    return true;
}

bool wa_validate_module(const WaModule *m, WaDiag *d) {
    WaArena scratch;
    wa_arena_init(&scratch);
    ModCheck mc = {
        .m = m,
        .d = d,
        .refs = WA_NEW_ARRAY(&scratch, bool, m->nfuncs ? m->nfuncs : 1),
    };
    FuncCheck fc = {.mc = &mc, .m = m, .d = d};
    wa_arena_init(&fc.scratch);
    /*
     * Module-level checks first, in the order of the spec's module rule; the
     * constant expressions and exports fill in C.refs before bodies use it.
     */
    bool ok = check_func_types(&mc) && check_tables_and_memories(&mc) && check_tags(&mc) &&
              check_globals(&mc, &scratch) && check_elems(&mc, &scratch) &&
              check_datas(&mc, &scratch) && check_start(&mc) && check_exports(&mc, &scratch) &&
              check_bodies(&fc);
    wa_vec_free(&fc.vals);
    wa_vec_free(&fc.ctrls);
    wa_vec_free(&fc.tmp);
    wa_arena_free(&fc.scratch);
    wa_arena_free(&scratch);
    return ok;
}
