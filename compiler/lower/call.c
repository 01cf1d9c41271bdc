/*
 * call.c: call and call_indirect (spec 4.4.8), return_call and
 * return_call_indirect (tail-call proposal).
 *
 * A function defined in this module is called directly, passing our own
 * instance. An imported function is called through its wa_rt_func_t in
 * ctx->funcs, passing the ctx stored there. call_indirect checks, in the
 * spec's order: index within the table ("undefined element"), entry not null
 * ("uninitialized element"), signature ("indirect call type mismatch", by
 * canonical type id so that equal types from other modules match).
 *
 * Tail calls. The proposal's return_call unwinds the caller's frame before
 * the callee runs, so that a chain of them runs in constant stack. Every
 * function holding a tail call and every function return_call names has its
 * body in LLVM's tailcc convention (codegen.c), and the tail call is a
 * `musttail` call, which LLVM compiles to a jump or fails: guaranteed,
 * whatever the two signatures. Several results go through
 * a pointer the chain passes on (wa_codegen_tail_results_by_pointer).
 * return_call_indirect keeps every check of call_indirect, in the same
 * order with the same traps, then jumps to the callee's tail_code. A callee
 * with no tail_code (a host function, or a wasm function without tail calls
 * in it that no return_call names) is called as call_indirect calls it and
 * its results returned: the caller's frame lasts only while the callee
 * runs, and such a callee can reach wasm again only by an ordinary call
 * (host code calls wasm through the embedding API; the wasm function has
 * no tail calls), each of which is a frame wasm's own semantics has too. So a chain of tail
 * calls grows the stack by at most one frame per ordinary call in it, and
 * non-tail recursion still runs into the stack limit and traps "call stack
 * exhausted" exactly as before. return_call of an imported function goes
 * the same way through the import's wa_rt_func_t: a wasm function of
 * another module that takes part in tail calls has a tail_code, so tail
 * calls between modules run in constant stack too.
 */
#include "lower.h"

#include <string.h>

/* Pops the call's arguments into args[1..n] (args[0] is left for the callee's ctx). */
static LLVMValueRef *pop_args(WaFuncGen *fg, const WaFuncType *ft) {
    LLVMValueRef *args = WA_NEW_ARRAY(&fg->cg->scratch, LLVMValueRef, ft->nparams + 1);
    for (uint32_t i = ft->nparams; i > 0; i--)
        args[i] = wa_fg_pop(fg);
    return args;
}

/* Pushes a call's results: none, one value, or the fields of a returned struct. */
static void push_results(WaFuncGen *fg, const WaFuncType *ft, LLVMValueRef ret) {
    if (ft->nresults == 1) {
        wa_fg_push(fg, ret, ft->results[0]);
        return;
    }
    for (uint32_t i = 0; i < ft->nresults; i++)
        wa_fg_push(fg, LLVMBuildExtractValue(fg->cg->b, ret, i, ""), ft->results[i]);
}

/*
 * Calls `code` with `callee_ctx` and args[1..], the native way for type
 * index `type_index`. `catchable`: the handlers around the call may catch
 * what it throws (exception.c); not so for the call a return_call becomes
 * when the callee has no tail entry, which has left the caller's try blocks
 * (the proposal: a tail call ends the caller's frame and its handlers).
 */
static void emit_call(WaFuncGen *fg, uint32_t type_index, LLVMValueRef code,
                      LLVMValueRef callee_ctx, LLVMValueRef *args, bool catchable) {
    WaCodegen *cg = fg->cg;
    const WaFuncType *ft = &cg->m->types[type_index];
    args[0] = callee_ctx;
    LLVMValueRef ret =
        wa_fg_build_call(fg, cg->fn_types[type_index], code, args, ft->nparams + 1, catchable);
    /*
     * Wasm has no implicit tail calls: unbounded recursion must exhaust the
     * stack and trap, not become a loop (LLVM's tail recursion elimination
     * would turn `f(x) = f(x) + 1` into one). An invoke is never a tail call.
     */
    if (LLVMIsACallInst(ret))
        LLVMSetTailCallKind(ret, LLVMTailCallKindNoTail);
    push_results(fg, ft, ret);
}

/*
 * Calls the tailcc body `body` of type `type_index` with callee_ctx and
 * args[1..]: an ordinary call (pushing its results) or, if `tail`, a
 * musttail call whose results are returned at once.
 */
static void emit_tailcc_call(WaFuncGen *fg, uint32_t type_index, LLVMValueRef body,
                             LLVMValueRef callee_ctx, LLVMValueRef *args, bool tail) {
    WaCodegen *cg = fg->cg;
    const WaFuncType *ft = &cg->m->types[type_index];
    bool by_pointer = wa_codegen_tail_results_by_pointer(ft);
    uint32_t n = ft->nparams + 1 + by_pointer;
    LLVMValueRef *full = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, n);
    full[0] = callee_ctx;
    LLVMTypeRef ret_type = LLVMGetReturnType(cg->fn_types[type_index]);
    LLVMValueRef results = NULL;
    if (by_pointer) {
        /* A tail call's results are the caller's: its own pointer is passed on. */
        if (tail) {
            results = fg->results;
        } else {
            LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->llvm);
            LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(fg->entry));
            results = LLVMBuildAlloca(b, ret_type, "call_results");
            LLVMDisposeBuilder(b);
        }
        full[1] = results;
    }
    for (uint32_t i = 0; i < ft->nparams; i++)
        full[i + 1 + by_pointer] = args[i + 1];
    /* A tail call stays a musttail call, never an invoke: it leaves the caller's handlers. */
    LLVMValueRef ret = wa_fg_build_call(fg, cg->tail_fn_types[type_index], body, full, n, !tail);
    LLVMSetInstructionCallConv(ret, WA_LLVM_TAILCC);
    if (tail) {
        LLVMSetTailCallKind(ret, LLVMTailCallKindMustTail);
        if (LLVMGetTypeKind(LLVMGetReturnType(cg->tail_fn_types[type_index])) == LLVMVoidTypeKind)
            LLVMBuildRetVoid(cg->b);
        else
            LLVMBuildRet(cg->b, ret);
        wa_vec_last(&fg->control).unreachable = true; /* as after `return` */
        return;
    }
    if (LLVMIsACallInst(ret))
        LLVMSetTailCallKind(ret, LLVMTailCallKindNoTail);
    if (by_pointer)
        ret = LLVMBuildLoad2(cg->b, ret_type, results, "");
    push_results(fg, ft, ret);
}

/* Marks load `v` !invariant.load: its location holds the same value wherever it is read. */
static LLVMValueRef invariant(WaCodegen *cg, LLVMValueRef v) {
    LLVMSetMetadata(v, LLVMGetMDKindIDInContext(cg->llvm, "invariant.load", 14),
                    LLVMMetadataAsValue(cg->llvm, LLVMMDNodeInContext2(cg->llvm, NULL, 0)));
    return v;
}

/*
 * Loads field `field` of the shared struct `s` at `obj`, invariant. A
 * function reference (wa_rt_func_t) never changes once it can be reached:
 * the runtime fills in a wasm function's before instantiation runs any code,
 * and a host function's native code is bound on its first import, before
 * which no table can hold it (wa_rt_table_set refuses it).
 */
static LLVMValueRef load_invariant_field(WaCodegen *cg, LLVMBuilderRef b, LLVMValueRef obj,
                                         WaRtStruct s, unsigned field, const char *name) {
    LLVMValueRef ptr = wa_codegen_rt_field_ptr(cg, b, obj, s, field);
    return invariant(cg, LLVMBuildLoad2(b, wa_codegen_rt_field_type(cg, s, field), ptr, name));
}

/* Loads the code and ctx of the wa_rt_func_t at `ref`. */
static void load_func_ref(WaFuncGen *fg, LLVMValueRef ref, LLVMValueRef *code, LLVMValueRef *ctx) {
    WaCodegen *cg = fg->cg;
    *code = load_invariant_field(cg, cg->b, ref, WA_RT_STRUCT_FUNC, WA_RT_FUNC_CODE, "code");
    *ctx = load_invariant_field(cg, cg->b, ref, WA_RT_STRUCT_FUNC, WA_RT_FUNC_CTX, "callee_ctx");
}

/* Element `index` of the pointer array that instance field `field` points to. */
static LLVMValueRef load_ctx_array_elem(WaFuncGen *fg, unsigned field, uint32_t index) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef array = wa_fg_load_ctx_field_hoisted(fg, field, "");
    LLVMValueRef idx = LLVMConstInt(cg->t_i64, index, false);
    return LLVMBuildLoad2(cg->b, cg->t_ptr, LLVMBuildGEP2(cg->b, cg->t_ptr, array, &idx, 1, ""),
                          "");
}

/*
 * The tail call of the function reference `ref` (its code and callee_ctx
 * loaded): a jump to its tail_code, or if it has none a call and a return.
 */
static void emit_tail_call_ref(WaFuncGen *fg, uint32_t type_index, LLVMValueRef ref,
                               LLVMValueRef code, LLVMValueRef callee_ctx, LLVMValueRef *args) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef tail_code =
        load_invariant_field(cg, cg->b, ref, WA_RT_STRUCT_FUNC, WA_RT_FUNC_TAIL_CODE, "tail_code");
    LLVMBasicBlockRef jump = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "tail_jump");
    LLVMBasicBlockRef call = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "tail_call_c");
    LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, tail_code, ""), call, jump);
    size_t height = fg->stack.len;
    LLVMPositionBuilderAtEnd(cg->b, jump);
    emit_tailcc_call(fg, type_index, tail_code, callee_ctx, args, true);
    /* The dead mark and stack are the other path's again: it is lowered as if alone. */
    wa_vec_last(&fg->control).unreachable = false;
    fg->stack.len = height;
    LLVMPositionBuilderAtEnd(cg->b, call);
    emit_call(fg, type_index, code, callee_ctx, args, false);
    wa_fg_return(fg);
}

/* call x, or return_call x if `tail` (see the opening comment). */
static bool lower_direct(WaFuncGen *fg, uint32_t func_index, bool tail) {
    WaCodegen *cg = fg->cg;
    const WaFunc *f = &cg->m->funcs[func_index];
    LLVMValueRef *args = pop_args(fg, &cg->m->types[f->type_index]);
    LLVMValueRef tail_body = f->imported ? NULL : wa_codegen_tail_func(cg, func_index);
    if (tail_body != NULL) {
        emit_tailcc_call(fg, f->type_index, tail_body, fg->ctx, args, tail);
        return true;
    }
    if (!f->imported) {
        emit_call(fg, f->type_index, wa_codegen_func(cg, func_index), fg->ctx, args, true);
        return true;
    }
    LLVMValueRef ref = load_ctx_array_elem(fg, WA_RT_INSTANCE_FUNCS, func_index);
    LLVMValueRef code, callee_ctx;
    load_func_ref(fg, ref, &code, &callee_ctx);
    /* An import may be another module's function with a tail entry: jump there too. */
    if (tail)
        emit_tail_call_ref(fg, f->type_index, ref, code, callee_ctx, args);
    else
        emit_call(fg, f->type_index, code, callee_ctx, args, true);
    return true;
}

/* ---- call_indirect ---- */

/* The table that a table instruction writes to, or UINT32_MAX if it writes none. */
static uint32_t written_table(const WaInstr *in) {
    switch (in->op) {
    case WA_OP_TABLE_SET:
    case WA_OP_TABLE_GROW:
    case WA_OP_TABLE_FILL:
        return in->imm.index;
    case WA_OP_TABLE_COPY:
        return in->imm.pair.a; /* the destination */
    case WA_OP_TABLE_INIT:
        return in->imm.pair.b; /* table.init's immediates are segment, table */
    default:
        return UINT32_MAX;
    }
}

/*
 * Per table of the module: whether it is fixed, that is, its size, its
 * elements array and every element stay as instantiation left them, for as
 * long as any function of the module can run. That holds for a table that
 * is neither imported nor exported (no other module and no host can reach
 * it: the embedding API reaches tables through exports only) and that no
 * function writes to with table.set, table.grow, table.fill, table.copy or
 * table.init (spec 4.4.6: the only instructions that change a table). The
 * writes of active element segments happen in the module's initialiser,
 * before any function runs (spec 4.5.4). Computed once per module, by one
 * pass over the code: by the driver before chunks compile when there are
 * several (the answer is about the whole module), else the first time a
 * call_indirect is lowered.
 */
const bool *wa_lower_fixed_tables(const WaModule *m, WaArena *arena) {
    bool *fixed = WA_NEW_ARRAY(arena, bool, m->ntables + 1);
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
        fixed[i] = true;
    for (uint32_t i = 0; i < m->nexports; i++) {
        if (m->exports[i].kind == WA_EXTERN_TABLE)
            fixed[m->exports[i].index] = false;
    }
    WaArena tmp; /* immediates (br_table targets), freed per function */
    wa_arena_init(&tmp);
    for (uint32_t f = m->nfunc_imports; f < m->nfuncs; f++) {
        WaDiag ignored; /* validation passed: nothing is reported */
        wa_diag_init(&ignored, NULL);
        WaReader r = wa_module_reader(m, m->funcs[f].code, m->funcs[f].code_size, &ignored);
        while (!wa_reader_at_end(&r)) {
            WaInstr in;
            if (!wa_instr_read(&r, &tmp, &in)) {
                /* Cannot happen after validation; assuming nothing is the safe side. */
                memset(fixed, 0, m->ntables * sizeof *fixed);
                break;
            }
            uint32_t t = written_table(&in);
            if (t < m->ntables)
                fixed[t] = false;
        }
        wa_arena_reset(&tmp);
    }
    wa_arena_free(&tmp);
    return fixed;
}

static const bool *fixed_tables(WaCodegen *cg) {
    if (cg->fixed_tables == NULL)
        cg->fixed_tables = wa_lower_fixed_tables(cg->m, &cg->arena);
    return cg->fixed_tables;
}

/* What a function loads once, in its entry block, about a table it calls through. */
struct WaHoistedTable {
    LLVMValueRef table; /* ctx->tables[i]: the wa_rt_table_t never moves */
    LLVMValueRef size;  /* fixed tables only (else NULL): size and elems never change */
    LLVMValueRef elems;
};

/* A builder positioned at the end of the entry block (before its branch to the body). */
static LLVMBuilderRef entry_builder(WaFuncGen *fg) {
    LLVMBuilderRef b = LLVMCreateBuilderInContext(fg->cg->llvm);
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(fg->entry));
    return b;
}

/* Element `index` of the array at `array` (elements of `type`), loaded invariant with b. */
static LLVMValueRef load_invariant_elem(WaCodegen *cg, LLVMBuilderRef b, LLVMTypeRef type,
                                        LLVMValueRef array, uint32_t index, const char *name) {
    LLVMValueRef idx = LLVMConstInt(cg->t_i64, index, false);
    return invariant(cg, LLVMBuildLoad2(b, type, LLVMBuildGEP2(b, type, array, &idx, 1, ""), name));
}

static const struct WaHoistedTable *hoisted_table(WaFuncGen *fg, uint32_t index) {
    WaCodegen *cg = fg->cg;
    if (fg->tables == NULL)
        fg->tables = WA_NEW_ARRAY(&cg->scratch, struct WaHoistedTable, cg->m->ntables);
    struct WaHoistedTable *h = &fg->tables[index];
    if (h->table != NULL)
        return h;
    LLVMValueRef tables = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_TABLES, "tables");
    LLVMBuilderRef b = entry_builder(fg);
    /* The instance's table array is filled before any code runs and never changes. */
    h->table = load_invariant_elem(cg, b, cg->t_ptr, tables, index, "table");
    if (fixed_tables(cg)[index]) {
        h->size = load_invariant_field(cg, b, h->table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_SIZE,
                                       "table_size");
        h->elems =
            load_invariant_field(cg, b, h->table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_ELEMS, "elems");
    }
    LLVMDisposeBuilder(b);
    return h;
}

/*
 * The canonical id of type `type_index`, loaded once per function: the
 * runtime assigns the ids at instantiation (equal types of different
 * modules get equal ids), so it is not a compile-time constant, but it
 * never changes afterwards.
 */
static LLVMValueRef expected_type_id(WaFuncGen *fg, uint32_t type_index) {
    WaCodegen *cg = fg->cg;
    if (fg->type_ids == NULL)
        fg->type_ids = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, cg->m->ntypes);
    if (fg->type_ids[type_index] == NULL) {
        LLVMValueRef ids = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_TYPE_IDS, "type_ids");
        LLVMBuilderRef b = entry_builder(fg);
        fg->type_ids[type_index] =
            load_invariant_elem(cg, b, cg->t_i32, ids, type_index, "expected_type");
        LLVMDisposeBuilder(b);
    }
    return fg->type_ids[type_index];
}

/*
 * call_indirect x y (spec 4.4.8): the checks in the spec's order, each its
 * own trap. A fixed table (see fixed_tables) costs a compare with a value in
 * a register, one load of the reference and three loads from it; any other
 * table's size and elements are reloaded at each call, since a callee, the
 * host or another module may have grown or written it since.
 */
static bool lower_indirect(WaFuncGen *fg, const WaInstr *in, bool tail) {
    WaCodegen *cg = fg->cg;
    uint32_t type_index = in->imm.call_indirect.type_index;
    LLVMValueRef index = wa_fg_pop(fg);
    LLVMValueRef *args = pop_args(fg, &cg->m->types[type_index]);

    const struct WaHoistedTable *h = hoisted_table(fg, in->imm.call_indirect.table_index);
    bool fixed = h->size != NULL;
    LLVMValueRef size = h->size;
    if (!fixed) {
        size = wa_codegen_rt_load(cg, h->table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_SIZE, "table_size");
        wa_fg_set_tbaa(fg, size, WA_TBAA_RUNTIME);
    }
    if (LLVMTypeOf(index) == cg->t_i64) /* table64: the index is an i64 */
        size = LLVMBuildZExt(cg->b, size, cg->t_i64, "");
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntUGE, index, size, ""),
                  WA_RT_TRAP_UNDEFINED_ELEMENT);

    LLVMValueRef elems = h->elems;
    if (!fixed) {
        elems = wa_codegen_rt_load(cg, h->table, WA_RT_STRUCT_TABLE, WA_RT_TABLE_ELEMS, "elems");
        wa_fg_set_tbaa(fg, elems, WA_TBAA_RUNTIME);
    }
    LLVMValueRef idx64 = LLVMBuildZExt(cg->b, index, cg->t_i64, "");
    LLVMValueRef ref = LLVMBuildLoad2(cg->b, cg->t_ptr,
                                      LLVMBuildGEP2(cg->b, cg->t_ptr, elems, &idx64, 1, ""), "ref");
    if (fixed)
        invariant(cg, ref);
    wa_fg_set_tbaa(fg, ref, WA_TBAA_RUNTIME);
    wa_fg_trap_if(fg, LLVMBuildIsNull(cg->b, ref, ""), WA_RT_TRAP_UNINITIALIZED_ELEMENT);

    LLVMValueRef actual =
        load_invariant_field(cg, cg->b, ref, WA_RT_STRUCT_FUNC, WA_RT_FUNC_TYPE_ID, "type_id");
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntNE, actual, expected_type_id(fg, type_index), ""),
                  WA_RT_TRAP_INDIRECT_CALL_TYPE_MISMATCH);

    LLVMValueRef code, callee_ctx;
    load_func_ref(fg, ref, &code, &callee_ctx);
    if (!tail) {
        emit_call(fg, type_index, code, callee_ctx, args, true);
        return true;
    }
    /* return_call_indirect: a jump to the callee's tail_code, or a call and a return. */
    emit_tail_call_ref(fg, type_index, ref, code, callee_ctx, args);
    return true;
}

bool wa_lower_call(WaFuncGen *fg, const WaInstr *in) {
    switch (in->op) {
    case WA_OP_CALL:
        return lower_direct(fg, in->imm.index, false);
    case WA_OP_RETURN_CALL:
        return lower_direct(fg, in->imm.index, true);
    case WA_OP_CALL_INDIRECT:
        return lower_indirect(fg, in, false);
    default:
        return lower_indirect(fg, in, true);
    }
}
