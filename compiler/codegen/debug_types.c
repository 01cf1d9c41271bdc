/*
 * debug_types.c: the DITypes and linear-memory variables of -g
 * (debug_types.h), made from the module's DWARF as wasm_dwarf.h reads it.
 */
#include "debug_types.h"

#include "sites.h"

#include <llvm-c/DebugInfo.h>
#include <string.h>

/* DWARF numbers the C API takes as they are. */
enum {
    DW_ATE_ADDRESS = 0x01,
    DW_ATE_BOOLEAN = 0x02,
    DW_ATE_UNSIGNED = 0x07,
    DW_ATE_UNSIGNED_CHAR = 0x08,
    DW_ATE_UTF = 0x10,
    DW_TAG_CONST_TYPE = 0x26,
    DW_TAG_VOLATILE_TYPE = 0x35,
    DW_OP_DEREF = 0x06,
    DW_OP_PLUS_UCONST = 0x23,
};

#define HOLDER_NAME "wasmaot_debug_memory0_base"

static const char *name_of(const WaDwarfType *t, size_t *len) {
    *len = t->name != NULL ? strlen(t->name) : 0;
    return t->name != NULL ? t->name : "";
}

/* The size of type `index` in bits, following typedefs and qualifiers, arrays by their counts. */
static uint64_t size_in_bits(const WaWasmDwarf *w, uint32_t index) {
    uint64_t scale = 1;
    while (index != WA_DWARF_NONE && index < w->ntypes) {
        const WaDwarfType *t = &w->types[index];
        switch ((WaDwarfTypeKind)t->kind) {
        case WA_DWARF_TYPE_TYPEDEF:
        case WA_DWARF_TYPE_CONST:
        case WA_DWARF_TYPE_VOLATILE:
            index = t->type;
            break;
        case WA_DWARF_TYPE_ARRAY:
            if (t->size != 0)
                return scale * t->size * 8;
            for (uint32_t i = 0; i < t->nfields; i++) {
                uint64_t count = w->fields[t->first_field + i].value;
                scale *= count == UINT64_MAX ? 0 : count;
            }
            index = t->type;
            break;
        default:
            return scale * t->size * 8;
        }
    }
    return 0;
}

/* The base type that type `index` is, following typedefs and qualifiers, or NULL. */
static const WaDwarfType *base_of(const WaWasmDwarf *w, uint32_t index) {
    while (index != WA_DWARF_NONE && index < w->ntypes) {
        const WaDwarfType *t = &w->types[index];
        if (t->kind == WA_DWARF_TYPE_BASE)
            return t;
        if (t->kind != WA_DWARF_TYPE_TYPEDEF && t->kind != WA_DWARF_TYPE_CONST &&
            t->kind != WA_DWARF_TYPE_VOLATILE)
            return NULL;
        index = t->type;
    }
    return NULL;
}

/* Whether type `index` is an unsigned integer, following typedefs and qualifiers. */
static bool is_unsigned(const WaWasmDwarf *w, uint32_t index) {
    const WaDwarfType *t = base_of(w, index);
    return t != NULL && (t->encoding == DW_ATE_UNSIGNED || t->encoding == DW_ATE_UNSIGNED_CHAR ||
                         t->encoding == DW_ATE_BOOLEAN || t->encoding == DW_ATE_UTF);
}

static LLVMMetadataRef struct_or_union(WaCodegen *cg, const WaDwarfType *t) {
    const WaWasmDwarf *w = cg->dwarf;
    LLVMMetadataRef *members = WA_NEW_ARRAY(&cg->arena, LLVMMetadataRef, t->nfields + 1);
    for (uint32_t i = 0; i < t->nfields; i++) {
        const WaDwarfField *f = &w->fields[t->first_field + i];
        size_t len = f->name != NULL ? strlen(f->name) : 0;
        const char *name = f->name != NULL ? f->name : "";
        LLVMMetadataRef type = wa_debug_value_type(cg, f->type);
        if (f->bit_size != 0)
            members[i] = LLVMDIBuilderCreateBitFieldMemberType(
                cg->dib, NULL, name, len, NULL, 0, f->bit_size, f->value, f->value & ~(uint64_t)7,
                LLVMDIFlagZero, type);
        else
            members[i] = LLVMDIBuilderCreateMemberType(cg->dib, NULL, name, len, NULL, 0,
                                                       size_in_bits(w, f->type), 0, f->value,
                                                       LLVMDIFlagZero, type);
    }
    size_t len;
    const char *name = name_of(t, &len);
    if (t->kind == WA_DWARF_TYPE_UNION)
        return LLVMDIBuilderCreateUnionType(cg->dib, cg->di_cu, name, len, NULL, 0, t->size * 8, 0,
                                            LLVMDIFlagZero, members, t->nfields, 0, "", 0);
    return LLVMDIBuilderCreateStructType(cg->dib, cg->di_cu, name, len, NULL, 0, t->size * 8, 0,
                                         LLVMDIFlagZero, NULL, members, t->nfields, 0, NULL, "", 0);
}

static LLVMMetadataRef enumeration(WaCodegen *cg, const WaDwarfType *t) {
    const WaWasmDwarf *w = cg->dwarf;
    bool unsigned_values = is_unsigned(w, t->type);
    LLVMMetadataRef *items = WA_NEW_ARRAY(&cg->arena, LLVMMetadataRef, t->nfields + 1);
    for (uint32_t i = 0; i < t->nfields; i++) {
        const WaDwarfField *f = &w->fields[t->first_field + i];
        items[i] = LLVMDIBuilderCreateEnumerator(cg->dib, f->name, strlen(f->name),
                                                 (int64_t)f->value, unsigned_values);
    }
    size_t len;
    const char *name = name_of(t, &len);
    /* The underlying type only if it is an integer: LLVM's DWARF writer follows it to one
       (and crashed on a typedef of void: found by tools/fuzz). */
    LLVMMetadataRef underlying = base_of(w, t->type) != NULL ? wa_debug_type(cg, t->type) : NULL;
    return LLVMDIBuilderCreateEnumerationType(cg->dib, cg->di_cu, name, len, NULL, 0, t->size * 8,
                                              0, items, t->nfields, underlying);
}

static LLVMMetadataRef array(WaCodegen *cg, const WaDwarfType *t, uint32_t index) {
    const WaWasmDwarf *w = cg->dwarf;
    LLVMMetadataRef *dims = WA_NEW_ARRAY(&cg->arena, LLVMMetadataRef, t->nfields + 1);
    for (uint32_t i = 0; i < t->nfields; i++) {
        uint64_t count = w->fields[t->first_field + i].value;
        dims[i] =
            LLVMDIBuilderGetOrCreateSubrange(cg->dib, 0, count == UINT64_MAX ? -1 : (int64_t)count);
    }
    return LLVMDIBuilderCreateArrayType(cg->dib, size_in_bits(w, index), 0,
                                        wa_debug_value_type(cg, t->type), dims, t->nfields);
}

static LLVMMetadataRef make_type(WaCodegen *cg, uint32_t index) {
    const WaDwarfType *t = &cg->dwarf->types[index];
    size_t len;
    const char *name = name_of(t, &len);
    switch ((WaDwarfTypeKind)t->kind) {
    case WA_DWARF_TYPE_BASE:
        return LLVMDIBuilderCreateBasicType(cg->dib, name, len, t->size * 8, t->encoding,
                                            LLVMDIFlagZero);
    case WA_DWARF_TYPE_ADDRESS:
        /* gdb shows a DW_ATE_address base type as a pointer of its own size (wasm_dwarf.h) */
        return LLVMDIBuilderCreateBasicType(cg->dib, name, len, t->size * 8, DW_ATE_ADDRESS,
                                            LLVMDIFlagZero);
    case WA_DWARF_TYPE_STRUCT:
    case WA_DWARF_TYPE_UNION:
        return struct_or_union(cg, t);
    case WA_DWARF_TYPE_ENUM:
        return enumeration(cg, t);
    case WA_DWARF_TYPE_ARRAY:
        return array(cg, t, index);
    case WA_DWARF_TYPE_TYPEDEF:
        return LLVMDIBuilderCreateTypedef(cg->dib, wa_debug_type(cg, t->type), name, len, NULL, 0,
                                          cg->di_cu, 0);
    case WA_DWARF_TYPE_CONST:
    case WA_DWARF_TYPE_VOLATILE:
        return LLVMDIBuilderCreateQualifiedType(
            cg->dib, t->kind == WA_DWARF_TYPE_CONST ? DW_TAG_CONST_TYPE : DW_TAG_VOLATILE_TYPE,
            wa_debug_type(cg, t->type));
    case WA_DWARF_TYPE_OPAQUE:
    default:
        /* a struct of the type's size with nothing in it: gdb prints its name and no data */
        return LLVMDIBuilderCreateStructType(cg->dib, cg->di_cu, name, len, NULL, 0, t->size * 8, 0,
                                             LLVMDIFlagZero, NULL, NULL, 0, 0, NULL, "", 0);
    }
}

LLVMMetadataRef wa_debug_value_type(WaCodegen *cg, uint32_t index) {
    LLVMMetadataRef t = wa_debug_type(cg, index);
    return t != NULL ? t : LLVMDIBuilderCreateUnspecifiedType(cg->dib, "<unknown type>", 14);
}

LLVMMetadataRef wa_debug_type(WaCodegen *cg, uint32_t index) {
    const WaWasmDwarf *w = cg->dwarf;
    if (index == WA_DWARF_NONE || index >= w->ntypes)
        return NULL;
    if (cg->di_types == NULL) {
        cg->di_types = WA_NEW_ARRAY(&cg->arena, LLVMMetadataRef, w->ntypes);
        memset(cg->di_types, 0, w->ntypes * sizeof *cg->di_types);
    }
    /* Types are acyclic (wasm_dwarf.h), so making one's parts first always ends. */
    if (cg->di_types[index] == NULL)
        cg->di_types[index] = make_type(cg, index);
    return cg->di_types[index];
}

bool wa_debug_memory_described(const WaCodegen *cg) {
    return cg->m->nmemories > 0 && !wa_module_memory_is64(cg->m, 0);
}

/* The holder of memory 0's base: defined in chunk 0, declared in the others. */
static LLVMValueRef memory_base_holder(WaCodegen *cg) {
    if (cg->di_memory_base == NULL) {
        LLVMValueRef g = LLVMAddGlobal(cg->mod, cg->t_ptr, HOLDER_NAME);
        LLVMSetVisibility(g, LLVMHiddenVisibility);
        if (cg->chunk == 0)
            LLVMSetInitializer(g, LLVMConstNull(cg->t_ptr));
        cg->di_memory_base = g;
    }
    return cg->di_memory_base;
}

void wa_debug_memory_variable(WaCodegen *cg, LLVMMetadataRef scope, const WaDwarfVar *v) {
    if (!wa_debug_memory_described(cg))
        return;
    uint64_t ops[] = {DW_OP_DEREF, DW_OP_PLUS_UCONST, v->at};
    LLVMMetadataRef expr = LLVMDIBuilderCreateExpression(cg->dib, ops, 3);
    LLVMMetadataRef file = v->file != WA_DWARF_NONE ? wa_sites_source_file(cg, v->file) : NULL;
    LLVMMetadataRef gve = LLVMDIBuilderCreateGlobalVariableExpression(
        cg->dib, scope, v->name, strlen(v->name), "", 0, file, v->line,
        wa_debug_value_type(cg, v->type), true, expr, NULL, 0);
    wa_debug_global_add(memory_base_holder(cg), gve);
}

/*
 * The holder itself, as a native `unsigned char *`, for reading through a
 * wasm pointer by hand: print *(struct point *)(wasmaot_debug_memory0_base + (unsigned)p).
 */
static void describe_holder(WaCodegen *cg) {
    LLVMMetadataRef byte = LLVMDIBuilderCreateBasicType(cg->dib, "unsigned char", 13, 8,
                                                        DW_ATE_UNSIGNED_CHAR, LLVMDIFlagZero);
    LLVMMetadataRef type = LLVMDIBuilderCreatePointerType(cg->dib, byte, 64, 0, 0, NULL, 0);
    LLVMMetadataRef gve = LLVMDIBuilderCreateGlobalVariableExpression(
        cg->dib, cg->di_cu, HOLDER_NAME, strlen(HOLDER_NAME), "", 0, cg->di_file, 0, type, false,
        LLVMDIBuilderCreateExpression(cg->dib, NULL, 0), NULL, 0);
    wa_debug_global_add(memory_base_holder(cg), gve);
}

void wa_debug_globals(WaCodegen *cg) {
    const WaWasmDwarf *w = cg->dwarf;
    if (!wa_debug_memory_described(cg))
        return;
    describe_holder(cg); /* the initialiser fills it even with no global to describe */
    for (uint32_t i = 0; i < w->nglobals; i++)
        wa_debug_memory_variable(cg, cg->di_cu, &w->vars[w->first_global + i]);
}
