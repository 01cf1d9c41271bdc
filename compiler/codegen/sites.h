/*
 * sites.h: the table from native code to wasm instructions that trap
 * backtraces read (runtime/backtrace.c): for each trap site and call site
 * of the generated code, the wasm function and file offset of the
 * instruction, the chain of wasm functions LLVM inlined there, each with
 * its own offset, and the source position the module's DWARF gives.
 *
 * How it is made. While lowering (sites.c), every LLVM instruction gets a
 * debug location: a DISubprogram per wasm function (named by its decimal
 * index), and a DILocation whose line is the file offset of the wasm
 * instruction it comes from, or 0 for instructions that can neither trap
 * nor call (they need no entry). LLVM keeps these through optimisation and
 * inlining like any front end's (an inlined call's instructions get an
 * inlinedAt chain) and its code generator writes them as DWARF line tables
 * (DW_TAG_inlined_subroutine with DW_AT_call_line for the chain). When the
 * object is written (sites_llvm.cpp), that DWARF is read back with LLVM's
 * DWARF library, turned into the compact table (the blob format is in
 * runtime/wa_rt.h, WA_RT_SITES_*) and put in the object's section
 * `wasmaot_sites` in place of the debug sections, which are dropped: the
 * output carries no DWARF of its own. Debug locations change no
 * instruction: the code is byte for byte what it was without them.
 *
 * Only objects get sites (--emit=obj, exe, shared): assembly and LLVM IR
 * are written as before.
 *
 * -g (source-level debugging) keeps the DWARF, made to describe the
 * module's own sources: each instruction's location is the file, line and
 * column the module's DWARF gives its offset (wasm_dwarf.h), in a
 * DILexicalBlockFile for that file of its function or of the innermost
 * lexical block the offset is in (whose variables are seen there: lower/
 * debug_vars.c, debug_types.h); each site's location
 * has a scope of its own whose discriminator is the site's offset (LLVM
 * carries it through inlining, and writes it in the line table and, for an
 * inlined call, as DW_AT_GNU_discriminator), and the subprogram's
 * DW_AT_decl_line is 1 + the function's index, its name the source name. The reader takes
 * the offsets from the discriminators then, and the debug sections stay in
 * the output, for gdb: break FILE:LINE, step, backtraces with source lines
 * and print.
 */
#ifndef WA_CODEGEN_SITES_H
#define WA_CODEGEN_SITES_H

#include "../wasm/instr.h"
#include "context.h"
#include "sites_llvm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Starts debug info for cg's module: the DIBuilder, its file and compile unit. */
void wa_sites_begin(WaCodegen *cg);

/* Gives fn the DISubprogram of wasm function func_index; returns it, its locations' scope. */
LLVMMetadataRef wa_sites_function(WaCodegen *cg, LLVMValueRef fn, uint32_t func_index);

/*
 * The location of the instruction at file offset `offset` in `scope`: for a
 * site (wa_sites_is_site), line `offset`; for any other, line 0. With -g,
 * the source position the module's DWARF gives the offset, a site's offset
 * in the discriminator.
 */
LLVMMetadataRef wa_sites_location(WaCodegen *cg, LLVMMetadataRef scope, size_t offset, bool site);

/*
 * The line of a site whose offset is not known: a trap call that several
 * checks of one function share (lower/trap.c). No instruction is at file
 * offset 1 (the magic number is).
 */
#define WA_SITE_UNKNOWN_OFFSET 1u

/*
 * -g: the scope of lexical block `block` of the function being lowered (its
 * index in wasm_dwarf.h's WaDwarfFuncVars), or its subprogram for NONE.
 * Its code's locations are in the innermost block their offset is in.
 */
LLVMMetadataRef wa_sites_block(WaCodegen *cg, uint32_t block);

/* -g: the DIFile of the module's source file `index` (wasm_dwarf.h; split at its last slash). */
LLVMMetadataRef wa_sites_source_file(WaCodegen *cg, uint32_t index);

/* Whether instructions of opcode op may trap or call: the sites the table describes. */
bool wa_sites_is_site(WaOpcode op);

/* Finalizes the debug info (after the last function is lowered). */
void wa_sites_finish(WaCodegen *cg);

/* Releases the DIBuilder, if any. */
void wa_sites_dispose(WaCodegen *cg);

#endif
