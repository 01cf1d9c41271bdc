/*
 * wat_run.h: test helper that turns WebAssembly text into a native program
 * with the real toolchain (wat2wasm, then the wasmaot executable under test)
 * and runs it, capturing what it printed and how it exited.
 *
 * Each call works in a fresh temporary directory, removed afterwards.
 */
#ifndef WA_TEST_WAT_RUN_H
#define WA_TEST_WAT_RUN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct WatRun {
    int compile_status;     /* wasmaot's exit status (0 = compiled) */
    char compile_err[4096]; /* wasmaot's stderr */
    int exit_status;        /* the program's exit status, or 128+signal; -1 if not run */
    char out[65536];        /* the program's stdout */
    char err[4096];         /* the program's stderr */
} WatRun;

/*
 * Compiles `wat` (converted with `wat2wasm --debug-names`, plus
 * `--no-check` if `check` is false) with `wasmaot <extra_flags>` and, if that
 * succeeds, runs the program with no arguments and empty stdin.
 */
void wat_run(const char *wat, const char *extra_flags, bool check, WatRun *r);

/* Same, for a binary module given as bytes. */
void wasm_run(const unsigned char *bytes, unsigned size, const char *extra_flags, WatRun *r);

/* A growing text buffer, for tests that generate wat. Start from {0}; free p. */
typedef struct WatBuf {
    char *p;
    size_t len, cap;
} WatBuf;

/* Appends printf-style text to b (aborts the test if memory runs out). */
void wat_buf_printf(WatBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The opening fields of generated checking modules: the WASI imports
 * $fd_write and $proc_exit, and $hex (param $at i32) (param $v i64)
 * (param $n i32), which writes the low $n hex digits of $v at address $at.
 */
extern const char wat_check_prelude[];

#endif
