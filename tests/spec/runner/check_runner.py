#!/usr/bin/env python3
"""Golden test of wasmaot-spec: runs it on a script and compares its output
and exit status with the expectation file (first line: "exit N", then the
exact output). --bless rewrites the expectation after a reviewed change.

usage: check_runner.py WASMAOT_SPEC SCRIPT.wast EXPECTED [--bless] [runner args...]

The script is run from its own directory by its base name, so the output
holds no machine-specific paths.
"""
import os
import subprocess
import sys


def main():
    args = sys.argv[1:]
    bless = "--bless" in args
    args = [a for a in args if a != "--bless"]
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    runner, script, expected_path, extra = args[0], args[1], args[2], args[3:]
    proc = subprocess.run([os.path.abspath(runner), *extra, os.path.basename(script)],
                          cwd=os.path.dirname(os.path.abspath(script)),
                          capture_output=True, text=True, timeout=300)
    actual = "exit %d\n%s" % (proc.returncode, proc.stdout)
    if proc.stderr:
        actual += "stderr:\n" + proc.stderr
    if bless:
        with open(expected_path, "w") as f:
            f.write(actual)
        return 0
    with open(expected_path) as f:
        expected = f.read()
    if actual == expected:
        return 0
    import difflib
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                               expected_path, "actual"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
