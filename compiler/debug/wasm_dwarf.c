/*
 * wasm_dwarf.c: the C side of wasm_dwarf.h: the reader's input from a
 * decoded module, and lookups in what it read (wasm_dwarf_llvm.cpp reads).
 */
#include "wasm_dwarf.h"

#include "../wasm/module.h"

#include <stdlib.h>
#include <string.h>

bool wa_wasm_dwarf_read_module(const WaModule *m, bool variables, WaWasmDwarf *out) {
    memset(out, 0, sizeof *out);
    bool any = false;
    for (uint32_t i = 0; i < m->ncustoms; i++) {
        const WaBytes *n = &m->customs[i].name;
        any |= n->len == 11 && memcmp(n->data, ".debug_info", 11) == 0;
    }
    if (!any || m->nfuncs == 0)
        return false;
    WaDwarfSection *sections = calloc(m->ncustoms, sizeof *sections);
    size_t *ends = calloc(m->nfuncs, sizeof *ends);
    size_t *starts = calloc(m->nfuncs, sizeof *starts);
    bool ok = false;
    if (sections != NULL && ends != NULL && starts != NULL) {
        for (uint32_t i = 0; i < m->ncustoms; i++)
            sections[i] =
                (WaDwarfSection){(const char *)m->customs[i].name.data, m->customs[i].name.len,
                                 m->customs[i].payload, m->customs[i].size};
        for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
            starts[i] = m->funcs[i].code_offset;
            ends[i] = m->funcs[i].code_offset + m->funcs[i].code_size;
        }
        WaDwarfInput in = {sections, m->ncustoms, m->code_section_offset, m->nfuncs, ends,
                           starts,   variables};
        ok = wa_wasm_dwarf_read(&in, out);
    }
    free(sections);
    free(ends);
    free(starts);
    return ok;
}

const WaDwarfRow *wa_wasm_dwarf_row(const WaWasmDwarf *w, uint32_t offset) {
    /* The last row at or before offset. */
    size_t lo = 0, hi = w->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->rows[mid].offset <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const WaDwarfRow *r = &w->rows[lo - 1];
    if (r->file == UINT32_MAX || r->file >= w->nfiles || r->line == 0)
        return NULL;
    return r;
}

bool wa_wasm_dwarf_position(const WaWasmDwarf *w, uint32_t offset, const char **file,
                            uint32_t *line, uint32_t *column) {
    const WaDwarfRow *r = wa_wasm_dwarf_row(w, offset);
    if (r == NULL)
        return false;
    *file = w->files[r->file];
    *line = r->line;
    *column = r->column;
    return true;
}

void wa_wasm_dwarf_free(WaWasmDwarf *w) {
    for (uint32_t i = 0; w->func_names != NULL && i < w->nfunc_names; i++)
        free(w->func_names[i]);
    free(w->func_names);
    for (uint32_t i = 0; i < w->nfiles; i++)
        free(w->files[i]);
    free(w->files);
    free(w->rows);
    for (uint32_t i = 0; w->vars != NULL && i < w->nvars; i++)
        free(w->vars[i].name);
    free(w->vars);
    free(w->func_vars);
    for (uint32_t i = 0; w->types != NULL && i < w->ntypes; i++)
        free(w->types[i].name);
    free(w->types);
    for (uint32_t i = 0; w->fields != NULL && i < w->nfields; i++)
        free(w->fields[i].name);
    free(w->fields);
    free(w->blocks);
    free(w->spans);
    memset(w, 0, sizeof *w);
}
