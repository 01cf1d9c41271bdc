#!/usr/bin/env python3
"""parcompile.py: the chunked, parallel compile (compiler/driver.c), end to end.

    parcompile.py --case CASE --wasmaot WASMAOT --gen GEN_MODULE --workdir DIR

Every case compiles a module written by tools/gen_module/gen_module.py. Small
generated modules are one chunk under the normal policy, so the cases cut
them with the hidden option --test-chunk-bytes (driver.c) into several
chunks, and inject a lowering failure with --test-fail-func.

    generator    the generator's output passes wasm-validate (wabt) and is the
                 same bytes for the same seed; the executable runs
    identical    -j1 and -j2 give byte-identical executables, objects and
                 shared objects for a module in several chunks; the chunks'
                 functions are hidden global symbols; the executable runs
    emit         --emit=obj of several chunks is one relocatable object;
                 --emit=asm and --emit=llvm-ir are one module whatever
                 --test-chunk-bytes says
    fail         a failure in a later chunk is reported once, one line, naming
                 the first failing function, with -j1 and -j2 alike, and no
                 output file is left behind
    jobs         -j validation: `-j 0`, `-j abc`, `-j` alone and `wasmaot run
                 -j 0` each give one line and exit status 2
    run_cache    `wasmaot run -j1` then `-j2` on one module: the second is a
                 cache hit (the key does not include -j)
    big_table    an element segment long enough to be copied by a loop
                 (codegen/instance.c, ELEM_LOOP_MIN) fills the table right:
                 call_indirect reaches the first, a middle and the last
                 entries, at -O0 and -O2, in one chunk and in several
"""

import argparse
import os
import shutil
import subprocess
import sys

SKIP = 77


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)


def gen(a, name, functions, seed=7, scale=1.0):
    path = os.path.join(a.workdir, name)
    r = run([sys.executable, a.gen, "--functions", str(functions), "--seed", str(seed),
             "--scale", str(scale), "-o", path])
    check(r.returncode == 0, "gen_module failed: " + r.stderr)
    return path


def compile_(a, wasm, out, *opts):
    r = run([a.wasmaot, wasm, "-o", out] + list(opts))
    check(r.returncode == 0, "wasmaot %s failed: %s" % (" ".join(opts), r.stderr))
    with open(out, "rb") as f:
        return f.read()


def case_generator(a):
    w1 = gen(a, "g1.wasm", 300)
    w2 = gen(a, "g2.wasm", 300)
    with open(w1, "rb") as f1, open(w2, "rb") as f2:
        check(f1.read() == f2.read(), "the same seed gave different modules")
    validate = shutil.which("wasm-validate")
    if validate is None:
        print("SKIP: wasm-validate (wabt) not found")
        return SKIP
    for seed in (1, 2, 3):
        w = gen(a, "v%d.wasm" % seed, 250, seed=seed, scale=1.5)
        r = run([validate, w])
        check(r.returncode == 0, "wasm-validate refused seed %d: %s" % (seed, r.stderr))
    exe = os.path.join(a.workdir, "g1")
    compile_(a, w1, exe)
    r = run([exe])
    check(r.returncode == 0, "the generated program exited %d" % r.returncode)
    return 0


MANY = "--test-chunk-bytes=20000"


def case_identical(a):
    w = gen(a, "id.wasm", 300)
    for emit, ext in (("exe", ""), ("obj", ".o"), ("shared", ".so")):
        outs = [compile_(a, w, os.path.join(a.workdir, "id%d%s" % (j, ext)), MANY, "-j%d" % j,
                         "--emit=" + emit) for j in (1, 2)]
        check(outs[0] == outs[1], "--emit=%s differs between -j1 and -j2" % emit)
    # Several chunks: the defined functions are hidden global symbols of the object.
    r = run(["nm", os.path.join(a.workdir, "id1.o")])
    check(r.returncode == 0, "nm failed")
    globals_ = [l for l in r.stdout.splitlines() if " T wasm_" in l]
    check(len(globals_) == 301, "expected 301 global wasm_ functions (with _start), saw %d" % len(globals_))
    whole = compile_(a, w, os.path.join(a.workdir, "id_whole.o"), "--emit=obj")
    check(whole != outs[0], "--test-chunk-bytes did not cut the module")
    r = run([os.path.join(a.workdir, "id1")])
    check(r.returncode == 0, "the chunked executable exited %d" % r.returncode)
    # -O0 and -O3 too.
    for o in ("-O0", "-O3"):
        e = [compile_(a, w, os.path.join(a.workdir, "idO%d" % j), MANY, "-j%d" % j, o)
             for j in (1, 2)]
        check(e[0] == e[1], "%s differs between -j1 and -j2" % o)
    return 0


def case_emit(a):
    w = gen(a, "em.wasm", 200)
    obj = os.path.join(a.workdir, "em.o")
    compile_(a, w, obj, MANY, "--emit=obj")
    r = run(["readelf", "-h", obj])
    check(r.returncode == 0 and "REL (Relocatable file)" in r.stdout,
          "--emit=obj is not one relocatable object")
    for kind, ext in (("asm", ".s"), ("llvm-ir", ".ll")):
        chunked = compile_(a, w, os.path.join(a.workdir, "em1" + ext), MANY, "--emit=" + kind)
        whole = compile_(a, w, os.path.join(a.workdir, "em2" + ext), "--emit=" + kind)
        check(chunked == whole, "--emit=%s is not one module" % kind)
    return 0


def case_fail(a):
    w = gen(a, "fail.wasm", 300)
    out = os.path.join(a.workdir, "fail_out")
    for j in ("-j1", "-j2"):
        # Function 250 and every later one fail: several chunks fail, 250 is reported.
        r = run([a.wasmaot, w, "-o", out, MANY, j, "--test-fail-func=250"])
        check(r.returncode == 1, "%s: exit status %d, expected 1" % (j, r.returncode))
        lines = r.stderr.splitlines()
        check(len(lines) == 1, "%s: expected one line, got %r" % (j, r.stderr))
        check("func 250 (f250_" in lines[0] and "failure injected for testing" in lines[0],
              "%s: wrong message %r" % (j, lines[0]))
        left = [f for f in os.listdir(a.workdir) if f.startswith("fail_out")]
        check(left == [], "%s left files behind: %r" % (j, left))
    return 0


def case_jobs(a):
    w = gen(a, "jobs.wasm", 20)
    out = os.path.join(a.workdir, "jobs_out")
    for args in (["-j", "0"], ["-j", "abc"], ["-j0"], ["-j", "257"], ["-j"]):
        r = run([a.wasmaot, w, "-o", out] + args)
        lines = r.stderr.splitlines()
        check(r.returncode == 2 and len(lines) == 1 and "-j needs a number of threads" in lines[0],
              "%r: status %d, stderr %r" % (args, r.returncode, r.stderr))
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(a.workdir, "cache-jobs"))
    r = run([a.wasmaot, "run", "-j", "0", w], env=env)
    lines = r.stderr.splitlines()
    check(r.returncode == 2 and len(lines) == 1 and "-j needs a number of threads" in lines[0],
          "run -j 0: status %d, stderr %r" % (r.returncode, r.stderr))
    r = run([a.wasmaot, "--help"])
    check("-j N" in r.stdout, "-j is not in --help")
    compile_(a, w, out, "-j", "2")
    compile_(a, w, out, "-j2")
    return 0


def case_run_cache(a):
    w = gen(a, "rc.wasm", 30)
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(a.workdir, "cache-rc"))
    shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    r1 = run([a.wasmaot, "run", "-v", "-j1", w], env=env)
    check(r1.returncode == 0 and "cache miss" in r1.stderr, "first run: %r" % r1.stderr)
    r2 = run([a.wasmaot, "run", "-v", "-j2", w], env=env)
    check(r2.returncode == 0 and "cache hit" in r2.stderr, "-j2 after -j1 missed: %r" % r2.stderr)
    return 0


def case_big_table(a):
    wat2wasm = shutil.which("wat2wasm")
    if wat2wasm is None:
        print("SKIP: wat2wasm (wabt) not found")
        return SKIP
    n = 300
    funcs = "\n".join("(func $f%d (type $t) (i32.const %d))" % (k, k * 7 % 251) for k in range(n))
    # Exit status: f0() + f(n/3)() + f(n-1)(), modulo 256, through proc_exit.
    want = (0 + (n // 3) * 7 % 251 + (n - 1) * 7 % 251) % 256
    wat = """(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (type $t (func (result i32)))
  (table %d funcref)
  (memory (export "memory") 1)
  (elem (i32.const 0) func %s)
  %s
  (func (export "_start")
    (call_indirect (type $t) (i32.const 0))
    (call_indirect (type $t) (i32.const %d))
    i32.add
    (call_indirect (type $t) (i32.const %d))
    i32.add
    i32.const 255
    i32.and
    call $exit))
""" % (n, " ".join("$f%d" % k for k in range(n)), funcs, n // 3, n - 1)
    src = os.path.join(a.workdir, "table.wat")
    wasm = os.path.join(a.workdir, "table.wasm")
    with open(src, "w") as f:
        f.write(wat)
    r = run([wat2wasm, src, "-o", wasm])
    check(r.returncode == 0, "wat2wasm: " + r.stderr)
    for opts in (["-O0"], ["-O2"], ["-O2", "--test-chunk-bytes=200", "-j2"]):
        exe = os.path.join(a.workdir, "table")
        compile_(a, wasm, exe, *opts)
        r = run([exe])
        check(r.returncode == want, "%s: exit status %d, expected %d" % (opts, r.returncode, want))
    return 0


CASES = {
    "big_table": case_big_table,
    "generator": case_generator,
    "identical": case_identical,
    "emit": case_emit,
    "fail": case_fail,
    "jobs": case_jobs,
    "run_cache": case_run_cache,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", required=True, choices=sorted(CASES))
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    a.workdir = os.path.join(a.workdir, a.case)
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    sys.exit(CASES[a.case](a))


if __name__ == "__main__":
    main()
