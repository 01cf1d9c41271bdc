#!/usr/bin/env python3
"""run.py: what exception handling costs when nothing is thrown (bench/exceptions/README.md).

Builds fib.wat three times: no exceptions; a tag but no handler (unwind
tables only); a try ... catch_all around every call (legacy encoding: wat2wasm 1.0.32 has no try_table; both lower to the same
invokes and landing pads, compiler/lower/exception.c), compiles both with
wasmaot -O2, checks they print the same, and reports the least user+sys CPU
time of --runs runs and the size of the wasm code (section wasm_text).

    bench/exceptions/run.py --wasmaot build/compiler/wasmaot --runs 5
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def build(wasmaot, work, name, tag, try_begin, try_end, fib_n, loop_n):
    raise_ = "(throw $never)" if tag else "(unreachable)"
    with open(os.path.join(HERE, "fib.wat")) as f:
        wat = f.read()
    wat = (wat.replace("TAG", tag).replace("RAISE", raise_).replace("TRY_BEGIN", try_begin).replace("TRY_END", try_end)
           .replace("FIB_N", str(fib_n)).replace("LOOP_N", str(loop_n)))
    wat_path = os.path.join(work, name + ".wat")
    wasm = os.path.join(work, name + ".wasm")
    exe = os.path.join(work, name)
    with open(wat_path, "w") as f:
        f.write(wat)
    subprocess.run(["wat2wasm", "--enable-exceptions", wat_path, "-o", wasm], check=True)
    subprocess.run([wasmaot, "-O2", wasm, "-o", exe], check=True)
    return exe


def cpu_time(exe):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([exe], check=True, capture_output=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out


def icount(exe):
    """Instructions exe executes, as callgrind counts them."""
    err = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe],
                         check=True, capture_output=True, text=True).stderr
    for line in err.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    return None


def section_size(exe, section):
    out = subprocess.run(["readelf", "-S", "-W", exe], check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        if " %s " % section in line:
            return int(line.split(section)[1].split()[3], 16)
    return 0


def text_size(exe):
    return section_size(exe, "wasm_text")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--fib", type=int, default=36)
    ap.add_argument("--loop", type=int, default=100000000)
    ap.add_argument("--icount", action="store_true",
                    help="also count instructions executed (valgrind --tool=callgrind)")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bench-exceptions-")
    print("work directory:", work)
    exes = {
        "plain": build(a.wasmaot, work, "plain", "", "", "", a.fib, a.loop),
        "tag": build(a.wasmaot, work, "tag", "(tag $never)", "", "", a.fib, a.loop),
        "try": build(a.wasmaot, work, "try", "(tag $never)", "(try (result i32) (do",
                     ") (catch_all (i32.const 0)))", a.fib, a.loop),
    }
    results = {}
    for _ in range(a.runs):  # interleaved, so that a change of load hits all three
        for name, exe in exes.items():
            t, o = cpu_time(exe)
            old = results.get(name)
            results[name] = (t if old is None else min(old[0], t), o, text_size(exe))
    if len({r[1] for r in results.values()}) != 1:
        sys.exit("outputs differ: %r" % {n: r[1] for n, r in results.items()})
    counts = {n: icount(e) for n, e in exes.items()} if a.icount else {}
    print("| build | CPU (least of %d) | vs plain | instructions | vs plain | wasm_text bytes "
          "| .gcc_except_table | .eh_frame | executable |" % a.runs)
    print("|---|---|---|---|---|---|---|---|---|")
    for name in exes:
        t, _, size = results[name]
        c = counts.get(name)
        print("| %s | %.3f s | %.3f | %s | %s | %s | %s | %s | %d |" % (
            name, t, t / results["plain"][0], c if c else "-",
            "%.4f" % (c / counts["plain"]) if c else "-", size,
            section_size(exes[name], ".gcc_except_table"), section_size(exes[name], ".eh_frame"),
            os.path.getsize(exes[name])))


main()
