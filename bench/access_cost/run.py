#!/usr/bin/env python3
"""run.py: run time of compute kernels under two wasmaot builds (the cost of a code generation change).

Each kernel here (C, a few hundred milliseconds of loads and stores: hash
probing, pointer chasing, matrix multiply, n-body, quicksort, saxpy, sieve,
byte loops) is compiled with clang-19 to wasm32-wasi, then by each wasmaot
given (at -O2), and the executables are run --repeat times, interleaved, taking
the least user+system CPU time (the machine may be shared). The checksums
printed must agree. The table gives each time and the geometric mean of the
ratios to the first wasmaot.

usage: bench/access_cost/run.py [--repeat 9] WASMAOT_BASE WASMAOT_NEW...
"""
import argparse
import glob
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def cpu_time(exe):
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen([exe], stdout=null)
        _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit("%s failed (status %d)" % (exe, status))
    return usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("wasmaot", nargs="+")
    args = ap.parse_args()
    kernels = sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(HERE, "*.c")))
    with tempfile.TemporaryDirectory() as work:
        exes = {}
        for k in kernels:
            wasm = os.path.join(work, k + ".wasm")
            subprocess.run(["clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2",
                            os.path.join(HERE, k + ".c"), "-o", wasm, "-lm"], check=True)
            sums = set()
            for i, w in enumerate(args.wasmaot):
                exe = os.path.join(work, "%s.%d" % (k, i))
                subprocess.run([w, "-O2", wasm, "-o", exe], check=True)
                sums.add(subprocess.run([exe], capture_output=True, check=True).stdout)
                exes[(k, i)] = exe
            if len(sums) != 1:
                sys.exit("%s: the builds print different checksums" % k)
        best = {}
        for _ in range(args.repeat):
            for key, exe in exes.items():
                best[key] = min(best.get(key, math.inf), cpu_time(exe))
    n = len(args.wasmaot)
    print("| kernel | " + " | ".join("build %d (s)" % i for i in range(n)) + " |")
    print("| --- |" + " ---: |" * n)
    logs = [0.0] * n
    for k in kernels:
        for i in range(n):
            logs[i] += math.log(best[(k, i)] / best[(k, 0)])
        print("| %s | %s |" % (k, " | ".join("%.3f" % best[(k, i)] for i in range(n))))
    print("\ngeomean ratio to build 0: " +
          ", ".join("build %d %.4f" % (i, math.exp(logs[i] / len(kernels))) for i in range(n)))


if __name__ == "__main__":
    main()
