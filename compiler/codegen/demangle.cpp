/*
 * demangle.cpp: source names of mangled wasm function names, for trap
 * backtraces (the descriptor's func_demangled, instance.c). The compiler
 * demangles, with LLVM's demangler (C++ Itanium, Rust v0), so executables
 * carry no demangler and the trap path only copies strings.
 *
 * Rust's legacy mangling is Itanium's nested name with a last segment
 * "h<16 hex digits>" (a hash) and '$'-escapes inside segments ("$LT$" for
 * '<', "$u20$" for ' ', ".." for "::"); rustfilt shows it without the hash
 * and with the escapes decoded, and so does this.
 */
#include "demangle.h"

#include <llvm/Demangle/Demangle.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

bool is_rust_hash(const std::string &s, size_t at) {
    if (s.size() - at != 19 || s.compare(at, 3, "::h") != 0)
        return false;
    for (size_t i = at + 3; i < s.size(); i++)
        if (!std::isxdigit(static_cast<unsigned char>(s[i])))
            return false;
    return true;
}

/* The escapes of Rust's legacy mangling (rustc_symbol_mangling/src/legacy.rs). */
std::string decode_rust_legacy(const std::string &s) {
    static const struct {
        const char *escape, *text;
    } escapes[] = {{"$SP$", "@"}, {"$BP$", "*"}, {"$RF$", "&"}, {"$LT$", "<"},
                   {"$GT$", ">"}, {"$LP$", "("}, {"$RP$", ")"}, {"$C$", ","}};
    std::string out;
    for (size_t i = 0; i < s.size();) {
        /* rustc puts '_' before a segment that would start with '$'. */
        bool segment_start = i == 0 || (i >= 2 && s.compare(i - 2, 2, "::") == 0);
        if (segment_start && s.compare(i, 2, "_$") == 0) {
            i++;
            continue;
        }
        if (s.compare(i, 2, "..") == 0) {
            out += "::";
            i += 2;
            continue;
        }
        bool done = false;
        for (const auto &e : escapes) {
            size_t n = std::strlen(e.escape);
            if (s.compare(i, n, e.escape) == 0) {
                out += e.text;
                i += n;
                done = true;
                break;
            }
        }
        if (!done && s.compare(i, 2, "$u") == 0) {
            size_t end = s.find('$', i + 2);
            if (end != std::string::npos && end > i + 2 && end - i <= 8) {
                unsigned long c = std::strtoul(s.substr(i + 2, end - i - 2).c_str(), nullptr, 16);
                if (c > 0 && c < 0x80) {
                    out += static_cast<char>(c);
                    i = end + 1;
                    done = true;
                }
            }
        }
        if (!done)
            out += s[i++];
    }
    return out;
}

} // namespace

char *wa_demangle(const char *name) {
    if (name == nullptr || name[0] != '_')
        return nullptr;
    std::string out;
    if (!llvm::nonMicrosoftDemangle(name, out) || out == name)
        return nullptr;
    /* A suffix such as ".llvm.123" reads " (.llvm.123)" after the name: set aside. */
    std::string suffix;
    size_t clone = out.size() > 0 && out.back() == ')' ? out.rfind(" (.") : std::string::npos;
    if (clone != std::string::npos) {
        suffix = out.substr(clone);
        out.resize(clone);
    }
    size_t hash_at = out.size() >= 19 ? out.size() - 19 : 0;
    if (std::strncmp(name, "_ZN", 3) == 0 && is_rust_hash(out, hash_at)) {
        out = decode_rust_legacy(out.substr(0, hash_at));
        if (suffix.compare(0, 8, " (.llvm.") == 0)
            suffix.clear(); /* LLVM's, as rustfilt drops it */
    }
    out += suffix;
    char *copy = static_cast<char *>(std::malloc(out.size() + 1));
    if (copy == nullptr)
        return nullptr;
    std::memcpy(copy, out.c_str(), out.size() + 1);
    return copy;
}
