/*
 * exception.c: the exception-handling proposal, both encodings: try_table,
 * throw, throw_ref and exnref, and the legacy try, catch, catch_all,
 * rethrow and delegate.
 *
 * Zero cost when nothing is thrown: a try or try_table emits no code of its
 * own on entry or exit. A call inside its body becomes an LLVM invoke whose
 * unwind edge leads to the frame's landing pad (wa_fg_build_call), and the
 * unwinder finds that pad from the tables LLVM emits (runtime/exception.c
 * has the run-time half: throwing, the personality, the boundary with
 * guarded calls and traps). The landing pad takes the exception and goes to
 * the frame's dispatch block, which compares its tag with each catch
 * clause's tag in order (tags are objects, compared by address: an imported
 * tag is its exporter's object) and either enters the handler or, when
 * nothing matches, passes the exception on to the handler around it: the
 * dispatch of the enclosing try in the same function (a branch), else the
 * caller (wa_rt_throw from here).
 *
 * Frames. A try or try_table frame is a block (control.c) whose
 * `handler_active` is set while its body is lowered; the innermost frame
 * with it set is where an exception raised at that point goes. A legacy
 * try's handlers (catch, catch_all) are arms of the same frame, lowered
 * like an else arm: the body's end and each handler's end branch to the
 * join block after the try. `delegate l` ends a try whose dispatch passes
 * everything to the handler in effect at label l (the proposal: the
 * exception is rethrown as if at the l-th enclosing block), and try_table's
 * clauses branch to their labels with the payload (and the exnref).
 *
 * `throw` in a try body of the same function branches straight to that
 * frame's dispatch; elsewhere it calls the runtime, which unwinds. A tail
 * call is never an invoke: it ends the frame, and the proposal says its
 * callee's exceptions go to the caller's caller.
 *
 * Exception lifetime (runtime/exception.c explains the holds): try_table's
 * catch and catch_all drop the exception once its payload is copied; a
 * legacy handler drops it where it ends normally (falls through to `end`);
 * catch_ref and catch_all_ref keep it alive forever, since the exnref may be
 * copied anywhere.
 */
#include "lower.h"

#include "../base/check.h"

/* 1 + the index of the innermost frame below `limit` whose handler is active, or 0. */
static size_t handler_below(WaFuncGen *fg, size_t limit) {
    for (size_t i = limit; i > 0; i--)
        if (fg->control.data[i - 1].handler_active)
            return i;
    return 0;
}

static LLVMValueRef personality(WaCodegen *cg) {
    LLVMValueRef fn = LLVMGetNamedFunction(cg->mod, "__gcc_personality_v0");
    if (fn == NULL) {
        LLVMTypeRef type = LLVMFunctionType(cg->t_i32, NULL, 0, true);
        fn = LLVMAddFunction(cg->mod, "__gcc_personality_v0", type);
    }
    return fn;
}

/*
 * The landing pad of frame c, made on first use: takes the exception the
 * unwinder delivers (a cleanup pad: the personality, __gcc_personality_v0,
 * installs any pad, and the tag test is ours) and goes to the dispatch.
 */
static LLVMBasicBlockRef landing_pad(WaFuncGen *fg, WaControl *c) {
    WaCodegen *cg = fg->cg;
    if (c->lpad != NULL)
        return c->lpad;
    if (!LLVMHasPersonalityFn(fg->fn))
        LLVMSetPersonalityFn(fg->fn, personality(cg));
    LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
    c->lpad = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "landing_pad");
    LLVMPositionBuilderAtEnd(cg->b, c->lpad);
    LLVMTypeRef fields[2] = {cg->t_ptr, cg->t_i32};
    LLVMTypeRef lp_type = LLVMStructTypeInContext(cg->llvm, fields, 2, false);
    LLVMValueRef lp = LLVMBuildLandingPad(cg->b, lp_type, personality(cg), 0, "lp");
    LLVMSetCleanup(lp, true);
    LLVMValueRef header = LLVMBuildExtractValue(cg->b, lp, 0, "exn_header");
    LLVMValueRef exn = wa_codegen_rt_call(cg, WA_RT_EXCEPTION_CAUGHT, &header, 1, "exn");
    LLVMBasicBlockRef from = LLVMGetInsertBlock(cg->b);
    LLVMAddIncoming(c->exn, &exn, &from, 1);
    LLVMBuildBr(cg->b, c->dispatch);
    LLVMPositionBuilderAtEnd(cg->b, here);
    return c->lpad;
}

LLVMValueRef wa_fg_build_call(WaFuncGen *fg, LLVMTypeRef type, LLVMValueRef fn, LLVMValueRef *args,
                              unsigned nargs, bool catchable) {
    WaCodegen *cg = fg->cg;
    size_t h = catchable ? handler_below(fg, fg->control.len) : 0;
    if (h == 0)
        return LLVMBuildCall2(cg->b, type, fn, args, nargs, "");
    LLVMBasicBlockRef pad = landing_pad(fg, &fg->control.data[h - 1]);
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "invoke_cont");
    LLVMValueRef inv = LLVMBuildInvoke2(cg->b, type, fn, args, nargs, cont, pad, "");
    LLVMPositionBuilderAtEnd(cg->b, cont);
    return inv;
}

/* The tag object of tag index `tag`: ctx->tags[tag]. */
static LLVMValueRef tag_object(WaFuncGen *fg, uint32_t tag) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef tags = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_TAGS, "tags");
    LLVMValueRef idx = LLVMConstInt(cg->t_i64, tag, false);
    LLVMValueRef p = LLVMBuildGEP2(cg->b, cg->t_ptr, tags, &idx, 1, "");
    LLVMValueRef t = LLVMBuildLoad2(cg->b, cg->t_ptr, p, "tag");
    wa_fg_set_tbaa(fg, t, WA_TBAA_RUNTIME);
    return t;
}

/* The payload cells of exception `exn`. */
static LLVMValueRef payload_cells(WaFuncGen *fg, LLVMValueRef exn) {
    WaCodegen *cg = fg->cg;
    return wa_codegen_rt_load(cg, exn, WA_RT_STRUCT_EXCEPTION, WA_RT_EXCEPTION_VALUES, "payload");
}

static LLVMValueRef payload_cell(WaFuncGen *fg, LLVMValueRef cells, uint32_t i) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef off = LLVMConstInt(cg->t_i64, (uint64_t)i * WA_RT_GLOBAL_CELL_SIZE, false);
    return LLVMBuildGEP2(cg->b, cg->t_i8, cells, &off, 1, "");
}

/* Pushes the payload of `exn`, an exception of tag index `tag`. */
static void push_payload(WaFuncGen *fg, LLVMValueRef exn, uint32_t tag) {
    WaCodegen *cg = fg->cg;
    const WaFuncType *tt = &cg->m->types[cg->m->tags[tag].type_index];
    if (tt->nparams == 0)
        return;
    LLVMValueRef cells = payload_cells(fg, exn);
    for (uint32_t i = 0; i < tt->nparams; i++) {
        LLVMValueRef v =
            LLVMBuildLoad2(cg->b, wa_cg_type(cg, tt->params[i]), payload_cell(fg, cells, i), "");
        LLVMSetAlignment(v, 8);
        wa_fg_push(fg, v, tt->params[i]);
    }
}

static void release(WaFuncGen *fg, LLVMValueRef exn) {
    wa_codegen_rt_call(fg->cg, WA_RT_EXCEPTION_RELEASE, &exn, 1, "");
}

/*
 * At the current position (a block without terminator): passes `exn`, not
 * caught by frame c, to the handler around c, c->outer: its dispatch, or
 * the caller's handlers through the runtime.
 */
static void pass_on(WaFuncGen *fg, WaControl *c, LLVMValueRef exn) {
    WaCodegen *cg = fg->cg;
    if (c->outer != 0) {
        WaControl *o = &fg->control.data[c->outer - 1];
        LLVMBasicBlockRef from = LLVMGetInsertBlock(cg->b);
        LLVMAddIncoming(o->exn, &exn, &from, 1);
        LLVMBuildBr(cg->b, o->dispatch);
        return;
    }
    wa_codegen_rt_call(cg, WA_RT_THROW, &exn, 1, "");
    LLVMBuildUnreachable(cg->b);
}

/*
 * Makes the innermost frame (just pushed by wa_fg_enter_block) a handler
 * frame of opcode op: its body catches, what it does not catch goes to the
 * handler that was in effect around it.
 */
static WaControl *begin_handler(WaFuncGen *fg, WaOpcode op) {
    WaCodegen *cg = fg->cg;
    WaControl *c = &wa_vec_last(&fg->control);
    c->op = op;
    c->outer = handler_below(fg, fg->control.len - 1);
    c->handler_active = true;
    LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
    c->dispatch = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "dispatch");
    LLVMPositionBuilderAtEnd(cg->b, c->dispatch);
    c->exn = LLVMBuildPhi(cg->b, cg->t_ptr, "exn");
    c->exn_tag =
        wa_codegen_rt_load(cg, c->exn, WA_RT_STRUCT_EXCEPTION, WA_RT_EXCEPTION_TAG, "exn_tag");
    c->next_test = LLVMGetInsertBlock(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, here);
    return c;
}

/*
 * At the current position: branches to `match` if the dispatched exception
 * has tag index `tag`, else continues in a new block, where it leaves the
 * builder.
 */
static void test_tag(WaFuncGen *fg, WaControl *c, uint32_t tag, LLVMBasicBlockRef match) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef is = LLVMBuildICmp(cg->b, LLVMIntEQ, c->exn_tag, tag_object(fg, tag), "");
    LLVMBasicBlockRef next = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "next_catch");
    LLVMBuildCondBr(cg->b, is, match, next);
    LLVMPositionBuilderAtEnd(cg->b, next);
}

/*
 * try_table: a block whose dispatch, built here at once, tries the clauses
 * in order; a matching clause branches to its label (resolved outside the
 * try_table) with the payload, then the exnref for the _ref kinds.
 */
static void lower_try_table(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    wa_fg_enter_block(fg, &in->imm.try_table.block);
    WaControl *c = begin_handler(fg, WA_OP_TRY_TABLE);
    LLVMBasicBlockRef body = LLVMGetInsertBlock(cg->b);
    size_t height = fg->stack.len;
    bool all = false;
    LLVMPositionBuilderAtEnd(cg->b, c->next_test);
    for (uint32_t i = 0; i < in->imm.try_table.ncatches && !all; i++) {
        const WaCatchClause *k = &in->imm.try_table.catches[i];
        all = k->kind == WA_CATCH_ALL || k->kind == WA_CATCH_ALL_REF;
        LLVMBasicBlockRef match = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "catch");
        if (all)
            LLVMBuildBr(cg->b, match); /* the clauses after a catch-all are never tried */
        else
            test_tag(fg, c, k->tag, match);
        LLVMBasicBlockRef next = LLVMGetInsertBlock(cg->b);
        LLVMPositionBuilderAtEnd(cg->b, match);
        if (!all)
            push_payload(fg, c->exn, k->tag);
        if (k->kind == WA_CATCH_REF || k->kind == WA_CATCH_ALL_REF)
            wa_fg_push(fg, c->exn, WA_VT_EXNREF); /* held for ever: see the opening comment */
        else
            release(fg, c->exn);
        /* The label counts from outside the try_table, whose own frame is on top. */
        WA_CHECK(k->label + 1 < fg->control.len);
        wa_fg_branch_to(fg, &fg->control.data[fg->control.len - 2 - k->label]);
        fg->stack.len = height;
        LLVMPositionBuilderAtEnd(cg->b, next);
    }
    if (!all)
        pass_on(fg, c, c->exn); /* no clause matched */
    c->next_test = NULL;
    LLVMPositionBuilderAtEnd(cg->b, body);
}

/* Legacy catch x / catch_all: ends the body or the previous handler and starts this one. */
static void lower_catch(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    WaControl *c = &wa_vec_last(&fg->control);
    WA_CHECK(c->op == WA_OP_TRY && c->next_test != NULL);
    if (!c->unreachable) {
        if (c->caught != NULL)
            release(fg, c->caught); /* the previous handler ends normally */
        wa_fg_branch_to(fg, c);
        c = &wa_vec_last(&fg->control);
    }
    c->handler_active = false; /* a handler's own exceptions go to the handlers around */
    fg->stack.len = c->stack_height;
    LLVMBasicBlockRef arm = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "catch");
    LLVMPositionBuilderAtEnd(cg->b, c->next_test);
    if (in->op == WA_OP_CATCH) {
        test_tag(fg, c, in->imm.index, arm);
        c->next_test = LLVMGetInsertBlock(cg->b);
    } else {
        LLVMBuildBr(cg->b, arm);
        c->next_test = NULL;
    }
    LLVMPositionBuilderAtEnd(cg->b, arm);
    c->caught = c->exn;
    if (in->op == WA_OP_CATCH)
        push_payload(fg, c->exn, in->imm.index);
    c->unreachable = false;
}

void wa_fg_try_end(WaFuncGen *fg, WaControl *c) {
    WaCodegen *cg = fg->cg;
    if (!c->unreachable && c->caught != NULL)
        release(fg, c->caught); /* the handler ends normally */
    c->handler_active = false;
    if (c->next_test != NULL) {
        /* No clause matched (or the try has none): pass it on. */
        LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
        LLVMPositionBuilderAtEnd(cg->b, c->next_test);
        pass_on(fg, c, c->exn);
        c->next_test = NULL;
        LLVMPositionBuilderAtEnd(cg->b, here);
    }
}

/*
 * throw x: a new exception with the payload from the stack, thrown. The
 * runtime allocates and unwinds, host code that needs the stack margin a
 * function calling host code checks for at entry (lower.c): the check is
 * made here instead, on the throwing path only. Landing pads, dispatch and
 * handlers run in frames above a throw that passed it, so they have room.
 */
static void lower_throw(WaFuncGen *fg, uint32_t tag) {
    WaCodegen *cg = fg->cg;
    const WaFuncType *tt = &cg->m->types[cg->m->tags[tag].type_index];
    wa_fg_stack_check(fg);
    LLVMValueRef t = tag_object(fg, tag);
    LLVMValueRef exn = wa_codegen_rt_call(cg, WA_RT_EXCEPTION_NEW, &t, 1, "exn");
    if (tt->nparams > 0) {
        LLVMValueRef cells = payload_cells(fg, exn);
        for (uint32_t i = tt->nparams; i-- > 0;) {
            LLVMValueRef st = LLVMBuildStore(cg->b, wa_fg_pop(fg), payload_cell(fg, cells, i));
            LLVMSetAlignment(st, 8);
        }
    }
    size_t h = handler_below(fg, fg->control.len);
    if (h != 0) {
        /* Caught in this function: no unwinding needed. */
        WaControl *c = &fg->control.data[h - 1];
        LLVMBasicBlockRef from = LLVMGetInsertBlock(cg->b);
        LLVMAddIncoming(c->exn, &exn, &from, 1);
        LLVMBuildBr(cg->b, c->dispatch);
    } else {
        wa_codegen_rt_call(cg, WA_RT_THROW, &exn, 1, "");
        LLVMBuildUnreachable(cg->b);
    }
    wa_fg_mark_unreachable(fg);
}

/* rethrow and throw_ref: throw `exn` again, held once more (wa_rt_rethrow). */
static void rethrow(WaFuncGen *fg, LLVMValueRef exn) {
    WaCodegen *cg = fg->cg;
    wa_fg_stack_check(fg); /* as for throw */
    LLVMValueRef fn = wa_codegen_rt_fn(cg, WA_RT_RETHROW);
    wa_fg_build_call(fg, LLVMGlobalGetValueType(fn), fn, &exn, 1, true);
    LLVMBuildUnreachable(cg->b);
    wa_fg_mark_unreachable(fg);
}

bool wa_lower_exception(WaFuncGen *fg, const WaInstr *in) {
    WaControl *c;
    switch (in->op) {
    case WA_OP_TRY:
        wa_fg_enter_block(fg, &in->imm.block);
        begin_handler(fg, WA_OP_TRY);
        return true;
    case WA_OP_TRY_TABLE:
        lower_try_table(fg, in);
        return true;
    case WA_OP_CATCH:
    case WA_OP_CATCH_ALL:
        lower_catch(fg, in);
        return true;
    case WA_OP_DELEGATE: {
        /*
         * The label counts from the frame around the try: what the try
         * catches goes to the handler in effect at that label's block.
         */
        c = &wa_vec_last(&fg->control);
        WA_CHECK(c->op == WA_OP_TRY && in->imm.index + 1 < fg->control.len);
        c->outer = handler_below(fg, fg->control.len - 1 - in->imm.index);
        wa_fg_end_block(fg);
        return true;
    }
    case WA_OP_THROW:
        lower_throw(fg, in->imm.index);
        return true;
    case WA_OP_THROW_REF: {
        LLVMValueRef exn = wa_fg_pop(fg);
        wa_fg_trap_if(fg, LLVMBuildIsNull(fg->cg->b, exn, ""), WA_RT_TRAP_NULL_EXNREF);
        rethrow(fg, exn);
        return true;
    }
    case WA_OP_RETHROW:
        WA_CHECK(in->imm.index < fg->control.len);
        c = &fg->control.data[fg->control.len - 1 - in->imm.index];
        WA_CHECK(c->op == WA_OP_TRY && c->caught != NULL);
        rethrow(fg, c->caught);
        return true;
    default:
        WA_UNREACHABLE();
    }
}

bool wa_lower_uses_exceptions(const WaModule *m, WaArena *scratch) {
    if (m->ntags > 0)
        return true;
    WaDiag quiet;
    wa_diag_init(&quiet, NULL);
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        WaReader r = wa_module_reader(m, f->code, f->code_size, &quiet);
        while (!wa_reader_at_end(&r)) {
            WaInstr in;
            if (!wa_instr_read(&r, scratch, &in))
                break;
            if (wa_op_class[in.op] == WA_CLASS_EXCEPTION) {
                wa_arena_reset(scratch);
                return true;
            }
        }
        wa_arena_reset(scratch);
    }
    return false;
}
