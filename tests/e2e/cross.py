#!/usr/bin/env python3
"""--target aarch64-linux-gnu (compiler/codegen/target.c, compiler/link/link.c,
runtime/targets/): a hello world, a trap, wasm exceptions and wasi-threads
cross-compiled for AArch64 and run under qemu-user, each printing and ending
exactly as the x86-64 build of the same module does (a trap's line and its
wasm backtrace too: the unwinder walks AArch64 frames through the signal
frame); the executable is an AArch64 PIE with /lib/ld-linux-aarch64.so.1 as
its interpreter; --emit=obj makes an AArch64 object; --target
x86_64-linux-gnu is the default's code, byte for byte; and the refusals are
one line each: an unknown target (naming the valid ones), --static and
--emit=shared for AArch64, an x86 or native --cpu for AArch64.

The whole e2e suite also runs cross-compiled: meson test --setup aarch64 --suite e2e.

usage: cross.py --wasmaot W --qemu QEMU --sysroot DIR --hello M --trap M --exceptions M
                --threads M --workdir DIR
"""
import argparse
import os
import shutil
import subprocess
import sys

TARGET = "aarch64-linux-gnu"
EM_AARCH64 = 183


def run(argv, **kw):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120,
                       stdin=subprocess.DEVNULL, **kw)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)


def compile_exe(wasmaot, wasm, out, *flags):
    status, _, err = run([wasmaot, wasm, "-o", out] + list(flags))
    check(status == 0, "compiling %s %s failed: %s" % (wasm, " ".join(flags), err.decode()))


def e_machine(path):
    with open(path, "rb") as f:
        head = f.read(20)
    check(head[:4] == b"\x7fELF", "%s is not an ELF file" % path)
    return int.from_bytes(head[18:20], "little")


def refused(wasmaot, args, needles, work):
    """wasmaot with args fails with one stderr line holding every needle, and no output."""
    out = os.path.join(work, "refused")
    status, so, se = run([wasmaot] + args + ["-o", out])
    lines = se.decode().splitlines()
    check(status != 0 and len(lines) == 1 and not os.path.exists(out),
          "%s: expected one line and no output, got status %d, %r" % (" ".join(args), status,
                                                                    lines))
    for n in needles:
        check(n in lines[0], "%s: the message %r should name %r" % (" ".join(args), lines[0], n))
    return lines[0]


def main():
    ap = argparse.ArgumentParser()
    for a in ("--wasmaot", "--qemu", "--sysroot", "--hello", "--trap", "--exceptions",
              "--threads", "--workdir"):
        ap.add_argument(a, required=True)
    args = ap.parse_args()
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    qemu = [args.qemu, "-L", args.sysroot]
    env = {"LC_ALL": "C"}

    seen = []
    for name, wasm, flags, want_status in (("hello", args.hello, [], 0),
                                           ("trap", args.trap, [], 134),
                                           ("exceptions", args.exceptions, ["--enable-all"], 134),
                                           ("threads", args.threads, ["--enable-all"], 0)):
        host, cross = os.path.join(work, name + "-x86_64"), os.path.join(work, name + "-aarch64")
        compile_exe(args.wasmaot, wasm, host, *flags)
        compile_exe(args.wasmaot, wasm, cross, "--target", TARGET, *flags)
        check(e_machine(cross) == EM_AARCH64, "%s: not an AArch64 executable" % cross)
        want = run([host], env=env)
        got = run(qemu + [cross], env=env)
        check(want[0] == want_status, "%s: the x86-64 build exited %d, expected %d: %r" % (
            name, want[0], want_status, want[2]))
        check(got == want, "%s: under qemu-aarch64 (status %d)\nstdout %r\nstderr %r\n"
              "differ from the x86-64 build's (status %d)\nstdout %r\nstderr %r" % (
                  name, got[0], got[1][-2000:], got[2][-2000:], want[0], want[1][-2000:],
                  want[2][-2000:]))
        if name == "trap":
            check(b"wasm backtrace:\n  0: " in got[2], "trap: no backtrace: %r" % got[2])
        seen.append("%s %d (%d+%d bytes)" % (name, got[0], len(got[1]), len(got[2])))

    status, headers, _ = run(["readelf", "-W", "-h", "-l", os.path.join(work, "hello-aarch64")])
    check(status == 0 and b"DYN (Position-Independent Executable" in headers and
          b"/lib/ld-linux-aarch64.so.1" in headers,
          "the AArch64 executable is not a PIE interpreted by /lib/ld-linux-aarch64.so.1:\n" +
          headers.decode())

    obj = os.path.join(work, "hello.o")
    compile_exe(args.wasmaot, args.hello, obj, "--target=" + TARGET, "--emit=obj")
    check(e_machine(obj) == EM_AARCH64, "--emit=obj --target %s: not an AArch64 object" % TARGET)
    default_obj, x86_obj = os.path.join(work, "default.o"), os.path.join(work, "x86_64.o")
    compile_exe(args.wasmaot, args.hello, default_obj, "--emit=obj")
    compile_exe(args.wasmaot, args.hello, x86_obj, "--emit=obj", "--target", "x86_64-linux-gnu")
    with open(default_obj, "rb") as a, open(x86_obj, "rb") as b:
        check(a.read() == b.read(), "--target x86_64-linux-gnu changed the default's object")

    lines = [
        refused(args.wasmaot, [args.hello, "--target", "riscv64-linux-gnu"],
                ["riscv64-linux-gnu", "--target", "x86_64-linux-gnu", TARGET], work),
        refused(args.wasmaot, [args.hello, "--target"], ["--target"], work),
        refused(args.wasmaot, [args.hello, "--target", TARGET, "--static"],
                ["--static", TARGET], work),
        refused(args.wasmaot, [args.hello, "--target", TARGET, "--emit=shared"],
                ["--emit=shared", TARGET], work),
        refused(args.wasmaot, [args.hello, "--target", TARGET, "--cpu=x86-64-v3"],
                ["x86-64-v3", TARGET, "generic"], work),
        refused(args.wasmaot, [args.hello, "--target", TARGET, "--cpu=native"],
                ["--cpu=native", TARGET], work),
    ]
    print("ok: under qemu-aarch64 as on x86-64: %s; refused: %s" % ("; ".join(seen),
                                                                    " | ".join(lines)))


main()
