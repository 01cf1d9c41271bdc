#!/usr/bin/env python3
"""-o naming something other than a regular file (/dev/null, a FIFO) is written into, never
replaced (compiler/base/tempfile.c): here a FIFO, read while wasmaot compiles into it, must
still be a FIFO afterwards and must have carried a whole executable. And `-o -` writes the
executable to standard output, creating no file named "-".

usage: special_output.py --wasmaot WASMAOT --wasm MODULE --workdir DIR
"""
import argparse
import os
import stat
import subprocess
import sys
import threading


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--wasmaot", required=True)
    p.add_argument("--wasm", required=True)
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    fifo = os.path.join(args.workdir, "out.fifo")
    if os.path.lexists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo)
    received = []

    def read_all():
        with open(fifo, "rb") as f:
            received.append(f.read())

    reader = threading.Thread(target=read_all)
    reader.start()
    proc = subprocess.run([args.wasmaot, args.wasm, "-o", fifo], capture_output=True, text=True,
                          timeout=120)
    reader.join(timeout=60)
    failures = []
    if proc.returncode != 0:
        failures.append(f"wasmaot failed: {proc.stderr.strip()}")
    if not stat.S_ISFIFO(os.lstat(fifo).st_mode):
        failures.append("the FIFO was replaced by a regular file")
    data = received[0] if received else b""
    if not data.startswith(b"\x7fELF") or len(data) < 4096:
        failures.append(f"the FIFO carried {len(data)} bytes, not an executable")
    if [n for n in os.listdir(args.workdir) if ".tmp" in n]:
        failures.append("a temporary file was left next to the output")
    proc = subprocess.run([os.path.abspath(args.wasmaot), os.path.abspath(args.wasm), "-o", "-"],
                          capture_output=True, timeout=120, cwd=args.workdir)
    if proc.returncode != 0 or not proc.stdout.startswith(b"\x7fELF"):
        failures.append(f"-o - gave status {proc.returncode} and {len(proc.stdout)} bytes on stdout")
    if os.path.lexists(os.path.join(args.workdir, "-")):
        failures.append("-o - created a file named '-'")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
