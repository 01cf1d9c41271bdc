#!/usr/bin/env python3
"""Command-line behaviours with no refusal to check (those are run_e2e.py's usage cases):
-V is --version, and a module in the text format compiles (through wabt's wat2wasm,
compiler/wat.c) into an executable that behaves as the one compiled from the binary that
`wat2wasm --debug-names` writes: the same output and exit status, the text's $names in its
trap backtrace.

usage: cli.py --wasmaot WASMAOT --wat-output PROGRAM.wat --wat-trap MODULE.wat --workdir DIR
"""
import argparse
import os

from script_util import check, fresh_workdir
from script_util import run as run_env


def run(argv):
    return run_env(argv, env={"LC_ALL": "C"})


def main():
    ap = argparse.ArgumentParser()
    for a in ("--wasmaot", "--wat-output", "--wat-trap", "--workdir"):
        ap.add_argument(a, required=True)
    args = ap.parse_args()
    work = fresh_workdir(args.workdir)

    version = run([args.wasmaot, "--version"])
    check(version[0] == 0 and version[1].startswith(b"wasmaot "), "--version: %r" % (version,))
    check(run([args.wasmaot, "-V"]) == version, "-V does not print what --version prints")

    for wat in (args.wat_output, args.wat_trap):
        base = os.path.join(work, os.path.splitext(os.path.basename(wat))[0])
        status, _, err = run(["wat2wasm", "--enable-all", "--debug-names", wat,
                              "-o", base + ".wasm"])
        check(status == 0, "wat2wasm %s: %s" % (wat, err.decode()))
        for src, exe in ((wat, base + "-from-text"), (base + ".wasm", base + "-from-binary")):
            status, _, err = run([args.wasmaot, src, "-o", exe])
            check(status == 0 and not err, "compiling %s: status %d, %s" % (src, status,
                                                                            err.decode()))
        want, got = run([base + "-from-binary"]), run([base + "-from-text"])
        check(got == want, "%s: compiled from text %r, from its binary %r" % (wat, got, want))
        if wat == args.wat_trap:
            check(want[0] == 134 and b"wasm backtrace:" in want[2]
                  and b"<wasm function" not in want[2],
                  "%s: expected a trap with a named backtrace, got %r" % (wat, want))
    print("ok: -V; text modules compile as their binaries do")


if __name__ == "__main__":
    main()
