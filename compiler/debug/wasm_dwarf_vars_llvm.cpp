/*
 * wasm_dwarf_vars_llvm.cpp: the variables and types of a module's DWARF
 * (wasm_dwarf.h), for -g: what each function's DW_TAG_formal_parameter and
 * DW_TAG_variable entries (lexical blocks included) and the module's global
 * DW_TAG_variables say of where the variable is, in wasm terms, and its type.
 *
 * Where: clang and rustc without optimisation keep a function's variables
 * in its frame in linear memory: DW_OP_fbreg N, from a frame base that is a
 * wasm local (DW_AT_frame_base DW_OP_WASM_location 0 L), and a struct
 * passed by pointer where the pointer in a local says (DW_OP_WASM_location
 * 0 L alone). Globals and statics are at DW_OP_addr A in linear memory. A
 * variable in a wasm local is DW_OP_WASM_location 0 L, DW_OP_stack_value.
 * Anything else (location lists, which
 * optimised code has, or other expressions) is NOWHERE: the debugger shows
 * the variable as optimised out.
 *
 * Types are read once each, by DIE, into the flat table of wasm_dwarf.h;
 * pointers are cut (WA_DWARF_TYPE_ADDRESS), and a type met again inside
 * itself, or nested deeper than kMaxDepth, is opaque, so what codegen
 * walks is finite and acyclic whatever the module holds.
 */
#include "wasm_dwarf_llvm.h"

#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/Support/LEB128.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using namespace wa_dwarf;
using llvm::DWARFDie;
namespace dw = llvm::dwarf;

/* DW_OP_WASM_location: a wasm local (0), global (1, 3) or operand stack slot (2), then an index. */
constexpr uint8_t kOpWasmLocation = 0xed;
constexpr unsigned kMaxDepth = 64;
/* Beyond this many block ranges a function's variables are all in its outermost scope. */
constexpr size_t kMaxRanges = 4096;

/* A decoded location expression: wasm_dwarf.h's WaDwarfVar's where, local and at. */
struct Place {
    WaDwarfWhere where = WA_DWARF_AT_NOWHERE;
    uint32_t local = 0;
    uint64_t at = 0;
};

/* DW_OP_WASM_location 0 L, then DW_OP_stack_value (*value) or nothing: wasm local L. */
bool wasm_local(llvm::ArrayRef<uint8_t> e, uint32_t *local, bool *value) {
    if (e.size() < 3 || e[0] != kOpWasmLocation || e[1] != 0)
        return false;
    unsigned n = 0;
    const char *error = nullptr;
    uint64_t index = llvm::decodeULEB128(e.data() + 2, &n, e.data() + e.size(), &error);
    size_t end = 2 + n;
    *local = static_cast<uint32_t>(index);
    *value = end + 1 == e.size() && e[end] == dw::DW_OP_stack_value;
    return error == nullptr && index <= UINT32_MAX && (end == e.size() || *value);
}

/* Where expression e puts a variable of a function whose frame base is in local frame_local. */
Place decode_location(llvm::ArrayRef<uint8_t> e, uint32_t frame_local) {
    Place p;
    uint32_t local;
    bool value;
    unsigned n = 0;
    const char *error = nullptr;
    if (e.size() >= 2 && e[0] == dw::DW_OP_fbreg) {
        int64_t offset = llvm::decodeSLEB128(e.data() + 1, &n, e.data() + e.size(), &error);
        if (error == nullptr && 1 + n == e.size() && frame_local != WA_DWARF_NONE)
            p = {WA_DWARF_AT_INDIRECT, frame_local, static_cast<uint64_t>(offset)};
    } else if (e.size() == 5 && e[0] == dw::DW_OP_addr) {
        uint64_t address = e[1] | e[2] << 8 | e[3] << 16 | static_cast<uint64_t>(e[4]) << 24;
        if (!is_tombstone(address))
            p = {WA_DWARF_AT_MEMORY, 0, address};
    } else if (wasm_local(e, &local, &value)) {
        p = {value ? WA_DWARF_AT_LOCAL : WA_DWARF_AT_INDIRECT, local, 0};
    }
    return p;
}

/*
 * A C-like name for type `die` ("const char *"), to name a pointer type that
 * has none: its own name, or its qualifiers and the pointers to it around
 * the name of what it is made from; bounded in depth. Not LLVM's
 * DWARFTypePrinter, which crashes on DWARF that is well formed but odd
 * (found by tools/fuzz/fuzz_dwarf.c).
 */
std::string type_name(const DWARFDie &die, unsigned depth) {
    if (!die.isValid())
        return "void";
    if (const char *name = die.getName(llvm::DINameKind::ShortName); name != nullptr && *name)
        return name;
    if (depth > 16)
        return "?";
    DWARFDie of = die.getAttributeValueAsReferencedDie(dw::DW_AT_type);
    switch (die.getTag()) {
    case dw::DW_TAG_pointer_type:
        return type_name(of, depth + 1) + " *";
    case dw::DW_TAG_reference_type:
        return type_name(of, depth + 1) + " &";
    case dw::DW_TAG_rvalue_reference_type:
        return type_name(of, depth + 1) + " &&";
    case dw::DW_TAG_ptr_to_member_type:
        return type_name(of, depth + 1) + " ::*";
    case dw::DW_TAG_const_type:
        return "const " + type_name(of, depth + 1);
    case dw::DW_TAG_volatile_type:
        return "volatile " + type_name(of, depth + 1);
    case dw::DW_TAG_restrict_type:
    case dw::DW_TAG_atomic_type:
        return type_name(of, depth + 1);
    case dw::DW_TAG_subroutine_type:
        return "(function)";
    default:
        return "?";
    }
}

/* The exprloc of attribute `a`, if it has one (not a location list). */
std::optional<llvm::ArrayRef<uint8_t>> expression(const DWARFDie &die, dw::Attribute a) {
    std::optional<llvm::DWARFFormValue> v = die.find(a);
    if (!v || !v->isFormClass(llvm::DWARFFormValue::FC_Exprloc))
        return std::nullopt;
    return v->getAsBlock();
}

class Reader {
  public:
    Reader(const WaDwarfInput *in, Files &files)
        : in_(in), files_(files), funcs_(in->nfuncs, WaDwarfFuncVars{}), read_(in->nfuncs, false) {}

    void unit(const DWARFDie &cu) {
        scope(cu, 0);
    }
    bool finish(WaWasmDwarf *out);

  private:
    const WaDwarfInput *in_;
    Files &files_;
    std::vector<WaDwarfFuncVars> funcs_;
    std::vector<bool> read_; /* per function: its subprogram was read (the first one wins) */
    std::vector<WaDwarfVar> vars_, globals_;
    std::vector<WaDwarfType> types_;
    std::vector<WaDwarfField> fields_;
    std::vector<WaDwarfBlock> blocks_;
    std::vector<WaDwarfSpan> spans_;
    /* The function being read: its blocks' code ranges (file offsets), with depth and block. */
    struct Range {
        uint64_t low, high;
        unsigned depth;
        uint32_t block;
    };
    std::vector<Range> ranges_;
    /* DIE offset -> type index; in_progress_: the types being read, for cycles. */
    std::unordered_map<uint64_t, uint32_t> type_of_die_;
    std::unordered_map<uint64_t, bool> in_progress_;
    bool failed_ = false;

    char *name_of(const DWARFDie &die) {
        const char *n = die.getName(llvm::DINameKind::ShortName);
        if (n == nullptr || *n == '\0')
            return nullptr;
        char *c = copy(n);
        failed_ |= c == nullptr;
        return c;
    }
    void scope(const DWARFDie &parent, unsigned depth);
    void function(const DWARFDie &sp, uint32_t f);
    /* Where a function's variables are found: its frame base, its block and the block's depth. */
    struct Scope {
        uint32_t frame_local, block;
        unsigned depth;
    };
    void function_scope(const DWARFDie &parent, const Scope &s, uint32_t *args);
    uint32_t block(const DWARFDie &die, const Scope &s);
    void spans(uint32_t f);
    bool variable(const DWARFDie &die, uint32_t arg, const Scope &s, std::vector<WaDwarfVar> &into);
    uint32_t type(const DWARFDie &die, unsigned depth);
    uint32_t read_type(const DWARFDie &die, unsigned depth);
    uint32_t add_type(WaDwarfTypeKind kind, const DWARFDie &die, uint32_t of) {
        WaDwarfType t = {};
        t.kind = static_cast<uint8_t>(kind);
        t.name = name_of(die);
        t.size = llvm::dwarf::toUnsigned(die.find(dw::DW_AT_byte_size), 0);
        t.type = of;
        types_.push_back(t);
        return static_cast<uint32_t>(types_.size() - 1);
    }
    void members(const DWARFDie &die, unsigned depth, uint32_t t);
    void add_members(const DWARFDie &die, unsigned depth, std::vector<WaDwarfField> &fields);
    void enumerators(const DWARFDie &die, uint32_t t);
    void dimensions(const DWARFDie &die, uint32_t t);
    void set_fields(uint32_t t, std::vector<WaDwarfField> &&fields) {
        types_[t].first_field = static_cast<uint32_t>(fields_.size());
        types_[t].nfields = static_cast<uint32_t>(fields.size());
        fields_.insert(fields_.end(), fields.begin(), fields.end());
    }
};

/*
 * Subprograms with code and global variables, in a unit or anything it nests
 * them in (to kMaxDepth levels: DWARF made to nest deeper is not followed).
 */
void Reader::scope(const DWARFDie &parent, unsigned depth) {
    if (depth > kMaxDepth)
        return;
    for (DWARFDie die = parent.getFirstChild(); die && !failed_; die = die.getSibling()) {
        switch (die.getTag()) {
        case dw::DW_TAG_subprogram: {
            uint64_t low, high, section;
            if (!die.getLowAndHighPC(low, high, section) || is_tombstone(low))
                break;
            int64_t f = function_at(in_, in_->code_section_offset + low);
            if (f >= 0 && !read_[f])
                function(die, static_cast<uint32_t>(f));
            break;
        }
        case dw::DW_TAG_variable:
            variable(die, 0, Scope{WA_DWARF_NONE, WA_DWARF_NONE, 0}, globals_);
            break;
        default:
            scope(die, depth + 1); /* namespaces, the types holding Rust's and C++'s methods */
        }
    }
}

void Reader::function(const DWARFDie &sp, uint32_t f) {
    read_[f] = true;
    /* The frame base: a local's value (DW_OP_WASM_location 0 L, DW_OP_stack_value). */
    uint32_t local, frame_local = WA_DWARF_NONE;
    bool value;
    std::optional<llvm::ArrayRef<uint8_t>> base = expression(sp, dw::DW_AT_frame_base);
    if (base && wasm_local(*base, &local, &value) && value)
        frame_local = local;
    funcs_[f].decl_line = static_cast<uint32_t>(sp.getDeclLine());
    funcs_[f].first_var = static_cast<uint32_t>(vars_.size());
    funcs_[f].first_block = static_cast<uint32_t>(blocks_.size());
    ranges_.clear();
    uint32_t args = 0;
    function_scope(sp, Scope{frame_local, WA_DWARF_NONE, 0}, &args);
    funcs_[f].nvars = static_cast<uint32_t>(vars_.size()) - funcs_[f].first_var;
    funcs_[f].nblocks = static_cast<uint32_t>(blocks_.size()) - funcs_[f].first_block;
    spans(f);
}

/* The variables of a function and its lexical blocks (not those of what was inlined into it). */
void Reader::function_scope(const DWARFDie &parent, const Scope &s, uint32_t *args) {
    if (s.depth > kMaxDepth)
        return;
    for (DWARFDie die = parent.getFirstChild(); die && !failed_; die = die.getSibling()) {
        switch (die.getTag()) {
        case dw::DW_TAG_formal_parameter:
            ++*args;
            variable(die, *args, s, vars_);
            break;
        case dw::DW_TAG_variable:
            variable(die, 0, s, vars_);
            break;
        case dw::DW_TAG_lexical_block:
            function_scope(die, Scope{s.frame_local, block(die, s), s.depth + 1}, args);
            break;
        default:
            break;
        }
    }
}

/* Adds lexical block `die`, nested in s, with its code ranges; returns its index, or s's block
   if it has no code of ours (its variables are then the enclosing scope's). */
uint32_t Reader::block(const DWARFDie &die, const Scope &s) {
    llvm::Expected<llvm::DWARFAddressRangesVector> ranges = die.getAddressRanges();
    if (!ranges) {
        llvm::consumeError(ranges.takeError());
        return s.block;
    }
    uint64_t low = UINT64_MAX;
    uint32_t index = static_cast<uint32_t>(blocks_.size());
    for (const llvm::DWARFAddressRange &r : *ranges) {
        if (is_tombstone(r.LowPC) || r.HighPC <= r.LowPC)
            continue;
        ranges_.push_back({in_->code_section_offset + r.LowPC, in_->code_section_offset + r.HighPC,
                           s.depth + 1, index});
        low = std::min(low, in_->code_section_offset + r.LowPC);
    }
    if (low > UINT32_MAX)
        return s.block;
    blocks_.push_back({s.block, static_cast<uint32_t>(low)});
    return index;
}

/*
 * Function f's spans: at each point where a block range starts or ends, the
 * deepest range covering the code from there (blocks nest, so that is the
 * innermost block).
 */
void Reader::spans(uint32_t f) {
    WaDwarfFuncVars &fv = funcs_[f];
    fv.first_span = static_cast<uint32_t>(spans_.size());
    /* block indices relative to the function's first */
    for (uint32_t i = fv.first_block; i < fv.first_block + fv.nblocks; i++)
        if (blocks_[i].parent != WA_DWARF_NONE)
            blocks_[i].parent -= fv.first_block;
    for (uint32_t i = fv.first_var; i < fv.first_var + fv.nvars; i++)
        if (vars_[i].block != WA_DWARF_NONE)
            vars_[i].block -= fv.first_block;
    if (ranges_.size() > kMaxRanges) {
        /* too many to place: every variable in the outermost scope */
        for (uint32_t i = fv.first_var; i < fv.first_var + fv.nvars; i++)
            vars_[i].block = WA_DWARF_NONE;
        return;
    }
    std::vector<uint64_t> points;
    for (const Range &r : ranges_) {
        points.push_back(r.low);
        points.push_back(r.high);
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    for (uint64_t p : points) {
        if (p > UINT32_MAX)
            break;
        const Range *inner = nullptr;
        for (const Range &r : ranges_)
            if (r.low <= p && p < r.high && (inner == nullptr || r.depth > inner->depth))
                inner = &r;
        uint32_t b = inner != nullptr ? inner->block - fv.first_block : WA_DWARF_NONE;
        if (spans_.size() > fv.first_span && spans_.back().block == b)
            continue;
        spans_.push_back({static_cast<uint32_t>(p), b});
    }
    fv.nspans = static_cast<uint32_t>(spans_.size()) - fv.first_span;
}

/* Adds the named variable `die` to `into`; a global only if it is in linear memory. */
bool Reader::variable(const DWARFDie &die, uint32_t arg, const Scope &s,
                      std::vector<WaDwarfVar> &into) {
    bool global = &into == &globals_;
    std::optional<llvm::ArrayRef<uint8_t>> e = expression(die, dw::DW_AT_location);
    Place p = e ? decode_location(*e, s.frame_local) : Place();
    if (global && p.where != WA_DWARF_AT_MEMORY)
        return false;
    char *name = name_of(die);
    if (name == nullptr)
        return false;
    WaDwarfVar v = {};
    v.name = name;
    v.where = static_cast<uint8_t>(p.where);
    v.local = p.local;
    v.at = p.at;
    v.arg = arg;
    v.block = s.block;
    std::optional<llvm::DWARFFormValue> t = die.findRecursively(dw::DW_AT_type);
    v.type = t ? type(die.getAttributeValueAsReferencedDie(*t), 0) : WA_DWARF_NONE;
    std::string file =
        die.getDeclFile(llvm::DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath);
    v.file = file.empty() ? WA_DWARF_NONE : files_.file(file);
    v.line = static_cast<uint32_t>(die.getDeclLine());
    into.push_back(v);
    return true;
}

uint32_t Reader::type(const DWARFDie &die, unsigned depth) {
    if (!die.isValid() || failed_)
        return WA_DWARF_NONE;
    auto known = type_of_die_.find(die.getOffset());
    if (known != type_of_die_.end())
        return known->second;
    if (depth > kMaxDepth || in_progress_[die.getOffset()])
        return add_type(WA_DWARF_TYPE_OPAQUE, die, WA_DWARF_NONE);
    in_progress_[die.getOffset()] = true;
    uint32_t t = read_type(die, depth);
    in_progress_[die.getOffset()] = false;
    type_of_die_.emplace(die.getOffset(), t);
    return t;
}

uint32_t Reader::read_type(const DWARFDie &die, unsigned depth) {
    DWARFDie of = die.getAttributeValueAsReferencedDie(dw::DW_AT_type);
    bool declaration = llvm::dwarf::toUnsigned(die.find(dw::DW_AT_declaration), 0) != 0;
    uint32_t t;
    switch (die.getTag()) {
    case dw::DW_TAG_base_type:
        t = add_type(WA_DWARF_TYPE_BASE, die, WA_DWARF_NONE);
        types_[t].encoding = static_cast<uint8_t>(
            llvm::dwarf::toUnsigned(die.find(dw::DW_AT_encoding), dw::DW_ATE_unsigned));
        return t;
    case dw::DW_TAG_pointer_type:
    case dw::DW_TAG_reference_type:
    case dw::DW_TAG_rvalue_reference_type:
    case dw::DW_TAG_ptr_to_member_type: {
        t = add_type(WA_DWARF_TYPE_ADDRESS, die, WA_DWARF_NONE);
        if (types_[t].size == 0)
            types_[t].size = 4;
        if (types_[t].name == nullptr)
            types_[t].name = copy(type_name(die, 0));
        return t;
    }
    case dw::DW_TAG_structure_type:
    case dw::DW_TAG_class_type:
    case dw::DW_TAG_union_type:
        if (declaration)
            return add_type(WA_DWARF_TYPE_OPAQUE, die, WA_DWARF_NONE);
        t = add_type(die.getTag() == dw::DW_TAG_union_type ? WA_DWARF_TYPE_UNION
                                                           : WA_DWARF_TYPE_STRUCT,
                     die, WA_DWARF_NONE);
        members(die, depth, t);
        return t;
    case dw::DW_TAG_enumeration_type:
        t = add_type(WA_DWARF_TYPE_ENUM, die, WA_DWARF_NONE);
        types_[t].type = type(of, depth + 1);
        enumerators(die, t);
        return t;
    case dw::DW_TAG_array_type:
        t = add_type(WA_DWARF_TYPE_ARRAY, die, WA_DWARF_NONE);
        types_[t].type = type(of, depth + 1);
        dimensions(die, t);
        return t;
    case dw::DW_TAG_typedef:
        t = add_type(WA_DWARF_TYPE_TYPEDEF, die, WA_DWARF_NONE);
        types_[t].type = type(of, depth + 1);
        return t;
    case dw::DW_TAG_const_type:
    case dw::DW_TAG_volatile_type:
        t = add_type(die.getTag() == dw::DW_TAG_const_type ? WA_DWARF_TYPE_CONST
                                                           : WA_DWARF_TYPE_VOLATILE,
                     die, WA_DWARF_NONE);
        types_[t].type = type(of, depth + 1);
        return t;
    case dw::DW_TAG_restrict_type:
    case dw::DW_TAG_atomic_type:
        return type(of, depth + 1); /* nothing a debugger shows */
    default:
        return add_type(WA_DWARF_TYPE_OPAQUE, die, WA_DWARF_NONE);
    }
}

/* The data members of a struct, class or union, bases included (as unnamed members). */
void Reader::members(const DWARFDie &die, unsigned depth, uint32_t t) {
    std::vector<WaDwarfField> fields;
    add_members(die, depth, fields);
    set_fields(t, std::move(fields));
}

/*
 * The members of `die` into fields. A Rust enum's variant part is
 * flattened: its discriminant (named "discriminant"), then each variant's
 * member, all overlapping as in a union; a C-language debugger has no
 * variants to show, and so shows all of them.
 */
void Reader::add_members(const DWARFDie &die, unsigned depth, std::vector<WaDwarfField> &fields) {
    for (DWARFDie m = die.getFirstChild(); m && !failed_; m = m.getSibling()) {
        if (m.getTag() == dw::DW_TAG_variant_part || m.getTag() == dw::DW_TAG_variant) {
            if (depth < kMaxDepth)
                add_members(m, depth + 1, fields);
            continue;
        }
        bool base = m.getTag() == dw::DW_TAG_inheritance;
        if ((m.getTag() != dw::DW_TAG_member && !base) ||
            llvm::dwarf::toUnsigned(m.find(dw::DW_AT_declaration), 0) != 0 ||
            llvm::dwarf::toUnsigned(m.find(dw::DW_AT_external), 0) != 0)
            continue; /* static members, methods, nested types */
        WaDwarfField f = {};
        f.name = base ? nullptr : name_of(m);
        if (f.name == nullptr && die.getTag() == dw::DW_TAG_variant_part)
            f.name = copy("discriminant");
        f.type = type(m.getAttributeValueAsReferencedDie(dw::DW_AT_type), depth + 1);
        std::optional<llvm::DWARFFormValue> at = m.find(dw::DW_AT_data_member_location);
        uint64_t byte_offset = 0;
        std::optional<llvm::ArrayRef<uint8_t>> e;
        if (at && at->isFormClass(llvm::DWARFFormValue::FC_Exprloc) && (e = at->getAsBlock())) {
            /* DWARF 2's form: DW_OP_plus_uconst N */
            if (e->size() >= 2 && (*e)[0] == dw::DW_OP_plus_uconst)
                byte_offset = llvm::decodeULEB128(e->data() + 1, nullptr, e->data() + e->size());
        } else if (at) {
            byte_offset = at->getAsUnsignedConstant().value_or(0);
        }
        f.value = byte_offset * 8;
        f.bit_size = static_cast<uint32_t>(llvm::dwarf::toUnsigned(m.find(dw::DW_AT_bit_size), 0));
        if (f.bit_size != 0) {
            if (std::optional<uint64_t> bit =
                    llvm::dwarf::toUnsigned(m.find(dw::DW_AT_data_bit_offset))) {
                f.value = *bit;
            } else if (std::optional<uint64_t> big =
                           llvm::dwarf::toUnsigned(m.find(dw::DW_AT_bit_offset))) {
                /* DWARF 2's: from the most significant bit of the storage unit */
                uint64_t unit = llvm::dwarf::toUnsigned(m.find(dw::DW_AT_byte_size), 0) * 8;
                f.value = byte_offset * 8 + unit - *big - f.bit_size;
            }
        }
        fields.push_back(f);
    }
}

void Reader::enumerators(const DWARFDie &die, uint32_t t) {
    std::vector<WaDwarfField> fields;
    for (DWARFDie e = die.getFirstChild(); e && !failed_; e = e.getSibling()) {
        if (e.getTag() != dw::DW_TAG_enumerator)
            continue;
        std::optional<llvm::DWARFFormValue> v = e.find(dw::DW_AT_const_value);
        WaDwarfField f = {};
        f.name = name_of(e);
        f.type = WA_DWARF_NONE;
        if (v)
            f.value = v->getAsUnsignedConstant().value_or(
                static_cast<uint64_t>(v->getAsSignedConstant().value_or(0)));
        if (f.name != nullptr)
            fields.push_back(f);
    }
    set_fields(t, std::move(fields));
}

void Reader::dimensions(const DWARFDie &die, uint32_t t) {
    std::vector<WaDwarfField> fields;
    for (DWARFDie s = die.getFirstChild(); s; s = s.getSibling()) {
        if (s.getTag() != dw::DW_TAG_subrange_type)
            continue;
        WaDwarfField f = {};
        f.type = WA_DWARF_NONE;
        f.value = UINT64_MAX;
        if (std::optional<uint64_t> count = llvm::dwarf::toUnsigned(s.find(dw::DW_AT_count)))
            f.value = *count;
        else if (std::optional<uint64_t> upper =
                     llvm::dwarf::toUnsigned(s.find(dw::DW_AT_upper_bound)))
            f.value = *upper + 1 - llvm::dwarf::toUnsigned(s.find(dw::DW_AT_lower_bound), 0);
        fields.push_back(f);
    }
    set_fields(t, std::move(fields));
}

template <typename T> T *to_c_array(const std::vector<T> &v, bool *failed) {
    T *a = static_cast<T *>(std::malloc((v.size() + 1) * sizeof(T)));
    if (a == nullptr)
        *failed = true;
    else if (!v.empty())
        std::memcpy(a, v.data(), v.size() * sizeof(T));
    return a;
}

bool Reader::finish(WaWasmDwarf *out) {
    /* Everything read is owned by out from here, to be freed by wa_wasm_dwarf_free. */
    vars_.insert(vars_.end(), globals_.begin(), globals_.end());
    out->first_global = static_cast<uint32_t>(vars_.size() - globals_.size());
    out->nglobals = static_cast<uint32_t>(globals_.size());
    out->func_vars = to_c_array(funcs_, &failed_);
    out->vars = to_c_array(vars_, &failed_);
    out->nvars = out->vars != nullptr ? static_cast<uint32_t>(vars_.size()) : 0;
    out->types = to_c_array(types_, &failed_);
    out->ntypes = out->types != nullptr ? static_cast<uint32_t>(types_.size()) : 0;
    out->fields = to_c_array(fields_, &failed_);
    out->nfields = out->fields != nullptr ? static_cast<uint32_t>(fields_.size()) : 0;
    out->blocks = to_c_array(blocks_, &failed_);
    out->nblocks = out->blocks != nullptr ? static_cast<uint32_t>(blocks_.size()) : 0;
    out->spans = to_c_array(spans_, &failed_);
    out->nspans = out->spans != nullptr ? static_cast<uint32_t>(spans_.size()) : 0;
    return !failed_;
}

} // namespace

bool wa_dwarf::read_variables(llvm::DWARFContext &ctx, const WaDwarfInput *in, Files &files,
                              WaWasmDwarf *out) {
    Reader r(in, files);
    for (const auto &cu : ctx.compile_units())
        r.unit(cu->getUnitDIE(false));
    return r.finish(out);
}
