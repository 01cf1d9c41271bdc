#!/usr/bin/env python3
"""README.md's option table is `wasmaot --help`'s option list: the same options, each named in
the table's first column, and every option of `wasmaot run --help` is named in the README's
section on `wasmaot run`. A new option must reach both, or this fails naming it.

usage: help_readme.py --wasmaot WASMAOT --readme README.md
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
    if failures:
        print("FAIL: " + "; ".join(failures))
        return 1
    print("ok: %d options in --help and README's table" % len(want))
    return 0


if __name__ == "__main__":
    sys.exit(main())
