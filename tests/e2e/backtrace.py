#!/usr/bin/env python3
"""Walking wasm frames: generated code has unwind tables (.eh_frame), so gdb's backtrace of a
trap three calls deep (tests/e2e/backtrace/deep.wat) goes through every wasm frame back into
main, from an explicit trap (a breakpoint on wa_rt_trap_site) and from a guard-page fault; and the
trap's own backtrace (runtime/backtrace.c) names the same frames after the trap line, with C++
and Rust names demangled, and is off with WASMAOT_BACKTRACE=0.

usage: backtrace.py --wasmaot WASMAOT --wasm MODULE --workdir DIR
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

from symbols import named_module

SKIP = 77
FRAME = re.compile(r"  (\d+): 0x[0-9a-f]+ - (.*)")
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
            ("unreachable", ["break wa_rt_trap_site", "run", "bt"], []),
            ("guard-page fault", ["run", "bt"], ["fault"])]:
        frames, out = gdb_frames(exe, commands, program_args)
        # gdb shows symbols it cannot demangle its own way (wasm_4.5fstart): compare prefixes
        names = [f.replace(".", "__", 1) if f.startswith("wasm_4") else f for f in frames]
        at = [names.index(f) if f in names else -1 for f in WASM_FRAMES]
        # without unwind tables gdb guesses, and shows frames it cannot place ("??")
        if -1 in at or at != sorted(at) or "main" not in names[max(at):] or "??" in names:
            failures.append(f"gdb backtrace of the {what} lacks the wasm frames or main:\n{out}")


def trap_lines(exe, program_args, env_extra, failures, what):
    env = dict(os.environ)
    env.pop("WASMAOT_BACKTRACE", None)
    env.update(env_extra)
    proc = subprocess.run([exe] + program_args, capture_output=True, text=True, timeout=60,
                          env=env)
    if proc.returncode != 134:
        failures.append(f"{what}: exit status {proc.returncode}, not 134")
    return proc.stderr.splitlines()


def check_frames(lines, first, names, failures, what):
    """lines: the trap line, "wasm backtrace:", then frames starting with `names`."""
    want = [first, "wasm backtrace:"]
    got = lines[:2]
    frames = [FRAME.fullmatch(line) for line in lines[2:]]
    if got != want or None in frames or [int(f.group(1)) for f in frames] != list(
            range(len(frames))) or [f.group(2) for f in frames][:len(names)] != names:
        failures.append(f"{what}: the backtrace should name {names}, stderr was:\n" +
                        "\n".join(lines))


def check_trap_backtrace(exe, workdir, wasmaot, failures):
    wasm_frames = ["leaf", "middle", "outer", "_start"]
    for what, program_args, message in [("unreachable", [], "unreachable"),
                                        ("fault", ["fault"], "out of bounds memory access")]:
        first = f"wasm trap: {message} in function 1 (leaf)"
        lines = trap_lines(exe, program_args, {}, failures, what)
        check_frames(lines, first, wasm_frames, failures, what)
        if len(lines) != 6:
            failures.append(f"{what}: {len(lines)} lines on stderr, not 6")
        lines = trap_lines(exe, program_args, {"WASMAOT_BACKTRACE": "0"}, failures, what)
        if lines != [first]:
            failures.append(f"{what} with WASMAOT_BACKTRACE=0: stderr was {lines}")
    # C++ (Itanium), Rust legacy (hash dropped, escapes decoded) and Rust v0 names
    names = [b"_start", b"_Z5outerPKc", b"_ZN4rust13Wrap$LT$T$GT$5inner17h0123456789abcdefE",
             b"_RNvCs1234_5crate4leaf"]
    wasm = os.path.join(workdir, "mangled.wasm")
    with open(wasm, "wb") as f:
        f.write(named_module(names, trap=True))
    mangled = os.path.join(workdir, "mangled")
    # -O0: direct calls, which the optimiser would inline (frames of inlined calls are not shown)
    proc = subprocess.run([wasmaot, wasm, "-O0", "-o", mangled], capture_output=True, text=True,
                          timeout=120)
    if proc.returncode != 0:
        failures.append(f"wasmaot failed: {proc.stderr.strip()}")
        return
    lines = trap_lines(mangled, [], {}, failures, "mangled")
    check_frames(lines, "wasm trap: unreachable in function 3 (_RNvCs1234_5crate4leaf)",
                 ["crate::leaf", "rust::Wrap<T>::inner", "outer(char const*)", "_start"],
                 failures, "mangled names")


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
    check_trap_backtrace(exe, args.workdir, args.wasmaot, failures)
    if shutil.which("gdb") is None:
        print("SKIP: no gdb")
        return SKIP
    check_gdb(exe, failures)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
