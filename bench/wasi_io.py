#!/usr/bin/env python3
"""wasi_io.py: the WASI I/O benchmark: what the WASI layer adds over native I/O.

Two programs of bench/wasi_io/, each built natively (clang-19 -O2), and for
wasm32-wasi (clang-19 -O2) then run compiled by wasmaot and under Node's
node:wasi (V8, for comparison):

  copy        1 GiB from stdin to stdout through pipes, 64 KiB at a time
              (`head -c 1G /dev/zero | PROG | wc -c`, the whole pipeline timed)
  smallfiles  create, stat and unlink 100,000 small files in the working
              directory (granted with --dir . to the wasm builds)

Each is run --repeat times, interleaved; the report (Markdown, default
bench/wasi_io.md) gives the best and the median wall time of each and their
ratios to native; the goal is at most 1.10 for wasmaot. Both are noisy on a
small machine (the pipeline is three processes; metadata operations depend on
the file system's journal): use several repeats.

usage: bench/wasi_io.py [--build build] [--repeat 7] [--files 100000] [--workdir DIR]
                        [--report FILE]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "wasi_io")
GIB = 1 << 30


def sh(argv, **kw):
    subprocess.run(argv, check=True, **kw)


def build(work, wasmaot):
    """Builds every program three ways; returns {name: {"native": argv, ...}}."""
    progs = {}
    for name in ("copy", "smallfiles"):
        src = os.path.join(SRC, name + ".c")
        native = os.path.join(work, name + "_native")
        wasm = os.path.join(work, name + ".wasm")
        exe = os.path.join(work, name + "_wasmaot")
        sh(["clang-19", "-O2", src, "-o", native])
        sh(["clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", src, "-o", wasm])
        sh([wasmaot, wasm, "-o", exe, "--dir", "."])
        progs[name] = {
            "native": [native],
            "wasmaot": [exe],
            "node": ["node", "--no-turbo-fast-api-calls", os.path.join(SRC, "node_wasi.mjs"), wasm],
        }
    return progs


def timed(cmd, cwd):
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, shell=isinstance(cmd, str), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (p.returncode, cmd, p.stderr.decode()[-2000:]))
    return elapsed, p.stdout.decode().strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--files", type=int, default=100000)
    ap.add_argument("--report", default=os.path.join(HERE, "wasi_io.md"))
    ap.add_argument("--workdir", default=None,
                    help="where the programs run (default: the system's temporary directory; "
                         "a tmpfs such as /dev/shm measures the WASI layer without the disk)")
    args = ap.parse_args()
    wasmaot = os.path.join(os.path.abspath(args.build), "compiler", "wasmaot")
    work = tempfile.mkdtemp(prefix="wasi_io.", dir=args.workdir)
    try:
        progs = build(work, wasmaot)
        runners = ("native", "wasmaot", "node")
        samples = {}
        for _ in range(args.repeat):
            for r in runners:
                argv = " ".join(progs["copy"][r])
                t, out = timed("head -c %d /dev/zero | %s | wc -c" % (GIB, argv), work)
                if out != str(GIB):
                    sys.exit("copy under %s moved %s bytes, not %d" % (r, out, GIB))
                samples.setdefault(("copy", r), []).append(t)
                t, out = timed(progs["smallfiles"][r] + [str(args.files)], work)
                if not out.startswith("%d files" % args.files):
                    sys.exit("smallfiles under %s printed %r" % (r, out))
                samples.setdefault(("smallfiles", r), []).append(t)
        def best(key):
            return min(samples[key])

        def median(key):
            return statistics.median(samples[key])

        lines = [
            "# WASI I/O benchmark",
            "",
            "`bench/wasi_io.py --repeat %d --files %d` in %s: %d interleaved runs of each; best and "
            "median wall time, ratio = time / native time. copy: 1 GiB stdin to stdout through "
            "pipes, 64 KiB at a time; smallfiles: create, stat and unlink %d files. Node %s with "
            "node:wasi." % (args.repeat, args.files, os.path.dirname(work), args.repeat, args.files,
                            subprocess.run(["node", "--version"],
                                           stdout=subprocess.PIPE).stdout.decode().strip()),
            "",
            "| benchmark | statistic | native s | wasmaot s | ratio | node s | ratio |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name in ("copy", "smallfiles"):
            for label, stat in (("best", best), ("median", median)):
                n, w, v = (stat((name, r)) for r in runners)
                lines.append("| %s | %s | %.3f | %.3f | %.2f | %.3f | %.2f |" %
                             (name, label, n, w, w / n, v, v / n))
        report = "\n".join(lines) + "\n"
        with open(args.report, "w") as f:
            f.write(report)
        print(report)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
