/*
 * instance.c: what the runtime needs to instantiate the module (spec 4.5.4):
 * the wa_rt_module_t descriptor, emitted as constant data under the symbol
 * `wasmaot_module`, and the module initialiser it points to.
 *
 * The descriptor's LLVM struct types and the C structs of wa_rt.h are both
 * expanded from runtime/wa_rt_layout.def (rt_abi.h), and every constant
 * struct here is filled by field index from that list, never by position;
 * tests/unit/test_abi.c checks that each field has the same offset in both.
 *
 * The initialiser is generated code because constant expressions are code:
 * it evaluates global initialisers and element expressions with the ordinary
 * instruction lowering, then applies active element segments and data
 * segments in order (dropping them, and dropping declarative ones), as
 * table.init / memory.init would, so a trap leaves earlier writes in place.
 */
#include "codegen.h"

#include "../base/check.h"
#include "demangle.h"

#include <stdlib.h>
#include <string.h>

static LLVMValueRef i8c(WaCodegen *cg, uint64_t v) {
    return LLVMConstInt(cg->t_i8, v, false);
}
static LLVMValueRef i32c(WaCodegen *cg, uint64_t v) {
    return LLVMConstInt(cg->t_i32, v, false);
}
static LLVMValueRef i64c(WaCodegen *cg, uint64_t v) {
    return LLVMConstInt(cg->t_i64, v, false);
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

/*
 * A constant of shared struct `s` whose field i is fields[i]; the array has
 * one entry per field of the struct's row list (WA_RT_<STRUCT>_NFIELDS), each
 * set by its field index.
 */
static LLVMValueRef const_struct(WaCodegen *cg, WaRtStruct s, LLVMValueRef *fields, unsigned n) {
    LLVMTypeRef type = wa_codegen_rt_struct(cg, s);
    WA_CHECK(n == LLVMCountStructElementTypes(type));
    for (unsigned i = 0; i < n; i++)
        WA_CHECK(fields[i] != NULL && LLVMTypeOf(fields[i]) == LLVMStructGetTypeAtIndex(type, i));
    return LLVMConstStructInContext(cg->llvm, fields, n, false);
}

/* An array constant of shared struct `s`, or a null pointer if n is 0. */
static LLVMValueRef const_struct_array(WaCodegen *cg, WaRtStruct s, LLVMValueRef *elems, uint64_t n,
                                       const char *name) {
    return const_array(cg, wa_codegen_rt_struct(cg, s), elems, n, name);
}

static LLVMValueRef desc_types(WaCodegen *cg) {
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
        LLVMValueRef f[WA_RT_FUNCTYPE_NFIELDS];
        f[WA_RT_FUNCTYPE_NPARAMS] = i32c(cg, ft->nparams);
        f[WA_RT_FUNCTYPE_NRESULTS] = i32c(cg, ft->nresults);
        f[WA_RT_FUNCTYPE_TYPES] = const_array(cg, cg->t_i8, codes, n, "functype");
        elems[i] = const_struct(cg, WA_RT_STRUCT_FUNCTYPE, f, WA_RT_FUNCTYPE_NFIELDS);
    }
    return const_struct_array(cg, WA_RT_STRUCT_FUNCTYPE, elems, m->ntypes, "types");
}

static LLVMValueRef desc_imports(WaCodegen *cg) {
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const WaImport *imp = &m->imports[i];
        LLVMValueRef f[WA_RT_IMPORT_NFIELDS];
        f[WA_RT_IMPORT_MODULE] = const_bytes(cg, imp->module.data, imp->module.len);
        f[WA_RT_IMPORT_NAME] = const_bytes(cg, imp->name.data, imp->name.len);
        f[WA_RT_IMPORT_MODULE_LEN] = i32c(cg, imp->module.len);
        f[WA_RT_IMPORT_NAME_LEN] = i32c(cg, imp->name.len);
        f[WA_RT_IMPORT_KIND] = i8c(cg, imp->kind);
        f[WA_RT_IMPORT_INDEX] = i32c(cg, imp->index);
        elems[i] = const_struct(cg, WA_RT_STRUCT_IMPORT, f, WA_RT_IMPORT_NFIELDS);
    }
    return const_struct_array(cg, WA_RT_STRUCT_IMPORT, elems, m->nimports, "imports");
}

static LLVMValueRef desc_exports(WaCodegen *cg) {
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++) {
        const WaExport *e = &m->exports[i];
        LLVMValueRef f[WA_RT_EXPORT_NFIELDS];
        f[WA_RT_EXPORT_NAME] = const_bytes(cg, e->name.data, e->name.len);
        f[WA_RT_EXPORT_NAME_LEN] = i32c(cg, e->name.len);
        f[WA_RT_EXPORT_KIND] = i8c(cg, e->kind);
        f[WA_RT_EXPORT_INDEX] = i32c(cg, e->index);
        elems[i] = const_struct(cg, WA_RT_STRUCT_EXPORT, f, WA_RT_EXPORT_NFIELDS);
    }
    return const_struct_array(cg, WA_RT_STRUCT_EXPORT, elems, m->nexports, "exports");
}

static LLVMValueRef limits_const(WaCodegen *cg, const WaLimits *l) {
    LLVMValueRef f[WA_RT_LIMITS_NFIELDS];
    f[WA_RT_LIMITS_MIN] = i64c(cg, l->min);
    f[WA_RT_LIMITS_MAX] = i64c(cg, l->max);
    f[WA_RT_LIMITS_HAS_MAX] = i8c(cg, l->has_max);
    f[WA_RT_LIMITS_IS64] = i8c(cg, l->is64);
    f[WA_RT_LIMITS_SHARED] = i8c(cg, l->shared);
    return const_struct(cg, WA_RT_STRUCT_LIMITS, f, WA_RT_LIMITS_NFIELDS);
}

/* Function types, code and names per function index. */
static void desc_funcs(WaCodegen *cg, LLVMValueRef *types, LLVMValueRef *code, LLVMValueRef *names,
                       LLVMValueRef *tail_code) {
    const WaModule *m = cg->m;
    LLVMValueRef *t = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nfuncs);
    LLVMValueRef *c = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nfuncs);
    LLVMValueRef *n = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nfuncs);
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        t[i] = i32c(cg, f->type_index);
        c[i] = f->imported ? LLVMConstNull(cg->t_ptr) : wa_codegen_func(cg, i);
        n[i] = f->name ? const_bytes(cg, (const uint8_t *)f->name, strlen(f->name))
                       : LLVMConstNull(cg->t_ptr);
    }
    *types = const_array(cg, cg->t_i32, t, m->nfuncs, "func_types");
    *code = const_array(cg, cg->t_ptr, c, m->nfuncs, "func_code");
    *names = const_array(cg, cg->t_ptr, n, m->nfuncs, "func_names");
    *tail_code = LLVMConstNull(cg->t_ptr);
    if (cg->tail_set != NULL) {
        for (uint32_t i = 0; i < m->nfuncs; i++) {
            LLVMValueRef body = m->funcs[i].imported ? NULL : wa_codegen_tail_func(cg, i);
            c[i] = body != NULL ? body : LLVMConstNull(cg->t_ptr);
        }
        *tail_code = const_array(cg, cg->t_ptr, c, m->nfuncs, "func_tail_code");
    }
}

static LLVMValueRef desc_memories(WaCodegen *cg) {
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nmemories);
    for (uint32_t i = 0; i < m->nmemories; i++)
        elems[i] = limits_const(cg, &m->memories[i].limits);
    return const_struct_array(cg, WA_RT_STRUCT_LIMITS, elems, m->nmemories, "memories");
}

static LLVMValueRef desc_tables(WaCodegen *cg) {
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->ntables);
    for (uint32_t i = 0; i < m->ntables; i++) {
        LLVMValueRef f[WA_RT_TABLE_TYPE_NFIELDS];
        f[WA_RT_TABLE_TYPE_ELEM_TYPE] = i8c(cg, m->tables[i].type.elem);
        f[WA_RT_TABLE_TYPE_LIMITS] = limits_const(cg, &m->tables[i].type.limits);
        elems[i] = const_struct(cg, WA_RT_STRUCT_TABLE_TYPE, f, WA_RT_TABLE_TYPE_NFIELDS);
    }
    return const_struct_array(cg, WA_RT_STRUCT_TABLE_TYPE, elems, m->ntables, "tables");
}

static LLVMValueRef desc_globals(WaCodegen *cg) {
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nglobals);
    for (uint32_t i = 0; i < m->nglobals; i++) {
        LLVMValueRef f[WA_RT_GLOBAL_TYPE_NFIELDS];
        f[WA_RT_GLOBAL_TYPE_TYPE] = i8c(cg, m->globals[i].type.type);
        f[WA_RT_GLOBAL_TYPE_IS_MUTABLE] = i8c(cg, m->globals[i].type.is_mutable);
        elems[i] = const_struct(cg, WA_RT_STRUCT_GLOBAL_TYPE, f, WA_RT_GLOBAL_TYPE_NFIELDS);
    }
    return const_struct_array(cg, WA_RT_STRUCT_GLOBAL_TYPE, elems, m->nglobals, "globals");
}

static LLVMValueRef desc_datas(WaCodegen *cg) {
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->ndatas);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const WaDataSegment *seg = &m->datas[i];
        LLVMValueRef f[WA_RT_DATA_NFIELDS];
        f[WA_RT_DATA_BYTES] = const_bytes(cg, seg->bytes, seg->size);
        f[WA_RT_DATA_SIZE] = i32c(cg, seg->size);
        elems[i] = const_struct(cg, WA_RT_STRUCT_DATA, f, WA_RT_DATA_NFIELDS);
    }
    return const_struct_array(cg, WA_RT_STRUCT_DATA, elems, m->ndatas, "datas");
}

/* Exception handling: the type index of each tag. */
static LLVMValueRef desc_tag_types(WaCodegen *cg) {
    const WaModule *m = cg->m;
    LLVMValueRef *elems = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->ntags);
    for (uint32_t i = 0; i < m->ntags; i++)
        elems[i] = i32c(cg, m->tags[i].type_index);
    return const_array(cg, cg->t_i32, elems, m->ntags, "tag_types");
}

static LLVMValueRef desc_elem_sizes(WaCodegen *cg) {
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
    LLVMValueRef globals = wa_fg_load_ctx_field(fg, WA_RT_INSTANCE_GLOBALS, "globals");
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        WaStackValue v;
        WA_TRY(wa_fg_lower_const_expr(fg, &m->globals[i].init, &v));
        LLVMValueRef storage =
            LLVMBuildLoad2(cg->b, cg->t_ptr, ptr_elem(cg, globals, i, sizeof(void *)), "");
        LLVMBuildStore(cg->b, v.value, storage);
    }
    return true;
}

/*
 * Segments of function indices at least this long are copied by a loop over a
 * constant array of the indices (copy_func_refs) rather than one load and
 * store per element: a module of 20,000 functions has a segment of 20,000,
 * and a basic block of 40,000 memory operations made X86 instruction
 * scheduling superlinear (most of the time and 470 MiB of memory of the
 * chunk holding the initialiser). Shorter ones keep the straight-line code.
 */
enum { ELEM_LOOP_MIN = 64 };

/*
 * data[k] = funcs[indices[k]] for every k < seg->count, in order: what the
 * straight-line form does (spec 4.5.4: element k of a funcref segment is the
 * function reference of its index), as a loop.
 */
static void copy_func_refs(WaFuncGen *fg, LLVMValueRef funcs, LLVMValueRef data,
                           const WaElemSegment *seg) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef *idx = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, seg->count);
    for (uint32_t k = 0; k < seg->count; k++)
        idx[k] = i32c(cg, seg->func_indices[k]);
    LLVMValueRef indices = const_array(cg, cg->t_i32, idx, seg->count, "elem_funcs");
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
    LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "elem_copy");
    LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "elem_done");
    LLVMBuildBr(cg->b, loop);
    LLVMPositionBuilderAtEnd(cg->b, loop);
    LLVMValueRef k = LLVMBuildPhi(cg->b, cg->t_i64, "k");
    LLVMValueRef index =
        LLVMBuildLoad2(cg->b, cg->t_i32, LLVMBuildGEP2(cg->b, cg->t_i32, indices, &k, 1, ""), "");
    LLVMValueRef i64_index = LLVMBuildZExt(cg->b, index, cg->t_i64, "");
    LLVMValueRef ref = LLVMBuildLoad2(
        cg->b, cg->t_ptr, LLVMBuildGEP2(cg->b, cg->t_ptr, funcs, &i64_index, 1, ""), "");
    LLVMBuildStore(cg->b, ref, LLVMBuildGEP2(cg->b, cg->t_ptr, data, &k, 1, ""));
    LLVMValueRef next = LLVMBuildAdd(cg->b, k, i64c(cg, 1), "");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntULT, next, i64c(cg, seg->count), ""), loop,
                    done);
    LLVMValueRef zero = i64c(cg, 0);
    LLVMAddIncoming(k, &zero, &pre, 1);
    LLVMAddIncoming(k, &next, &loop, 1);
    LLVMPositionBuilderAtEnd(cg->b, done);
}

/* Stores the reference values of every element segment into inst->elems[i].data. */
static bool init_elem_values(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    const WaModule *m = cg->m;
    if (m->nelems == 0)
        return true;
    LLVMValueRef segs = wa_fg_load_ctx_field(fg, WA_RT_INSTANCE_ELEMS, "elem_segments");
    LLVMValueRef funcs = wa_fg_load_ctx_field(fg, WA_RT_INSTANCE_FUNCS, "funcs");
    for (uint32_t i = 0; i < m->nelems; i++) {
        const WaElemSegment *seg = &m->elems[i];
        LLVMValueRef seg_ptr =
            field_ptr(cg, segs, i * wa_codegen_rt_size(cg, WA_RT_STRUCT_SEGMENT));
        LLVMValueRef data_ptr = field_ptr(
            cg, seg_ptr, wa_codegen_rt_offset(cg, WA_RT_STRUCT_SEGMENT, WA_RT_SEGMENT_DATA));
        LLVMValueRef data = LLVMBuildLoad2(
            cg->b, wa_codegen_rt_field_type(cg, WA_RT_STRUCT_SEGMENT, WA_RT_SEGMENT_DATA), data_ptr,
            "");
        if (seg->func_indices != NULL && seg->count >= ELEM_LOOP_MIN) {
            copy_func_refs(fg, funcs, data, seg);
            continue;
        }
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
            /* table64: an i64 table's offset is an i64, saturated for the runtime's u32. */
            LLVMValueRef dst = wa_fg_table_operand_u32(fg, offset.value);
            LLVMValueRef args[6] = {fg->ctx,     i32c(cg, seg->table_index), i32c(cg, i), dst,
                                    i32c(cg, 0), i32c(cg, seg->count)};
            wa_codegen_rt_call(cg, WA_RT_TABLE_INIT, args, 6, "");
        }
        LLVMValueRef drop[2] = {fg->ctx, i32c(cg, i)};
        wa_codegen_rt_call(cg, WA_RT_ELEM_DROP, drop, 2, "");
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
        /* memory64: an i64 memory's offset is already an i64; the runtime takes a u64. */
        LLVMValueRef dst = offset.type == WA_VT_I64
                               ? offset.value
                               : LLVMBuildZExt(cg->b, offset.value, cg->t_i64, "");
        LLVMValueRef args[6] = {fg->ctx,     i32c(cg, seg->memory_index), i32c(cg, i), dst,
                                i32c(cg, 0), i32c(cg, seg->size)};
        wa_codegen_rt_call(cg, WA_RT_MEMORY_INIT, args, 6, "");
        LLVMValueRef drop[2] = {fg->ctx, i32c(cg, i)};
        wa_codegen_rt_call(cg, WA_RT_DATA_DROP, drop, 2, "");
    }
    return true;
}

bool wa_codegen_initializer(WaCodegen *cg, LLVMValueRef *out) {
    LLVMTypeRef type = LLVMFunctionType(cg->t_void, &cg->t_ptr, 1, false);
    LLVMValueRef fn = LLVMAddFunction(cg->mod, "wasm_init", type);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    LLVMSetSection(fn, "wasm_text");
    /*
     * A 64-byte aligned function (this one, which every module has and
     * which stays: the descriptor points at it) makes the whole wasm_text
     * section 64-byte aligned. Its functions are 16-byte aligned inside it,
     * so otherwise the linker puts the section at 16, 32 or 48 bytes past a
     * 64-byte boundary depending on the size of the runtime linked before
     * it, and every hot loop moves across fetch and uop-cache boundaries
     * whenever the runtime changes. Measured: bench/access_cost qsort ran
     * 15% slower (0.149 -> 0.172 s, the object byte-identical) after a
     * runtime change moved the section by 208 bytes. Layout only.
     */
    LLVMSetAlignment(fn, 64);
    WaFuncGen fg;
    wa_fg_begin(&fg, cg, fn);
    /* -g: where debuggers find linear memory (debug_types.h) */
    if (cg->di_memory_base != NULL)
        LLVMBuildStore(cg->b, wa_fg_memory_base(&fg, 0), cg->di_memory_base);
    bool ok = init_globals(&fg) && init_elem_values(&fg) && apply_elem_segments(&fg) &&
              apply_data_segments(&fg);
    if (ok)
        LLVMBuildRetVoid(cg->b);
    wa_fg_finish(&fg);
    *out = fn;
    return ok;
}

/*
 * For trap backtraces: each function's file offset (of its body's first
 * instruction) and its demangled name where demangling changes it (NULL
 * for the whole array when no name does, so C modules carry nothing).
 */
static void desc_backtrace(WaCodegen *cg, LLVMValueRef *offsets, LLVMValueRef *demangled) {
    const WaModule *m = cg->m;
    LLVMValueRef *o = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nfuncs);
    LLVMValueRef *d = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, m->nfuncs);
    bool any = false;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        o[i] = i32c(cg, f->imported ? 0 : (uint32_t)f->code_offset);
        char *source = wa_demangle(f->name);
        d[i] = source ? const_bytes(cg, (const uint8_t *)source, strlen(source))
                      : LLVMConstNull(cg->t_ptr);
        any |= source != NULL;
        free(source);
    }
    *offsets = const_array(cg, cg->t_i32, o, m->nfuncs, "func_offsets");
    *demangled =
        any ? const_array(cg, cg->t_ptr, d, m->nfuncs, "func_demangled") : LLVMConstNull(cg->t_ptr);
}

/* Declares the linker-defined bounds of the wasm_text section. */
static LLVMValueRef section_bound(WaCodegen *cg, const char *name) {
    LLVMValueRef g = LLVMAddGlobal(cg->mod, cg->t_i8, name);
    LLVMSetVisibility(g, LLVMHiddenVisibility);
    return g;
}

/*
 * The backtrace sites (codegen/sites.h): the table each chunk's object gets
 * when it is written, after this descriptor is made, under the hidden
 * symbol wasmaot_sites_<chunk> (sites_llvm.cpp), which every such object
 * defines, if only with an empty table. Without sites (assembly, LLVM IR),
 * none.
 */
static void desc_sites(WaCodegen *cg, LLVMValueRef *n, LLVMValueRef *sites) {
    if (cg->dib == NULL || cg->nchunks == 0) {
        *n = i32c(cg, 0);
        *sites = LLVMConstNull(cg->t_ptr);
        return;
    }
    LLVMValueRef *tables = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, cg->nchunks);
    for (uint32_t k = 0; k < cg->nchunks; k++) {
        char name[32];
        snprintf(name, sizeof name, "wasmaot_sites_%u", k);
        tables[k] = section_bound(cg, name);
    }
    *n = i32c(cg, cg->nchunks);
    *sites = const_array(cg, cg->t_ptr, tables, cg->nchunks, "sites");
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

void wa_codegen_descriptor(WaCodegen *cg, LLVMValueRef init, bool embeddable) {
    const WaModule *m = cg->m;

    /* Filled in the order the constants are created, which is their order in the output. */
    LLVMValueRef f[WA_RT_MODULE_NFIELDS] = {NULL};
    desc_funcs(cg, &f[WA_RT_MODULE_FUNC_TYPES], &f[WA_RT_MODULE_FUNC_CODE],
               &f[WA_RT_MODULE_FUNC_NAMES], &f[WA_RT_MODULE_FUNC_TAIL_CODE]);
    desc_trampolines(cg, embeddable, &f[WA_RT_MODULE_TRAMPOLINES], &f[WA_RT_MODULE_HOST_THUNKS]);
    desc_backtrace(cg, &f[WA_RT_MODULE_FUNC_OFFSETS], &f[WA_RT_MODULE_FUNC_DEMANGLED]);
    f[WA_RT_MODULE_ABI_VERSION] = i32c(cg, WA_RT_ABI_VERSION);
    f[WA_RT_MODULE_NAME] = m->name ? const_bytes(cg, (const uint8_t *)m->name, strlen(m->name))
                                   : LLVMConstNull(cg->t_ptr);
    f[WA_RT_MODULE_NTYPES] = i32c(cg, m->ntypes);
    f[WA_RT_MODULE_TYPES] = desc_types(cg);
    f[WA_RT_MODULE_NIMPORTS] = i32c(cg, m->nimports);
    f[WA_RT_MODULE_IMPORTS] = desc_imports(cg);
    f[WA_RT_MODULE_NFUNCS] = i32c(cg, m->nfuncs);
    f[WA_RT_MODULE_NFUNC_IMPORTS] = i32c(cg, m->nfunc_imports);
    f[WA_RT_MODULE_NMEMORIES] = i32c(cg, m->nmemories);
    f[WA_RT_MODULE_MEMORIES] = desc_memories(cg);
    f[WA_RT_MODULE_NTABLES] = i32c(cg, m->ntables);
    f[WA_RT_MODULE_TABLES] = desc_tables(cg);
    f[WA_RT_MODULE_NGLOBALS] = i32c(cg, m->nglobals);
    f[WA_RT_MODULE_GLOBALS] = desc_globals(cg);
    f[WA_RT_MODULE_NEXPORTS] = i32c(cg, m->nexports);
    f[WA_RT_MODULE_EXPORTS] = desc_exports(cg);
    f[WA_RT_MODULE_NDATAS] = i32c(cg, m->ndatas);
    f[WA_RT_MODULE_DATAS] = desc_datas(cg);
    f[WA_RT_MODULE_NELEMS] = i32c(cg, m->nelems);
    f[WA_RT_MODULE_ELEM_SIZES] = desc_elem_sizes(cg);
    f[WA_RT_MODULE_NTAGS] = i32c(cg, m->ntags);
    f[WA_RT_MODULE_TAG_TYPES] = desc_tag_types(cg);
    f[WA_RT_MODULE_INIT] = init;
    f[WA_RT_MODULE_START_FUNC] =
        LLVMConstInt(cg->t_i64, m->has_start ? (uint64_t)m->start : (uint64_t)-1, true);
    f[WA_RT_MODULE_CODE_START] = section_bound(cg, "__start_wasm_text");
    f[WA_RT_MODULE_CODE_END] = section_bound(cg, "__stop_wasm_text");
    desc_sites(cg, &f[WA_RT_MODULE_NSITES], &f[WA_RT_MODULE_SITES]);
    LLVMValueRef desc =
        LLVMAddGlobal(cg->mod, wa_codegen_rt_struct(cg, WA_RT_STRUCT_MODULE), "wasmaot_module");
    LLVMSetInitializer(desc, const_struct(cg, WA_RT_STRUCT_MODULE, f, WA_RT_MODULE_NFIELDS));
    LLVMSetGlobalConstant(desc, true);
    wa_arena_reset(&cg->scratch);
}
