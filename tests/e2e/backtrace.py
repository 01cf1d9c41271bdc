#!/usr/bin/env python3
"""Walking wasm frames: generated code has unwind tables (.eh_frame), so gdb's backtrace of a
trap three calls deep (tests/e2e/backtrace/deep.wat) goes through every wasm frame back into
main, from an explicit trap (a breakpoint on wa_rt_trap) and from a guard-page fault.

usage: backtrace.py --wasmaot WASMAOT --wasm MODULE --workdir DIR
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

SKIP = 77
WASM_FRAMES = ["wasm_1_leaf", "wasm_2_middle", "wasm_3_outer", "wasm_4__5fstart"]


def gdb_frames(exe, commands, program_args):
    argv = ["gdb", "-nx", "-batch"]
    for c in commands:
        argv += ["-ex", c]
    argv += ["--args", exe] + program_args
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120).stdout
    return [m.group(1) for m in re.finditer(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)", out, re.M)], out


def check_gdb(exe, failures):
    for what, commands, program_args in [
            ("unreachable", ["break wa_rt_trap", "run", "bt"], []),
            ("guard-page fault", ["run", "bt"], ["fault"])]:
        frames, out = gdb_frames(exe, commands, program_args)
        # gdb shows symbols it cannot demangle its own way (wasm_4.5fstart): compare prefixes
        names = [f.replace(".", "__", 1) if f.startswith("wasm_4") else f for f in frames]
        at = [names.index(f) if f in names else -1 for f in WASM_FRAMES]
        # without unwind tables gdb guesses, and shows frames it cannot place ("??")
        if -1 in at or at != sorted(at) or "main" not in names[max(at):] or "??" in names:
            failures.append(f"gdb backtrace of the {what} lacks the wasm frames or main:\n{out}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wasmaot", required=True)
    p.add_argument("--wasm", required=True)
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    exe = os.path.join(args.workdir, "deep")
    proc = subprocess.run([args.wasmaot, args.wasm, "-o", exe], capture_output=True, text=True,
                          timeout=120)
    if proc.returncode != 0:
        print("FAIL: wasmaot failed:", proc.stderr.strip())
        return 1
    failures = []
    if shutil.which("gdb") is None:
        print("SKIP: no gdb")
        return SKIP
    check_gdb(exe, failures)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
