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
 * call LLVM inlined. A row whose innermost line is 0 is no site, and gets
 * no entry (entries have a length).
 *
 * Writing. The frames are a tree (an inlined frame's node points to its
 * caller's, so the sites of one inlined call share their outer frames),
 * adjacent runs of one site merged, everything LEB128 and delta-coded (the
 * layout is in wa_rt.h), and every frame gets its source position from the
 * module's DWARF (wasm_dwarf.h) here, at compile time. The blob (wa_rt.h,
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
#include <tuple>
#include <vector>

namespace {

/* The line that marks a site whose offset is unknown (sites.h, WA_SITE_UNKNOWN_OFFSET). */
constexpr uint32_t unknown_line = 1;

/* A wasm frame and its caller's node, the unit of the table's frame tree. */
struct Node {
    uint32_t func, offset;
    int32_t parent; /* index into nodes, or -1 */
    bool operator<(const Node &o) const {
        return std::tie(func, offset, parent) < std::tie(o.func, o.offset, o.parent);
    }
};

/* The code [start, end) of a function's body is the site of `node`'s frames. */
struct Entry {
    uint32_t start, end;
    int32_t node;
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

void put_uleb(std::string &out, uint64_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        out.push_back(static_cast<char>(byte | (v != 0 ? 0x80 : 0)));
    } while (v != 0);
}

void put_word(std::string &out, uint32_t v) {
    char b[4];
    std::memcpy(b, &v, 4);
    out.append(b, 4);
}

class Builder {
  public:
    explicit Builder(const WaSitesInput *in) : in_(in) {}

    /* Reads the object's DWARF into entries and nodes. */
    void read(llvm::DWARFContext &ctx) {
        std::vector<Body> bodies;
        for (const auto &cu : ctx.compile_units()) {
            for (llvm::DWARFDie die = cu->getUnitDIE(false).getFirstChild(); die.isValid();
                 die = die.getSibling()) {
                if (die.getTag() != llvm::dwarf::DW_TAG_subprogram)
                    continue;
                uint64_t low, high, section;
                uint32_t func;
                if (!die.getLowAndHighPC(low, high, section) ||
                    !function_of(die.getName(llvm::DINameKind::ShortName), die.getDeclLine(), &func) ||
                    func < in_->first_func || func >= in_->end_func)
                    continue;
                bodies.push_back({section, low, high, func});
            }
        }
        std::sort(bodies.begin(), bodies.end(), [](const Body &a, const Body &b) {
            return a.section != b.section ? a.section < b.section : a.low < b.low;
        });
        llvm::DILineInfoSpecifier spec(llvm::DILineInfoSpecifier::FileLineInfoKind::RawValue,
                                       llvm::DINameKind::ShortName);
        for (const auto &cu : ctx.compile_units()) {
            const llvm::DWARFDebugLine::LineTable *lt = ctx.getLineTableForUnit(cu.get());
            if (lt == nullptr)
                continue;
            for (const auto &seq : lt->Sequences) {
                for (unsigned r = seq.FirstRowIndex; r + 1 < seq.LastRowIndex; r++) {
                    const auto &row = lt->Rows[r];
                    if (site_of(row.Line, row.Discriminator) == 0)
                        continue; /* not a site */
                    uint64_t at = row.Address.Address, end = lt->Rows[r + 1].Address.Address;
                    const Body *body = find_body(bodies, row.Address.SectionIndex, at);
                    if (body == nullptr || end <= at)
                        continue;
                    int32_t node = node_at(ctx, row.Address, spec, body->func);
                    if (node >= 0)
                        add_entry(body->func, static_cast<uint32_t>(at - body->low),
                                  static_cast<uint32_t>(std::min(end, body->high) - body->low),
                                  node);
                }
            }
        }
    }

    /* The blob (wa_rt.h, WA_RT_SITES_MAGIC) of what read() found. */
    std::string blob() {
        /* Nodes first: entries refer to their byte positions. */
        std::string nodes, files;
        std::vector<uint32_t> at(nodes_.size());
        std::map<std::string, uint32_t> file_index;
        for (size_t i = 0; i < nodes_.size(); i++) {
            const Node &n = nodes_[i];
            at[i] = static_cast<uint32_t>(nodes.size());
            put_uleb(nodes, n.parent < 0 ? 0 : at[i] - at[n.parent]);
            if (n.parent >= 0)
                put_uleb(nodes, n.func);
            size_t base = n.func < in_->nfuncs ? in_->code_offsets[n.func] : 0;
            bool known = n.offset != WA_RT_SITES_UNKNOWN && n.offset >= base;
            put_uleb(nodes, known ? n.offset - base + 1 : 0);
            const char *path;
            uint32_t line, column;
            if (in_->dwarf != nullptr && known &&
                wa_wasm_dwarf_position(in_->dwarf, n.offset, &path, &line, &column)) {
                auto it = file_index.try_emplace(path, file_index.size()).first;
                put_uleb(nodes, it->second + 1);
                put_uleb(nodes, line);
                put_uleb(nodes, column);
            } else {
                put_uleb(nodes, 0);
            }
        }
        std::vector<const std::string *> names(file_index.size());
        for (const auto &[name, index] : file_index)
            names[index] = &name;
        put_uleb(files, names.size());
        for (const std::string *name : names)
            files.append(name->c_str(), name->size() + 1);

        /* Every function of the chunk has a word, those without sites an empty run. */
        std::string funcs, entries;
        for (uint32_t func = in_->first_func; func < in_->end_func; func++) {
            put_word(funcs, static_cast<uint32_t>(entries.size()));
            auto found = by_func_.find(func);
            if (found == by_func_.end())
                continue;
            std::vector<Entry> &list = found->second;
            std::sort(list.begin(), list.end(),
                      [](const Entry &a, const Entry &b) { return a.start < b.start; });
            uint32_t end = 0;
            int64_t node = 0;
            for (const Entry &e : list) {
                put_uleb(entries, e.start - end);
                put_uleb(entries, e.end - e.start);
                int64_t step = static_cast<int64_t>(at[e.node]) - node;
                put_uleb(entries, static_cast<uint64_t>((step << 1) ^ (step >> 63)));
                end = e.end;
                node = at[e.node];
            }
        }
        uint32_t entries_at = 4 * WA_RT_SITES_HEADER_WORDS + static_cast<uint32_t>(funcs.size());
        uint32_t nodes_at = entries_at + static_cast<uint32_t>(entries.size());
        uint32_t files_at = nodes_at + static_cast<uint32_t>(nodes.size());
        std::string out;
        for (uint32_t w :
             {WA_RT_SITES_MAGIC, files_at + static_cast<uint32_t>(files.size()), in_->first_func,
              in_->end_func - in_->first_func, entries_at, nodes_at, files_at})
            put_word(out, w);
        return out + funcs + entries + nodes + files;
    }

  private:
    /* A subprogram's function index: its name, or with -g its line less one (sites.h). */
    bool function_of(llvm::StringRef name, uint64_t decl_line, uint32_t *func) const {
        if (!in_->debug_info)
            return parse_index(name, in_->nfuncs, func);
        if (decl_line == 0 || decl_line > in_->nfuncs)
            return false;
        *func = static_cast<uint32_t>(decl_line - 1);
        return true;
    }

    /* A location's site: its line, or with -g its discriminator (sites.h). */
    uint32_t site_of(uint32_t line, uint32_t discriminator) const {
        return in_->debug_info ? discriminator : line;
    }

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

    int32_t intern(const Node &n) {
        auto it = node_index_.find(n);
        if (it != node_index_.end())
            return it->second;
        int32_t index = static_cast<int32_t>(nodes_.size());
        nodes_.push_back(n);
        node_index_.emplace(n, index);
        return index;
    }

    /* The innermost node of the inline chain at address, or -1. */
    int32_t node_at(llvm::DWARFContext &ctx, llvm::object::SectionedAddress address,
                    const llvm::DILineInfoSpecifier &spec, uint32_t outer) {
        llvm::DIInliningInfo info = ctx.getInliningInfoForAddress(address, spec);
        uint32_t n = info.getNumberOfFrames();
        std::vector<Node> chain;
        for (uint32_t i = 0; i < n; i++) {
            const llvm::DILineInfo &f = info.getFrame(i);
            uint32_t func;
            if (!function_of(f.FunctionName, f.StartLine, &func))
                return -1;
            uint32_t site = site_of(f.Line, f.Discriminator);
            chain.push_back({func, site == unknown_line ? WA_RT_SITES_UNKNOWN : site, -1});
        }
        /* The outermost frame is the function whose code this is; anything else is not ours. */
        if (chain.empty() || chain.back().func != outer)
            return -1;
        int32_t parent = -1;
        for (size_t i = chain.size(); i-- > 0;) {
            chain[i].parent = parent;
            parent = intern(chain[i]);
        }
        return parent;
    }

    void add_entry(uint32_t func, uint32_t start, uint32_t end, int32_t node) {
        std::vector<Entry> &list = by_func_[func];
        if (!list.empty() && list.back().node == node && list.back().end == start) {
            list.back().end = end;
            return;
        }
        list.push_back({start, end, node});
    }

    const WaSitesInput *in_;
    std::vector<Node> nodes_;
    std::map<Node, int32_t> node_index_;
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
    common.StripDebug = !in->debug_info; /* -g keeps them, for debuggers */
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
