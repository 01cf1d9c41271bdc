/*
 * Internal invariants. WA_CHECK stays on in release builds: it guards cheap
 * facts whose failure means a bug in wasmaot, never bad input (bad input is
 * reported through WaDiag).
 */
#ifndef WA_BASE_CHECK_H
#define WA_BASE_CHECK_H

_Noreturn void wa_check_failed(const char *file, int line, const char *expr);

#define WA_CHECK(expr) ((expr) ? (void)0 : wa_check_failed(__FILE__, __LINE__, #expr))
#define WA_UNREACHABLE() wa_check_failed(__FILE__, __LINE__, "unreachable")

#endif
