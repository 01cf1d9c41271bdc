#!/usr/bin/env python3
"""Prints 'N passed, M failed[, K skipped]' for meson test logs (testlog.json), added up.

Each meson test is one line of JSON; a test that runs many cases (a Criterion
binary, the e2e harness) counts as one test here.
"""
import json
import sys


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        with open(path, encoding="utf-8") as log:
            for line in log:
                if not line.strip():
                    continue
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["build/meson-logs/testlog.json"]))
