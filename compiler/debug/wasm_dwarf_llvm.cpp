/*
 * wasm_dwarf_llvm.cpp: reading a module's DWARF (wasm_dwarf.h) with LLVM's
 * DWARF library, from the module's `.debug_*` custom sections as they are
 * (DWARFContext over in-memory sections, 4-byte addresses: wasm32).
 *
 * Names: every DW_TAG_subprogram with code (DW_AT_low_pc, not a
 * tombstone: wasm-ld writes 0 or -1 into the DWARF of functions it
 * dropped) names the function whose body starts there; DW_AT_linkage_name
 * (what the name section would hold, and what compiler/codegen/demangle.cpp
 * turns into a source name) is preferred, else DW_AT_name, following
 * DW_AT_specification and DW_AT_abstract_origin. The first subprogram to
 * name a function wins.
 *
 * Lines: the rows of every sequence of every unit's line table, moved from
 * code-section addresses to file offsets, files as absolute paths (the
 * unit's DW_AT_comp_dir, the row's directory and name, as addr2line and
 * wasmtime join them). Sequences of dropped functions are skipped.
 */
#include "wasm_dwarf_llvm.h"
#include "dwarf_check.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/Support/MemoryBuffer.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace wa_dwarf {

char *copy(const std::string &s) {
    char *c = static_cast<char *>(std::malloc(s.size() + 1));
    if (c != nullptr)
        std::memcpy(c, s.c_str(), s.size() + 1);
    return c;
}

bool is_tombstone(uint64_t address) {
    return address == 0 || address >= 0xfffffff0u;
}

int64_t function_at(const WaDwarfInput *in, uint64_t at) {
    /* Bodies are in index order: the first whose end is past `at`. */
    uint32_t lo = 0, hi = in->nfuncs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (in->body_ends[mid] <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == in->nfuncs || in->body_ends[lo] == 0 || in->code_offsets[lo] < at)
        return -1;
    return lo;
}

uint32_t Files::file(const std::string &path) {
    auto it = index.find(path);
    if (it != index.end())
        return it->second;
    uint32_t i = static_cast<uint32_t>(paths.size());
    paths.push_back(path);
    index.emplace(path, i);
    return i;
}

} // namespace wa_dwarf

namespace {

using namespace wa_dwarf;

void read_names(llvm::DWARFContext &ctx, const WaDwarfInput *in, char **names) {
    for (const auto &cu : ctx.compile_units()) {
        for (const llvm::DWARFDebugInfoEntry &entry : cu->dies()) {
            llvm::DWARFDie die(cu.get(), &entry);
            if (die.getTag() != llvm::dwarf::DW_TAG_subprogram)
                continue;
            uint64_t low, high, section;
            if (!die.getLowAndHighPC(low, high, section) || is_tombstone(low))
                continue;
            int64_t f = function_at(in, in->code_section_offset + low);
            if (f < 0 || names[f] != nullptr)
                continue;
            const char *name = die.getName(llvm::DINameKind::LinkageName);
            if (name != nullptr && *name != '\0')
                names[f] = copy(name);
        }
    }
}

struct Lines {
    std::vector<WaDwarfRow> rows;
    Files files;
};

void read_lines(llvm::DWARFContext &ctx, const WaDwarfInput *in, Lines &lines) {
    for (const auto &cu : ctx.compile_units()) {
        const llvm::DWARFDebugLine::LineTable *lt = ctx.getLineTableForUnit(cu.get());
        if (lt == nullptr)
            continue;
        const char *comp_dir = cu->getCompilationDir();
        std::map<uint64_t, uint32_t> files; /* this table's file index -> ours */
        for (const auto &seq : lt->Sequences) {
            if (is_tombstone(seq.LowPC))
                continue;
            for (uint32_t r = seq.FirstRowIndex; r < seq.LastRowIndex && r < lt->Rows.size(); r++) {
                const auto &row = lt->Rows[r];
                uint64_t offset = in->code_section_offset + row.Address.Address;
                if (offset > UINT32_MAX)
                    break;
                WaDwarfRow out = {static_cast<uint32_t>(offset), UINT32_MAX, row.Line, row.Column};
                if (!row.EndSequence) {
                    auto it = files.find(row.File);
                    if (it == files.end()) {
                        std::string path;
                        uint32_t id = UINT32_MAX;
                        if (lt->getFileNameByIndex(
                                row.File, comp_dir ? comp_dir : "",
                                llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath,
                                path))
                            id = lines.files.file(path);
                        it = files.emplace(row.File, id).first;
                    }
                    out.file = it->second;
                }
                lines.rows.push_back(out);
            }
        }
    }
    /*
     * By offset, rows of one offset in the order they came: a sort of their
     * positions by (offset, position). Not std::stable_sort, whose
     * temporary buffer libstdc++ 12 declares deprecated (an error for clang
     * with -Werror: the fuzzing build).
     */
    std::vector<size_t> order(lines.rows.size());
    for (size_t i = 0; i < order.size(); i++)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::tie(lines.rows[a].offset, a) < std::tie(lines.rows[b].offset, b);
    });
    std::vector<WaDwarfRow> sorted;
    sorted.reserve(order.size());
    for (size_t i : order)
        sorted.push_back(lines.rows[i]);
    lines.rows.swap(sorted);
}

} // namespace

extern "C" bool wa_wasm_dwarf_read(const WaDwarfInput *in, WaWasmDwarf *out) {
    std::memset(out, 0, sizeof *out);
    llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> sections;
    for (size_t i = 0; i < in->nsections; i++) {
        llvm::StringRef name(in->sections[i].name, in->sections[i].name_len);
        if (!name.starts_with(".debug_"))
            continue;
        llvm::StringRef data(reinterpret_cast<const char *>(in->sections[i].data),
                             in->sections[i].size);
        /* DWARFContext names sections without the dot; a repeated section: the first. */
        sections.try_emplace(name.drop_front(),
                             llvm::MemoryBuffer::getMemBuffer(data, name, false));
    }
    auto info = sections.find("debug_info"), abbrev = sections.find("debug_abbrev");
    if (info == sections.end() || abbrev == sections.end())
        return false;
    /* LLVM's reader trusts the sizes in the DWARF (dwarf_check.h) */
    llvm::StringRef a = abbrev->second->getBuffer();
    for (bool types : {false, true}) {
        auto found = sections.find(types ? "debug_types" : "debug_info");
        if (found == sections.end())
            continue;
        llvm::StringRef u = found->second->getBuffer();
        if (!wa_dwarf_info_well_formed(reinterpret_cast<const uint8_t *>(u.data()), u.size(),
                                       reinterpret_cast<const uint8_t *>(a.data()), a.size(),
                                       types)) {
            out->malformed = true;
            return false;
        }
    }
    std::unique_ptr<llvm::DWARFContext> ctx = llvm::DWARFContext::create(
        sections, 4, true, [](llvm::Error e) { llvm::consumeError(std::move(e)); },
        [](llvm::Error e) { llvm::consumeError(std::move(e)); });
    char **names = static_cast<char **>(std::calloc(in->nfuncs, sizeof(char *)));
    if (names == nullptr)
        return false;
    read_names(*ctx, in, names);
    Lines lines;
    read_lines(*ctx, in, lines);
    out->func_names = names;
    out->nfunc_names = in->nfuncs;
    if (in->variables && !read_variables(*ctx, in, lines.files, out)) {
        wa_wasm_dwarf_free(out);
        return false;
    }
    out->rows =
        static_cast<WaDwarfRow *>(std::malloc((lines.rows.size() + 1) * sizeof(WaDwarfRow)));
    out->files = static_cast<char **>(std::calloc(lines.files.paths.size() + 1, sizeof(char *)));
    if (out->rows == nullptr || out->files == nullptr) {
        wa_wasm_dwarf_free(out);
        return false;
    }
    std::copy(lines.rows.begin(), lines.rows.end(), out->rows);
    out->nrows = lines.rows.size();
    for (const std::string &f : lines.files.paths)
        out->files[out->nfiles++] = copy(f);
    return true;
}
