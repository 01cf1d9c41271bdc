/*
 * demangle.h: the source name of a mangled function name (demangle.cpp).
 */
#ifndef WA_CODEGEN_DEMANGLE_H
#define WA_CODEGEN_DEMANGLE_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * `name` demangled (C++ Itanium, Rust legacy without its hash, Rust v0), in
 * a malloc'ed string the caller frees; NULL when it is not a mangled name
 * or cannot be demangled (or on allocation failure).
 */
char *wa_demangle(const char *name);

#ifdef __cplusplus
}
#endif

#endif
