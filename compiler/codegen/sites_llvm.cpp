/*
 * sites_llvm.cpp: the backtrace table of an object (sites.h), from the DWARF
 * LLVM wrote for the debug locations of sites.c.
 *
 * Reading. Each top-level DW_TAG_subprogram is a wasm function's body (its
 * name is the function's decimal index) with its code range in .text or
 * wasm_text (DW_AT_low_pc/high_pc, section-relative in a relocatable
 * object). Each row of the line table starts a run of code whose location
 * is the row's line (a wasm file offset; 0 for code that is not a site,
 * WA_SITE_UNKNOWN_OFFSET for a site whose offset is not known), and
 * DWARFContext::getInliningInfoForAddress gives the chain of inlined
 * subroutines there: each outer frame's line is the DW_AT_call_line of the
 * call LLVM inlined. A row whose innermost line is 0 is no site: an entry
 * with no frames, so that a lookup does not land on the site before it.
 *
 * Writing. The chains are deduplicated (most sites of a function share
 * their outer frames only, but repeated rows are common), runs with the same
 * chain merged, and every frame gets its source position from the module's
 * DWARF (wasm_dwarf.h) here, at compile time. The blob (wa_rt.h,
 * WA_RT_SITES_MAGIC) replaces the object's debug sections, which objcopy's
 * library strips in the same pass.
 */
#include "sites_llvm.h"

#include "../../runtime/wa_rt.h"

#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/ObjCopy/CommonConfig.h>
#include <llvm/ObjCopy/ConfigManager.h>
#include <llvm/ObjCopy/ObjCopy.h>
#include <llvm/Object/Binary.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

/* The line that marks a site whose offset is unknown (sites.h, WA_SITE_UNKNOWN_OFFSET). */
constexpr uint32_t unknown_line = 1;

struct Frame {
    uint32_t func, offset;
    bool operator<(const Frame &o) const {
        return func != o.func ? func < o.func : offset < o.offset;
    }
    bool operator==(const Frame &o) const {
        return func == o.func && offset == o.offset;
    }
};

struct Entry {
    uint32_t native_offset;
    int32_t chain; /* index into chains, or -1: no site */
};

/* A function's code in the object. */
struct Body {
    uint64_t section, low, high;
    uint32_t func;
};

char *message(const std::string &s) {
    char *m = static_cast<char *>(std::malloc(s.size() + 1));
    if (m != nullptr)
        std::memcpy(m, s.c_str(), s.size() + 1);
    return m;
}

bool parse_index(llvm::StringRef name, uint32_t nfuncs, uint32_t *index) {
    unsigned long long v;
    if (name.getAsInteger(10, v) || v >= nfuncs)
        return false;
    *index = static_cast<uint32_t>(v);
    return true;
}

class Builder {
  public:
    explicit Builder(const WaSitesInput *in) : in_(in) {}

    /* Reads the object's DWARF; false if it has none (nothing to add). */
    bool read(llvm::DWARFContext &ctx) {
        std::vector<Body> bodies;
        for (const auto &cu : ctx.compile_units()) {
            for (llvm::DWARFDie die = cu->getUnitDIE(false).getFirstChild(); die.isValid();
                 die = die.getSibling()) {
                if (die.getTag() != llvm::dwarf::DW_TAG_subprogram)
                    continue;
                uint64_t low, high, section;
                uint32_t func;
                if (!die.getLowAndHighPC(low, high, section) ||
                    !parse_index(die.getName(llvm::DINameKind::ShortName), in_->nfuncs, &func))
                    continue;
                bodies.push_back({section, low, high, func});
            }
        }
        if (bodies.empty())
            return false;
        std::sort(bodies.begin(), bodies.end(), [](const Body &a, const Body &b) {
            return a.section != b.section ? a.section < b.section : a.low < b.low;
        });
        llvm::DILineInfoSpecifier spec(llvm::DILineInfoSpecifier::FileLineInfoKind::RawValue,
                                       llvm::DINameKind::ShortName);
        for (const auto &cu : ctx.compile_units()) {
            const llvm::DWARFDebugLine::LineTable *lt = ctx.getLineTableForUnit(cu.get());
            if (lt == nullptr)
                continue;
            for (const auto &row : lt->Rows) {
                if (row.EndSequence)
                    continue;
                const Body *body = find_body(bodies, row.Address.SectionIndex, row.Address.Address);
                if (body == nullptr)
                    continue;
                uint32_t native = static_cast<uint32_t>(row.Address.Address - body->low);
                int32_t chain = -1;
                if (row.Line != 0)
                    chain = chain_at(ctx, row.Address, spec, body->func);
                add_entry(body->func, native, chain);
            }
        }
        return true;
    }

    /* The blob (wa_rt.h) of what read() found. */
    std::string blob() {
        std::vector<uint32_t> funcs, entries, frames, files;
        std::string names;
        std::map<std::string, uint32_t> file_index;
        std::vector<uint32_t> chain_first(chains_.size());
        for (size_t c = 0; c < chains_.size(); c++) {
            chain_first[c] = static_cast<uint32_t>(frames.size() / WA_RT_SITES_FRAME_WORDS);
            for (const Frame &f : chains_[c]) {
                uint32_t file = UINT32_MAX, line = 0, column = 0;
                const char *path;
                if (in_->dwarf != nullptr && f.offset != WA_RT_SITES_UNKNOWN &&
                    wa_wasm_dwarf_position(in_->dwarf, f.offset, &path, &line, &column)) {
                    auto it = file_index.find(path);
                    if (it == file_index.end()) {
                        it = file_index.emplace(path, static_cast<uint32_t>(files.size())).first;
                        files.push_back(static_cast<uint32_t>(names.size()));
                        names.append(path);
                        names.push_back('\0');
                    }
                    file = it->second;
                }
                frames.insert(frames.end(), {f.func, f.offset, file, line, column});
            }
        }
        for (auto &[func, list] : by_func_) {
            std::stable_sort(list.begin(), list.end(), [](const Entry &a, const Entry &b) {
                return a.native_offset < b.native_offset;
            });
            funcs.insert(funcs.end(), {func, static_cast<uint32_t>(entries.size() / 3),
                                       static_cast<uint32_t>(list.size())});
            for (const Entry &e : list) {
                uint32_t n = e.chain < 0 ? 0 : static_cast<uint32_t>(chains_[e.chain].size());
                uint32_t first = e.chain < 0 ? 0 : chain_first[e.chain];
                entries.insert(entries.end(), {e.native_offset, first, n});
            }
        }
        uint32_t header_bytes = 4 * WA_RT_SITES_HEADER_WORDS;
        uint32_t names_at = header_bytes + 4 * static_cast<uint32_t>(funcs.size() + entries.size() +
                                                                     frames.size() + files.size());
        for (uint32_t &f : files)
            f += names_at;
        uint32_t size = names_at + static_cast<uint32_t>(names.size());
        std::vector<uint32_t> words = {WA_RT_SITES_MAGIC,
                                       size,
                                       static_cast<uint32_t>(funcs.size() / 3),
                                       static_cast<uint32_t>(entries.size() / 3),
                                       static_cast<uint32_t>(frames.size() / 5),
                                       static_cast<uint32_t>(files.size())};
        for (auto *part : {&funcs, &entries, &frames, &files})
            words.insert(words.end(), part->begin(), part->end());
        std::string out(reinterpret_cast<const char *>(words.data()), words.size() * 4);
        out += names;
        return out;
    }

  private:
    static const Body *find_body(const std::vector<Body> &bodies, uint64_t section,
                                 uint64_t address) {
        auto it = std::upper_bound(bodies.begin(), bodies.end(), std::make_pair(section, address),
                                   [](const std::pair<uint64_t, uint64_t> &k, const Body &b) {
                                       return k.first != b.section ? k.first < b.section
                                                                   : k.second < b.low;
                                   });
        if (it == bodies.begin())
            return nullptr;
        --it;
        return it->section == section && address < it->high ? &*it : nullptr;
    }

    int32_t chain_at(llvm::DWARFContext &ctx, llvm::object::SectionedAddress address,
                     const llvm::DILineInfoSpecifier &spec, uint32_t outer) {
        llvm::DIInliningInfo info = ctx.getInliningInfoForAddress(address, spec);
        std::vector<Frame> chain;
        for (uint32_t i = 0; i < info.getNumberOfFrames(); i++) {
            const llvm::DILineInfo &f = info.getFrame(i);
            uint32_t func;
            if (!parse_index(f.FunctionName, in_->nfuncs, &func))
                return -1;
            uint32_t line = f.Line == unknown_line ? WA_RT_SITES_UNKNOWN : f.Line;
            chain.push_back({func, line});
        }
        /* The outermost frame is the function whose code this is; anything else is not ours. */
        if (chain.empty() || chain.back().func != outer)
            return -1;
        auto it = chain_index_.find(chain);
        if (it != chain_index_.end())
            return it->second;
        int32_t index = static_cast<int32_t>(chains_.size());
        chains_.push_back(chain);
        chain_index_.emplace(std::move(chain), index);
        return index;
    }

    void add_entry(uint32_t func, uint32_t native, int32_t chain) {
        std::vector<Entry> &list = by_func_[func];
        if (!list.empty() && list.back().native_offset == native) {
            list.back().chain = chain; /* a later row at the same address wins */
            if (list.size() >= 2 && list[list.size() - 2].chain == chain)
                list.pop_back();
            return;
        }
        if (!list.empty() && list.back().chain == chain)
            return;
        if (list.empty() && chain < 0)
            return;
        list.push_back({native, chain});
    }

    const WaSitesInput *in_;
    std::vector<std::vector<Frame>> chains_;
    std::map<std::vector<Frame>, int32_t> chain_index_;
    std::map<uint32_t, std::vector<Entry>> by_func_;
};

} // namespace

extern "C" char *wa_sites_write_object(const char *obj, size_t size, const WaSitesInput *in,
                                       const char *path) {
    llvm::MemoryBufferRef ref(llvm::StringRef(obj, size), path);
    auto binary = llvm::object::createBinary(ref);
    if (!binary)
        return message("cannot read the object LLVM wrote: " + llvm::toString(binary.takeError()));
    auto *object = llvm::dyn_cast<llvm::object::ObjectFile>(binary->get());
    if (object == nullptr)
        return message("the object LLVM wrote is not an object file");
    std::string blob;
    {
        std::unique_ptr<llvm::DWARFContext> ctx = llvm::DWARFContext::create(
            *object, llvm::DWARFContext::ProcessDebugRelocations::Process, nullptr, "",
            [](llvm::Error e) { llvm::consumeError(std::move(e)); },
            [](llvm::Error e) { llvm::consumeError(std::move(e)); });
        /* Every object gets a table, if empty: the descriptor refers to its section's bounds. */
        Builder builder(in);
        builder.read(*ctx);
        blob = builder.blob();
    }
    llvm::objcopy::ConfigManager config;
    llvm::objcopy::CommonConfig &common = config.Common;
    common.StripDebug = true;
    {
        common.AddSection.emplace_back("wasmaot_sites",
                                       llvm::MemoryBuffer::getMemBufferCopy(blob, "wasmaot_sites"));
        common.SetSectionFlags.try_emplace(
            "wasmaot_sites", llvm::objcopy::SectionFlagsUpdate{
                                 "wasmaot_sites", llvm::objcopy::SectionFlag(
                                                      llvm::objcopy::SectionFlag::SecAlloc |
                                                      llvm::objcopy::SectionFlag::SecReadonly |
                                                      llvm::objcopy::SectionFlag::SecData)});
    }
    std::string symbol = "wasmaot_sites_" + std::to_string(in->chunk);
    llvm::objcopy::NewSymbolInfo sym;
    sym.SymbolName = symbol;
    sym.SectionName = "wasmaot_sites";
    sym.Value = 0;
    sym.Flags = {llvm::objcopy::SymbolFlag::Global, llvm::objcopy::SymbolFlag::Hidden,
                 llvm::objcopy::SymbolFlag::Object};
    common.SymbolsToAdd.push_back(sym);
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
    if (ec)
        return message(ec.message());
    if (llvm::Error e = llvm::objcopy::executeObjcopyOnBinary(config, *binary->get(), out))
        return message("cannot strip the object's debug sections: " + llvm::toString(std::move(e)));
    out.close();
    if (out.has_error())
        return message(out.error().message());
    return nullptr;
}
