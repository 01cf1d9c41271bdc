#!/usr/bin/env python3
"""Tests of what wasmaot does with hostile inputs: names and sizes.

    names     function, import and export names holding a newline, an escape
              sequence, BEL, a C1 control and a backslash: every compile
              error and the trap message is exactly one line, with the bytes
              escaped as runtime/wa_escape.h says
    limits    50,000 v128 locals compile quickly at -O0 and -O2 (they took
              22 s at -O2 when mem2reg was quadratic); one more local, a body
              over the size limit and over a million functions are refused
              with one line naming the limit
    signals   a compile ended by SIGTERM, SIGINT or SIGHUP leaves no
              temporary file and its status says the signal

Usage: test_limits.py {names|limits|signals} --wasmaot PATH --workdir DIR
Modules come from gen_module.py (beside this file) at test time.
"""
import argparse
import glob
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_module  # noqa: E402


class Failure(Exception):
    pass


def write(workdir, name, data):
    path = os.path.join(workdir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def compile_wasm(wasmaot, wasm, out, *flags, timeout=300):
    p = subprocess.run([wasmaot, wasm, "-o", out, *flags], capture_output=True, timeout=timeout)
    return p.returncode, p.stderr


def one_line(err, expected, what):
    if err.count(b"\n") != 1 or not err.endswith(b"\n"):
        raise Failure("%s: expected exactly one line on stderr, got %r" % (what, err))
    if err != expected:
        raise Failure("%s: stderr should be\n  %r\ngot\n  %r" % (what, expected, err))


# The escaped form of gen_module.EVIL (wa_escape.h): \n, \x1b, \x07, the C1
# control's two bytes, a doubled backslash; the é stays.
EVIL_ESCAPED = "ev\\nil\\x1b[31m\\x07\\xc2\\x9b\\\\xé".encode()


def test_names(a):
    wd = a.workdir
    valid = write(wd, "evil.wasm", gen_module.evil_names(0))
    bad_body = write(wd, "evil_body.wasm", gen_module.evil_names(1))
    dup = write(wd, "evil_dup.wasm", gen_module.evil_names(2))
    out = os.path.join(wd, "evil")
    imp = b"env" + EVIL_ESCAPED + b".f" + EVIL_ESCAPED

    rc, err = compile_wasm(a.wasmaot, valid, out)
    one_line(err, valid.encode() + b": unknown import: " + imp +
             b" (use --allow-unknown-imports to compile them as traps)\n", "unknown import")
    rc, err = compile_wasm(a.wasmaot, bad_body, out, "--allow-unknown-imports")
    one_line(err, bad_body.encode() + b": offset 0x6d: func 2 (" + EVIL_ESCAPED +
             b"): type mismatch: 1 values left on the stack at the end of a block\n",
             "invalid function")
    rc, err = compile_wasm(a.wasmaot, dup, out, "--allow-unknown-imports")
    one_line(err, dup.encode() + b": duplicate export name \"x" + EVIL_ESCAPED + b"\"\n",
             "duplicate export")

    rc, err = compile_wasm(a.wasmaot, valid, out, "--allow-unknown-imports")
    if rc != 0:
        raise Failure("compiling %s failed: %r" % (valid, err))
    # the trap line alone (the backtrace's escaping of names: tests/e2e/backtrace.py)
    p = subprocess.run([out], capture_output=True, timeout=60,
                       env=dict(os.environ, WASMAOT_BACKTRACE="0"))
    if p.returncode != 134:
        raise Failure("the trap should exit with 134, got %d" % p.returncode)
    one_line(p.stderr, b"wasm trap: unreachable in function 2 (" + EVIL_ESCAPED + b")\n", "trap")


def test_limits(a):
    wd = a.workdir
    out = os.path.join(wd, "limits.o")
    many = write(wd, "v128_50000.wasm", gen_module.v128_locals(50000))
    for level in ("-O0", "-O2"):
        start = time.monotonic()
        rc, err = compile_wasm(a.wasmaot, many, out, level, "--emit=obj")
        took = time.monotonic() - start
        if rc != 0:
            raise Failure("50,000 v128 locals at %s: %r" % (level, err))
        # 0.2-0.5 s here; 22 s at -O2 when it was quadratic.
        if took > 10:
            raise Failure("50,000 v128 locals took %.1f s at %s" % (took, level))
        print("50,000 v128 locals, %s: %.2f s" % (level, took))

    refused = [
        ("v128_50001.wasm", gen_module.v128_locals(50001),
         b": offset 0x26: func 0: too many locals: 50001, more than wasmaot's limit of 50000\n"),
        ("body_7654322.wasm", gen_module.big_body(7654322 + 6),
         None),
        ("funcs_1000001.wasm", gen_module.chained_calls(1000001),
         b": offset 0x12: too many functions: 1000001, more than wasmaot's limit of 1000000\n"),
    ]
    for name, data, tail in refused:
        path = write(wd, name, data)
        start = time.monotonic()
        rc, err = compile_wasm(a.wasmaot, path, out, timeout=60)
        took = time.monotonic() - start
        if rc == 0:
            raise Failure("%s was compiled; it is over a limit" % name)
        if tail is None:
            size = len(data) - 40  # whatever the body is, the message names the limit
            if not (err.startswith(path.encode() + b": offset 0x28: func 0: function body too "
                                   b"large: ") and
                    err.endswith(b" bytes, more than wasmaot's limit of 7654321\n")):
                raise Failure("%s: unexpected message %r (body of about %d bytes)" % (
                    name, err, size))
            one_line(err, err, name)
        else:
            one_line(err, path.encode() + tail, name)
        if took > 30:
            raise Failure("%s took %.1f s to be refused" % (name, took))


def test_signals(a):
    wd = a.workdir
    wasm = write(wd, "big.wasm", gen_module.big_body(3000000))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        sub = os.path.join(wd, "sig_%d" % sig)
        os.makedirs(sub, exist_ok=True)
        out = os.path.join(sub, "out")
        p = subprocess.Popen([a.wasmaot, wasm, "-o", out, "-O0"], stderr=subprocess.PIPE)
        # Wait until the compile has a temporary file (the object being emitted).
        deadline = time.monotonic() + 120
        while not glob.glob(os.path.join(sub, "*.tmp*")):
            if p.poll() is not None or time.monotonic() > deadline:
                p.kill()
                raise Failure("no temporary file appeared before the compile ended")
            time.sleep(0.005)
        p.send_signal(sig)
        p.wait(timeout=60)
        if p.returncode != -sig:
            raise Failure("after %s the status should say killed by it, got %d" % (
                signal.Signals(sig).name, p.returncode))
        left = os.listdir(sub)
        if left:
            raise Failure("after %s these files remain: %s" % (signal.Signals(sig).name, left))
        print("%s: killed, nothing left" % signal.Signals(sig).name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["names", "limits", "signals"])
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    a.workdir = os.path.join(a.workdir, a.kind)
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    try:
        {"names": test_names, "limits": test_limits, "signals": test_signals}[a.kind](a)
    except (Failure, subprocess.TimeoutExpired) as e:
        print("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
