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
#include "debug_types.h"
#include "sites.h"

#include "../base/check.h"
#include "../base/progress.h"

#include "../wasm/instr.h"

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

/* The signature of a tailcc body of type ft (see wa_codegen_tail_results_by_pointer). */
static LLVMTypeRef tail_fn_type(WaCodegen *cg, const WaFuncType *ft) {
    if (!wa_codegen_tail_results_by_pointer(ft))
        return native_fn_type(cg, ft);
    LLVMTypeRef *params = WA_NEW_ARRAY(&cg->scratch, LLVMTypeRef, ft->nparams + 2);
    params[0] = cg->t_ptr;
    params[1] = cg->t_ptr;
    for (uint32_t i = 0; i < ft->nparams; i++)
        params[i + 2] = wa_cg_type(cg, ft->params[i]);
    return LLVMFunctionType(cg->t_void, params, ft->nparams + 2, false);
}

/* One pass over every body, once per module (the driver hands it to every chunk). */
const bool *wa_codegen_tail_call_functions(const WaModule *m, WaArena *arena, WaDiag *d) {
    bool *in_set = NULL;
    WaArena scratch;
    wa_arena_init(&scratch);
    for (uint32_t f = m->nfunc_imports; f < m->nfuncs; f++) {
        WaReader r = wa_module_reader(m, m->funcs[f].code, m->funcs[f].code_size, d);
        while (!wa_reader_at_end(&r)) {
            WaInstr in;
            if (!wa_instr_read(&r, &scratch, &in))
                break; /* cannot happen after validation */
            if (in.op != WA_OP_RETURN_CALL && in.op != WA_OP_RETURN_CALL_INDIRECT)
                continue;
            if (in_set == NULL)
                in_set = WA_NEW_ARRAY(arena, bool, m->nfuncs);
            in_set[f] = true;
            if (in.op == WA_OP_RETURN_CALL && in.imm.index < m->nfuncs &&
                !m->funcs[in.imm.index].imported)
                in_set[in.imm.index] = true;
        }
        wa_arena_reset(&scratch);
    }
    wa_arena_free(&scratch);
    return in_set;
}

/*
 * Adds function `name` of `type` with the attributes every wasm function's
 * code has. In a module compiled whole it is internal, as before chunks
 * existed, so the optimiser sees every caller. With several chunks (split)
 * every function is an external symbol of hidden visibility, defined in its
 * own chunk's object and declared in the others that call it or (chunk 0)
 * point to it from the descriptor: hidden, so that it stays inside the
 * executable or shared object (nothing outside may call a wasm function by
 * symbol, wa_rt.h), and named by wa_symbol_table, so no two functions
 * and no runtime symbol collide.
 */
static LLVMValueRef add_wasm_function(WaCodegen *cg, const char *name, LLVMTypeRef type) {
    LLVMValueRef fn = LLVMAddFunction(cg->mod, name, type);
    if (cg->split) {
        LLVMSetLinkage(fn, LLVMExternalLinkage);
        LLVMSetVisibility(fn, LLVMHiddenVisibility);
    } else {
        LLVMSetLinkage(fn, LLVMInternalLinkage);
    }
    LLVMSetSection(fn, "wasm_text");
    /* Traps leave wasm code by longjmp, never by unwinding; wasm exceptions unwind. */
    wa_cg_set_unwind(cg, fn);
    /*
     * Probe large frames page by page, so that a frame bigger than the
     * guard page still faults on it (the runtime reports that as stack
     * exhaustion) instead of jumping over it.
     */
    LLVMAddAttributeAtIndex(
        fn, LLVMAttributeFunctionIndex,
        LLVMCreateStringAttribute(cg->llvm, "probe-stack", 11, "inline-asm", 10));
    return fn;
}

/*
 * The C entry of tailcc body `body` (type index t): calls it and returns
 * its results the way wa_rt.h describes, for everything that calls a wasm
 * function through its wa_rt_func_t code (the runtime, other modules, the
 * embedding API, call_indirect). It is in wasm_text too, so that running
 * out of stack in it is "call stack exhausted".
 */
static void build_c_entry(WaCodegen *cg, LLVMValueRef entry, LLVMValueRef body, uint32_t t) {
    const WaFuncType *ft = &cg->m->types[t];
    bool by_pointer = wa_codegen_tail_results_by_pointer(ft);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->llvm, entry, "entry"));
    LLVMTypeRef ret_type = LLVMGetReturnType(cg->fn_types[t]);
    LLVMValueRef results = by_pointer ? LLVMBuildAlloca(cg->b, ret_type, "results") : NULL;
    uint32_t n = ft->nparams + 1 + by_pointer;
    LLVMValueRef *args = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, n);
    args[0] = LLVMGetParam(entry, 0);
    if (by_pointer)
        args[1] = results;
    for (uint32_t i = 0; i < ft->nparams; i++)
        args[i + 1 + by_pointer] = LLVMGetParam(entry, i + 1);
    LLVMValueRef call = LLVMBuildCall2(cg->b, cg->tail_fn_types[t], body, args, n, "");
    LLVMSetInstructionCallConv(call, LLVMGetFunctionCallConv(body));
    LLVMSetTailCallKind(call, LLVMTailCallKindNoTail);
    if (by_pointer)
        LLVMBuildRet(cg->b, LLVMBuildLoad2(cg->b, ret_type, results, ""));
    else if (ft->nresults == 0)
        LLVMBuildRetVoid(cg->b);
    else
        LLVMBuildRet(cg->b, call);
}

/*
 * Declares defined function `i`. A function that takes part in tail calls
 * (wa_codegen_tail_call_functions) has its body in LLVM's tailcc
 * convention, for which LLVM guarantees that a musttail call is a jump
 * whatever the two signatures (LangRef, musttail: "the prototypes must
 * match, unless both use tailcc or swifttailcc"), and funcs[i] is its C
 * entry, defined in the function's own chunk. Every other function keeps
 * one C function, so tail calls cost nothing where they are not used
 * (ordinary calls of tailcc bodies cost a little: bench/access_cost
 * measured in the README).
 */
static void declare_function(WaCodegen *cg, uint32_t i) {
    const WaFunc *f = &cg->m->funcs[i];
    char *sym = cg->symbols[i];
    if (cg->tail_set == NULL || !cg->tail_set[i]) {
        cg->funcs[i] = add_wasm_function(cg, sym, cg->fn_types[f->type_index]);
        return;
    }
    LLVMValueRef body = add_wasm_function(cg, sym, cg->tail_fn_types[f->type_index]);
    LLVMSetFunctionCallConv(body, WA_LLVM_TAILCC);
    cg->tail_funcs[i] = body;
    size_t len = strlen(sym);
    char *entry_name = WA_NEW_ARRAY(&cg->arena, char, len + 8);
    memcpy(entry_name, sym, len);
    memcpy(entry_name + len, ".entry", 7);
    cg->funcs[i] = add_wasm_function(cg, entry_name, cg->fn_types[f->type_index]);
    if (i >= cg->first_func && i < cg->end_func)
        build_c_entry(cg, cg->funcs[i], body, f->type_index);
}

LLVMValueRef wa_codegen_func(WaCodegen *cg, uint32_t index) {
    WA_CHECK(index >= cg->m->nfunc_imports && index < cg->m->nfuncs);
    if (cg->funcs[index] == NULL)
        declare_function(cg, index);
    return cg->funcs[index];
}

LLVMValueRef wa_codegen_tail_func(WaCodegen *cg, uint32_t index) {
    WA_CHECK(index >= cg->m->nfunc_imports && index < cg->m->nfuncs);
    if (cg->tail_set == NULL || !cg->tail_set[index])
        return NULL;
    if (cg->funcs[index] == NULL)
        declare_function(cg, index);
    return cg->tail_funcs[index];
}

/* The native signatures per type, and the chunk's own functions, in index order. */
static void declare_functions(WaCodegen *cg) {
    const WaModule *m = cg->m;
    cg->fn_types = WA_NEW_ARRAY(&cg->arena, LLVMTypeRef, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++)
        cg->fn_types[i] = native_fn_type(cg, &m->types[i]);
    if (cg->tail_set == NULL && !cg->tail_set_given)
        cg->tail_set = wa_codegen_tail_call_functions(m, &cg->arena, cg->d);
    if (cg->tail_set != NULL) {
        cg->tail_fn_types = WA_NEW_ARRAY(&cg->arena, LLVMTypeRef, m->ntypes);
        for (uint32_t i = 0; i < m->ntypes; i++)
            cg->tail_fn_types[i] = tail_fn_type(cg, &m->types[i]);
        cg->tail_funcs = WA_NEW_ARRAY(&cg->arena, LLVMValueRef, m->nfuncs);
        memset(cg->tail_funcs, 0, m->nfuncs * sizeof *cg->tail_funcs);
    }
    cg->funcs = WA_NEW_ARRAY(&cg->arena, LLVMValueRef, m->nfuncs);
    memset(cg->funcs, 0, m->nfuncs * sizeof *cg->funcs);
    cg->symbols = wa_symbol_table(&cg->arena, m);
    for (uint32_t i = cg->first_func; i < cg->end_func; i++)
        declare_function(cg, i);
    wa_arena_reset(&cg->scratch);
}

bool wa_codegen_begin_chunk(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o,
                            WaChunk chunk, WaDiag *d) {
    WA_TRY(wa_codegen_init(cg, m, o, d));
    WA_CHECK(chunk.first >= m->nfunc_imports && chunk.first <= chunk.end && chunk.end <= m->nfuncs);
    cg->first_func = chunk.first;
    cg->end_func = chunk.end;
    cg->chunk = chunk.index;
    declare_functions(cg);
    return true;
}

bool wa_codegen_begin(WaCodegen *cg, const WaModule *m, const WaCodegenOptions *o, WaDiag *d) {
    return wa_codegen_begin_chunk(cg, m, o, (WaChunk){m->nfunc_imports, m->nfuncs, 0}, d);
}

bool wa_codegen_functions(WaCodegen *cg) {
    for (uint32_t i = cg->first_func; i < cg->end_func; i++) {
        WA_TRY(wa_lower_function(cg, i));
        wa_progress_lowered(cg->progress);
    }
    if (cg->debug_info && cg->dib != NULL && cg->chunk == 0)
        wa_debug_globals(cg);
    wa_sites_finish(cg);
    return true;
}

size_t wa_codegen_partition(const WaModule *m, size_t chunk_bytes, WaChunk *chunks) {
    uint64_t total = 0;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        total += m->funcs[i].code_size;
    if (chunk_bytes == 0 && total < WA_CHUNK_WHOLE_MAX) {
        chunks[0] = (WaChunk){m->nfunc_imports, m->nfuncs, 0};
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
            chunks[n] = (WaChunk){first, i + 1, (uint32_t)n};
            n++;
            first = i + 1;
            size = 0;
        }
    }
    chunks[n] = (WaChunk){first, m->nfuncs, (uint32_t)n};
    n++;
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
