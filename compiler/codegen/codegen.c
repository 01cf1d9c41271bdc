/*
 * codegen.c: the LLVM module for a wasm module.
 *
 * Declares one LLVM function per defined wasm function, with the native
 * signature of wa_rt.h (instance pointer first; several results as a
 * struct), in the section "wasm_text" so the runtime can tell wasm code from
 * its own when it names the function a trap happened in. Then lowers every
 * body and emits the descriptor.
 *
 * A large module is cut into chunks (wa_codegen_partition), each compiled
 * into an LLVM module and an object of its own; see codegen.h.
 */
#include "codegen.h"

#include "../base/check.h"

#include <llvm-c/Target.h>
#include <string.h>

/* The native signature of a wasm function type. */
static LLVMTypeRef native_fn_type(WaCodegen *cg, const WaFuncType *ft) {
    LLVMTypeRef *params = WA_NEW_ARRAY(&cg->scratch, LLVMTypeRef, ft->nparams + 1);
    params[0] = cg->t_ptr;
    for (uint32_t i = 0; i < ft->nparams; i++)
        params[i + 1] = wa_cg_type(cg, ft->params[i]);
    LLVMTypeRef ret;
    if (ft->nresults == 0) {
        ret = cg->t_void;
    } else if (ft->nresults == 1) {
        ret = wa_cg_type(cg, ft->results[0]);
    } else {
        LLVMTypeRef *fields = WA_NEW_ARRAY(&cg->scratch, LLVMTypeRef, ft->nresults);
        for (uint32_t i = 0; i < ft->nresults; i++)
            fields[i] = wa_cg_type(cg, ft->results[i]);
        ret = LLVMStructTypeInContext(cg->llvm, fields, ft->nresults, false);
    }
    return LLVMFunctionType(ret, params, ft->nparams + 1, false);
}

static void add_fn_attribute(WaCodegen *cg, LLVMValueRef fn, const char *name) {
    unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
    WA_CHECK(kind != 0);
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(cg->llvm, kind, 0));
}

/*
 * Declares defined function `i` in cg's module. In a module compiled whole it
 * is internal, as before chunks existed, so the optimiser sees every caller.
 * With several chunks (split) every defined function is an external symbol of
 * hidden visibility, defined in its own chunk's object and declared in the
 * others that call it or (chunk 0) point to it from the descriptor: hidden,
 * so that it stays inside the executable or shared object (nothing outside
 * may call a wasm function by symbol, wa_rt.h), and named by index
 * (wa_symbol_name), so no two functions and no runtime symbol collide.
 */
static LLVMValueRef declare_function(WaCodegen *cg, uint32_t i) {
    const WaFunc *f = &cg->m->funcs[i];
    char *sym = wa_symbol_name(&cg->arena, i, f->name);
    LLVMValueRef fn = LLVMAddFunction(cg->mod, sym, cg->fn_types[f->type_index]);
    if (cg->split) {
        LLVMSetLinkage(fn, LLVMExternalLinkage);
        LLVMSetVisibility(fn, LLVMHiddenVisibility);
    } else {
        LLVMSetLinkage(fn, LLVMInternalLinkage);
    }
    LLVMSetSection(fn, "wasm_text");
    /* Traps leave wasm code by longjmp, never by unwinding. */
    add_fn_attribute(cg, fn, "nounwind");
    /*
     * Probe large frames page by page, so that a frame bigger than the
     * guard page still faults on it (the runtime reports that as stack
     * exhaustion) instead of jumping over it.
     */
    LLVMAddAttributeAtIndex(
        fn, LLVMAttributeFunctionIndex,
        LLVMCreateStringAttribute(cg->llvm, "probe-stack", 11, "inline-asm", 10));
    cg->funcs[i] = fn;
    return fn;
}

LLVMValueRef wa_codegen_func(WaCodegen *cg, uint32_t index) {
    WA_CHECK(index >= cg->m->nfunc_imports && index < cg->m->nfuncs);
    return cg->funcs[index] != NULL ? cg->funcs[index] : declare_function(cg, index);
}

/* The native signature per type, and the chunk's own functions, in index order. */
static void declare_functions(WaCodegen *cg) {
    const WaModule *m = cg->m;
    cg->fn_types = WA_NEW_ARRAY(&cg->arena, LLVMTypeRef, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++)
        cg->fn_types[i] = native_fn_type(cg, &m->types[i]);
    wa_arena_reset(&cg->scratch);
    cg->funcs = WA_NEW_ARRAY(&cg->arena, LLVMValueRef, m->nfuncs);
    memset(cg->funcs, 0, m->nfuncs * sizeof *cg->funcs);
    for (uint32_t i = cg->first_func; i < cg->end_func; i++)
        declare_function(cg, i);
}

bool wa_codegen_begin_chunk(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o,
                            WaChunk chunk, WaDiag *d) {
    WA_TRY(wa_codegen_init(cg, m, o, d));
    WA_CHECK(chunk.first >= m->nfunc_imports && chunk.first <= chunk.end && chunk.end <= m->nfuncs);
    cg->first_func = chunk.first;
    cg->end_func = chunk.end;
    declare_functions(cg);
    return true;
}

bool wa_codegen_begin(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d) {
    return wa_codegen_begin_chunk(cg, m, o, (WaChunk){m->nfunc_imports, m->nfuncs}, d);
}

bool wa_codegen_functions(WaCodegen *cg) {
    for (uint32_t i = cg->first_func; i < cg->end_func; i++)
        WA_TRY(wa_lower_function(cg, i));
    return true;
}

size_t wa_codegen_partition(const WaModule *m, size_t chunk_bytes, WaChunk *chunks) {
    uint64_t total = 0;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        total += m->funcs[i].code_size;
    if (chunk_bytes == 0 && total < WA_CHUNK_WHOLE_MAX) {
        chunks[0] = (WaChunk){m->nfunc_imports, m->nfuncs};
        return 1;
    }
    /* Large enough that the chunks fit in WA_CHUNK_MAX, however large the module. */
    uint64_t target = chunk_bytes != 0 ? chunk_bytes : WA_CHUNK_BYTES;
    uint64_t least = total / (WA_CHUNK_MAX - 1) + 1;
    if (target < least)
        target = least;
    size_t n = 0;
    uint32_t first = m->nfunc_imports;
    uint64_t size = 0;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        size += m->funcs[i].code_size;
        if (size >= target && i + 1 < m->nfuncs) {
            chunks[n++] = (WaChunk){first, i + 1};
            first = i + 1;
            size = 0;
        }
    }
    chunks[n++] = (WaChunk){first, m->nfuncs};
    WA_CHECK(n <= WA_CHUNK_MAX);
    return n;
}

bool wa_codegen_module(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d) {
    LLVMValueRef init;
    WA_TRY(wa_codegen_begin(cg, m, o, d) && wa_codegen_functions(cg) &&
           wa_codegen_initializer(cg, &init));
    wa_codegen_descriptor(cg, init, o->embeddable);
    return true;
}
