/*
 * optimize_llvm.cpp: runs LLVM's default pipeline as LLVMRunPasses does,
 * plus the bounds versioning pass (optimize.h), which LLVM's C API cannot
 * add: it runs where the vectorizer starts, after inlining and the loop
 * simplifications, so the loops it copies are the ones the vectorizer sees.
 */
#include "optimize.h"

#include "bounds_versioning.h"

#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Utils/LCSSA.h>
#include <llvm/Transforms/Utils/LoopSimplify.h>

#include <cstdlib>
#include <cstring>
#include <string>

using namespace llvm;

char *wa_llvm_optimize(LLVMModuleRef mod, LLVMTargetMachineRef tm, int level,
                       const WaMemorySizeAbi *abi) {
    Module *module = unwrap(mod);
    /* LLVMTargetMachineRef is a TargetMachine * (the C API casts it the same way). */
    auto *machine = reinterpret_cast<TargetMachine *>(tm);
    PassInstrumentationCallbacks callbacks;
    PassBuilder builder(machine, PipelineTuningOptions(), std::nullopt, &callbacks);
    LoopAnalysisManager lam;
    FunctionAnalysisManager fam;
    CGSCCAnalysisManager cgam;
    ModuleAnalysisManager mam;
    builder.registerLoopAnalyses(lam);
    builder.registerFunctionAnalyses(fam);
    builder.registerCGSCCAnalyses(cgam);
    builder.registerModuleAnalyses(mam);
    builder.crossRegisterProxies(lam, fam, cgam, mam);
    StandardInstrumentations instrumentations(module->getContext(), false);
    instrumentations.registerCallbacks(callbacks, &mam);
    WaMemorySizeAbi sizes = *abi;
    builder.registerVectorizerStartEPCallback([sizes](FunctionPassManager &fpm, OptimizationLevel) {
        fpm.addPass(LoopSimplifyPass());
        fpm.addPass(LCSSAPass());
        fpm.addPass(WaBoundsVersioning(sizes));
    });
    builder.registerOptimizerLastEPCallback([](ModulePassManager &mpm, OptimizationLevel) {
        mpm.addPass(createModuleToFunctionPassAdaptor(WaBoundsUnversioning()));
    });
    ModulePassManager mpm;
    std::string pipeline = "default<O" +
                           std::to_string(level < 1   ? 1
                                          : level > 3 ? 3
                                                      : level) +
                           ">";
    if (Error err = builder.parsePassPipeline(mpm, pipeline))
        return strdup(toString(std::move(err)).c_str());
    mpm.run(*module, mam);
    return nullptr;
}
