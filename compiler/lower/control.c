/*
 * control.c: structured control flow (spec 4.4.8) as LLVM basic blocks.
 *
 * Each block, loop and if has a branch target: a loop's header (where its
 * parameters arrive as phis), or the join block after a block or if (where its
 * results arrive as phis). A branch adds its operand values as one incoming
 * edge per CFG edge to the target's phis. The function body is a frame whose
 * branches return from the function.
 *
 * After br, br_table, return or unreachable the rest of the block is dead; the
 * frame is marked unreachable and the driver skips to its else or end.
 */
#include "lower.h"

#include "../base/check.h"

static void block_signature(WaFuncGen *fg, const WaBlockType *bt, WaControl *c) {
    WaCodegen *cg = fg->cg;
    switch (bt->kind) {
    case WA_BLOCK_EMPTY:
        c->nparams = c->nresults = 0;
        break;
    case WA_BLOCK_VALUE: {
        WaValType *t = WA_NEW(&cg->scratch, WaValType);
        *t = bt->value;
        c->nparams = 0;
        c->nresults = 1;
        c->results = t;
        break;
    }
    case WA_BLOCK_TYPEIDX: {
        const WaFuncType *ft = &cg->m->types[bt->type_index];
        c->nparams = ft->nparams;
        c->params = ft->params;
        c->nresults = ft->nresults;
        c->results = ft->results;
        break;
    }
    }
}

/* Creates one phi per type at the start of `block`. */
static LLVMValueRef *make_phis(WaFuncGen *fg, LLVMBasicBlockRef block, uint32_t n,
                               const WaValType *types) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef *phis = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, n);
    LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->llvm);
    LLVMPositionBuilderAtEnd(b, block);
    for (uint32_t i = 0; i < n; i++)
        phis[i] = LLVMBuildPhi(b, wa_cg_type(cg, types[i]), "");
    LLVMDisposeBuilder(b);
    return phis;
}

/*
 * The top n stack values. NULL when n is 0: an empty stack has no array yet,
 * and NULL + 0 is undefined behaviour in C (UBSan reports it).
 */
static WaStackValue *stack_top(WaFuncGen *fg, uint32_t n) {
    WA_CHECK(fg->stack.len >= n);
    return n == 0 ? NULL : fg->stack.data + fg->stack.len - n;
}

/* Adds the top n stack values as incoming values from the current block. */
static void add_incoming(WaFuncGen *fg, LLVMValueRef *phis, uint32_t n) {
    LLVMBasicBlockRef from = LLVMGetInsertBlock(fg->cg->b);
    WaStackValue *top = stack_top(fg, n);
    for (uint32_t i = 0; i < n; i++) {
        LLVMValueRef v = top[i].value;
        LLVMAddIncoming(phis[i], &v, &from, 1);
    }
}

/* Returns the top nresults stack values from the function. */
static void build_return(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    uint32_t n = fg->type->nresults;
    WaStackValue *top = stack_top(fg, n);
    if (fg->results != NULL) {
        /* A tailcc body with several results writes them where its caller said. */
        LLVMTypeRef ret = LLVMGetReturnType(cg->fn_types[fg->func->type_index]);
        for (uint32_t i = 0; i < n; i++)
            LLVMBuildStore(cg->b, top[i].value,
                           LLVMBuildStructGEP2(cg->b, ret, fg->results, i, ""));
        LLVMBuildRetVoid(cg->b);
    } else if (n == 0) {
        LLVMBuildRetVoid(cg->b);
    } else if (n == 1) {
        LLVMBuildRet(cg->b, top[0].value);
    } else {
        LLVMValueRef *vals = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, n);
        for (uint32_t i = 0; i < n; i++)
            vals[i] = top[i].value;
        LLVMBuildAggregateRet(cg->b, vals, n);
    }
}

static void mark_unreachable(WaFuncGen *fg) {
    wa_vec_last(&fg->control).unreachable = true;
}

/* The phis a branch to frame c feeds, and how many values it carries. */
static LLVMValueRef *branch_phis(WaControl *c, uint32_t *n) {
    *n = c->op == WA_OP_LOOP ? c->nparams : c->nresults;
    return c->phis;
}

/* Emits an edge to frame c from the current block; for the function frame, a return. */
static void branch_to(WaFuncGen *fg, WaControl *c) {
    if (c->op == WA_OP_END) {
        build_return(fg);
        return;
    }
    uint32_t n;
    LLVMValueRef *phis = branch_phis(c, &n);
    add_incoming(fg, phis, n);
    LLVMBuildBr(fg->cg->b, c->branch_target);
    c->reachable_end = true;
}

static WaControl *label_frame(WaFuncGen *fg, uint32_t depth) {
    WA_CHECK(depth < fg->control.len);
    return &fg->control.data[fg->control.len - 1 - depth];
}

static void enter_block(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    WaControl c = {.op = in->op};
    block_signature(fg, &in->imm.block, &c);
    WA_CHECK(fg->stack.len >= c.nparams);
    c.stack_height = fg->stack.len - c.nparams;

    if (in->op == WA_OP_LOOP) {
        /* The header receives the parameters, from the entry edge and from every back edge. */
        c.branch_target = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "loop");
        c.phis = make_phis(fg, c.branch_target, c.nparams, c.params);
        add_incoming(fg, c.phis, c.nparams);
        LLVMBuildBr(cg->b, c.branch_target);
        LLVMPositionBuilderAtEnd(cg->b, c.branch_target);
        for (uint32_t i = 0; i < c.nparams; i++)
            fg->stack.data[c.stack_height + i].value = c.phis[i];
        wa_vec_push(&fg->control, c);
        return;
    }

    c.branch_target = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn,
                                                    in->op == WA_OP_IF ? "if_end" : "block_end");
    c.phis = make_phis(fg, c.branch_target, c.nresults, c.results);
    if (in->op == WA_OP_IF) {
        /* The condition sits above the parameters. */
        LLVMValueRef cond = wa_fg_pop(fg);
        c.stack_height = fg->stack.len - c.nparams;
        LLVMBasicBlockRef then_block = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "then");
        c.else_block = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "else");
        LLVMValueRef is_true =
            LLVMBuildICmp(cg->b, LLVMIntNE, cond, LLVMConstInt(cg->t_i32, 0, false), "");
        LLVMBuildCondBr(cg->b, is_true, then_block, c.else_block);
        c.if_params = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, c.nparams);
        for (uint32_t i = 0; i < c.nparams; i++)
            c.if_params[i] = fg->stack.data[c.stack_height + i].value;
        LLVMPositionBuilderAtEnd(cg->b, then_block);
    }
    wa_vec_push(&fg->control, c);
}

static void lower_else(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    WaControl *c = &wa_vec_last(&fg->control);
    if (!c->unreachable)
        branch_to(fg, c);
    fg->stack.len = c->stack_height;
    for (uint32_t i = 0; i < c->nparams; i++)
        wa_fg_push(fg, c->if_params[i], c->params[i]);
    LLVMPositionBuilderAtEnd(cg->b, c->else_block);
    c->else_block = NULL;
    c->unreachable = false;
}

static void lower_end(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    WaOpcode op = wa_vec_last(&fg->control).op;
    if (op == WA_OP_TRY || op == WA_OP_TRY_TABLE)
        wa_fg_try_end(fg, &wa_vec_last(&fg->control));
    WaControl c = wa_vec_last(&fg->control);

    if (c.op == WA_OP_END) {
        if (!c.unreachable)
            build_return(fg);
        fg->control.len--;
        return;
    }

    if (c.op == WA_OP_LOOP) {
        /* A loop's end is no merge point: its results simply stay on the stack. */
        fg->control.len--;
        if (c.unreachable) {
            fg->stack.len = c.stack_height;
            mark_unreachable(fg);
        }
        return;
    }

    if (!c.unreachable)
        branch_to(fg, &c);
    if (c.op == WA_OP_IF && c.else_block != NULL) {
        /* No else arm: the false edge passes the parameters through as results. */
        LLVMPositionBuilderAtEnd(cg->b, c.else_block);
        fg->stack.len = c.stack_height;
        for (uint32_t i = 0; i < c.nparams; i++)
            wa_fg_push(fg, c.if_params[i], c.params[i]);
        branch_to(fg, &c);
    }
    fg->control.len--;
    fg->stack.len = c.stack_height;
    LLVMPositionBuilderAtEnd(cg->b, c.branch_target);
    if (c.reachable_end) {
        for (uint32_t i = 0; i < c.nresults; i++)
            wa_fg_push(fg, c.phis[i], c.results[i]);
    } else {
        /* Nothing branches here: the code after the block is dead too. */
        for (uint32_t i = 0; i < c.nresults; i++)
            LLVMInstructionEraseFromParent(c.phis[i]);
        LLVMBuildUnreachable(cg->b);
        mark_unreachable(fg);
    }
}

static void lower_br_if(WaFuncGen *fg, uint32_t depth) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef cond = wa_fg_pop(fg);
    LLVMValueRef is_true =
        LLVMBuildICmp(cg->b, LLVMIntNE, cond, LLVMConstInt(cg->t_i32, 0, false), "");
    WaControl *target = label_frame(fg, depth);
    LLVMBasicBlockRef cont = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "br_if_cont");
    if (target->op == WA_OP_END) {
        LLVMBasicBlockRef ret = LLVMAppendBasicBlockInContext(cg->llvm, fg->fn, "br_if_ret");
        LLVMBuildCondBr(cg->b, is_true, ret, cont);
        LLVMPositionBuilderAtEnd(cg->b, ret);
        build_return(fg);
    } else {
        uint32_t n;
        LLVMValueRef *phis = branch_phis(target, &n);
        add_incoming(fg, phis, n);
        LLVMBuildCondBr(cg->b, is_true, target->branch_target, cont);
        target->reachable_end = true;
    }
    LLVMPositionBuilderAtEnd(cg->b, cont);
}

/*
 * The block a br_table label jumps to, adding the phi edge for it. Labels
 * that return share one return block, created on first use in *ret_block.
 */
static LLVMBasicBlockRef label_dest(WaFuncGen *fg, uint32_t label, LLVMBasicBlockRef *ret_block) {
    WaControl *t = label_frame(fg, label);
    if (t->op == WA_OP_END) {
        if (*ret_block == NULL)
            *ret_block = LLVMAppendBasicBlockInContext(fg->cg->llvm, fg->fn, "br_table_ret");
        return *ret_block;
    }
    uint32_t n;
    LLVMValueRef *phis = branch_phis(t, &n);
    add_incoming(fg, phis, n);
    t->reachable_end = true;
    return t->branch_target;
}

static void lower_br_table(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef index = wa_fg_pop(fg);
    LLVMBasicBlockRef ret_block = NULL;
    LLVMBasicBlockRef default_dest = label_dest(fg, in->imm.br_table.default_label, &ret_block);
    LLVMValueRef sw = LLVMBuildSwitch(cg->b, index, default_dest, in->imm.br_table.count);
    for (uint32_t i = 0; i < in->imm.br_table.count; i++) {
        LLVMBasicBlockRef dest = label_dest(fg, in->imm.br_table.labels[i], &ret_block);
        LLVMAddCase(sw, LLVMConstInt(cg->t_i32, i, false), dest);
    }
    if (ret_block != NULL) {
        LLVMPositionBuilderAtEnd(cg->b, ret_block);
        build_return(fg);
    }
    mark_unreachable(fg);
}

void wa_fg_enter_block(WaFuncGen *fg, const WaBlockType *bt) {
    WaInstr in = {.op = WA_OP_BLOCK};
    in.imm.block = *bt;
    enter_block(fg, &in);
}

void wa_fg_end_block(WaFuncGen *fg) {
    lower_end(fg);
}

void wa_fg_branch_to(WaFuncGen *fg, WaControl *c) {
    branch_to(fg, c);
}

void wa_fg_mark_unreachable(WaFuncGen *fg) {
    mark_unreachable(fg);
}

void wa_fg_return(WaFuncGen *fg) {
    build_return(fg);
    mark_unreachable(fg);
}

bool wa_lower_control(WaFuncGen *fg, const WaInstr *in) {
    switch (in->op) {
    case WA_OP_UNREACHABLE:
        wa_fg_trap(fg, WA_RT_TRAP_UNREACHABLE);
        return true;
    case WA_OP_NOP:
        return true;
    case WA_OP_BLOCK:
    case WA_OP_LOOP:
    case WA_OP_IF:
        enter_block(fg, in);
        return true;
    case WA_OP_ELSE:
        lower_else(fg);
        return true;
    case WA_OP_END:
        lower_end(fg);
        return true;
    case WA_OP_BR:
        branch_to(fg, label_frame(fg, in->imm.index));
        mark_unreachable(fg);
        return true;
    case WA_OP_BR_IF:
        lower_br_if(fg, in->imm.index);
        return true;
    case WA_OP_BR_TABLE:
        lower_br_table(fg, in);
        return true;
    case WA_OP_RETURN:
        build_return(fg);
        mark_unreachable(fg);
        return true;
    default:
        WA_UNREACHABLE();
    }
}
