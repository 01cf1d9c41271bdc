/*
 * bounds_versioning.h: the LLVM function pass of bounds_versioning.cpp (C++
 * only; optimize_llvm.cpp adds it to the pipeline).
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

#endif
