#!/usr/bin/env python3
"""The bounds versioning pass (compiler/codegen/bounds_versioning.cpp) at work.

A stencil loop over two heap arrays, compiled with --emit=llvm-ir at -O2, must
come out with the run-time bounds check (wa.in_bounds), a vectorised fast copy
(<4 x float> accesses) and the checked copy that keeps volatile accesses; so
must the same loop over an i64 memory (memory64), whose fast copy is
vectorised only if the per-access checks were dropped from it. At -O0 the
pass does not run. Its semantics (traps exactly where the wasm says,
with every earlier store done) are tested by tests/difffuzz/bounds-versioning.wat.

usage: bounds_versioning.py --wasmaot WASMAOT --wat2wasm WAT2WASM --workdir DIR
"""
import argparse
import os
import subprocess
import sys

STENCIL = """
(module
  (memory (export "memory") 1)
  ;; b[i] = 0.5 * (a[i] + a[i+1]) for i in 0..n
  (func (export "stencil") (param $a i32) (param $b i32) (param $n i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f32.store (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2)))
          (f32.mul (f32.const 0.5)
            (f32.add (f32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
                     (f32.load offset=4 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))))
"""


# The same loop over an i64 memory: i64 addresses, an explicit check per access.
STENCIL64 = STENCIL.replace('(memory (export "memory") 1)',
                            '(memory (export "memory") i64 1)').replace("i32", "i64")


def compile_ir(args, wasm, level):
    out = wasm[:-len(".wasm")] + f"{level}.ll"
    subprocess.run([args.wasmaot, wasm, "--emit=llvm-ir", level, "-o", out], check=True)
    with open(out) as f:
        return f.read()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wasmaot", required=True)
    p.add_argument("--wat2wasm", required=True)
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    failures = []
    for name, text in [("stencil", STENCIL), ("stencil64", STENCIL64)]:
        wat = os.path.join(args.workdir, name + ".wat")
        wasm = os.path.join(args.workdir, name + ".wasm")
        with open(wat, "w") as f:
            f.write(text)
        subprocess.run([args.wat2wasm, "--enable-memory64", wat, "-o", wasm], check=True)
        ir = compile_ir(args, wasm, "-O2")
        for what, needle in [("the bounds check", "wa.in_bounds"),
                             ("a vectorised fast copy", "<4 x float>"),
                             ("the checked copy's volatile loads", "load volatile float"),
                             ("the checked copy's volatile stores", "store volatile float")]:
            if needle not in ir:
                failures.append(f"{name} -O2: no {what} ({needle!r}) in the IR")
        ir0 = compile_ir(args, wasm, "-O0")
        if "wa.in_bounds" in ir0 or "<4 x float>" in ir0:
            failures.append(f"{name} -O0: the pass ran")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
