/*
 * memory.c: loads, stores, memory.size and memory.grow (spec 4.4.7).
 *
 * A memory's base never moves (the runtime reserves its whole 8 GiB range up
 * front), so it is loaded once per function in the entry block and stays in
 * a register, for every memory the function uses (multi-memory: each has its
 * own reservation). For an i32 memory the effective address base +
 * zext(index) + offset always lies inside that reservation, so accesses need
 * no bounds check: one beyond the current size hits an inaccessible page and
 * the runtime's fault handler turns it into "out of bounds memory access".
 * An i64 memory (memory64) gets one explicit compare per access first
 * (check_memory64), after which the same holds. Wasm alignment is only a hint,
 * so accesses are emitted with alignment 1 (free on x86-64).
 *
 * Every access is volatile, and that is what makes the guard pages a sound
 * bounds check. In wasm a load or store whose effective address + size
 * exceeds the memory's size traps (spec 4.4.7, "if ea + N/8 > |mem.data|,
 * trap"): the trap is the access's effect, whether or not the loaded value
 * is ever used or the stored bytes are ever read. LLVM sees a plain access
 * to an invalid address as undefined behaviour, so it may delete a load
 * whose value is dead (after a drop, a local that is never read, a br that
 * discards its operands, i32.and with 0, a select on a constant, an inlined
 * callee that ignores its parameter, a replaced SIMD lane...: any value may
 * become dead after folding, so no rule decided before optimising can pick
 * out the loads that need keeping), delete a store that a later store
 * overwrites, and reorder accesses to different addresses, so an
 * out-of-bounds access would run on, or fault after effects that the spec
 * says never happen. Volatile accesses are never deleted, duplicated,
 * merged or reordered among themselves (LLVM LangRef, "Volatile Memory
 * Accesses"), so each wasm access touches its bytes once, in program order,
 * and faults exactly where the wasm program says. They still lower to one
 * mov (or a folded memory operand), the address arithmetic around them is
 * optimised as before. What they give up (merging repeated loads,
 * store-to-load forwarding, LICM and vectorisation of the accesses) matters
 * in loops, and there codegen/bounds_versioning.cpp wins it back: a loop
 * whose accesses are proved in bounds before it starts runs as a copy with
 * ordinary accesses, which cannot trap, so nothing observable is lost when
 * LLVM deletes, merges or reorders them (marked WA_MD_MEMORY_ACCESS for
 * it); the volatile loop runs when the proof fails.
 * What volatility does not order: LangRef lets LLVM assume that execution
 * continues after a volatile load (not after a volatile store), so a
 * non-volatile store (global.set, a table write) may be hoisted above a load
 * that faults; only an embedder reading globals after a trap could see that.
 *
 * Type-based alias analysis tags (wa_fg_set_tbaa) tell LLVM that a wasm
 * memory access never touches a global's storage or the runtime's objects
 * (instance fields, tables, function references), so that a global.get or a
 * table's size need not be reloaded after each store to linear memory. That
 * is true by construction: a linear memory is its own mmap reservation
 * (runtime/memory.c), which holds nothing but the memory's bytes, and a
 * wasm access can only form addresses inside it (base + u32 index + u32
 * offset lies within the 8 GiB reservation; the guard pages past the size
 * fault). Globals live in malloc'd instances or in host storage, which
 * wa_rt.h requires to lie outside every linear memory; the runtime's objects
 * are malloc'd. The three kinds are siblings under one root, so each kind
 * may alias itself (all memory accesses are volatile anyway) and nothing
 * else; an untagged access still may alias anything. The tags are only for
 * loads and for memory accesses: global.set and table writes stay untagged,
 * so LLVM never moves those stores across a wasm memory access, which may
 * trap (the spec leaves every effect before a trap visible and none after,
 * and an embedder can read globals after a trap).
 */
#include "lower.h"

#include "../codegen/optimize.h"

#include <string.h>

void wa_fg_set_tbaa(WaFuncGen *fg, LLVMValueRef access, WaTbaa kind) {
    LLVMContextRef llvm = fg->cg->llvm;
    if (fg->tbaa[kind] == NULL) {
        static const char *const names[] = {
            [WA_TBAA_MEMORY] = "wasm linear memory",
            [WA_TBAA_GLOBAL] = "wasm global",
            [WA_TBAA_RUNTIME] = "wasmaot runtime object",
        };
        /* Struct-path TBAA: root !{"name"}, type !{"name", root, 0}, tag !{type, type, 0}. */
        LLVMMetadataRef root_name = LLVMMDStringInContext2(llvm, "wasmaot TBAA", 12);
        LLVMMetadataRef root = LLVMMDNodeInContext2(llvm, &root_name, 1);
        LLVMMetadataRef zero =
            LLVMValueAsMetadata(LLVMConstInt(LLVMInt64TypeInContext(llvm), 0, false));
        LLVMMetadataRef type_ops[3] = {
            LLVMMDStringInContext2(llvm, names[kind], strlen(names[kind])), root, zero};
        LLVMMetadataRef type = LLVMMDNodeInContext2(llvm, type_ops, 3);
        LLVMMetadataRef tag_ops[3] = {type, type, zero};
        fg->tbaa[kind] = LLVMMDNodeInContext2(llvm, tag_ops, 3);
    }
    LLVMSetMetadata(access, LLVMGetMDKindIDInContext(llvm, "tbaa", 4),
                    LLVMMetadataAsValue(llvm, fg->tbaa[kind]));
}

/* Marks `v` for the bounds versioning pass (codegen/optimize.h). */
static void mark(WaFuncGen *fg, LLVMValueRef v, const char *kind) {
    LLVMContextRef llvm = fg->cg->llvm;
    LLVMSetMetadata(v, LLVMGetMDKindIDInContext(llvm, kind, (unsigned)strlen(kind)),
                    LLVMMetadataAsValue(llvm, LLVMMDNodeInContext2(llvm, NULL, 0)));
}

/* Marks a load emitted in the entry block as reading a field that never changes while code runs. */
static void mark_invariant(WaFuncGen *fg, LLVMValueRef load) {
    LLVMContextRef llvm = fg->cg->llvm;
    LLVMSetMetadata(load, LLVMGetMDKindIDInContext(llvm, "invariant.load", 14),
                    LLVMMetadataAsValue(llvm, LLVMMDNodeInContext2(llvm, NULL, 0)));
}

/*
 * The wa_rt_memory_t of memory `index`, loaded once per function in the entry
 * block: instance->memories and what it points to never change once the
 * instance is made (memory 0 has its own instance field).
 */
static LLVMValueRef memory_object(WaFuncGen *fg, uint32_t index) {
    WaCodegen *cg = fg->cg;
    if (index == 0)
        return wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_MEM0, "mem0");
    if (fg->memory_objects[index] != NULL)
        return fg->memory_objects[index];
    LLVMValueRef mems = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_MEMORIES, "memories");
    LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->llvm);
    LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(fg->entry));
    LLVMValueRef idx = LLVMConstInt(cg->t_i64, index, false);
    LLVMValueRef mem =
        LLVMBuildLoad2(b, cg->t_ptr, LLVMBuildGEP2(b, cg->t_ptr, mems, &idx, 1, ""), "mem");
    mark_invariant(fg, mem);
    LLVMDisposeBuilder(b);
    fg->memory_objects[index] = mem;
    return mem;
}

/*
 * The base address of memory `index`, loaded once per function in the entry
 * block, so every memory a function uses keeps its base in a register (or a
 * spill slot under pressure) as memory 0 does. Memory 0's comes from the
 * instance's mem0_base field (for an i32 or an i64 memory alike), which
 * codegen/bounds_versioning.cpp recognises.
 */
LLVMValueRef wa_fg_memory_base(WaFuncGen *fg, uint32_t index) {
    WaCodegen *cg = fg->cg;
    if (fg->memory_bases[index] != NULL)
        return fg->memory_bases[index];
    LLVMValueRef base;
    if (index == 0) {
        base = wa_fg_load_ctx_field_hoisted(fg, WA_RT_INSTANCE_MEM0_BASE, "mem0_base");
    } else {
        LLVMValueRef mem = memory_object(fg, index);
        LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->llvm);
        LLVMPositionBuilderBefore(b, LLVMGetBasicBlockTerminator(fg->entry));
        LLVMValueRef base_ptr =
            wa_codegen_rt_field_ptr(cg, b, mem, WA_RT_STRUCT_MEMORY, WA_RT_MEMORY_BASE);
        base =
            LLVMBuildLoad2(b, wa_codegen_rt_field_type(cg, WA_RT_STRUCT_MEMORY, WA_RT_MEMORY_BASE),
                           base_ptr, "mem_base");
        mark_invariant(fg, base);
        LLVMDisposeBuilder(b);
    }
    fg->memory_bases[index] = base;
    return base;
}

LLVMValueRef wa_fg_memory(WaFuncGen *fg, uint32_t index) {
    return memory_object(fg, index);
}

LLVMValueRef wa_fg_memory_size(WaFuncGen *fg, uint32_t index) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef size = wa_codegen_rt_load(cg, memory_object(fg, index), WA_RT_STRUCT_MEMORY,
                                           WA_RT_MEMORY_SIZE, "mem_bytes");
    /* A runtime object, never a linear memory's bytes: wasm stores do not clobber it. */
    wa_fg_set_tbaa(fg, size, WA_TBAA_RUNTIME);
    return size;
}

/*
 * memory64 (the proposal's load/store rule: trap if ea + N > |mem.data|, ea
 * = i + offset computed without wrapping): an i64 address can be anywhere
 * in 2^64, so guard pages alone cannot catch it, and the access gets one
 * explicit compare with the memory's current byte size.
 *
 * When offset + N fits in the WA_RT_MEMORY64_GUARD bytes that stay reserved
 * past any size a memory64 memory can reach (runtime/memory.c grows it to
 * WA_RT_MAX_PAGES at most, in the same 8 GiB reservation as an i32 memory),
 * the compare is `i <u size` alone: then base + i + offset + N stays inside
 * the reservation, and the part beyond the size faults on its PROT_NONE
 * pages, which the fault handler turns into the same trap, exactly as for
 * i32 memories. The condition does not depend on the offset, so accesses to
 * a[i], a[i+1].. (the same i, other offsets) share one compare, which LLVM's
 * GVN removes when a dominating one covers it, and the size is a plain load
 * tagged as a runtime object: LLVM keeps it in a register across wasm
 * stores and reloads it only after calls (which may grow the memory).
 * A larger constant offset gets the full check, with a saturating add so
 * that i + offset + N cannot wrap past 2^64 (saturated, it exceeds any size).
 */
static void check_memory64(WaFuncGen *fg, const WaMemArg *ma, LLVMValueRef index, uint64_t bytes) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef size = wa_fg_memory_size(fg, ma->memory);
    LLVMValueRef out;
    if (ma->offset <= WA_RT_MEMORY64_GUARD - bytes) {
        out = LLVMBuildICmp(cg->b, LLVMIntUGE, index, size, "oob");
    } else {
        /* offset + N itself may exceed 2^64: saturate that too. */
        uint64_t tail = ma->offset > UINT64_MAX - bytes ? UINT64_MAX : ma->offset + bytes;
        LLVMValueRef args[2] = {index, LLVMConstInt(cg->t_i64, tail, false)};
        LLVMValueRef end = wa_cg_call_intrinsic(cg, "llvm.uadd.sat", &cg->t_i64, 1, args, 2);
        out = LLVMBuildICmp(cg->b, LLVMIntUGT, end, size, "oob");
    }
    wa_fg_trap_if(fg, out, WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
}

/*
 * base + zext(index) + offset for an i32 memory, as a pointer; for an i64
 * memory base + index + offset after check_memory64, which makes it lie
 * within the reservation.
 */
static LLVMValueRef effective_address(WaFuncGen *fg, const WaMemArg *ma, LLVMValueRef index,
                                      uint64_t bytes) {
    WaCodegen *cg = fg->cg;
    LLVMValueRef addr;
    if (wa_module_memory_is64(cg->m, ma->memory)) {
        check_memory64(fg, ma, index, bytes);
        addr = index;
    } else {
        addr = LLVMBuildZExt(cg->b, index, cg->t_i64, "");
    }
    if (ma->offset != 0)
        addr = LLVMBuildNUWAdd(cg->b, addr, LLVMConstInt(cg->t_i64, ma->offset, false), "");
    return LLVMBuildGEP2(cg->b, cg->t_i8, wa_fg_memory_base(fg, ma->memory), &addr, 1, "addr");
}

LLVMValueRef wa_fg_effective_address(WaFuncGen *fg, const WaMemArg *ma, LLVMValueRef index,
                                     uint64_t bytes) {
    return effective_address(fg, ma, index, bytes);
}

/* The integer type of an access of 2^log2 bytes. */
static LLVMTypeRef access_int_type(WaCodegen *cg, unsigned log2) {
    return LLVMIntTypeInContext(cg->llvm, 8u << log2);
}

LLVMValueRef wa_fg_load_memory(WaFuncGen *fg, LLVMTypeRef type, LLVMValueRef ptr) {
    LLVMValueRef v = LLVMBuildLoad2(fg->cg->b, type, ptr, "");
    LLVMSetAlignment(v, 1);
    LLVMSetVolatile(v, true); /* never deleted: see the opening comment */
    wa_fg_set_tbaa(fg, v, WA_TBAA_MEMORY);
    mark(fg, v, WA_MD_MEMORY_ACCESS);
    return v;
}

void wa_fg_store_memory(WaFuncGen *fg, LLVMValueRef value, LLVMValueRef ptr) {
    LLVMValueRef st = LLVMBuildStore(fg->cg->b, value, ptr);
    LLVMSetAlignment(st, 1);
    LLVMSetVolatile(st, true);
    wa_fg_set_tbaa(fg, st, WA_TBAA_MEMORY);
    mark(fg, st, WA_MD_MEMORY_ACCESS);
}

bool wa_lower_load(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    WaValType result = (WaValType)wa_op_sig[in->op][3];
    LLVMTypeRef result_type = wa_cg_type(cg, result);
    LLVMValueRef ptr =
        effective_address(fg, &in->imm.memarg, wa_fg_pop(fg), UINT64_C(1) << wa_op_memlog2[in->op]);
    WaAux ext = (WaAux)wa_op_aux[in->op];
    LLVMTypeRef mem_type =
        ext == WA_AUX_PLAIN ? result_type : access_int_type(cg, wa_op_memlog2[in->op]);
    LLVMValueRef v = wa_fg_load_memory(fg, mem_type, ptr);
    if (ext == WA_AUX_SEXT)
        v = LLVMBuildSExt(cg->b, v, result_type, "");
    else if (ext == WA_AUX_ZEXT)
        v = LLVMBuildZExt(cg->b, v, result_type, "");
    wa_fg_push(fg, v, result);
    return true;
}

bool wa_lower_store(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    WaStackValue value = wa_fg_pop_typed(fg);
    LLVMValueRef ptr =
        effective_address(fg, &in->imm.memarg, wa_fg_pop(fg), UINT64_C(1) << wa_op_memlog2[in->op]);
    LLVMValueRef v = value.value;
    unsigned bits = 8u << wa_op_memlog2[in->op];
    /* Narrow stores (i32.store8, i64.store32, ...) keep the low bits. */
    if ((value.type == WA_VT_I32 && bits < 32) || (value.type == WA_VT_I64 && bits < 64))
        v = LLVMBuildTrunc(cg->b, v, access_int_type(cg, wa_op_memlog2[in->op]), "");
    wa_fg_store_memory(fg, v, ptr);
    return true;
}

/*
 * memory.size and memory.grow: pages of the memory's address type (memory64:
 * i64). The runtime's grow takes and returns 64 bits: an i32 memory's delta
 * is zero-extended and its result (at most 65536, or -1) truncated.
 */
bool wa_lower_memory(WaFuncGen *fg, const WaInstr *in) {
    WaCodegen *cg = fg->cg;
    bool is64 = wa_module_memory_is64(cg->m, in->imm.index);
    WaValType at = is64 ? WA_VT_I64 : WA_VT_I32;
    if (in->op == WA_OP_MEMORY_SIZE) {
        LLVMValueRef bytes = wa_fg_memory_size(fg, in->imm.index);
        /*
         * Threads proposal: another thread may grow a shared memory, and
         * memory.size must see it; as an atomic load (a plain mov on x86-64)
         * it is not hoisted out of a loop that waits for the growth.
         */
        if (wa_module_memory_is_shared(cg->m, in->imm.index))
            LLVMSetOrdering(bytes, LLVMAtomicOrderingSequentiallyConsistent);
        LLVMValueRef pages = LLVMBuildLShr(cg->b, bytes, LLVMConstInt(cg->t_i64, 16, false), "");
        wa_fg_push(fg, is64 ? pages : LLVMBuildTrunc(cg->b, pages, cg->t_i32, "pages"), at);
        return true;
    }
    /* memory.grow */
    LLVMValueRef delta = wa_fg_pop(fg);
    if (!is64)
        delta = LLVMBuildZExt(cg->b, delta, cg->t_i64, "");
    LLVMValueRef args[2] = {wa_fg_memory(fg, in->imm.index), delta};
    LLVMValueRef old = wa_codegen_rt_call(cg, WA_RT_MEMORY_GROW, args, 2, "old_pages");
    wa_fg_push(fg, is64 ? old : LLVMBuildTrunc(cg->b, old, cg->t_i32, ""), at);
    return true;
}
