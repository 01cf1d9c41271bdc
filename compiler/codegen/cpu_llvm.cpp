/*
 * cpu_llvm.cpp: which features LLVM enables for a CPU (cpu.h). LLVM's C API
 * can name the host's features but not a named CPU's, so these functions
 * ask MCSubtargetInfo, the table the code generator itself uses: a CPU's
 * features with everything they imply, and every feature name it knows.
 */
#include "cpu.h"

#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

char *wa_cpu_llvm_features(const char *triple, const char *cpu, const char *features, bool *valid) {
    std::string error;
    const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
    *valid = false;
    if (target == nullptr)
        return nullptr;
    std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, "", features));
    if (!sti)
        return nullptr;
    /* Ask about the name first: creating a subtarget for an unknown one prints a warning. */
    *valid = sti->isCPUStringValid(cpu);
    if (!*valid)
        return strdup("");
    sti.reset(target->createMCSubtargetInfo(triple, cpu, features));
    std::string list;
    for (const llvm::SubtargetFeatureKV &kv : sti->getAllProcessorFeatures()) {
        if (sti->getFeatureBits().test(kv.Value)) {
            if (!list.empty())
                list += ',';
            list += kv.Key;
        }
    }
    return strdup(list.c_str());
}

char *wa_cpu_llvm_all_features(const char *triple) {
    std::string error;
    const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
    if (target == nullptr)
        return nullptr;
    std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, "", ""));
    if (!sti)
        return nullptr;
    std::string list;
    for (const llvm::SubtargetFeatureKV &kv : sti->getAllProcessorFeatures()) {
        if (!list.empty())
            list += ',';
        list += kv.Key;
    }
    return strdup(list.c_str());
}
