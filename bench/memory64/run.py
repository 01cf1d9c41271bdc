#!/usr/bin/env python3
"""The cost of memory64's explicit bounds checks on bench/kernels.

Builds each kernel twice from the same C with clang-19 and minilibc.c (Debian
has no wasm64 sysroot): --target=wasm32 (an i32 memory: guard pages, no
check) and --target=wasm64 (an i64 memory: one compare per distinct address,
compiler/lower/memory.c), compiles both with wasmaot at -O2, checks that they
print the same, and reports the best user+sys CPU time of N runs of each.

usage: run.py --wasmaot build/compiler/wasmaot [--runs N] [--workdir DIR] [KERNEL...]
"""
import argparse
import os
import resource
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = ["crc32", "fannkuch", "hashtable", "lz", "matmul", "sha256", "stencil5"]


def build(args, kernel, target):
    wasm = os.path.join(args.workdir, f"{kernel}_{target}.wasm")
    exe = wasm[:-5]
    subprocess.run(["clang-19", f"--target={target}", "-O2", "-ffreestanding", "-nostdlib",
                    "-mbulk-memory", "-I", os.path.join(HERE, "include"),
                    os.path.join(HERE, "..", "kernels", kernel + ".c"),
                    os.path.join(HERE, "minilibc.c"), "-Wl,--export=_start",
                    "-Wl,-z,stack-size=1048576", "-o", wasm], check=True)
    subprocess.run([args.wasmaot, wasm, "-o", exe], check=True)
    return exe


def cpu_time(exe):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([exe], stdout=subprocess.PIPE, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wasmaot", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--workdir", default="/tmp/wasmaot-memory64-bench")
    p.add_argument("kernels", nargs="*", default=KERNELS)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    print(f"{'kernel':10} {'wasm32':>9} {'wasm64':>9} {'ratio':>7}")
    for kernel in args.kernels:
        exes = [build(args, kernel, t) for t in ("wasm32", "wasm64")]
        best = [float("inf")] * 2
        outs = [None] * 2
        for _ in range(args.runs):
            for i, exe in enumerate(exes):
                t, out = cpu_time(exe)
                best[i] = min(best[i], t)
                outs[i] = out
        if outs[0] != outs[1]:
            sys.exit(f"{kernel}: wasm32 and wasm64 builds print differently:\n{outs[0]!r}\n{outs[1]!r}")
        print(f"{kernel:10} {best[0]:8.3f}s {best[1]:8.3f}s {best[1] / best[0]:6.2f}x")


if __name__ == "__main__":
    main()
