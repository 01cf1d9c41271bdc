/*
 * link.h: turning the object file of a compiled module into an executable
 * with lld, the wasmaot runtime libraries and the host's C library.
 *
 * Nothing here needs a C compiler: lld is run as a program (ld.lld of the
 * LLVM wasmaot was built with, else ld.lld-19 / ld.lld on PATH), and the C
 * start files are found in the host's multiarch library directory.
 */
#ifndef WA_LINK_LINK_H
#define WA_LINK_LINK_H

#include "../base/diag.h"
#include "../codegen/target.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Links objects[0..nobjects) (the chunks of one module, driver.c) into the
 * PIE executable `output` with the runtime libraries: beside the wasmaot
 * executable in the build tree, or at the install location relative to it;
 * $WASMAOT_RUNTIME_DIR overrides both. For `target` (NULL: the host), the
 * runtime built for it and its C library (codegen/target.h). With
 * static_exe (--static), a static executable with the musl build of the
 * runtime and musl's libc.a instead (refused for a target without one).
 * On failure returns false with one line in d: what was missing, or lld's
 * first error.
 */
bool wa_link_exe(const char *const *objects, size_t nobjects, const char *output,
                 const WaTarget *target, bool static_exe, WaDiag *d);

/*
 * Links objects[0..nobjects) into the shared object `output`, for the
 * embedding API: the runtime functions it calls stay undefined and bind to
 * the host process's runtime when it is loaded.
 */
bool wa_link_shared(const char *const *objects, size_t nobjects, const char *output, WaDiag *d);

/*
 * Links objects[0..nobjects) into one relocatable object `output` (ld.lld
 * -r): --emit=obj of a module compiled in several chunks.
 */
bool wa_link_relocatable(const char *const *objects, size_t nobjects, const char *output,
                         WaDiag *d);

/* The number of runtime archives an executable links. */
#define WA_LINK_NRUNTIME 4

/*
 * The paths of the runtime archives wa_link_exe links, found as it finds
 * them (the musl build's for static_exe), into paths[0..WA_LINK_NRUNTIME)
 * (PATH_MAX bytes each): for callers
 * that must notice a rebuilt runtime (the `wasmaot run` cache key). False
 * with one line in d if they are missing.
 */
bool wa_link_runtime_paths(char (*paths)[PATH_MAX], bool static_exe, WaDiag *d);

#endif
