#!/usr/bin/env python3
"""The symbols of generated functions (compiler/codegen/symbols.c): a mangled name from the
name section is the symbol as is, so `nm -C` demangles it; a duplicate gets ".wasm.<index>";
C names and names with other bytes take the escaped form "wasm_<index>_..."; all are local
symbols of the executable, whole or compiled in chunks.

usage: symbols.py --wasmaot WASMAOT --rust-wasm MODULE --workdir DIR
"""
import argparse
import os
import subprocess
import sys


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def vec(items):
    return leb(len(items)) + b"".join(items)


def name(s):
    return leb(len(s)) + s


def section(sid, body):
    return bytes([sid]) + leb(len(body)) + body


def named_module(names, trap=False):
    """A module of len(names) functions () -> (), each calling the next, the first exported
    as _start, with `names` (bytes) in its name section; with `trap` the last one ends in
    unreachable."""
    n = len(names)
    types = section(1, vec([b"\x60\x00\x00"]))
    funcs = section(3, vec([b"\x00"] * n))
    exports = section(7, vec([name(b"_start") + b"\x00" + leb(0)]))
    bodies = []
    for i in range(n):
        code = (b"\x10" + leb(i + 1) if i + 1 < n else b"\x00" if trap else b"") + b"\x0b"
        body = b"\x00" + code
        bodies.append(leb(len(body)) + body)
    code = section(10, vec(bodies))
    fnames = vec([leb(i) + name(s) for i, s in enumerate(names)])
    sub = b"\x01" + leb(len(fnames)) + fnames
    names_sec = section(0, name(b"name") + sub)
    return b"\0asm\x01\0\0\0" + types + funcs + exports + code + names_sec


def local_symbols(path):
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    return {line.split()[2]: line.split()[1] for line in out.splitlines() if len(line.split()) == 3}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wasmaot", required=True)
    p.add_argument("--rust-wasm", required=True)
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    failures = []

    names = [b"_Z3fibi", b"_Z3fibi", b"memcpy", b"_ZN3foo3barE\xc3\xa9", b"_RNvCs1_4main3run",
             b"_Z1f.wasm.1", b"main"]
    wasm = os.path.join(args.workdir, "named.wasm")
    with open(wasm, "wb") as f:
        f.write(named_module(names))
    expected = {"_Z3fibi": 0, "_Z3fibi.wasm.1": 1, "wasm_2_memcpy": 2,
                "wasm_3__5fZN3foo3barE_c3_a9": 3, "_RNvCs1_4main3run": 4,
                "wasm_5__5fZ1f_2ewasm_2e1": 5, "wasm_6_main": 6}
    for flags in ([], ["--test-chunk-bytes=1"]):
        exe = os.path.join(args.workdir, "named" + ("_split" if flags else ""))
        proc = subprocess.run([args.wasmaot, wasm, "-o", exe] + flags, capture_output=True,
                              text=True, timeout=120)
        if proc.returncode != 0:
            failures.append(f"wasmaot {flags} failed: {proc.stderr.strip()}")
            continue
        syms = local_symbols(exe)
        for sym in expected:
            if syms.get(sym) != "t":
                failures.append(f"{flags}: symbol {sym} is {syms.get(sym)!r}, not a local 't'")
        run = subprocess.run([exe], capture_output=True, timeout=60)
        if run.returncode != 0:
            failures.append(f"{flags}: the program exited with {run.returncode}")
    demangled = subprocess.run(["c++filt", "_Z3fibi.wasm.1"], capture_output=True,
                               text=True).stdout.strip()
    if demangled != "fib(int) [clone .wasm.1]":
        failures.append(f"c++filt reads the duplicate as {demangled!r}")

    exe = os.path.join(args.workdir, "rust")
    proc = subprocess.run([args.wasmaot, args.rust_wasm, "-o", exe], capture_output=True,
                          text=True, timeout=300)
    if proc.returncode != 0:
        failures.append(f"wasmaot failed on the Rust program: {proc.stderr.strip()}")
    else:
        out = subprocess.run(["nm", "-C", exe], capture_output=True, text=True).stdout
        if not any(line.endswith(" t collections::main") for line in out.splitlines()):
            failures.append("nm -C shows no local collections::main")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
