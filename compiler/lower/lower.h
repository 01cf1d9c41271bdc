/*
 * lower.h: lowering validated wasm function bodies to LLVM IR.
 *
 * Lowering builds into the module's WaCodegen (codegen/context.h: LLVM
 * context, module, builder, the types and declarations every function
 * shares); its own state is one WaFuncGen per function (its LLVM function,
 * locals, operand stack and control stack). Every lowering entry
 * point takes the function context first and is spelled the same way:
 *
 *     bool wa_lower_<class>(WaFuncGen *fg, const WaInstr *in);
 *
 * one per lowering class of opcodes.def (CLASS column), each in its own file:
 * control.c call.c variable.c (also drop/select) memory.c (loads, stores,
 * memory.size/grow) numeric.c (constants, unary, binary) compare.c convert.c
 * table.c (tables and references) bulk.c simd.c atomic.c (threads). trap.c holds the shared
 * trap blocks.
 *
 * The body was validated first, so handlers trust types and indices: the
 * operand stack holds exactly what the spec's typing says. After an
 * unconditional branch the rest of a block is unreachable; the driver loop
 * skips it (only nesting is tracked), so handlers never see dead code.
 *
 * Wasm values are LLVM values: i32 -> i32, i64 -> i64, f32 -> float,
 * f64 -> double, v128 -> <2 x i64>, funcref/externref -> ptr.
 */
#ifndef WA_LOWER_LOWER_H
#define WA_LOWER_LOWER_H

#include "../../runtime/wa_rt.h"
#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/vec.h"
#include "../codegen/context.h"
#include "../wasm/instr.h"
#include "../wasm/module.h"

#include <llvm-c/Core.h>
#include <stdbool.h>

/* An operand stack entry. */
typedef struct WaStackValue {
    LLVMValueRef value;
    WaValType type;
} WaStackValue;

/* A control frame (spec 3.3.5): block, loop, if, or the function body. */
typedef struct WaControl {
    WaOpcode op; /* WA_OP_BLOCK, WA_OP_LOOP, WA_OP_IF; WA_OP_END for the body */
    uint32_t nparams, nresults;
    const WaValType *params, *results;
    size_t stack_height;             /* operand stack height below the block's parameters */
    LLVMBasicBlockRef branch_target; /* loop: its header; others: the join block after it */
    LLVMValueRef *phis;              /* phis at branch_target: loop params or block results */
    LLVMBasicBlockRef else_block;    /* if without else seen yet: the false edge */
    LLVMValueRef *if_params;         /* if: the parameter values, for the else arm */
    bool reachable_end;              /* some edge reaches branch_target (blocks and ifs) */
    bool unreachable;                /* the rest of this block is dead (after br, return, ...) */
    /* Exception handling (exception.c): try (op WA_OP_TRY) and try_table frames only. */
    bool handler_active;         /* in the body: calls here unwind to this frame's landing pad */
    LLVMBasicBlockRef lpad;      /* the landing pad, made on first use, or NULL */
    LLVMBasicBlockRef dispatch;  /* matches a caught exception against the catch clauses */
    LLVMValueRef exn;            /* the exception being dispatched (a phi in dispatch) */
    LLVMValueRef exn_tag;        /* its tag, loaded in dispatch */
    LLVMBasicBlockRef next_test; /* legacy try: where the next catch's test goes; NULL after
                                    catch_all */
    LLVMValueRef caught;         /* in a legacy handler: the exception it holds */
    size_t outer;                /* 1 + index of the frame that handles what this one does not
                                    catch, 0 if the caller does */
} WaControl;

/* Per-function lowering state. */
typedef struct WaFuncGen {
    WaCodegen *cg;
    uint32_t func_index;
    const WaFunc *func;
    const WaFuncType *type;
    LLVMValueRef fn;
    LLVMValueRef ctx;        /* the instance pointer, first parameter */
    LLVMValueRef results;    /* a tailcc body's results pointer (several results), or NULL */
    unsigned first_param;    /* LLVM parameter index of wasm parameter 0 */
    LLVMBasicBlockRef entry; /* allocas and hoisted instance loads go here */
    LLVMValueRef *locals;    /* alloca per local (parameters first) */
    WaValType *local_types;
    uint32_t nlocals;
    WA_VEC(WaStackValue) stack;
    WA_VEC(WaControl) control;
    LLVMValueRef *global_ptrs;    /* per global: hoisted load of ctx->globals[i], or NULL */
    LLVMValueRef *memory_bases;   /* per memory: hoisted load of its base, or NULL */
    LLVMValueRef *memory_objects; /* per memory: hoisted load of its wa_rt_memory_t, or NULL */
    /* call.c, allocated on first use: per table its hoisted loads, per type its canonical id */
    struct WaHoistedTable *tables;
    LLVMValueRef *type_ids;
    LLVMMetadataRef tbaa[3];  /* memory.c: the access tags per WaTbaa, made on first use */
    size_t offset;            /* file offset of the instruction being lowered (its traps'), or 0 */
    LLVMMetadataRef di_scope; /* the function's DISubprogram (codegen/sites.h), or NULL */
    /* -g (debug_vars.c): per local, the slot that holds the native address its value is in
       linear memory, for the variables there, or NULL; NULL when no variable needs one. */
    LLVMValueRef *debug_addresses;
} WaFuncGen;

/* Returns the top results from the function (as `return`); the rest of the block is dead. */
void wa_fg_return(WaFuncGen *fg);

/* ---- Operand stack ---- */
void wa_fg_push(WaFuncGen *fg, LLVMValueRef value, WaValType type);
LLVMValueRef wa_fg_pop(WaFuncGen *fg);
WaStackValue wa_fg_pop_typed(WaFuncGen *fg);

/* ---- Types and helpers shared by the handlers ---- */

/*
 * The shape of the bulk and table instructions that the runtime implements:
 * calls runtime function `fn` with the instance, the immediates
 * imms[0..nimms) as i32 constants, then the top `noperands` operands (popped;
 * the deepest first), and returns its result.
 */
LLVMValueRef wa_fg_call_rt_op(WaFuncGen *fg, WaRtFn fn, const uint32_t *imms, unsigned nimms,
                              unsigned noperands);

/*
 * table64: an index or count of an i64 table as the u32 the runtime's table
 * entry points take, saturated: a value above 2^32-1 exceeds every table's
 * size (at most WA_RT_TABLE_LIMIT), so it traps or fails to grow exactly as
 * the i64 would. An i32 is returned as is.
 */
LLVMValueRef wa_fg_table_operand_u32(WaFuncGen *fg, LLVMValueRef v);

/* Loads field `field` (WA_RT_INSTANCE_*) of the instance, with the type its row gives. */
LLVMValueRef wa_fg_load_ctx_field(WaFuncGen *fg, unsigned field, const char *name);

/* Same, but emitted once in the entry block (for fields that never change, like mem0_base). */
LLVMValueRef wa_fg_load_ctx_field_hoisted(WaFuncGen *fg, unsigned field, const char *name);

/*
 * Every access to a wasm linear memory, scalar or SIMD, is built by these two
 * (memory.c): `type` bytes at `ptr` (from wa_fg_effective_address), alignment
 * 1, in a form the optimiser may not delete, so that an out-of-bounds access
 * faults on the guard pages even when its value or its bytes are never used.
 */
LLVMValueRef wa_fg_load_memory(WaFuncGen *fg, LLVMTypeRef type, LLVMValueRef ptr);
void wa_fg_store_memory(WaFuncGen *fg, LLVMValueRef value, LLVMValueRef ptr);

/*
 * The kinds of memory generated code touches that cannot overlap (memory.c
 * explains why), as type-based alias analysis tags.
 */
typedef enum WaTbaa {
    WA_TBAA_MEMORY,  /* wasm linear memory */
    WA_TBAA_GLOBAL,  /* the storage of wasm globals */
    WA_TBAA_RUNTIME, /* the runtime's objects: instance fields, tables, function references */
} WaTbaa;

/* Tags load or store `access` as touching only memory of kind `kind` (memory.c). */
void wa_fg_set_tbaa(WaFuncGen *fg, LLVMValueRef access, WaTbaa kind);

/* The wa_rt_memory_t of memory `index` (memory.c), loaded once per function. */
LLVMValueRef wa_fg_memory(WaFuncGen *fg, uint32_t index);

/*
 * -g (debug_vars.c): declares the function's source variables, in the entry
 * block, after its locals are made.
 */
void wa_debug_vars_begin(WaFuncGen *fg);

/* -g: local `index`, which has an address slot, becomes `value`: the slot follows. */
void wa_debug_vars_address_set(WaFuncGen *fg, uint32_t index, LLVMValueRef value);

/* Stores `value` into local `index` (variable.c), for -g's frame too. */
void wa_fg_set_local(WaFuncGen *fg, uint32_t index, LLVMValueRef value);

/* The base address of memory `index`'s bytes, loaded once in the entry block (memory.c). */
LLVMValueRef wa_fg_memory_base(WaFuncGen *fg, uint32_t index);

/* The current size in bytes (i64) of memory `index` (memory.c), loaded here. */
LLVMValueRef wa_fg_memory_size(WaFuncGen *fg, uint32_t index);

/*
 * The address a load or store of `bytes` bytes with memarg `ma` accesses for
 * the address operand `index` (memory.c): for an i32 memory base +
 * zext(index) + offset, inside the memory's guarded reservation, so it needs
 * no bounds check; for an i64 memory (memory64) base + index + offset after
 * one explicit compare that traps when it is out of bounds. Used by simd.c.
 */
LLVMValueRef wa_fg_effective_address(WaFuncGen *fg, const WaMemArg *ma, LLVMValueRef index,
                                     uint64_t bytes);

/*
 * Traps "call stack exhausted" here if the stack pointer is below the
 * instance's stack limit: the check a function that calls host code makes
 * at entry (lower.c), made instead just before a throw (exception.c), so
 * that only the throwing path pays for it.
 */
void wa_fg_stack_check(WaFuncGen *fg);

/* Branches to the function's shared trap block for `kind` if cond (an i1) is true. */
void wa_fg_trap_if(WaFuncGen *fg, LLVMValueRef cond, wa_rt_trap_t kind);

/* Traps unconditionally; the rest of the current block becomes unreachable. */
void wa_fg_trap(WaFuncGen *fg, wa_rt_trap_t kind);

/*
 * A call that wasm exceptions may unwind through (exception.c): an LLVM
 * invoke whose unwind edge goes to the landing pad of the innermost try or
 * try_table whose body holds it, when `catchable` and there is one, leaving
 * the builder in the normal continuation; otherwise a plain call. Returns
 * the call or invoke.
 */
LLVMValueRef wa_fg_build_call(WaFuncGen *fg, LLVMTypeRef type, LLVMValueRef fn, LLVMValueRef *args,
                              unsigned nargs, bool catchable);

/* control.c, for exception.c: enter a block with block type `bt` (as `block`), end the
   innermost frame (as `end`), branch to frame c with the top values, mark the rest dead. */
void wa_fg_enter_block(WaFuncGen *fg, const WaBlockType *bt);
void wa_fg_end_block(WaFuncGen *fg);
void wa_fg_branch_to(WaFuncGen *fg, WaControl *c);
void wa_fg_mark_unreachable(WaFuncGen *fg);

/*
 * Whether module m uses exception handling (exception.c): it has tags or a
 * body has an exception instruction (a try_table with catch_all only may
 * catch what its imports throw). Such a module gets unwind tables.
 */
bool wa_lower_uses_exceptions(const WaModule *m, WaArena *scratch);

/* exception.c, for control.c: the end of a try or try_table frame, before its join. */
void wa_fg_try_end(WaFuncGen *fg, WaControl *c);

/* ---- Per-class lowering handlers (see the file comment) ---- */
bool wa_lower_control(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_call(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_parametric(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_variable(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_table(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_ref(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_load(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_store(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_memory(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_bulk(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_const(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_unary(WaFuncGen *fg, const WaInstr *in);
/* With cg->canonical_nans: replaces a NaN on top of the stack, just pushed by op, by the
   canonical NaN (nan.c). */
void wa_lower_canonical_nan(WaFuncGen *fg, WaOpcode op);
bool wa_lower_binary(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_compare(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_convert(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_simd(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_atomic(WaFuncGen *fg, const WaInstr *in);
bool wa_lower_exception(WaFuncGen *fg, const WaInstr *in);

/*
 * Starts lowering into `fn`, a function whose first parameter is the
 * instance: creates its entry block and positions the builder after it.
 * wa_lower_function uses it; so does the module initialiser (codegen/).
 */
void wa_fg_begin(WaFuncGen *fg, WaCodegen *cg, LLVMValueRef fn);

/* Frees what wa_fg_begin and lowering allocated on the heap. */
void wa_fg_finish(WaFuncGen *fg);

/* Lowers a constant expression at the builder's position; its value is *out. */
bool wa_fg_lower_const_expr(WaFuncGen *fg, const WaConstExpr *e, WaStackValue *out);

/* Lowers the body of defined function `func_index` into cg->funcs[func_index]. */
bool wa_lower_function(WaCodegen *cg, uint32_t func_index);

/*
 * Per table of m, whether no code can change it (call.c explains), in an
 * array allocated in `arena`.
 */
const bool *wa_lower_fixed_tables(const WaModule *m, WaArena *arena);

#endif
