/*
 * features.h: the WebAssembly features (proposals) a compile accepts, as a
 * bit set, and the check that a decoded module uses no other (features.c).
 * Every feature is one row of features.def.
 */
#ifndef WA_WASM_FEATURES_H
#define WA_WASM_FEATURES_H

#include "../base/diag.h"
#include "module.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum WaFeature {
#define WA_FEATURE(NAME, CLI, STATUS, WABT_ON, DESCRIPTION) WA_FEATURE_##NAME,
#include "features.def"
#undef WA_FEATURE
    WA_FEATURE_COUNT
} WaFeature;

/* A set of features: bit (1u << WaFeature) set = enabled. */
typedef uint32_t WaFeatures;

#define WA_FEATURE_BIT(f) ((WaFeatures)1u << (f))

/* The features of rows with STATUS ON. */
WaFeatures wa_features_default(void);

/* Every implemented feature (STATUS ON or OFF): what --enable-all enables. */
WaFeatures wa_features_all(void);

/* The flag's name of feature f ("tail-call"), and its one-line description. */
const char *wa_feature_name(WaFeature f);
const char *wa_feature_description(WaFeature f);

/* Whether wasmaot implements f (its row's STATUS is not MISSING). */
bool wa_feature_implemented(WaFeature f);

/* Whether wast2json (wabt) enables f by default (the WABT_ON column). */
bool wa_feature_wabt_default(WaFeature f);

/* Room for one wabt feature flag ("--disable-saturating-float-to-int" and its NUL). */
#define WA_FEATURE_WABT_FLAG_SIZE 64

/*
 * The flags that make a wabt tool (wast2json, wat2wasm) accept exactly `set`:
 * --enable-X for what wabt leaves off by default, --disable-X for what it turns
 * on (the WABT_ON column). Writes them into flags[] and a pointer to each into
 * argv[] (both WA_FEATURE_COUNT long); returns how many.
 */
int wa_features_wabt_flags(WaFeatures set, char flags[][WA_FEATURE_WABT_FLAG_SIZE], char **argv);

/* The feature whose flag name is `name` (its length `len`), or WA_FEATURE_COUNT if none. */
WaFeature wa_feature_lookup(const char *name, size_t len);

typedef enum WaFeatureArg {
    WA_FEATURE_ARG_NONE,  /* not a feature flag: the caller goes on parsing it */
    WA_FEATURE_ARG_OK,    /* applied to *set */
    WA_FEATURE_ARG_ERROR, /* a feature flag that cannot be applied: one line in why */
} WaFeatureArg;

/*
 * Applies command-line argument `arg` if it is --enable-FEATURE,
 * --disable-FEATURE or --enable-all. An unknown feature, or one wasmaot does
 * not implement yet, is an error with one line in why.
 */
WaFeatureArg wa_features_parse_arg(WaFeatures *set, const char *arg, char *why, size_t why_size);

/* Writes the --help lines of every feature flag, each line starting with `indent`. */
void wa_features_print_help(FILE *out, const char *indent);

/* A short stable text of set (the enabled flag names, comma-separated) for cache keys. */
void wa_features_format(WaFeatures set, char *buf, size_t size);

/*
 * Checks that module m uses only features in `set`: every opcode of every
 * body and constant expression, and what is not an opcode (value types,
 * several results, block types by type index, several tables, mutable global
 * imports and exports, segment encodings, the data count section). The first
 * use of a disabled feature fails with one line in d naming the construct,
 * the feature and the flag, at its offset: "return_call needs the tail-call
 * feature (--enable-tail-call)". Instructions that do not decode are left to
 * the validator (the check stops at them).
 */
bool wa_features_check(const WaModule *m, WaFeatures set, WaDiag *d);

/* The feature opcode op belongs to, or WA_FEATURE_COUNT for a Wasm 1.0 opcode. */
WaFeature wa_op_feature(int op);

#endif
