/*
 * bounds_versioning.cpp: a fast copy of every innermost loop whose wasm
 * memory accesses can be proved in bounds before it starts.
 *
 * Every wasm memory access is volatile (compiler/lower/memory.c): it may
 * fault on a guard page, and that fault is the trap the spec requires
 * exactly there, so LLVM must neither delete, merge nor reorder it. That
 * also stops the loop vectorizer, LICM and store-to-load forwarding, which
 * native code relies on (a stencil loop runs 2.5x slower scalar). An access
 * that cannot go out of bounds has no trap to keep: it is an ordinary load or
 * store, and deleting, merging or reordering it is unobservable.
 *
 * So, for an innermost loop, with L its maximum backedge-taken count (SCEV),
 * and each access's offset from memory 0's base an affine function of the
 * iteration number k (0 <= k <= L), or loop-invariant: the largest offset +
 * access size over every k, computed in the preheader, is compared with the
 * memory's current size. When every access fits, the loop runs as a copy
 * whose accesses are not volatile; otherwise the original volatile loop
 * runs, trapping exactly where the wasm says. The check is sound because an
 * access that fits when the loop starts fits for the whole loop: a memory
 * never shrinks and its base never moves. It is conservative: accesses that
 * a given run does not reach (an early exit, an untaken branch) count too.
 *
 * A copy is made only where it may pay (worth_copying: no calls, not a
 * short loop), and WaBoundsUnversioning, at the end of the pipeline, takes
 * back each copy that LLVM made no better than the checked loop.
 *
 * Only accesses based on memory 0's mem0_base field are considered: a loop
 * that touches other memories (multi-memory) is left alone.
 *
 * An i64 memory 0 (memory64) has an explicit check before each access,
 * `index <u size` branching to a trap block (compiler/lower/memory.c), and
 * an access's offset from the base, index + memarg offset, is then exact.
 * Its checks are bounded too: with X the compared index, X + 1 <= size over
 * every k, and the fast copy drops the checks it proved (their branches to
 * the trap become constant), which the vectorizer needs. The proof of the
 * accesses alone would not do for them: SCEV folds the wasm's own wrapping
 * i64 constants into the memarg offset (i - 8 with offset 16 is i + 8, but
 * at i = 0 the wasm address is 2^64 + 8 and traps); the proved check, which
 * dominates its accesses, excludes that wrap. A check that is not of that
 * form (a huge memarg offset's saturating one) stays in the fast copy and
 * guards its accesses there.
 *
 * Offsets are i64 SCEVs: base + zext(i32 address) + memarg offset minus the
 * base. An i32 address that is an affine recurrence {s,+,t} wraps at 2^32,
 * so its range over the loop is s .. s + t*L only if that does not wrap: the
 * check includes that condition (computed in i64, where it cannot overflow:
 * offsets are below 2^34, |t| at most 2^16 and L at most 2^32).
 */
#include "optimize.h"

#include <llvm/ADT/DepthFirstIterator.h>
#include <llvm/ADT/SetVector.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ScalarEvolutionExpressions.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/Local.h>
#include <llvm/Transforms/Utils/ScalarEvolutionExpander.h>
#include <llvm/Transforms/Utils/ValueMapper.h>

#include "bounds_versioning.h"

using namespace llvm;
using namespace llvm::PatternMatch;

namespace {

/* Limits that keep the i64 arithmetic of the check from overflowing (see above). */
constexpr int64_t max_step = int64_t(1) << 16;
constexpr int64_t max_constant = int64_t(1) << 40;
constexpr uint64_t max_trip = uint64_t(1) << 32;
/* Loops worth a fast copy (worth_copying). */
constexpr unsigned min_trips = 16;
constexpr unsigned max_instructions = 1000;

struct Access {
    Instruction *inst;
    const SCEV *offset; /* from memory 0's base */
    uint64_t size;
};

/*
 * A memory64 bounds check in the loop: `br (X >=u size), trap, ...` in some
 * form, or several that SimplifyCFG merged into one branch on their `or`.
 */
struct Check {
    BranchInst *branch;
    unsigned trap_successor;            /* the successor that traps */
    SmallVector<const SCEV *, 2> index; /* each X */
};

/*
 * What the check must establish for a loop: every end <= the memory's size,
 * every x <=u y. Ends and conditions whose left sides differ only by a
 * constant (offsets from one address: a[i], a[i+1], ...) keep only the
 * largest constant, so the check grows with the number of distinct
 * addresses, not of accesses. That is sound when v + c cannot wrap, as for
 * an i32 memory, where v is a zero-extended address and c a memarg offset.
 * For an i64 memory v may be anything the wasm computed (a parameter, or
 * 8i with the wasm's -8 folded into c), so both the smallest and the largest
 * constant are checked (`both_ends`): if v + min and v + max are both at
 * most the limit (below 2^63), no v + c between them wraps.
 */
struct Range {
    int64_t min, max;
};

struct Bounds {
    Bounds(ScalarEvolution &se, bool both_ends) : se(se), both_ends(both_ends) {}
    void end(const SCEV *x) {
        keep_largest(x, nullptr);
    }
    void ule(const SCEV *x, const SCEV *y) {
        if (isa<SCEVConstant>(y))
            keep_largest(x, y);
        else
            others.insert({x, y});
    }
    /* x = v + c with c constant (0 if none). */
    std::pair<const SCEV *, int64_t> split(const SCEV *x) const {
        if (auto *c = dyn_cast<SCEVConstant>(x))
            return {se.getZero(x->getType()), c->getAPInt().getSExtValue()};
        auto *add = dyn_cast<SCEVAddExpr>(x);
        if (add == nullptr || !isa<SCEVConstant>(add->getOperand(0)))
            return {x, 0};
        SmallVector<const SCEV *, 4> rest(add->operands().begin() + 1, add->operands().end());
        return {se.getAddExpr(rest),
                cast<SCEVConstant>(add->getOperand(0))->getAPInt().getSExtValue()};
    }
    void keep_largest(const SCEV *x, const SCEV *limit) {
        auto [v, c] = split(x);
        auto [it, fresh] = largest.insert({{v, limit}, {c, c}});
        it->second.min = std::min(it->second.min, c);
        it->second.max = std::max(it->second.max, c);
    }
    /* The constants to check for one (v, limit). */
    SmallVector<int64_t, 2> constants(const Range &r) const {
        if (both_ends && r.min != r.max)
            return {r.max, r.min};
        return {r.max};
    }

    ScalarEvolution &se;
    bool both_ends;
    /* (v, limit) -> the constants c; limit nullptr for an end (limit: the memory's size). */
    MapVector<std::pair<const SCEV *, const SCEV *>, Range> largest;
    SmallSetVector<std::pair<const SCEV *, const SCEV *>, 4> others;
};

class Versioner {
  public:
    Versioner(Function &f, LoopInfo &li, DominatorTree &dt, ScalarEvolution &se,
              const WaMemorySizeAbi &abi)
        : f_(f), li_(li), dt_(dt), se_(se), abi_(abi), dl_(f.getDataLayout()),
          access_kind_(f.getContext().getMDKindID(WA_MD_MEMORY_ACCESS)),
          i64_(Type::getInt64Ty(f.getContext())) {}

    bool version(Loop *loop);

  private:
    bool worth_copying(Loop *loop);
    bool is_mem0_base(const LoadInst *load) const;
    bool is_mem0_size(const Value *v) const;
    bool collect(Loop *loop, SmallVectorImpl<Access> &accesses);
    bool trap_conditions(Value *cond, bool traps, SmallVectorImpl<const SCEV *> &out);
    void collect_checks(Loop *loop, SmallVectorImpl<Check> &checks);
    bool bound(Loop *loop, const Access &a, const SCEV *trips, Bounds &b);
    bool bound_recurrence(const SCEVAddRecExpr *rec, bool zext, const SCEV *constant, uint64_t size,
                          const SCEV *trips, Bounds &b);
    Value *memory_size(IRBuilder<> &ir);
    void clone_checked(Loop *loop, BasicBlock *check, Value *in_bounds);

    Function &f_;
    LoopInfo &li_;
    DominatorTree &dt_;
    ScalarEvolution &se_;
    const WaMemorySizeAbi &abi_;
    const DataLayout &dl_;
    unsigned access_kind_;
    Type *i64_;
};

/*
 * Whether the copy can gain more than its check costs and its code weighs:
 * not for a loop that runs a few times (the check runs on each entry), one
 * with a call (the vectorizer and LICM give up on those anyway) or a large
 * body (compile time and code size double for it).
 */
bool Versioner::worth_copying(Loop *loop) {
    const SCEV *trips = se_.getSymbolicMaxBackedgeTakenCount(loop);
    /* Signed: a count that only goes "negative" where the loop is not entered ({3,+,-1}) is short.
     */
    if (!isa<SCEVCouldNotCompute>(trips) && se_.getSignedRangeMax(trips).slt(min_trips))
        return false;
    unsigned size = 0;
    for (BasicBlock *block : loop->blocks()) {
        for (Instruction &inst : *block) {
            if (++size > max_instructions)
                return false;
            if (auto *call = dyn_cast<CallBase>(&inst);
                call != nullptr && !isa<IntrinsicInst>(call))
                return false;
        }
    }
    return true;
}

/* Whether `load` reads the mem0_base field of the function's instance (optimize.h). */
bool Versioner::is_mem0_base(const LoadInst *load) const {
    if (f_.arg_size() == 0 || !load->getType()->isPointerTy() || load->isVolatile())
        return false;
    APInt offset(64, 0);
    const Value *root =
        load->getPointerOperand()->stripAndAccumulateConstantOffsets(dl_, offset, true);
    return root == f_.getArg(0) && offset == abi_.mem0_base_offset;
}

/* Whether v is a load of memory 0's size field (through the instance's mem0 field). */
bool Versioner::is_mem0_size(const Value *v) const {
    auto *load = dyn_cast<LoadInst>(v);
    if (load == nullptr || load->isVolatile() || load->getType() != i64_ || f_.arg_size() == 0)
        return false;
    APInt offset(64, 0);
    const Value *mem =
        load->getPointerOperand()->stripAndAccumulateConstantOffsets(dl_, offset, true);
    auto *mem_load = dyn_cast<LoadInst>(mem);
    if (mem_load == nullptr || offset != abi_.size_offset)
        return false;
    APInt field(64, 0);
    const Value *root =
        mem_load->getPointerOperand()->stripAndAccumulateConstantOffsets(dl_, field, true);
    return root == f_.getArg(0) && field == abi_.mem0_offset;
}

/*
 * Whether `block` traps: it starts with the call of wa_rt_trap_site (a
 * check's: compiler/lower/trap.c) or wa_rt_trap, or only branches to such a
 * block (a loop's dedicated exit block does).
 */
static bool is_trap_block(const BasicBlock *block) {
    for (int hops = 0; hops < 4; hops++) {
        const Instruction *first = block->getFirstNonPHI();
        if (auto *call = dyn_cast<CallInst>(first)) {
            const Function *callee = call->getCalledFunction();
            return callee != nullptr &&
                   (callee->getName() == "wa_rt_trap_site" || callee->getName() == "wa_rt_trap");
        }
        auto *br = dyn_cast<BranchInst>(first);
        if (br == nullptr || br->isConditional())
            return false;
        block = br->getSuccessor(0);
    }
    return false;
}

/*
 * Adds to `out` the X of each `X >=u size` whose disjunction `cond` is (when
 * `traps`; otherwise `cond` is the conjunction of their negations), size
 * being memory 0's; false if some part is not of that form.
 */
bool Versioner::trap_conditions(Value *cond, bool traps, SmallVectorImpl<const SCEV *> &out) {
    Value *x, *y;
    /* `or` (select x, true, y) joins trap conditions, `and` (select x, y, false) ok conditions. */
    if (traps ? match(cond, m_LogicalOr(m_Value(x), m_Value(y)))
              : match(cond, m_LogicalAnd(m_Value(x), m_Value(y))))
        return trap_conditions(x, traps, out) && trap_conditions(y, traps, out);
    auto *cmp = dyn_cast<ICmpInst>(cond);
    if (cmp == nullptr)
        return false;
    CmpInst::Predicate pred = traps ? cmp->getPredicate() : cmp->getInversePredicate();
    Value *a = cmp->getOperand(0), *b = cmp->getOperand(1);
    if (is_mem0_size(a)) {
        std::swap(a, b);
        pred = CmpInst::getSwappedPredicate(pred);
    }
    if (pred != CmpInst::ICMP_UGE || !is_mem0_size(b) || a->getType() != i64_)
        return false;
    out.push_back(se_.getSCEV(a));
    return true;
}

/* The loop's memory64 checks on memory 0: conditional branches to a trap block (see Check). */
void Versioner::collect_checks(Loop *loop, SmallVectorImpl<Check> &checks) {
    for (BasicBlock *block : loop->blocks()) {
        auto *br = dyn_cast<BranchInst>(block->getTerminator());
        if (br == nullptr || !br->isConditional())
            continue;
        for (unsigned trap = 0; trap < 2; trap++) {
            Check c{br, trap, {}};
            if (is_trap_block(br->getSuccessor(trap)) &&
                trap_conditions(br->getCondition(), trap == 0, c.index))
                checks.push_back(c);
        }
    }
}

/* The loop's volatile wasm accesses; false if one is not to memory 0 or not analysable. */
bool Versioner::collect(Loop *loop, SmallVectorImpl<Access> &accesses) {
    for (BasicBlock *block : loop->blocks()) {
        for (Instruction &inst : *block) {
            if (inst.getMetadata(access_kind_) == nullptr)
                continue;
            Value *ptr;
            Type *type;
            if (auto *load = dyn_cast<LoadInst>(&inst)) {
                if (!load->isVolatile())
                    continue;
                ptr = load->getPointerOperand();
                type = load->getType();
            } else if (auto *store = dyn_cast<StoreInst>(&inst)) {
                if (!store->isVolatile())
                    continue;
                ptr = store->getPointerOperand();
                type = store->getValueOperand()->getType();
            } else {
                return false;
            }
            const SCEV *address = se_.getSCEV(ptr);
            auto *base = dyn_cast<SCEVUnknown>(se_.getPointerBase(address));
            if (base == nullptr)
                return false;
            auto *base_load = dyn_cast<LoadInst>(base->getValue());
            if (base_load == nullptr || !is_mem0_base(base_load) ||
                !dt_.dominates(base_load, loop->getLoopPreheader()->getTerminator()))
                return false;
            const SCEV *offset = se_.getMinusSCEV(address, base);
            if (isa<SCEVCouldNotCompute>(offset) || offset->getType() != i64_)
                return false;
            accesses.push_back({&inst, offset, dl_.getTypeStoreSize(type)});
        }
    }
    return !accesses.empty();
}

static const SCEV *constant(ScalarEvolution &se, Type *type, int64_t value) {
    return se.getConstant(type, uint64_t(value), true);
}

/*
 * The bounds of an access whose offset is `constant` + R, R = `rec` or
 * zext(`rec`), rec = {s,+,t} over k in 0..trips.
 */
bool Versioner::bound_recurrence(const SCEVAddRecExpr *rec, bool zext, const SCEV *constant_part,
                                 uint64_t size, const SCEV *trips, Bounds &b) {
    auto *step = dyn_cast<SCEVConstant>(rec->getStepRecurrence(se_));
    if (step == nullptr || step->getAPInt().getSignificantBits() > 64)
        return false;
    int64_t t = step->getAPInt().getSExtValue();
    if (t < -max_step || t > max_step)
        return false;
    const SCEV *start = rec->getStart();
    unsigned width = start->getType()->getScalarSizeInBits();
    if (zext ? width > 32 : width != 64)
        return false;
    const SCEV *s = zext ? se_.getZeroExtendExpr(start, i64_) : start;
    const SCEV *travel = se_.getMulExpr(constant(se_, i64_, t < 0 ? -t : t), trips);
    const SCEV *tail = constant(se_, i64_, int64_t(size));
    if (!zext) /* s must be a real offset for the arithmetic below not to overflow. */
        b.ule(s, constant(se_, i64_, max_constant));
    if (t >= 0) {
        const SCEV *last = se_.getAddExpr(s, travel);
        if (zext) /* no wrap at 2^width: last <= 2^width - 1 */
            b.ule(last, constant(se_, i64_, int64_t((uint64_t(1) << width) - 1)));
        b.end(se_.getAddExpr(se_.getAddExpr(last, constant_part), tail));
    } else {
        b.ule(travel, s); /* no wrap below 0 */
        b.end(se_.getAddExpr(se_.getAddExpr(s, constant_part), tail));
    }
    return true;
}

bool Versioner::bound(Loop *loop, const Access &a, const SCEV *trips, Bounds &b) {
    const SCEV *offset = a.offset;
    const SCEV *tail = constant(se_, i64_, int64_t(a.size));
    if (se_.isLoopInvariant(offset, loop)) {
        b.end(se_.getAddExpr(offset, tail));
        return true;
    }
    /* offset = [C +] R */
    const SCEV *constant_part = se_.getZero(i64_);
    const SCEV *rest = offset;
    if (auto *add = dyn_cast<SCEVAddExpr>(offset)) {
        auto *c = dyn_cast<SCEVConstant>(add->getOperand(0));
        if (c == nullptr || add->getNumOperands() != 2)
            return false;
        int64_t value = c->getAPInt().getSExtValue();
        if (value < -max_constant || value > max_constant)
            return false;
        constant_part = c;
        rest = add->getOperand(1);
    }
    bool zext = false;
    if (auto *ext = dyn_cast<SCEVZeroExtendExpr>(rest)) {
        zext = true;
        rest = ext->getOperand();
    }
    auto *rec = dyn_cast<SCEVAddRecExpr>(rest);
    if (rec == nullptr || rec->getLoop() != loop || !rec->isAffine())
        return false;
    return bound_recurrence(rec, zext, constant_part, a.size, trips, b);
}

/* Memory 0's current size in bytes. */
Value *Versioner::memory_size(IRBuilder<> &ir) {
    Value *mem0_ptr =
        ir.CreateConstGEP1_64(ir.getInt8Ty(), f_.getArg(0), int64_t(abi_.mem0_offset));
    Value *mem0 = ir.CreateLoad(ir.getPtrTy(), mem0_ptr, "wa.mem0");
    Value *size_ptr = ir.CreateConstGEP1_64(ir.getInt8Ty(), mem0, int64_t(abi_.size_offset));
    return ir.CreateLoad(i64_, size_ptr, "wa.mem0.size");
}

/*
 * Turns `loop` (preheader `check`) into: check: br in_bounds, fast, checked;
 * `loop` itself is the fast copy; a clone of it, the checked one, keeps the
 * volatile accesses. Both leave through the original exit blocks.
 */
void Versioner::clone_checked(Loop *loop, BasicBlock *check, Value *in_bounds) {
    SmallVector<BasicBlock *, 8> exits;
    loop->getUniqueExitBlocks(exits);
    BasicBlock *fast_preheader =
        SplitBlock(check, check->getTerminator(), &dt_, &li_, nullptr, "wa.inbounds");
    ValueToValueMapTy map;
    SmallVector<BasicBlock *, 16> checked_blocks;
    cloneLoopWithPreheader(fast_preheader, check, loop, map, ".checked", &li_, &dt_,
                           checked_blocks);
    remapInstructionsInBlocks(checked_blocks, map);
    /*
     * Lay the checked blocks out as the loop's own (the clone follows the
     * loop's block list): when WaBoundsUnversioning keeps only them, the code
     * is laid out as it was without a copy.
     */
    SmallVector<BasicBlock *, 16> layout;
    for (BasicBlock &block : f_)
        if (loop->contains(&block))
            layout.push_back(&block);
    for (BasicBlock *block : layout)
        cast<BasicBlock>(map[block])->moveBefore(fast_preheader);
    Instruction *branch = check->getTerminator();
    IRBuilder<> ir(branch);
    MDBuilder md(f_.getContext());
    BranchInst *choice =
        ir.CreateCondBr(in_bounds, fast_preheader, cast<BasicBlock>(map[fast_preheader]),
                        md.createLikelyBranchWeights());
    /* For WaBoundsUnversioning. */
    choice->setMetadata(f_.getContext().getMDKindID(WA_MD_BOUNDS_CHECK),
                        MDNode::get(f_.getContext(), {}));
    branch->eraseFromParent();
    /* The exits are dedicated (loop-simplify form) and their phis are LCSSA phis. */
    for (BasicBlock *exit : exits) {
        for (PHINode &phi : exit->phis()) {
            SmallVector<std::pair<Value *, BasicBlock *>, 4> incoming;
            for (unsigned i = 0; i < phi.getNumIncomingValues(); i++) {
                if (!loop->contains(phi.getIncomingBlock(i)))
                    continue;
                Value *v = phi.getIncomingValue(i);
                Value *mapped = map.lookup(v);
                incoming.push_back(
                    {mapped ? mapped : v, cast<BasicBlock>(map[phi.getIncomingBlock(i)])});
            }
            for (auto &[v, block] : incoming)
                phi.addIncoming(v, block);
        }
        dt_.changeImmediateDominator(exit, check);
    }
}

bool Versioner::version(Loop *loop) {
    if (!loop->isInnermost() || !loop->isLoopSimplifyForm() || !loop->isLCSSAForm(dt_))
        return false;
    if (!worth_copying(loop))
        return false;
    SmallVector<Access, 16> accesses;
    if (!collect(loop, accesses))
        return false;
    const SCEV *trips = se_.getSymbolicMaxBackedgeTakenCount(loop);
    if (isa<SCEVCouldNotCompute>(trips) || trips->getType()->getScalarSizeInBits() > 64)
        return false;
    Bounds b(se_, abi_.mem0_is64);
    if (trips->getType()->getScalarSizeInBits() > 32)
        b.ule(trips, se_.getConstant(trips->getType(), max_trip));
    trips = se_.getNoopOrZeroExtend(trips, i64_);
    for (const Access &a : accesses)
        if (!bound(loop, a, trips, b))
            return false;
    SmallVector<Check, 8> checks;
    collect_checks(loop, checks);
    for (const Check &c : checks) /* X <u size: X + 1 <= size */
        for (const SCEV *x : c.index)
            if (!bound(loop, {c.branch, x, 1}, trips, b))
                return false;
    BasicBlock *check = loop->getLoopPreheader();
    Instruction *at = check->getTerminator();
    SCEVExpander expander(se_, dl_, "wa.bounds");
    for (auto &[key, range] : b.largest)
        if (!expander.isSafeToExpandAt(key.first, at))
            return false;
    for (auto &[x, y] : b.others)
        if (!expander.isSafeToExpandAt(x, at) || !expander.isSafeToExpandAt(y, at))
            return false;

    IRBuilder<> ir(at);
    Value *size = memory_size(ir);
    Value *in_bounds = ir.getTrue();
    for (auto &[key, range] : b.largest) {
        auto [v, limit] = key;
        for (int64_t c : b.constants(range)) {
            Value *x = expander.expandCodeFor(se_.getAddExpr(v, constant(se_, v->getType(), c)),
                                              v->getType(), at);
            Value *y = limit ? expander.expandCodeFor(limit, limit->getType(), at) : size;
            ir.SetInsertPoint(at);
            in_bounds = ir.CreateAnd(in_bounds, ir.CreateICmpULE(x, y));
        }
    }
    for (auto &[x, y] : b.others) {
        Value *xv = expander.expandCodeFor(x, x->getType(), at);
        Value *yv = expander.expandCodeFor(y, y->getType(), at);
        ir.SetInsertPoint(at);
        in_bounds = ir.CreateAnd(in_bounds, ir.CreateICmpULE(xv, yv));
    }
    clone_checked(loop, check, ir.CreateFreeze(in_bounds, "wa.in_bounds"));
    for (const Access &a : accesses) {
        if (auto *load = dyn_cast<LoadInst>(a.inst))
            load->setVolatile(false);
        else
            cast<StoreInst>(a.inst)->setVolatile(false);
    }
    /* In the fast copy (`loop` itself) the proved checks never trap. */
    for (const Check &c : checks)
        c.branch->setCondition(c.trap_successor == 0 ? ConstantInt::getFalse(f_.getContext())
                                                     : ConstantInt::getTrue(f_.getContext()));
    se_.forgetLoop(loop);
    return true;
}

} // namespace

PreservedAnalyses WaBoundsVersioning::run(Function &f, FunctionAnalysisManager &fam) {
    if (f.getSection() != "wasm_text")
        return PreservedAnalyses::all();
    auto &li = fam.getResult<LoopAnalysis>(f);
    if (li.empty())
        return PreservedAnalyses::all();
    Versioner versioner(f, li, fam.getResult<DominatorTreeAnalysis>(f),
                        fam.getResult<ScalarEvolutionAnalysis>(f), abi_);
    bool changed = false;
    /* The list is taken first: the checked clones it adds are not versioned again. */
    for (Loop *loop : li.getLoopsInPreorder())
        changed |= versioner.version(loop);
    return changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

namespace {

/* What one side of a bounds check became, in the loops it holds. */
struct Side {
    unsigned loops = 0, accesses = 0, vector_accesses = 0, trap_branches = 0;
    bool operator==(const Side &o) const {
        return loops == o.loops && accesses == o.accesses && vector_accesses == o.vector_accesses &&
               trap_branches == o.trap_branches;
    }
};

Side measure(BasicBlock *entry, DominatorTree &dt, LoopInfo &li, unsigned access_kind) {
    Side side;
    for (DomTreeNode *node : depth_first(dt.getNode(entry))) {
        BasicBlock *block = node->getBlock();
        if (li.isLoopHeader(block))
            side.loops++;
        if (li.getLoopFor(block) == nullptr)
            continue;
        /* The memory64 checks a fast copy dropped are a gain even when nothing was vectorised. */
        if (auto *br = dyn_cast<BranchInst>(block->getTerminator()); br && br->isConditional())
            side.trap_branches +=
                is_trap_block(br->getSuccessor(0)) || is_trap_block(br->getSuccessor(1));
        for (Instruction &inst : *block) {
            Type *type;
            if (auto *load = dyn_cast<LoadInst>(&inst))
                type = load->getType();
            else if (auto *store = dyn_cast<StoreInst>(&inst))
                type = store->getValueOperand()->getType();
            else
                continue;
            /* The vectorizer's wide accesses do not keep the metadata. */
            side.vector_accesses += type->isVectorTy();
            side.accesses += inst.getMetadata(access_kind) != nullptr;
        }
    }
    return side;
}

/*
 * Whether `side` is entered from `check` alone (other predecessors, such as
 * a loop latch when the preheader was merged into the header, lie within it).
 */
bool entered_only_from(BasicBlock *side, BasicBlock *check, DominatorTree &dt) {
    for (BasicBlock *pred : predecessors(side))
        if (pred != check && !dt.dominates(side, pred))
            return false;
    return true;
}

} // namespace

PreservedAnalyses WaBoundsUnversioning::run(Function &f, FunctionAnalysisManager &fam) {
    if (f.getSection() != "wasm_text")
        return PreservedAnalyses::all();
    unsigned check_kind = f.getContext().getMDKindID(WA_MD_BOUNDS_CHECK);
    unsigned access_kind = f.getContext().getMDKindID(WA_MD_MEMORY_ACCESS);
    SmallVector<BranchInst *, 8> checks;
    for (BasicBlock &block : f)
        if (auto *br = dyn_cast<BranchInst>(block.getTerminator());
            br != nullptr && br->isConditional() && br->getMetadata(check_kind) != nullptr)
            checks.push_back(br);
    if (checks.empty())
        return PreservedAnalyses::all();
    auto &dt = fam.getResult<DominatorTreeAnalysis>(f);
    auto &li = fam.getResult<LoopAnalysis>(f);
    SmallVector<BranchInst *, 8> fruitless;
    for (BranchInst *br : checks) {
        BasicBlock *fast = br->getSuccessor(0), *checked = br->getSuccessor(1);
        if (fast == checked || !entered_only_from(fast, br->getParent(), dt) ||
            !entered_only_from(checked, br->getParent(), dt))
            continue;
        if (measure(fast, dt, li, access_kind) == measure(checked, dt, li, access_kind))
            fruitless.push_back(br);
    }
    for (BranchInst *br : fruitless) {
        Value *in_bounds = br->getCondition();
        br->getSuccessor(0)->removePredecessor(br->getParent());
        BranchInst::Create(br->getSuccessor(1), br->getIterator());
        br->eraseFromParent();
        RecursivelyDeleteTriviallyDeadInstructions(in_bounds);
    }
    if (fruitless.empty())
        return PreservedAnalyses::all();
    removeUnreachableBlocks(f);
    return PreservedAnalyses::none();
}
