#!/usr/bin/env python3
"""e2e_timing.py: compile time and run-time ratio of the end-to-end programs.

For each C and Rust program of tests/e2e (built by `ninja -C BUILD`), it times
`wasmaot PROG.wasm -o PROG` (best of --repeat) and both the wasmaot-compiled
and the native executable (best of --repeat, same arguments, environment and
stdin as the e2e test), and writes a Markdown report with the ratio
wasmaot time / native time per program.

The e2e programs are small tests, not benchmarks: most run for milliseconds,
so process start-up weighs in their ratios. bench/ is where real benchmarks go.

usage: bench/e2e_timing.py [--build build] [--repeat 5] [--report bench/e2e_timing.md]
"""
import argparse
import glob
import os
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.join(HERE, "..", "tests", "e2e")
sys.path.insert(0, E2E)
import run_e2e  # noqa: E402  (the e2e harness: test headers, fixed environment)


def best_time(argv, repeat, stdin_path=None, env=None, cwd=None):
    best = None
    for _ in range(repeat):
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        start = time.perf_counter()
        subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, cwd=cwd, check=False)
        elapsed = time.perf_counter() - start
        if stdin_path:
            stdin.close()
        best = elapsed if best is None else min(best, elapsed)
    return best


def source_of(name):
    kind, _, base = name.partition("_")
    ext = {"c": ".c", "rust": ".rs"}[kind]
    return os.path.join(E2E, kind, base + ext)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--report", default=os.path.join(HERE, "e2e_timing.md"))
    args = ap.parse_args()
    e2e_build = os.path.abspath(os.path.join(args.build, "tests", "e2e"))
    wasmaot = os.path.abspath(os.path.join(args.build, "compiler", "wasmaot"))
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for native in sorted(glob.glob(os.path.join(e2e_build, "*_native"))):
            if not os.access(native, os.X_OK) or os.path.isdir(native):
                continue
            name = os.path.basename(native)[: -len("_native")]
            wasm = os.path.join(e2e_build, name + ".wasm")
            header = run_e2e.read_header(source_of(name))
            exe = os.path.join(work, name)
            compile_s = best_time([wasmaot, wasm, "-o", exe], args.repeat)
            argv_tail = [a for item in header.get("args", []) for a in shlex.split(item)]
            stdin = run_e2e.header_one(header, "stdin")
            stdin_path = os.path.join(E2E, stdin) if stdin else None
            env = run_e2e.fixed_env(header)
            native_s = best_time([os.path.abspath(native)] + argv_tail, args.repeat, stdin_path, env, work)
            wasm_s = best_time([exe] + argv_tail, args.repeat, stdin_path, env, work)
            rows.append((name, os.path.getsize(wasm), compile_s, native_s, wasm_s))

    lines = ["# e2e programs: compile time and run time vs. native", "",
             "Best of %d runs; wasmaot -O2 (host CPU), native cc/rustc -O2." % args.repeat, "",
             "| program | wasm bytes | wasmaot compile (s) | native run (s) | wasmaot run (s) | ratio |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, size, c, n, w in rows:
        lines.append("| %s | %d | %.3f | %.4f | %.4f | %.2f |" % (name, size, c, n, w, w / n))
    total_c = sum(r[2] for r in rows)
    total_n = sum(r[3] for r in rows)
    total_w = sum(r[4] for r in rows)
    lines += ["", "Total compile time: %.2f s for %d programs. Sum of run times: native %.3f s, "
              "wasmaot %.3f s (ratio %.2f)." % (total_c, len(rows), total_n, total_w,
                                                total_w / total_n)]
    with open(args.report, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
