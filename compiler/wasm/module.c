/*
 * module.c: small helpers over the decoded module of module.h.
 *
 * The module owns one arena; everything it points to is either in that arena
 * or in the caller's input buffer, so freeing is one call.
 */
#include "module.h"

#include <string.h>

const char *wa_valtype_name(WaValType t) {
    switch (t) {
    case WA_VT_I32:
        return "i32";
    case WA_VT_I64:
        return "i64";
    case WA_VT_F32:
        return "f32";
    case WA_VT_F64:
        return "f64";
    case WA_VT_V128:
        return "v128";
    case WA_VT_FUNCREF:
        return "funcref";
    case WA_VT_EXTERNREF:
        return "externref";
    case WA_VT_EXNREF:
        return "exnref";
    case WA_VT_X:
    case WA_VT_SPECIAL:
        break;
    }
    return "?";
}

void wa_module_free(WaModule *m) {
    wa_arena_free(&m->arena);
    memset(m, 0, sizeof(*m));
}
