/*
 * check.h: the assertions of the WASI guest tests (tests/wasi/c/ files), which
 * run inside wasm and call the witx functions directly through wasi-libc's
 * <wasi/api.h>, so each errno the host returns is seen as it is.
 *
 * CHECK(cond) and CHECK_ERRNO(call, expected) print one line per failure
 * ("FAIL file:line: ...") and count; check_done() prints
 * "N passed, M failed" and is the program's exit status (0 only when all
 * passed). run_wasi.py requires exit 0 and no FAIL line.
 */
#ifndef WA_WASI_TEST_CHECK_H
#define WA_WASI_TEST_CHECK_H

#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int check_passed, check_failed;

static inline int check_at(int ok, const char *what, const char *file, int line) {
    if (ok) {
        check_passed++;
    } else {
        check_failed++;
        printf("FAIL %s:%d: %s\n", file, line, what);
    }
    return ok;
}

static inline int check_errno_at(__wasi_errno_t got, __wasi_errno_t want, const char *what,
                                 const char *file, int line) {
    if (got == want) {
        check_passed++;
        return 1;
    }
    check_failed++;
    printf("FAIL %s:%d: %s: errno %u, expected %u\n", file, line, what, (unsigned)got,
           (unsigned)want);
    return 0;
}

#define CHECK(cond) check_at(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_ERRNO(call, expected) check_errno_at((call), (expected), #call, __FILE__, __LINE__)
#define CHECK_OK(call) CHECK_ERRNO(call, __WASI_ERRNO_SUCCESS)

static inline int check_done(void) {
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
