/* wat_run.c: compile-and-run helper for tests (see wat_run.h). */
#include "wat_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef WA_WASMAOT
#error "WA_WASMAOT must name the wasmaot executable under test"
#endif

static void slurp(const char *path, char *buf, size_t size) {
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static int status_of(int raw) {
    if (raw == -1)
        return -1;
    if (WIFEXITED(raw))
        return WEXITSTATUS(raw);
    if (WIFSIGNALED(raw))
        return 128 + WTERMSIG(raw);
    return -1;
}

static void compile_and_run(const char *dir, const char *extra_flags, WatRun *r) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s/m.wasm -o %s/prog %s 2> %s/compile.err", WA_WASMAOT, dir,
             dir, extra_flags ? extra_flags : "", dir);
    r->compile_status = status_of(system(cmd));
    snprintf(cmd, sizeof cmd, "%s/compile.err", dir);
    slurp(cmd, r->compile_err, sizeof r->compile_err);
    r->exit_status = -1;
    if (r->compile_status == 0) {
        snprintf(cmd, sizeof cmd, "cd %s && ./prog < /dev/null > out.txt 2> err.txt", dir);
        r->exit_status = status_of(system(cmd));
        snprintf(cmd, sizeof cmd, "%s/out.txt", dir);
        slurp(cmd, r->out, sizeof r->out);
        snprintf(cmd, sizeof cmd, "%s/err.txt", dir);
        slurp(cmd, r->err, sizeof r->err);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "wat_run: cannot remove %s\n", dir);
}

void wat_run(const char *wat, const char *extra_flags, bool check, WatRun *r) {
    memset(r, 0, sizeof *r);
    char dir[] = "/tmp/wat_run.XXXXXX";
    if (!mkdtemp(dir)) {
        r->compile_status = -1;
        return;
    }
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "%s/m.wat", dir);
    FILE *f = fopen(path, "w");
    fputs(wat, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "wat2wasm --debug-names %s %s/m.wat -o %s/m.wasm 2> %s/wat.err",
             check ? "" : "--no-check", dir, dir, dir);
    if (status_of(system(cmd)) != 0) {
        snprintf(path, sizeof path, "%s/wat.err", dir);
        slurp(path, r->compile_err, sizeof r->compile_err);
        r->compile_status = -2; /* the test's own wat is wrong */
        r->exit_status = -1;
        return;
    }
    compile_and_run(dir, extra_flags, r);
}

void wasm_run(const unsigned char *bytes, unsigned size, const char *extra_flags, WatRun *r) {
    memset(r, 0, sizeof *r);
    char dir[] = "/tmp/wat_run.XXXXXX";
    if (!mkdtemp(dir)) {
        r->compile_status = -1;
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/m.wasm", dir);
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, size, f);
    fclose(f);
    compile_and_run(dir, extra_flags, r);
}

void wat_buf_printf(WatBuf *b, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            fprintf(stderr, "wat_buf_printf: bad format\n");
            abort();
        }
        if (b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (size_t)n + 4096;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL) {
            fprintf(stderr, "wat_buf_printf: out of memory\n");
            abort();
        }
    }
}

const char wat_check_prelude[] =
    "  (import \"wasi_snapshot_preview1\" \"fd_write\"\n"
    "    (func $fd_write (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $proc_exit (param i32)))\n"
    "  (func $hex (param $at i32) (param $v i64) (param $n i32) (local $d i32)\n"
    "    (block $done (loop $next\n"
    "      (br_if $done (i32.eqz (local.get $n)))\n"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))\n"
    "      (local.set $d (i32.wrap_i64 (i64.and (i64.shr_u (local.get $v)\n"
    "        (i64.extend_i32_u (i32.mul (local.get $n) (i32.const 4)))) (i64.const 15))))\n"
    "      (i32.store8 (local.get $at) (i32.add (local.get $d)\n"
    "        (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $d) (i32.const "
    "10)))))\n"
    "      (local.set $at (i32.add (local.get $at) (i32.const 1)))\n"
    "      (br $next))))\n";
