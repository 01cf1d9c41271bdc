/*
 * limits_llvm.cpp: inserts the --fuel and --timeout checks into optimised
 * code (limits.h explains where and why there).
 */
#include "limits.h"

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/PromoteMemToReg.h>

#include <utility>

using namespace llvm;

namespace {

/* The blocks that are targets of back edges: depth-first, an edge to a block still on the path. */
SmallVector<BasicBlock *, 8> cycle_heads(Function &f) {
    SmallVector<BasicBlock *, 8> heads;
    SmallPtrSet<BasicBlock *, 32> visited, on_path, seen_head;
    SmallVector<std::pair<BasicBlock *, succ_iterator>, 32> stack;
    BasicBlock *entry = &f.getEntryBlock();
    visited.insert(entry);
    on_path.insert(entry);
    stack.push_back({entry, succ_begin(entry)});
    while (!stack.empty()) {
        auto &[block, it] = stack.back();
        if (it == succ_end(block)) {
            on_path.erase(block);
            stack.pop_back();
            continue;
        }
        BasicBlock *next = *it++;
        if (on_path.count(next)) {
            if (seen_head.insert(next).second)
                heads.push_back(next);
        } else if (visited.insert(next).second) {
            on_path.insert(next);
            stack.push_back({next, succ_begin(next)});
        }
    }
    return heads;
}

uint64_t block_cost(const BasicBlock &b) {
    return b.size();
}

/* The fuel a check at `head` charges: its loop's own instructions, or the block's. */
uint64_t head_cost(BasicBlock *head, const LoopInfo &li) {
    const Loop *loop = li.getLoopFor(head);
    if (loop == nullptr || loop->getHeader() != head)
        return block_cost(*head); /* an irreducible cycle's entry */
    uint64_t cost = 0;
    for (const BasicBlock *b : loop->blocks())
        if (li.getLoopFor(b) == loop)
            cost += block_cost(*b);
    return cost;
}

/*
 * The first place in b a check can go: after PHIs, EH pads and (entry block)
 * allocas; NULL for a block that has none (a catchswitch holds only that).
 */
Instruction *check_point(BasicBlock &b) {
    BasicBlock::iterator it = b.getFirstInsertionPt();
    while (it != b.end() && isa<AllocaInst>(*it))
        ++it;
    return it == b.end() ? nullptr : &*it;
}

struct Instrumenter {
    const WaLimitsAbi &abi;
    Function &f;
    uint32_t func_index;
    BasicBlock *trap_blocks[2] = {nullptr, nullptr};
    AllocaInst *fuel_local = nullptr; /* the fuel while this function runs (see run) */

    BasicBlock *trap_block(unsigned which, uint32_t kind) {
        if (trap_blocks[which] != nullptr)
            return trap_blocks[which];
        LLVMContext &ctx = f.getContext();
        BasicBlock *b = BasicBlock::Create(ctx, which == 0 ? "fuel_trap" : "interrupt_trap", &f);
        IRBuilder<> ir(b);
        if (which == 0) /* the counter is below zero: say so to whoever reads it next */
            ir.CreateStore(ir.getInt64(-1), unwrap(abi.fuel_counter));
        auto *trap = cast<Function>(unwrap(abi.trap_fn));
        CallInst *call = ir.CreateCall(trap->getFunctionType(), trap,
                                       {ir.getInt32(kind), ir.getInt32(func_index)});
        call->setDoesNotReturn();
        ir.CreateUnreachable();
        trap_blocks[which] = b;
        return b;
    }

    /* Splits b at `at` and branches to trap block `which` there when `cond`, unlikely. */
    void trap_if(Instruction *at, Value *cond, unsigned which, uint32_t kind) {
        BasicBlock *b = at->getParent();
        BasicBlock *rest = SplitBlock(b, at);
        Instruction *old = b->getTerminator();
        IRBuilder<> ir(old);
        MDBuilder md(f.getContext());
        ir.CreateCondBr(cond, trap_block(which, kind), rest, md.createBranchWeights(1, 1u << 20));
        old->eraseFromParent();
    }

    void check(Instruction *at, uint64_t cost) {
        Type *i64 = Type::getInt64Ty(f.getContext());
        Type *i32 = Type::getInt32Ty(f.getContext());
        if (abi.fuel) {
            IRBuilder<> ir(at);
            Value *fuel = ir.CreateLoad(i64, fuel_local, "fuel");
            Value *left = ir.CreateSub(fuel, ConstantInt::get(i64, cost ? cost : 1), "fuel_left");
            ir.CreateStore(left, fuel_local);
            trap_if(at, ir.CreateICmpSLT(left, ConstantInt::get(i64, 0)), 0, abi.trap_fuel);
        }
        if (abi.timeout) {
            IRBuilder<> ir(at);
            LoadInst *flag = ir.CreateLoad(i32, unwrap(abi.interrupt_flag), "interrupt");
            flag->setVolatile(true);
            trap_if(at, ir.CreateICmpNE(flag, ConstantInt::get(i32, 0)), 1, abi.trap_interrupted);
        }
    }

    void run() {
        DominatorTree dt(f);
        LoopInfo li(dt);
        /* Costs and places first: the checks split blocks. */
        SmallVector<std::pair<Instruction *, uint64_t>, 8> checks;
        uint64_t entry_cost = 0;
        for (const BasicBlock &b : f)
            if (li.getLoopFor(&b) == nullptr)
                entry_cost += block_cost(b);
        checks.push_back({check_point(f.getEntryBlock()), entry_cost});
        for (BasicBlock *head : cycle_heads(f)) {
            if (head == &f.getEntryBlock())
                continue; /* the entry's own check covers it */
            checks.push_back({check_point(*head), head_cost(head, li)});
        }
        /*
         * Fuel lives in a local while the function runs, which becomes a
         * register (a store and reload of the global at every check would
         * chain each loop iteration on a store-to-load forwarding): loaded
         * from wa_rt_fuel at entry, written back before every call and
         * return, reloaded after every call (the callee spent some). The
         * calls and returns are those of the code before the checks.
         */
        SmallVector<CallBase *, 16> calls;
        SmallVector<ReturnInst *, 4> returns;
        if (abi.fuel) {
            for (BasicBlock &b : f) {
                for (Instruction &in : b) {
                    if (auto *call = dyn_cast<CallBase>(&in); call && !isa<IntrinsicInst>(call))
                        calls.push_back(call);
                    else if (auto *ret = dyn_cast<ReturnInst>(&in))
                        returns.push_back(ret);
                }
            }
            Type *i64 = Type::getInt64Ty(f.getContext());
            IRBuilder<> entry(&*f.getEntryBlock().getFirstInsertionPt());
            fuel_local = entry.CreateAlloca(i64, nullptr, "fuel_local");
            Instruction *first = checks[0].first;
            IRBuilder<> start(first != nullptr ? first : f.getEntryBlock().getTerminator());
            start.CreateStore(start.CreateLoad(i64, unwrap(abi.fuel_counter)), fuel_local);
        }
        for (auto &[at, cost] : checks)
            if (at != nullptr)
                check(at, cost);
        if (abi.fuel) {
            sync_fuel(calls, returns);
            DominatorTree after(f);
            PromoteMemToReg({fuel_local}, after);
        }
    }

    /* Writes the local fuel to wa_rt_fuel before `at`. */
    void store_fuel(Instruction *at) {
        IRBuilder<> ir(at);
        ir.CreateStore(ir.CreateLoad(ir.getInt64Ty(), fuel_local), unwrap(abi.fuel_counter));
    }

    /* Reads wa_rt_fuel into the local fuel before `at`. */
    void load_fuel(Instruction *at) {
        IRBuilder<> ir(at);
        ir.CreateStore(ir.CreateLoad(ir.getInt64Ty(), unwrap(abi.fuel_counter)), fuel_local);
    }

    void sync_fuel(ArrayRef<CallBase *> calls, ArrayRef<ReturnInst *> returns) {
        SmallPtrSet<BasicBlock *, 4> pads;
        for (CallBase *call : calls) {
            store_fuel(call);
            if (auto *ci = dyn_cast<CallInst>(call)) {
                /* Nothing may stand between a musttail call and its return. */
                if (!ci->isMustTailCall() && !ci->doesNotReturn())
                    load_fuel(ci->getNextNode());
            } else if (auto *inv = dyn_cast<InvokeInst>(call)) {
                /* The normal edge gets a block of its own; a landing pad is only reached from
                   invokes, which all wrote the fuel back first. */
                BasicBlock *normal = SplitEdge(inv->getParent(), inv->getNormalDest());
                load_fuel(&*normal->getFirstInsertionPt());
                pads.insert(inv->getUnwindDest());
            }
        }
        for (BasicBlock *pad : pads)
            load_fuel(&*pad->getFirstInsertionPt());
        for (ReturnInst *ret : returns) {
            auto *prev = dyn_cast_or_null<CallInst>(ret->getPrevNode());
            if (prev == nullptr || !prev->isMustTailCall())
                store_fuel(ret);
        }
    }
};

} // namespace

void wa_llvm_limits(LLVMModuleRef mod, const WaLimitsAbi *abi) {
    Module *module = unwrap(mod);
    unsigned kind = module->getContext().getMDKindID(WA_MD_LIMITS);
    for (Function &f : *module) {
        MDNode *md = f.isDeclaration() ? nullptr : f.getMetadata(kind);
        if (md == nullptr)
            continue;
        auto *index = mdconst::extract<ConstantInt>(md->getOperand(0));
        Instrumenter in{*abi, f, static_cast<uint32_t>(index->getZExtValue())};
        in.run();
    }
}
