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
    wasi-stdout-bytes: N      stdout must be exactly N bytes of data: it is streamed and
                              counted, not kept (for transfers of gigabytes); the program
                              then reports on stderr, which is checked for FAIL lines too
    wasi-after: COMMAND       a shell command run right after the program, on the same
                              stdin/stdout/stderr (so it sees what the program left on the
                              open file descriptions it shared); its output counts as the
                              program's, the program's exit status is kept
    wasi-check: COMMAND       a shell command run in sandbox/ afterwards that must succeed
    wasi-host-fds: N...       host fds the program is started with, opened read-write on
                              outside/secret.txt, that no grant gives the guest (it must see
                              them as not open)

Exit status: 0 pass, 1 fail (with what was seen).
"""

import argparse
import fcntl
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import run_e2e  # noqa: E402  (its header reader)

RUN_TIMEOUT = 120
HEADER_RE = re.compile(r"wasi-([a-z]+(?:-[a-z]+)*):[ \t]?(.*)$")


def read_header(path):
    """The wasi-* header lines, read by the e2e harness's reader with this pattern."""
    return run_e2e.read_header(path, HEADER_RE)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def shell(command, cwd, what):
    p = subprocess.run(["sh", "-c", command], cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if p.returncode != 0:
        fail("%s %r failed (%d):\n%s" % (what, command, p.returncode,
                                          p.stdout.decode("utf-8", "replace")))


def run_counting(argv, cwd, env, stdin_data):
    """Runs argv with stdout streamed and counted (the last bytes kept); returns
    (returncode, stdout byte count, stdout tail, stderr)."""
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE,
                         stdin=subprocess.PIPE if stdin_data else subprocess.DEVNULL)
    err_chunks = []
    err_reader = threading.Thread(target=lambda: err_chunks.append(p.stderr.read()))
    err_reader.start()
    timer = threading.Timer(RUN_TIMEOUT, p.kill)
    timer.start()
    if stdin_data:
        p.stdin.write(stdin_data)
        p.stdin.close()
    # A bigger pipe and one preallocated buffer: fewer, cheaper reads (1 GiB in ~1 s).
    fd = p.stdout.fileno()
    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except OSError:
        pass
    block = bytearray(1 << 20)
    view = memoryview(block)
    count, tail = 0, b""
    while True:
        n = os.readv(fd, [block])
        if n == 0:
            break
        count += n
        tail = (tail + bytes(view[max(0, n - 6000):n]))[-6000:]
    returncode = p.wait()
    timed_out = not timer.is_alive()
    timer.cancel()
    err_reader.join()
    if timed_out:
        fail("timed out after %d s" % RUN_TIMEOUT)
    return returncode, count, tail, b"".join(err_chunks)


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
    host_fds = [int(n) for item in header.get("host-fds", []) for n in item.split()]
    if host_fds:
        # A shell opens them and execs the program; the shell adds PWD to its environment,
        # which the guest sees only with --inherit-env.
        secret = shlex.quote(os.path.join(outside, "secret.txt"))
        redirs = " ".join("%d<>%s" % (n, secret) for n in host_fds)
        argv = ["/bin/sh", "-c", 'exec %s "$@"' % redirs, "sh"] + argv
    after = header.get("after", [])
    if after:
        # The program keeps exactly its environment (env -i); the commands after it get the
        # runner's, and the program's exit status is what the shell exits with.
        script = "env -i %s %s; status=$?; %s; exit $status" % (
            " ".join(shlex.quote("%s=%s" % kv) for kv in env.items()),
            " ".join(shlex.quote(a) for a in argv), "; ".join(after))
        argv, env = ["sh", "-c", script], None
    stdin = header.get("stdin")
    stdin_data = (stdin[-1] + "\n").encode() if stdin else None
    stdout_bytes = header.get("stdout-bytes")
    if stdout_bytes:
        returncode, count, tail, err_raw = run_counting(argv, sandbox, env, stdin_data)
        out = tail.decode("utf-8", "backslashreplace")
        err = err_raw.decode("utf-8", "backslashreplace")
        seen = "stdout: %d bytes, ending:\n%s\nstderr:\n%s" % (count, out[-2000:], err[-6000:])
        if count != int(stdout_bytes[-1]):
            fail("stdout had %d bytes, expected %s\n%s" % (count, stdout_bytes[-1], seen))
        report = err
    else:
        try:
            p = subprocess.run(argv, cwd=sandbox, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=RUN_TIMEOUT, input=stdin_data,
                               stdin=None if stdin else subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            fail("timed out after %d s" % RUN_TIMEOUT)
        returncode = p.returncode
        out = p.stdout.decode("utf-8", "backslashreplace")
        err = p.stderr.decode("utf-8", "backslashreplace")
        seen = "stdout:\n%s\nstderr:\n%s" % (out[-6000:], err[-3000:])
        report = out
    expected_exit = int(header.get("exit", ["0"])[-1])
    if returncode != expected_exit:
        fail("exit status %d, expected %d\n%s" % (returncode, expected_exit, seen))
    if re.search(r"^FAIL", out, re.M) or (stdout_bytes and re.search(r"^FAIL", err, re.M)):
        fail("the program reported failures\n" + seen)
    for want in header.get("stdout", []):
        if want not in out:
            fail("stdout lacks %r\n%s" % (want, seen))
    for command in header.get("check", []):
        shell(command, sandbox, "check")
    last = report.strip().splitlines()[-1] if report.strip() else "(no output)"
    print("ok: %s: %s" % (args.name, last))


if __name__ == "__main__":
    main()
