/*
 * fuzz_dwarf.c: libFuzzer target for reading a module's DWARF (the custom
 * sections it may hold anything in: compiler/debug/wasm_dwarf.h) and for
 * -g's native debug info made from it.
 *
 * Each input is decoded and validated as in fuzz_decode.c; for a valid
 * module the DWARF reader runs, what it read must hold together (every index
 * in range, rows and spans sorted, types acyclic: check_dwarf), and the
 * module is lowered with -g's debug info and compiled to an object in
 * memory at -O0, which runs LLVM's DWARF writer on it. The seeds are small
 * C and Rust modules built with -g (tools/fuzz/libfuzzer.sh dwarf SECONDS).
 */
#include "check.h"
#include "compile.h"

#include "debug/wasm_dwarf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what) {
    fprintf(stderr, "fuzz: the DWARF read does not hold together: %s\n", what);
    abort();
}

static bool in(uint32_t index, uint32_t n) {
    return index == WA_DWARF_NONE || index < n;
}

/* Type t and what it is made of: no type is met again inside itself (colour: 1 open, 2 done). */
static void check_acyclic(const WaWasmDwarf *w, uint32_t t, uint8_t *colour) {
    if (t == WA_DWARF_NONE || colour[t] == 2)
        return;
    if (colour[t] == 1)
        fail("a type contains itself");
    colour[t] = 1;
    check_acyclic(w, w->types[t].type, colour);
    for (uint32_t i = 0; i < w->types[t].nfields; i++)
        check_acyclic(w, w->fields[w->types[t].first_field + i].type, colour);
    colour[t] = 2;
}

static void check_dwarf(const WaWasmDwarf *w, uint32_t nfuncs) {
    for (size_t i = 0; i < w->nrows; i++) {
        if (!in(w->rows[i].file, w->nfiles))
            fail("a row's file");
        if (i > 0 && w->rows[i - 1].offset > w->rows[i].offset)
            fail("rows out of order");
    }
    if (w->nfunc_names != nfuncs || w->first_global + w->nglobals != w->nvars)
        fail("the counts");
    for (uint32_t f = 0; f < nfuncs; f++) {
        const WaDwarfFuncVars *fv = &w->func_vars[f];
        if (fv->first_var + (uint64_t)fv->nvars > w->first_global ||
            fv->first_block + (uint64_t)fv->nblocks > w->nblocks ||
            fv->first_span + (uint64_t)fv->nspans > w->nspans)
            fail("a function's ranges");
        for (uint32_t i = 0; i < fv->nblocks; i++) {
            uint32_t parent = w->blocks[fv->first_block + i].parent;
            if (parent != WA_DWARF_NONE && parent >= i)
                fail("a block's parent");
        }
        for (uint32_t i = 0; i < fv->nspans; i++) {
            const WaDwarfSpan *s = &w->spans[fv->first_span + i];
            if (!in(s->block, fv->nblocks) || (i > 0 && s[-1].offset >= s->offset))
                fail("a span");
        }
        for (uint32_t i = 0; i < fv->nvars; i++)
            if (!in(w->vars[fv->first_var + i].block, fv->nblocks))
                fail("a variable's block");
    }
    for (uint32_t i = 0; i < w->nvars; i++) {
        const WaDwarfVar *v = &w->vars[i];
        if (v->name == NULL || !in(v->type, w->ntypes) || !in(v->file, w->nfiles) ||
            v->where > WA_DWARF_AT_MEMORY)
            fail("a variable");
    }
    for (uint32_t t = 0; t < w->ntypes; t++) {
        const WaDwarfType *ty = &w->types[t];
        if (ty->kind > WA_DWARF_TYPE_OPAQUE || !in(ty->type, w->ntypes) ||
            ty->first_field + (uint64_t)ty->nfields > w->nfields)
            fail("a type");
    }
    for (uint32_t i = 0; i < w->nfields; i++)
        if (!in(w->fields[i].type, w->ntypes))
            fail("a field's type");
    uint8_t *colour = calloc(w->ntypes + 1, 1);
    if (colour == NULL)
        abort();
    for (uint32_t t = 0; t < w->ntypes; t++)
        check_acyclic(w, t, colour);
    free(colour);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    WaDiag d;
    WaModule m;
    bool ok;
    if (!wa_fuzz_decode_validate(data, size, &m, &d, &ok))
        return 0;
    WaWasmDwarf w;
    if (ok && wa_wasm_dwarf_read_module(&m, true, &w)) {
        check_dwarf(&w, m.nfuncs);
        WaCodegenOptions o = {.opt_level = 0, .sites = true, .debug_info = true, .dwarf = &w};
        wa_fuzz_compile(&m, &o, &d);
        wa_wasm_dwarf_free(&w);
    }
    wa_module_free(&m);
    return 0;
}
