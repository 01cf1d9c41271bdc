/*
 * dwarf_check.h: whether a module's .debug_info can be handed to LLVM's
 * DWARF library at all. That library trusts the sizes it reads: a block
 * form whose length runs past its unit moves its read offset beyond the
 * section, and the next LEB128 read goes on into whatever memory follows
 * (found by tools/fuzz/fuzz_dwarf.c; llvm-dwarfdump-19 crashes on the same
 * input). So before LLVM reads it, every unit header, abbreviation and
 * attribute value is walked here with bounds checks, and DWARF that fails
 * is not read (as DWARF that cannot be read: no names, lines or variables).
 */
#ifndef WA_DEBUG_DWARF_CHECK_H
#define WA_DEBUG_DWARF_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * True if every unit of info (its DWARF 2-5 header, the abbreviation table
 * in abbrev it names, each entry's abbreviation code and each attribute's
 * value of a known form) lies within its unit and section. types: info is
 * a .debug_types section (DWARF 4 type units, whose header says more).
 */
bool wa_dwarf_info_well_formed(const uint8_t *info, size_t info_size, const uint8_t *abbrev,
                               size_t abbrev_size, bool types);

#ifdef __cplusplus
}
#endif

#endif
