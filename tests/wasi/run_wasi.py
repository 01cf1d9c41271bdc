#!/usr/bin/env python3
"""run_wasi.py: runs one WASI guest test (tests/wasi/{c,rust}/NAME.*) compiled by wasmaot.

A guest test checks WASI behaviour from inside wasm (C tests call the witx
functions through <wasi/api.h> with check.h; Rust tests use std) and prints
"FAIL ..." lines for what went wrong. The runner compiles the .wasm with
wasmaot, lays out a fresh directory per test,

    WORK/NAME/sandbox/        the program's working directory (what tests grant)
    WORK/NAME/outside/        never granted: secret.txt and secret_dir/ for escape attempts

runs the header's setup commands in sandbox/, runs the program there, and
requires the expected exit status and no FAIL line. Header lines in the
source (as run_e2e.py's):

    wasi-compile: FLAG...     extra wasmaot flags (grants baked in, -O...)
    wasi-options: OPTIONS     WASMAOT_OPTIONS for the run (grants at run time)
    wasi-args: ARG...         program arguments (shell-quoted)
    wasi-env: NAME=VALUE...   host environment of the run, besides LC_ALL=C
    wasi-setup: COMMAND       a shell command run in sandbox/ first (repeatable)
    wasi-stdin: TEXT          text fed to stdin (default: /dev/null)
    wasi-exit: N              expected exit status (default 0)
    wasi-stdout: TEXT         a line stdout must contain (repeatable)
    wasi-check: COMMAND       a shell command run in sandbox/ afterwards that must succeed

Exit status: 0 pass, 1 fail (with what was seen).
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys

RUN_TIMEOUT = 120
HEADER_RE = re.compile(r"wasi-([a-z]+):[ \t]?(.*)$")


def read_header(path):
    header = {}
    with open(path, "rb") as f:
        for raw in f:
            m = HEADER_RE.search(raw.decode("utf-8", "replace").rstrip("\r\n"))
            if m:
                header.setdefault(m.group(1), []).append(m.group(2).strip())
    return header


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def shell(command, cwd, what):
    p = subprocess.run(["sh", "-c", command], cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if p.returncode != 0:
        fail("%s %r failed (%d):\n%s" % (what, command, p.returncode,
                                          p.stdout.decode("utf-8", "replace")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--wasm", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()

    header = read_header(args.source)
    work = os.path.join(args.workdir, args.name)
    shutil.rmtree(work, ignore_errors=True)
    sandbox = os.path.join(work, "sandbox")
    outside = os.path.join(work, "outside")
    os.makedirs(sandbox)
    os.makedirs(os.path.join(outside, "secret_dir"))
    with open(os.path.join(outside, "secret.txt"), "w") as f:
        f.write("secret\n")

    exe = os.path.join(work, args.name)
    flags = []
    for item in header.get("compile", []):
        flags += shlex.split(item)
    cmd = [args.wasmaot, args.wasm, "-o", exe] + flags
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        fail("compiling failed: %s\n%s" % (shlex.join(cmd), p.stderr.decode("utf-8", "replace")))

    for command in header.get("setup", []):
        shell(command, sandbox, "setup")

    env = {"LC_ALL": "C"}
    for item in header.get("env", []):
        for assignment in shlex.split(item):
            name, _, value = assignment.partition("=")
            env[name] = value
    options = header.get("options")
    if options:
        env["WASMAOT_OPTIONS"] = options[-1]
    argv = [exe]
    for item in header.get("args", []):
        argv += shlex.split(item)
    stdin = header.get("stdin")
    try:
        p = subprocess.run(argv, cwd=sandbox, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=RUN_TIMEOUT,
                           input=(stdin[-1] + "\n").encode() if stdin else None,
                           stdin=None if stdin else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        fail("timed out after %d s" % RUN_TIMEOUT)
    out = p.stdout.decode("utf-8", "backslashreplace")
    err = p.stderr.decode("utf-8", "backslashreplace")
    seen = "stdout:\n%s\nstderr:\n%s" % (out[-6000:], err[-3000:])
    expected_exit = int(header.get("exit", ["0"])[-1])
    if p.returncode != expected_exit:
        fail("exit status %d, expected %d\n%s" % (p.returncode, expected_exit, seen))
    if re.search(r"^FAIL", out, re.M):
        fail("the program reported failures\n" + seen)
    for want in header.get("stdout", []):
        if want not in out:
            fail("stdout lacks %r\n%s" % (want, seen))
    for command in header.get("check", []):
        shell(command, sandbox, "check")
    last = out.strip().splitlines()[-1] if out.strip() else "(no output)"
    print("ok: %s: %s" % (args.name, last))


if __name__ == "__main__":
    main()
