/*
 * bounds_versioning.h: the LLVM function passes of bounds_versioning.cpp (C++
 * only; optimize_llvm.cpp adds them to the pipeline).
 */
#ifndef WA_CODEGEN_BOUNDS_VERSIONING_H
#define WA_CODEGEN_BOUNDS_VERSIONING_H

#include "optimize.h"

#include <llvm/IR/PassManager.h>

class WaBoundsVersioning : public llvm::PassInfoMixin<WaBoundsVersioning> {
  public:
    explicit WaBoundsVersioning(const WaMemorySizeAbi &abi) : abi_(abi) {}
    llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &fam);

  private:
    WaMemorySizeAbi abi_;
};

/*
 * Run last: takes back each copy that LLVM made no better than its checked
 * loop (same loops, same accesses inside them, no vector accesses gained),
 * so that its check is not paid for nothing on every entry.
 */
class WaBoundsUnversioning : public llvm::PassInfoMixin<WaBoundsUnversioning> {
  public:
    llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &fam);
};

#endif
