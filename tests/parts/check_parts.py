#!/usr/bin/env python3
"""check_parts.py: the dependencies between wasmaot's parts run one way.

Checks, on the built archives and the source tree:
  - the archives an executable links, in wa_link_exe's order (start-up, WASI
    shim, runtime, common), need only archives after them: no symbol an
    archive leaves undefined is defined by itself-or-earlier only, so one
    pass resolves the link without an archive group;
  - the wasmaot executable defines no symbol of the runtime or the shim (it
    links neither);
  - no compiler source includes a header of the WASI shim (it may read the
    data table wasi_funcs.def), and the link step uses no archive group.
Exit status 0 if all hold; otherwise one line per violation.
"""
import argparse
import os
import re
import subprocess
import sys


def symbols(path, defined):
    flag = "--defined-only" if defined else "--undefined-only"
    out = subprocess.run(["nm", "-g", flag, path], check=True, capture_output=True,
                         text=True).stdout
    return {line.split()[-1] for line in out.splitlines()
            if line.strip() and not line.endswith(":")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True, help="the source tree")
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("archives", nargs="+", help="the runtime archives in link order")
    a = ap.parse_args()
    problems = []

    defined = [symbols(p, True) for p in a.archives]
    for i, path in enumerate(a.archives):
        needed = symbols(path, False) - defined[i]
        for j in range(i):
            back = sorted(needed & defined[j])
            if back:
                problems.append("%s needs %s from the earlier %s" % (
                    os.path.basename(path), ", ".join(back[:5]), os.path.basename(a.archives[j])))

    exe = symbols(a.wasmaot, True)
    for path in a.archives:
        name = os.path.basename(path)
        if name in ("libwasmaot_rt.a", "libwasmaot_wasi.a", "libwasmaot_start.a"):
            linked = sorted(exe & symbols(path, True) - {"main"})
            if linked:
                problems.append("wasmaot links %s (defines %s)" % (name, ", ".join(linked[:5])))

    for root, _, files in os.walk(os.path.join(a.source, "compiler")):
        for f in files:
            path = os.path.join(root, f)
            with open(path, errors="replace") as fh:
                text = fh.read()
            for inc in re.findall(r'#include\s+"([^"]*wasi-libc-shim/[^"]*)"', text):
                if os.path.basename(inc) != "wasi_funcs.def":
                    problems.append("%s includes the shim header %s" % (
                        os.path.relpath(path, a.source), inc))
    with open(os.path.join(a.source, "compiler", "link", "link.c")) as fh:
        if re.search(r'"--(start|end)-group"', fh.read()):
            problems.append("compiler/link/link.c links the runtime archives as a group")

    for p in problems:
        print(p)
    if not problems:
        print("ok: %d archives in dependency order; wasmaot links neither runtime nor shim"
              % len(a.archives))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
