/*
 * instance.c: what the runtime needs to instantiate the module (spec 4.5.4):
 * the wa_rt_module_t descriptor, emitted as constant data under the symbol
 * `wasmaot_module`, and the module initialiser it points to.
 *
 * The descriptor's LLVM struct types mirror the C structs of wa_rt.h field
 * for field; LLVM lays out non-packed structs with C's natural alignment on
 * the targets we support, and wa_codegen_instance checks the total sizes
 * against sizeof so a layout drift is caught at once.
 *
 * The initialiser is generated code because constant expressions are code:
 * it evaluates global initialisers and element expressions with the ordinary
 * instruction lowering, then applies active element segments and data
 * segments in order (dropping them, and dropping declarative ones), as
 * table.init / memory.init would, so a trap leaves earlier writes in place.
 */
#include "codegen.h"

#include "../base/check.h"

#include <llvm-c/Target.h>
#include <stddef.h>
#include <string.h>

/* Builder for the constant arrays and structs of the descriptor. */
typedef struct Desc {
    WaCodegen *cg;
    LLVMTypeRef t_functype, t_import, t_export, t_limits, t_table_type, t_global_type, t_data,
        t_module;
} Desc;

static LLVMValueRef i8c(WaCodegen *cg, uint64_t v) {
    return LLVMConstInt(cg->t_i8, v, false);
}
static LLVMValueRef i32c(WaCodegen *cg, uint64_t v) {
    return LLVMConstInt(cg->t_i32, v, false);
}
static LLVMValueRef i64c(WaCodegen *cg, uint64_t v) {
    return LLVMConstInt(cg->t_i64, v, false);
}

static LLVMTypeRef struct_type(WaCodegen *cg, LLVMTypeRef *fields, unsigned n) {
    return LLVMStructTypeInContext(cg->llvm, fields, n, false);
}

static void init_desc_types(Desc *s) {
    WaCodegen *cg = s->cg;
    LLVMTypeRef i8 = cg->t_i8, i32 = cg->t_i32, i64 = cg->t_i64, p = cg->t_ptr;
    s->t_functype = struct_type(cg, (LLVMTypeRef[]){i32, i32, p}, 3);
    s->t_import = struct_type(cg, (LLVMTypeRef[]){p, p, i32, i32, i8, i32}, 6);
    s->t_export = struct_type(cg, (LLVMTypeRef[]){p, i32, i8, i32}, 4);
    s->t_limits = struct_type(cg, (LLVMTypeRef[]){i64, i64, i8}, 3);
    s->t_table_type = struct_type(cg, (LLVMTypeRef[]){i8, s->t_limits}, 2);
    s->t_global_type = struct_type(cg, (LLVMTypeRef[]){i8, i8}, 2);
    s->t_data = struct_type(cg, (LLVMTypeRef[]){p, i32}, 2);
    s->t_module = struct_type(cg,
                              (LLVMTypeRef[]){
                                  i32, p,      /* abi_version, name */
                                  i32, p,      /* types */
                                  i32, p,      /* imports */
                                  i32, i32, p, /* nfuncs, nfunc_imports, func_types */
                                  p,   p,      /* func_code, func_names */
                                  i32, p,      /* memories */
                                  i32, p,      /* tables */
                                  i32, p,      /* globals */
                                  i32, p,      /* exports */
                                  i32, p,      /* datas */
                                  i32, p,      /* elems */
                                  p,   i64,    /* init, start_func */
                                  p,   p,      /* code_start, code_end */
                                  p,   p,      /* trampolines, host_thunks */
                              },
                              29);
}

/* A private constant global holding `init`; returns its address. */
static LLVMValueRef private_const(WaCodegen *cg, LLVMValueRef init, const char *name) {
    LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), name);
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, true);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
    return g;
}

/* An array constant of `n` elements of `type`, or a null pointer if n is 0. */
static LLVMValueRef const_array(WaCodegen *cg, LLVMTypeRef type, LLVMValueRef *elems, uint64_t n,
                                const char *name) {
    if (n == 0)
        return LLVMConstNull(cg->t_ptr);
    return private_const(cg, LLVMConstArray2(type, elems, n), name);
}

/* A NUL-terminated string constant (bytes may contain NULs; the length travels separately). */
static LLVMValueRef const_bytes(WaCodegen *cg, const uint8_t *data, size_t len) {
    LLVMValueRef s = LLVMConstStringInContext2(cg->llvm, (const char *)data, len, false);
    return private_const(cg, s, "str");
}

/* A constant of a literal struct type (which LLVM identifies by its field types). */
static LLVMValueRef const_struct(WaCodegen *cg, LLVMTypeRef type, LLVMValueRef *fields,
                                 unsigned n) {
    LLVMValueRef v = LLVMConstStructInContext(cg->llvm, fields, n, false);
    WA_CHECK(LLVMTypeOf(v) == type);
    return v;
}

static LLVMValueRef desc_types(Desc *s) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const WaFuncType *ft = &m->types[i];
        uint32_t n = ft->nparams + ft->nresults;
        LLVMValueRef *codes = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, n);
        for (uint32_t k = 0; k < ft->nparams; k++)
            codes[k] = i8c(cg, ft->params[k]);
        for (uint32_t k = 0; k < ft->nresults; k++)
            codes[ft->nparams + k] = i8c(cg, ft->results[k]);
        LLVMValueRef fields[3] = {i32c(cg, ft->nparams), i32c(cg, ft->nresults),
                                  const_array(cg, cg->t_i8, codes, n, "functype")};
        elems[i] = const_struct(cg, s->t_functype, fields, 3);
    }
    return const_array(cg, s->t_functype, elems, m->ntypes, "types");
}

static LLVMValueRef desc_imports(Desc *s) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const WaImport *imp = &m->imports[i];
        LLVMValueRef fields[6] = {
            const_bytes(cg, imp->module.data, imp->module.len),
            const_bytes(cg, imp->name.data, imp->name.len),
            i32c(cg, imp->module.len),
            i32c(cg, imp->name.len),
            i8c(cg, imp->kind),
            i32c(cg, imp->index),
        };
        elems[i] = const_struct(cg, s->t_import, fields, 6);
    }
    return const_array(cg, s->t_import, elems, m->nimports, "imports");
}

static LLVMValueRef desc_exports(Desc *s) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++) {
        const WaExport *e = &m->exports[i];
        LLVMValueRef fields[4] = {const_bytes(cg, e->name.data, e->name.len), i32c(cg, e->name.len),
                                  i8c(cg, e->kind), i32c(cg, e->index)};
        elems[i] = const_struct(cg, s->t_export, fields, 4);
    }
    return const_array(cg, s->t_export, elems, m->nexports, "exports");
}

static LLVMValueRef limits_const(Desc *s, const WaLimits *l) {
    WaCodegen *cg = s->cg;
    LLVMValueRef fields[3] = {i64c(cg, l->min), i64c(cg, l->max), i8c(cg, l->has_max)};
    return const_struct(cg, s->t_limits, fields, 3);
}

/* Function types, code and names per function index. */
static void desc_funcs(Desc *s, LLVMValueRef *types, LLVMValueRef *code, LLVMValueRef *names) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *t = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nfuncs);
    LLVMValueRef *c = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nfuncs);
    LLVMValueRef *n = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nfuncs);
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        t[i] = i32c(cg, f->type_index);
        c[i] = f->imported ? LLVMConstNull(cg->t_ptr) : cg->funcs[i];
        n[i] = f->name ? const_bytes(cg, (const uint8_t *)f->name, strlen(f->name))
                       : LLVMConstNull(cg->t_ptr);
    }
    *types = const_array(cg, cg->t_i32, t, m->nfuncs, "func_types");
    *code = const_array(cg, cg->t_ptr, c, m->nfuncs, "func_code");
    *names = const_array(cg, cg->t_ptr, n, m->nfuncs, "func_names");
}

static LLVMValueRef desc_memories(Desc *s) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nmemories);
    for (uint32_t i = 0; i < m->nmemories; i++)
        elems[i] = limits_const(s, &m->memories[i].limits);
    return const_array(cg, s->t_limits, elems, m->nmemories, "memories");
}

static LLVMValueRef desc_tables(Desc *s) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->ntables);
    for (uint32_t i = 0; i < m->ntables; i++) {
        LLVMValueRef fields[2] = {i8c(cg, m->tables[i].type.elem),
                                  limits_const(s, &m->tables[i].type.limits)};
        elems[i] = const_struct(cg, s->t_table_type, fields, 2);
    }
    return const_array(cg, s->t_table_type, elems, m->ntables, "tables");
}

static LLVMValueRef desc_globals(Desc *s) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nglobals);
    for (uint32_t i = 0; i < m->nglobals; i++) {
        LLVMValueRef fields[2] = {i8c(cg, m->globals[i].type.type),
                                  i8c(cg, m->globals[i].type.is_mutable)};
        elems[i] = const_struct(cg, s->t_global_type, fields, 2);
    }
    return const_array(cg, s->t_global_type, elems, m->nglobals, "globals");
}

static LLVMValueRef desc_datas(Desc *s) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->ndatas);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const WaDataSegment *seg = &m->datas[i];
        LLVMValueRef fields[2] = {const_bytes(cg, seg->bytes, seg->size), i32c(cg, seg->size)};
        elems[i] = const_struct(cg, s->t_data, fields, 2);
    }
    return const_array(cg, s->t_data, elems, m->ndatas, "datas");
}

static LLVMValueRef desc_elem_sizes(Desc *s) {
    WaCodegen *cg = s->cg;
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nelems);
    for (uint32_t i = 0; i < m->nelems; i++)
        elems[i] = i32c(cg, m->elems[i].count);
    return const_array(cg, cg->t_i32, elems, m->nelems, "elem_sizes");
}

/* ---- The initialiser ---- */

/* The address of field `offset` of a struct at `base`. */
static LLVMValueRef field_ptr(WaCodegen *cg, LLVMValueRef base, size_t offset) {
    LLVMValueRef off = i64c(cg, offset);
    return LLVMBuildGEP2(cg->b, cg->t_i8, base, &off, 1, "");
}

/* Element `index` of the pointer array at `array`. */
static LLVMValueRef ptr_elem(WaCodegen *cg, LLVMValueRef array, uint64_t index, size_t stride) {
    return field_ptr(cg, array, index * stride);
}

static bool init_globals(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    const WaModule *m = cg->m;
    LLVMValueRef globals =
        wa_fg_load_ctx_field(fg, offsetof(wa_rt_instance_t, globals), cg->t_ptr, "globals");
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        WaStackValue v;
        WA_TRY(wa_fg_lower_const_expr(fg, &m->globals[i].init, &v));
        LLVMValueRef storage =
            LLVMBuildLoad2(cg->b, cg->t_ptr, ptr_elem(cg, globals, i, sizeof(void *)), "");
        LLVMBuildStore(cg->b, v.value, storage);
    }
    return true;
}

/* Stores the reference values of every element segment into inst->elems[i].data. */
static bool init_elem_values(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    const WaModule *m = cg->m;
    if (m->nelems == 0)
        return true;
    LLVMValueRef segs =
        wa_fg_load_ctx_field(fg, offsetof(wa_rt_instance_t, elems), cg->t_ptr, "elem_segments");
    LLVMValueRef funcs =
        wa_fg_load_ctx_field(fg, offsetof(wa_rt_instance_t, funcs), cg->t_ptr, "funcs");
    for (uint32_t i = 0; i < m->nelems; i++) {
        const WaElemSegment *seg = &m->elems[i];
        LLVMValueRef seg_ptr = field_ptr(cg, segs, i * sizeof(wa_rt_segment_t));
        LLVMValueRef data = LLVMBuildLoad2(
            cg->b, cg->t_ptr, field_ptr(cg, seg_ptr, offsetof(wa_rt_segment_t, data)), "");
        for (uint32_t k = 0; k < seg->count; k++) {
            LLVMValueRef ref;
            if (seg->func_indices != NULL) {
                ref = LLVMBuildLoad2(cg->b, cg->t_ptr,
                                     ptr_elem(cg, funcs, seg->func_indices[k], sizeof(void *)), "");
            } else {
                WaStackValue v;
                WA_TRY(wa_fg_lower_const_expr(fg, &seg->exprs[k], &v));
                ref = v.value;
            }
            LLVMBuildStore(cg->b, ref, ptr_elem(cg, data, k, sizeof(void *)));
        }
    }
    return true;
}

static bool apply_elem_segments(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    const WaModule *m = cg->m;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const WaElemSegment *seg = &m->elems[i];
        if (seg->mode == WA_SEGMENT_PASSIVE)
            continue;
        if (seg->mode == WA_SEGMENT_ACTIVE) {
            WaStackValue offset;
            WA_TRY(wa_fg_lower_const_expr(fg, &seg->offset, &offset));
            LLVMValueRef args[6] = {fg->ctx,     i32c(cg, seg->table_index),
                                    i32c(cg, i), offset.value,
                                    i32c(cg, 0), i32c(cg, seg->count)};
            wa_fg_call_runtime(fg, "wa_rt_table_init", cg->t_void, args, 6);
        }
        LLVMValueRef drop[2] = {fg->ctx, i32c(cg, i)};
        wa_fg_call_runtime(fg, "wa_rt_elem_drop", cg->t_void, drop, 2);
    }
    return true;
}

static bool apply_data_segments(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    const WaModule *m = cg->m;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const WaDataSegment *seg = &m->datas[i];
        if (seg->mode != WA_SEGMENT_ACTIVE)
            continue;
        WaStackValue offset;
        WA_TRY(wa_fg_lower_const_expr(fg, &seg->offset, &offset));
        LLVMValueRef args[6] = {fg->ctx,     i32c(cg, seg->memory_index), i32c(cg, i), offset.value,
                                i32c(cg, 0), i32c(cg, seg->size)};
        wa_fg_call_runtime(fg, "wa_rt_memory_init", cg->t_void, args, 6);
        LLVMValueRef drop[2] = {fg->ctx, i32c(cg, i)};
        wa_fg_call_runtime(fg, "wa_rt_data_drop", cg->t_void, drop, 2);
    }
    return true;
}

static bool build_initializer(WaCodegen *cg, LLVMValueRef *out) {
    LLVMTypeRef type = LLVMFunctionType(cg->t_void, &cg->t_ptr, 1, false);
    LLVMValueRef fn = LLVMAddFunction(cg->mod, "wasm_init", type);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    LLVMSetSection(fn, "wasm_text");
    WaFuncGen fg;
    wa_fg_begin(&fg, cg, fn);
    bool ok = init_globals(&fg) && init_elem_values(&fg) && apply_elem_segments(&fg) &&
              apply_data_segments(&fg);
    if (ok)
        LLVMBuildRetVoid(cg->b);
    wa_fg_finish(&fg);
    *out = fn;
    return ok;
}

/* Checks that an LLVM struct type has the size of the C struct it mirrors. */
static void check_size(LLVMTargetDataRef td, LLVMTypeRef t, size_t c_size) {
    WA_CHECK(LLVMABISizeOfType(td, t) == c_size);
}

static void check_layouts(Desc *s) {
    LLVMTargetDataRef td = LLVMGetModuleDataLayout(s->cg->mod);
    check_size(td, s->t_functype, sizeof(wa_rt_functype_t));
    check_size(td, s->t_import, sizeof(wa_rt_import_t));
    check_size(td, s->t_export, sizeof(wa_rt_export_t));
    check_size(td, s->t_limits, sizeof(wa_rt_limits_t));
    check_size(td, s->t_table_type, sizeof(wa_rt_table_type_t));
    check_size(td, s->t_global_type, sizeof(wa_rt_global_type_t));
    check_size(td, s->t_data, sizeof(wa_rt_data_t));
    check_size(td, s->t_module, sizeof(wa_rt_module_t));
    WA_CHECK(LLVMOffsetOfElement(td, s->t_module, 25) == offsetof(wa_rt_module_t, code_start));
}

/* Declares the linker-defined bounds of the wasm_text section. */
static LLVMValueRef section_bound(WaCodegen *cg, const char *name) {
    LLVMValueRef g = LLVMAddGlobal(cg->mod, cg->t_i8, name);
    LLVMSetVisibility(g, LLVMHiddenVisibility);
    return g;
}

/* The trampolines and host thunks arrays of an embeddable module, else nulls. */
static void desc_trampolines(WaCodegen *cg, bool embeddable, LLVMValueRef *trampolines,
                             LLVMValueRef *thunks) {
    uint32_t n = cg->m->ntypes;
    if (!embeddable || n == 0) {
        *trampolines = *thunks = LLVMConstNull(cg->t_ptr);
        return;
    }
    LLVMValueRef *t = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, n);
    LLVMValueRef *h = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, n);
    wa_codegen_trampolines(cg, t, h);
    *trampolines = const_array(cg, cg->t_ptr, t, n, "trampolines");
    *thunks = const_array(cg, cg->t_ptr, h, n, "host_thunks");
}

bool wa_codegen_instance(WaCodegen *cg, bool embeddable) {
    const WaModule *m = cg->m;
    Desc s = {.cg = cg};
    init_desc_types(&s);
    check_layouts(&s);

    LLVMValueRef init;
    WA_TRY(build_initializer(cg, &init));

    LLVMValueRef func_types, func_code, func_names, trampolines, thunks;
    desc_funcs(&s, &func_types, &func_code, &func_names);
    desc_trampolines(cg, embeddable, &trampolines, &thunks);
    LLVMValueRef name = m->name ? const_bytes(cg, (const uint8_t *)m->name, strlen(m->name))
                                : LLVMConstNull(cg->t_ptr);
    LLVMValueRef fields[29] = {
        i32c(cg, WA_RT_ABI_VERSION),
        name,
        i32c(cg, m->ntypes),
        desc_types(&s),
        i32c(cg, m->nimports),
        desc_imports(&s),
        i32c(cg, m->nfuncs),
        i32c(cg, m->nfunc_imports),
        func_types,
        func_code,
        func_names,
        i32c(cg, m->nmemories),
        desc_memories(&s),
        i32c(cg, m->ntables),
        desc_tables(&s),
        i32c(cg, m->nglobals),
        desc_globals(&s),
        i32c(cg, m->nexports),
        desc_exports(&s),
        i32c(cg, m->ndatas),
        desc_datas(&s),
        i32c(cg, m->nelems),
        desc_elem_sizes(&s),
        init,
        LLVMConstInt(cg->t_i64, m->has_start ? (uint64_t)m->start : (uint64_t)-1, true),
        section_bound(cg, "__start_wasm_text"),
        section_bound(cg, "__stop_wasm_text"),
        trampolines,
        thunks,
    };
    LLVMValueRef desc = LLVMAddGlobal(cg->mod, s.t_module, "wasmaot_module");
    LLVMSetInitializer(desc, const_struct(cg, s.t_module, fields, 29));
    LLVMSetGlobalConstant(desc, true);
    wa_arena_reset(&cg->scratch);
    return true;
}
