/*
 * lower.c: lowers one validated function body to LLVM IR.
 *
 * The function gets an entry block holding the locals' allocas and the loads
 * of instance fields that never change (hoisted there once, so that values
 * such as the memory base stay in registers across loops), then the body.
 * Instructions are read one at a time and dispatched on their lowering class
 * (the CLASS column of opcodes.def). Code after an unconditional branch is
 * dead: only its block nesting is followed, until the `else` or `end` that
 * makes code reachable again.
 *
 * Stack exhaustion is caught by the guard region under the wasm part of the
 * native stack (runtime/stack.c), not by code here; only functions that can
 * call host code start with a check of their frame against ctx->stack_limit,
 * so that host code always has room (see needs_stack_check).
 */
#include "lower.h"

#include "../base/check.h"
#include "../codegen/limits.h"
#include "../codegen/sites.h"

#include <string.h>

void wa_fg_push(WaFuncGen *fg, LLVMValueRef value, WaValType type) {
    WaStackValue sv = {value, type};
    wa_vec_push(&fg->stack, sv);
}

WaStackValue wa_fg_pop_typed(WaFuncGen *fg) {
    WA_CHECK(fg->stack.len > 0);
    return wa_vec_pop(&fg->stack);
}

LLVMValueRef wa_fg_pop(WaFuncGen *fg) {
    return wa_fg_pop_typed(fg).value;
}

LLVMValueRef wa_fg_call_rt_op(WaFuncGen *fg, WaRtFn fn, const uint32_t *imms, unsigned nimms,
                              unsigned noperands) {
    LLVMValueRef args[8];
    WA_CHECK(1 + nimms + noperands <= 8);
    args[0] = fg->ctx;
    for (unsigned i = 0; i < nimms; i++)
        args[1 + i] = LLVMConstInt(fg->cg->t_i32, imms[i], false);
    for (unsigned i = noperands; i > 0; i--)
        args[nimms + i] = wa_fg_pop(fg);
    return wa_codegen_rt_call(fg->cg, fn, args, 1 + nimms + noperands, "");
}

/* Address of field `field` of the instance. */
static LLVMValueRef ctx_field_ptr(WaFuncGen *fg, LLVMBuilderRef b, unsigned field) {
    WaCodegen *cg = fg->cg;
    uint64_t offset = wa_codegen_rt_offset(cg, WA_RT_STRUCT_INSTANCE, field);
    LLVMValueRef off = LLVMConstInt(cg->t_i64, offset, false);
    return LLVMBuildGEP2(b, cg->t_i8, fg->ctx, &off, 1, "");
}

LLVMValueRef wa_fg_load_ctx_field(WaFuncGen *fg, unsigned field, const char *name) {
    LLVMTypeRef type = wa_codegen_rt_field_type(fg->cg, WA_RT_STRUCT_INSTANCE, field);
    return LLVMBuildLoad2(fg->cg->b, type, ctx_field_ptr(fg, fg->cg->b, field), name);
}

LLVMValueRef wa_fg_load_ctx_field_hoisted(WaFuncGen *fg, unsigned field, const char *name) {
    /* Insert before the entry block's terminator, which always exists. */
    LLVMBuilderRef b = LLVMCreateBuilderInContext(fg->cg->llvm);
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(fg->entry));
    LLVMTypeRef type = wa_codegen_rt_field_type(fg->cg, WA_RT_STRUCT_INSTANCE, field);
    LLVMValueRef v = LLVMBuildLoad2(b, type, ctx_field_ptr(fg, b, field), name);
    /* The instance's layout fields never change while code runs. */
    LLVMContextRef llvm = fg->cg->llvm;
    LLVMSetMetadata(v, LLVMGetMDKindIDInContext(llvm, "invariant.load", 14),
                    LLVMMetadataAsValue(llvm, LLVMMDNodeInContext2(llvm, NULL, 0)));
    LLVMDisposeBuilder(b);
    return v;
}

/* Locals live in allocas that SROA/mem2reg turn into SSA values; init_locals gives them values. */
static void create_locals(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    const WaFuncType *ft = fg->type;
    fg->nlocals = ft->nparams + fg->func->nlocals;
    fg->locals = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, fg->nlocals);
    fg->local_types = WA_NEW_ARRAY(&cg->scratch, WaValType, fg->nlocals);
    uint32_t i = 0;
    for (; i < ft->nparams; i++)
        fg->local_types[i] = ft->params[i];
    for (uint32_t r = 0; r < fg->func->nlocal_runs; r++)
        for (uint32_t k = 0; k < fg->func->local_runs[r].count; k++)
            fg->local_types[i++] = fg->func->local_runs[r].type;
    for (i = 0; i < fg->nlocals; i++)
        fg->locals[i] = LLVMBuildAlloca(cg->b, wa_cg_type(cg, fg->local_types[i]), "");
}

/*
 * Stores the parameters and zeros (spec 4.4.10: non-parameter locals start
 * at zero) into the locals, at the insertion point: the start of the block
 * the body's first instructions go in, after the stack check. Not in the
 * entry block, for compile time: a local stored in one block and read and
 * written in another makes mem2reg (and SROA) scan that block from its start
 * for the local's first access, once per local, which is quadratic in a long
 * block with many locals (50,000 locals took 22 s at -O2). A local used only
 * in the block holding its initial store is promoted in linear time. The
 * block runs once: a wasm loop always starts a block of its own.
 */
static void init_locals(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    for (uint32_t i = 0; i < fg->nlocals; i++) {
        LLVMValueRef init = i < fg->type->nparams
                                ? LLVMGetParam(fg->fn, i + fg->first_param)
                                : LLVMConstNull(wa_cg_type(cg, fg->local_types[i]));
        LLVMBuildStore(cg->b, init, fg->locals[i]); /* -g's address slots have it already */
    }
}

/* A reader over code[0, size) whose offsets are file offsets. */
static WaReader code_reader(WaCodegen *cg, const uint8_t *code, size_t size) {
    return wa_module_reader(cg->m, code, size, cg->d);
}

/*
 * Does this function need the prologue stack check? Wasm code itself does
 * not: running out of stack faults in the guard under the part of the stack
 * wasm may use, which the runtime reports as "call stack exhausted" (the
 * spec's appendix on implementation limitations lets an implementation bound
 * the call stack's depth and trap when a call exceeds it; the spec suite's
 * assert_exhaustion expects exactly that trap).
 * That holds for frames of any size, because generated functions probe each
 * page of a frame larger than 4 KiB (codegen.c) and the guard is larger
 * than that.
 *
 * Host code is different: a fault in the guard while the C library runs
 * (holding a lock, binding a symbol lazily) cannot be unwound safely, so a
 * function that can call host code first checks that its frame is above
 * ctx->stack_limit, which leaves WA_RT_STACK_MARGIN (256 KiB) of stack
 * between that call and the guard, and traps "call stack exhausted" there
 * otherwise. Host code is reached through an imported function, through
 * call_indirect (a table may hold a host function), and through the runtime
 * helpers that call libc: memory.grow (mprotect), wait and notify (locks), and, by class, the table
 * and bulk operations (memcpy, realloc), except memory.copy and memory.fill,
 * which are inlined (bulk.c), and data.drop, a plain store. wa_rt_trap_site only
 * unwinds (runtime/stack.c says why it is safe), so trap blocks need no
 * check.
 */
static bool reaches_host(const WaCodegen *cg, const WaInstr *in) {
    switch (wa_op_class[in->op]) {
    case WA_CLASS_CALL:
        return in->op == WA_OP_CALL_INDIRECT || in->op == WA_OP_RETURN_CALL_INDIRECT ||
               cg->m->funcs[in->imm.index].imported;
    case WA_CLASS_TABLE:
        return true;
    case WA_CLASS_BULK:
        return in->op != WA_OP_MEMORY_COPY && in->op != WA_OP_MEMORY_FILL &&
               in->op != WA_OP_DATA_DROP;
    case WA_CLASS_ATOMIC:
        /* The parking lot (runtime/wait.c) takes locks and sleeps. */
        return in->op == WA_OP_MEMORY_ATOMIC_WAIT32 || in->op == WA_OP_MEMORY_ATOMIC_WAIT64 ||
               in->op == WA_OP_MEMORY_ATOMIC_NOTIFY;
    default:
        return in->op == WA_OP_MEMORY_GROW;
    }
}

static bool needs_stack_check(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    WaReader r = code_reader(cg, fg->func->code, fg->func->code_size);
    while (!wa_reader_at_end(&r)) {
        WaInstr in;
        if (!wa_instr_read(&r, &cg->scratch, &in))
            return true; /* cannot happen after validation; checking is the safe side */
        if (reaches_host(cg, &in))
            return true;
    }
    return false;
}

/*
 * The current stack pointer. On x86-64 and AArch64 it is read directly
 * (llvm.read_register), which unlike llvm.frameaddress does not force the
 * function to set up a frame pointer.
 */
static LLVMValueRef stack_pointer(WaCodegen *cg) {
    const char *triple = LLVMGetTarget(cg->mod);
    const char *reg = NULL;
    if (strncmp(triple, "x86_64", 6) == 0)
        reg = "rsp";
    else if (strncmp(triple, "aarch64", 7) == 0)
        reg = "sp";
    if (reg == NULL) {
        LLVMTypeRef overload = cg->t_ptr;
        LLVMValueRef zero = LLVMConstInt(cg->t_i32, 0, false);
        LLVMValueRef frame = wa_cg_call_intrinsic(cg, "llvm.frameaddress", &overload, 1, &zero, 1);
        return LLVMBuildPtrToInt(cg->b, frame, cg->t_i64, "sp");
    }
    LLVMMetadataRef name = LLVMMDStringInContext2(cg->llvm, reg, strlen(reg));
    LLVMValueRef arg = LLVMMetadataAsValue(cg->llvm, LLVMMDNodeInContext2(cg->llvm, &name, 1));
    return wa_cg_call_intrinsic(cg, "llvm.read_register", &cg->t_i64, 1, &arg, 1);
}

static void emit_stack_check(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef sp = stack_pointer(cg);
    /* Hoisted and invariant: the limit does not change while wasm code runs. */
    LLVMValueRef limit =
        wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_STACK_LIMIT, "stack_limit");
    wa_fg_trap_if(fg, LLVMBuildICmp(cg->b, LLVMIntULT, sp, limit, "stack_low"),
                  WA_RT_TRAP_STACK_EXHAUSTED);
}

void wa_fg_stack_check(WaFuncGen *fg) {
    emit_stack_check(fg);
}

/*
 * With --fuel or --timeout: marks the function for the checks that
 * codegen/limits_llvm.cpp inserts into the optimised code, with its index
 * for the trap message.
 */
static void mark_for_limits(WaFuncGen *fg) {
    WaCodegen *cg = fg->cg;
    LLVMMetadataRef index = LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, fg->func_index, false));
    LLVMGlobalSetMetadata(fg->fn,
                          LLVMGetMDKindIDInContext(cg->llvm, WA_MD_LIMITS, strlen(WA_MD_LIMITS)),
                          LLVMMDNodeInContext2(cg->llvm, &index, 1));
}

typedef bool (*LowerFn)(WaFuncGen *fg, const WaInstr *in);

/* Lowering handler per class, indexed by WaOpClass. */
static const LowerFn lower_by_class[] = {
    [WA_CLASS_CONTROL] = wa_lower_control,
    [WA_CLASS_CALL] = wa_lower_call,
    [WA_CLASS_PARAMETRIC] = wa_lower_parametric,
    [WA_CLASS_VARIABLE] = wa_lower_variable,
    [WA_CLASS_TABLE] = wa_lower_table,
    [WA_CLASS_REF] = wa_lower_ref,
    [WA_CLASS_LOAD] = wa_lower_load,
    [WA_CLASS_STORE] = wa_lower_store,
    [WA_CLASS_MEMORY] = wa_lower_memory,
    [WA_CLASS_BULK] = wa_lower_bulk,
    [WA_CLASS_CONST] = wa_lower_const,
    [WA_CLASS_UNARY] = wa_lower_unary,
    [WA_CLASS_BINARY] = wa_lower_binary,
    [WA_CLASS_COMPARE] = wa_lower_compare,
    [WA_CLASS_CONVERT] = wa_lower_convert,
    [WA_CLASS_SIMD] = wa_lower_simd,
    [WA_CLASS_ATOMIC] = wa_lower_atomic,
    [WA_CLASS_EXCEPTION] = wa_lower_exception,
};

/*
 * In dead code, tracks nesting (the NEST column) so that the `else` or `end`
 * of the dead block's own frame still reaches the control handler. Returns
 * whether the instruction must be lowered.
 */
static bool live_or_frame_boundary(WaFuncGen *fg, const WaInstr *in, uint32_t *dead_depth) {
    if (!wa_vec_last(&fg->control).unreachable)
        return true;
    switch ((WaNesting)wa_op_nest[in->op]) {
    case WA_NEST_OPEN:
    case WA_NEST_OPEN_ARMS:
        (*dead_depth)++;
        return false;
    case WA_NEST_ELSE:
    case WA_NEST_CATCH:
        return *dead_depth == 0;
    case WA_NEST_CLOSE:
        if (*dead_depth == 0)
            return true;
        (*dead_depth)--;
        return false;
    case WA_NEST__:
        return false;
    }
    WA_UNREACHABLE();
}

/* Lowers instructions from r until the outermost frame's `end`. */
static bool lower_instructions(WaFuncGen *fg, WaReader *r) {
    WaCodegen *cg = fg->cg;
    uint32_t dead_depth = 0;
    while (fg->control.len > 0) {
        WaInstr in;
        WA_TRY(wa_instr_read(r, &cg->scratch, &in));
        if (!live_or_frame_boundary(fg, &in, &dead_depth))
            continue;
        LowerFn lower = lower_by_class[wa_op_class[in.op]];
        fg->offset = in.offset;
        if (fg->di_scope != NULL)
            LLVMSetCurrentDebugLocation2(
                cg->b, wa_sites_location(cg, fg->di_scope, in.offset, wa_sites_is_site(in.op)));
        WA_TRY(lower(fg, &in));
        if (cg->canonical_nans && wa_op_makes_nan(in.op))
            wa_lower_canonical_nan(fg, in.op);
    }
    return true;
}

void wa_fg_begin(WaFuncGen *fg, WaCodegen *cg, LLVMValueRef fn) {
    memset(fg, 0, sizeof *fg);
    fg->cg = cg;
    fg->fn = fn;
    fg->ctx = LLVMGetParam(fn, 0);
    fg->first_param = 1;
    fg->global_ptrs = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, cg->m->nglobals);
    fg->memory_bases = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, cg->m->nmemories);
    fg->memory_objects = WA_NEW_ARRAY(&cg->scratch, LLVMValueRef, cg->m->nmemories);
    fg->entry = LLVMAppendBasicBlockInContext(cg->llvm, fn, "entry");
    LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(cg->llvm, fn, "body");
    LLVMPositionBuilderAtEnd(cg->b, fg->entry);
    LLVMBuildBr(cg->b, body);
    LLVMPositionBuilderAtEnd(cg->b, body);
}

void wa_fg_finish(WaFuncGen *fg) {
    wa_vec_free(&fg->stack);
    wa_vec_free(&fg->control);
}

bool wa_fg_lower_const_expr(WaFuncGen *fg, const WaConstExpr *e, WaStackValue *out) {
    WaCodegen *cg = fg->cg;
    /* A constant expression is a block of type [] -> [t] that cannot branch. */
    WaControl frame = {.op = WA_OP_BLOCK, .stack_height = fg->stack.len};
    wa_vec_push(&fg->control, frame);
    WaReader r = code_reader(cg, e->code, e->size);
    uint32_t dead_depth = 0;
    for (;;) {
        WaInstr in;
        WA_TRY(wa_instr_read(&r, &cg->scratch, &in));
        if (wa_op_nest[in.op] == WA_NEST_CLOSE)
            break;
        if (!live_or_frame_boundary(fg, &in, &dead_depth))
            continue;
        WA_TRY(lower_by_class[wa_op_class[in.op]](fg, &in));
    }
    fg->control.len--;
    WA_CHECK(fg->stack.len == frame.stack_height + 1);
    *out = wa_fg_pop_typed(fg);
    return true;
}

bool wa_lower_function(WaCodegen *cg, uint32_t func_index) {
    WaFuncGen fg_storage;
    WaFuncGen *fg = &fg_storage;
    LLVMValueRef tail_body = wa_codegen_tail_func(cg, func_index);
    bool tail = tail_body != NULL;
    wa_fg_begin(fg, cg, tail ? tail_body : wa_codegen_func(cg, func_index));
    fg->func_index = func_index;
    fg->func = &cg->m->funcs[func_index];
    fg->type = wa_module_func_type(cg->m, func_index);
    if (tail && wa_codegen_tail_results_by_pointer(fg->type)) {
        fg->results = LLVMGetParam(fg->fn, 1);
        fg->first_param = 2;
    }

    /* The prologue's one site, the stack check, is at the body's first instruction. */
    fg->offset = fg->func->code_offset;
    if (cg->dib != NULL) {
        fg->di_scope = wa_sites_function(cg, fg->fn, func_index);
        LLVMSetCurrentDebugLocation2(
            cg->b, wa_sites_location(cg, fg->di_scope, fg->func->code_offset, true));
    }
    /* Locals go in the entry block, before its branch to the body. */
    LLVMBasicBlockRef body = LLVMGetInsertBlock(cg->b);
    LLVMPositionBuilderBefore(cg->b, LLVMGetBasicBlockTerminator(fg->entry));
    create_locals(fg);
    wa_debug_vars_begin(fg);
    LLVMPositionBuilderAtEnd(cg->b, body);
    if (needs_stack_check(fg))
        emit_stack_check(fg);
    init_locals(fg);
    if (cg->fuel || cg->timeout)
        mark_for_limits(fg);

    /* The body is a block whose branch target is the function's return. */
    WaControl frame = {
        .op = WA_OP_END,
        .nresults = fg->type->nresults,
        .results = fg->type->results,
    };
    wa_vec_push(&fg->control, frame);

    WaReader r = code_reader(cg, fg->func->code, fg->func->code_size);
    bool ok = lower_instructions(fg, &r);
    /* The failure tests of the parallel compile need one (driver.c, --test-fail-func). */
    if (ok && cg->test_fail_func != 0 && func_index + 1 >= cg->test_fail_func)
        ok = wa_diag_error_no_offset(cg->d, "internal error: failure injected for testing");
    if (!ok)
        wa_diag_set_func(cg->d, func_index, fg->func->name);
    /* What is built next (another function, the initialiser) has locations of its own or none. */
    LLVMSetCurrentDebugLocation2(cg->b, NULL);
    wa_fg_finish(fg);
    wa_arena_reset(&cg->scratch);
    return ok;
}
