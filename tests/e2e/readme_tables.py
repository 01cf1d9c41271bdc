#!/usr/bin/env python3
"""README.md's tables are the code's: its option table is `wasmaot --help`'s option list (the
same options, each named in the table's first column), every option of `wasmaot run --help` is
named in the README's section on `wasmaot run`, its WASI table names every function of
wasi-libc-shim/wasi_funcs.def, and its features table every feature of
compiler/wasm/features.def. A new option, function or feature must reach the README, or this
fails naming it.

usage: readme_tables.py --wasmaot WASMAOT --readme README.md --wasi-funcs wasi_funcs.def
                        --features features.def
"""
import argparse
import re
import subprocess
import sys


def option_names(text):
    """The option names of some text: -x, --name (before = or a value), -O0..-O3 as -O."""
    names = set()
    for token in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", text):
        names.add("-O" if re.fullmatch(r"-O[0-3]", token) else token)
    return names


def help_options(wasmaot, *sub):
    """The options --help lists: the first column of its lines that start with "  -"."""
    out = subprocess.run([wasmaot] + list(sub) + ["--help"], stdout=subprocess.PIPE,
                         check=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        m = re.match(r"  (-\S.*?)(?:\s{2,}|:|$)", line)
        if m:
            names |= option_names(m.group(1))
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--readme", required=True)
    ap.add_argument("--wasi-funcs", required=True)
    ap.add_argument("--features", required=True)
    args = ap.parse_args()
    readme = open(args.readme, encoding="utf-8").read()
    using = readme.split("\n## Using it\n", 1)[1].split("\n## ", 1)[0]
    table = set()
    for row in re.findall(r"^\| (.*?) \| .* \|$", using, re.M):
        table |= option_names(" ".join(re.findall(r"`([^`]*)`", row)))
    table.discard("-option")
    want = help_options(args.wasmaot)
    failures = []
    if want - table:
        failures.append("in --help, not in README's option table: %s" % sorted(want - table))
    if table - want:
        failures.append("in README's option table, not in --help: %s" % sorted(table - want))
    run_section = readme.split("\n## Running: wasmaot run\n", 1)[1].split("\n## ", 1)[0]
    missing = sorted(o for o in help_options(args.wasmaot, "run")
                     if o not in option_names(run_section) and o not in table)
    if missing:
        failures.append("in wasmaot run --help, not in README's sections: %s" % missing)
    wasi_section = readme.split("\n## WASI\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z_.-]+)`", "\n".join(
        l for l in wasi_section.splitlines() if l.startswith("|"))))
    funcs = set(re.findall(r"^WA_WASI_FUNC\((\w+),", open(args.wasi_funcs).read(), re.M))
    if funcs - listed:
        failures.append("WASI functions missing from README's WASI table: %s"
                        % sorted(funcs - listed))
    features_section = readme.split("\n## Features\n", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z0-9-]+)`", "\n".join(
        l for l in features_section.splitlines() if l.startswith("|"))))
    features = set(re.findall(r'^WA_FEATURE\(\w+,\s*"([a-z0-9-]+)"', open(args.features).read(),
                              re.M))
    if features - named:
        failures.append("features missing from README's features table: %s"
                        % sorted(features - named))
    if failures:
        print("FAIL: " + "; ".join(failures))
        return 1
    print("ok: %d options, %d WASI functions, %d features in README's tables" % (
        len(want), len(funcs), len(features)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
