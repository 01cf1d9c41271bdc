#!/usr/bin/env python3
"""run_e2e.py: the end-to-end test harness of wasmaot (one meson test = one call).

Every test compiles a .wasm with the wasmaot executable into its own work
directory and checks what comes out. The expectations live in the test's
source file, as header lines (golden-test style, STYLE.md section 7):

    e2e-args: ARG...          program arguments after argv[0] (shell-quoted)
    e2e-env: NAME=VALUE...    extra environment variables (shell-quoted)
    e2e-stdin: PATH           file fed to stdin, relative to tests/e2e/
    e2e-exit: N               expected exit status (default 0)
    e2e-stdout: TEXT          expected stdout line (trap and import tests)
    e2e-trap: MESSAGE         expected trap message (the spec's wording)
    e2e-trap-func: IDX NAME   function the trap must be reported in (at -O0)
    e2e-trap-helper: yes      the trap is raised by a runtime helper (table.copy,
                              memory.init, ...), located by its return address:
                              like a memory fault, optimised code may have inlined
                              the function into a caller, so only -O0 pins it
    e2e-reason: A | B         accepted diagnostic reasons (bad-input tests)
    e2e-runs: N               output tests: run the program N times, each run
                              as expected (threaded programs: the same every run)

Kinds of test (the first argument):

    program   compile the .wasm, run it and the native build of the same
              source with the same arguments, environment and stdin, and
              require identical stdout bytes, stderr bytes and exit status
              (and the status the header expects).
    output    compile a .wat-built program and run it: stdout exactly the header's
              e2e-stdout lines, exit status e2e-exit (default 0), empty stderr
              (wat programs that have no native build to compare with).
    trap      compile a .wat-built module and run it: exit status 134 and
              stderr holding "wasm trap: MESSAGE in function IDX (NAME)"
              (for memory faults in optimised code, any function: the
              fault may be in an inlining caller).
    bad       feed malformed/invalid modules (.hex or prebuilt .wasm) to
              wasmaot: non-zero exit, exactly one stderr line
              "FILE: offset 0x..: [func N (name): ]REASON", no output file.
    usage     command-line errors: non-zero exit, exactly one stderr line
              naming the culprit, no output file.
    imports   unknown imports: refused by default (naming each), accepted
              with --allow-unknown-imports, trapping only when called.
    emit      --emit=obj|llvm-ir|asm produce what they promise.
    grants    what the sandbox gives a program (tests/e2e/grants/probe.c prints
              its arguments, environment and fds): nothing by default; --dir,
              --env, --inherit-env, --tcplisten baked in and from
              WASMAOT_OPTIONS; refusals to start (malformed WASMAOT_OPTIONS,
              a missing directory); read-only directories; `wasmaot inspect`;
              the start-up CPU check. --case picks one (GRANT_CASES).
    limits    --fuel, --timeout, --max-memory, --max-stack, baked in and from
              WASMAOT_OPTIONS, and their bad values (tests/e2e/limits/*.wat);
              --case picks one (LIMIT_CASES).

Programs run in a fixed environment (env -i plus LC_ALL=C and the header's
variables), with a time limit, so results do not depend on the host.
Exit status: 0 pass, 1 fail (with a description and diffs on stdout).
"""

import argparse
import difflib
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time

E2E_DIR = os.path.dirname(os.path.abspath(__file__))
RUN_TIMEOUT = 60
TRAP_TIMEOUT = 20  # a trap test that runs this long is looping instead of trapping
COMPILE_TIMEOUT = 600
BASE_ENV = {"LC_ALL": "C", "E2E": "1"}
TRAP_STATUS = 134
HEADER_RE = re.compile(r"e2e-([a-z-]+):[ \t]?(.*)$")


class Failure(Exception):
    """A test expectation that did not hold; the message says which and how."""


def read_header(path, header_re=HEADER_RE):
    """The header lines of a source file (e2e-KEY: by default; another harness passes its own
    pattern, whose groups are the key and the value), as a dict of key -> list of values."""
    header = {}
    with open(path, "rb") as f:
        for raw in f:
            m = header_re.search(raw.decode("utf-8", "replace").rstrip("\r\n"))
            if m:
                header.setdefault(m.group(1), []).append(m.group(2).strip())
    return header


def header_one(header, key, default=None):
    values = header.get(key)
    return values[-1] if values else default


def describe_status(code):
    """A process's exit status in words; Python reports death by signal N as -N."""
    if code is None:
        return "timed out"
    if code < 0:
        return "killed by signal %d (shell status %d)" % (-code, 128 - code)
    return "exit status %d" % code


def shell_status(code):
    """The status a shell would show: death by signal N reads as 128+N."""
    return 128 - code if code is not None and code < 0 else code


EM_AARCH64 = 183


def through_runner(argv):
    """
    argv, run through the setup's WASMAOT_E2E_RUNNER (meson test --setup
    aarch64: qemu-aarch64 -L /usr/aarch64-linux-gnu) when argv[0] is an
    AArch64 ELF executable, what the setup's wasmaot compiles make; the
    native comparison builds and the host's tools run as they are.
    """
    runner = shlex.split(os.environ.get("WASMAOT_E2E_RUNNER", ""))
    if not runner:
        return argv
    try:
        with open(argv[0], "rb") as f:
            head = f.read(20)
    except OSError:
        return argv
    if head[:4] == b"\x7fELF" and int.from_bytes(head[18:20], "little") == EM_AARCH64:
        return runner + list(argv)
    return argv


def setup_target():
    """The --target of the setup's flags, or None (the host)."""
    flags = setup_flags()
    for i, f in enumerate(flags):
        if f.startswith("--target="):
            return f[len("--target="):]
        if f == "--target" and i + 1 < len(flags):
            return flags[i + 1]
    return None


def run(argv, stdin_path=None, env=None, timeout=RUN_TIMEOUT, cwd=None):
    """Runs argv; returns (status, stdout bytes, stderr bytes); status None on timeout."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    argv = through_runner(argv)
    try:
        p = subprocess.run(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env, timeout=timeout, cwd=cwd)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b"", e.stderr or b""
    finally:
        if stdin_path:
            stdin.close()


def show_bytes(data, limit=4000):
    text = data.decode("utf-8", "backslashreplace")
    return text if len(text) <= limit else text[:limit] + "\n... (%d more chars)" % (
        len(text) - limit)


def diff_bytes(name, expected, actual, from_name, to_name):
    """A unified diff of two byte strings, line by line, with bytes shown escaped."""
    a = expected.decode("utf-8", "backslashreplace").splitlines(keepends=True)
    b = actual.decode("utf-8", "backslashreplace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(a, b, "%s (%s)" % (name, from_name),
                                      "%s (%s)" % (name, to_name), n=2))
    out = "".join(l if l.endswith("\n") else l + "\\ (no newline at end)\n" for l in lines)
    if len(out) > 8000:
        out = out[:8000] + "... (diff truncated)\n"
    return out


def fresh_workdir(root, name):
    d = os.path.join(root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def setup_flags():
    """The flags of the test setup (meson test --setup static: WASMAOT_E2E_FLAGS=--static)."""
    return shlex.split(os.environ.get("WASMAOT_E2E_FLAGS", ""))


def compile_wasm(wasmaot, wasm, out, extra=()):
    """Runs wasmaot, with the setup's flags when it makes an executable; returns
    (status, stdout, stderr, argv)."""
    extra = list(extra)
    if not any(f.startswith("--emit=") for f in extra):
        extra += setup_flags()
    argv = [wasmaot, wasm, "-o", out] + extra
    status, so, se = run(argv, timeout=COMPILE_TIMEOUT)
    return status, so, se, argv


def compile_or_fail(wasmaot, wasm, out, extra=()):
    status, so, se, argv = compile_wasm(wasmaot, wasm, out, extra)
    if status != 0 or not os.path.isfile(out):
        raise Failure("compiling failed: %s\n  command: %s\n  stderr:\n%s\n  stdout:\n%s" % (
            describe_status(status), shlex.join(argv), show_bytes(se), show_bytes(so)))
    if not os.access(out, os.X_OK):
        raise Failure("wasmaot produced %s but it is not executable" % out)


def fixed_env(header):
    env = dict(BASE_ENV)
    for item in header.get("env", []):
        for assignment in shlex.split(item):
            name, sep, value = assignment.partition("=")
            if not sep:
                raise Failure("bad e2e-env entry %r in test header" % assignment)
            env[name] = value
    return env


def header_env_names(header):
    """The names of the e2e-env variables, in order."""
    return [a.partition("=")[0] for item in header.get("env", []) for a in shlex.split(item)]


# ---- program: wasm vs. native ------------------------------------------------------------------

def test_program(args):
    header = read_header(args.source)
    work = fresh_workdir(args.workdir, args.name)
    exe = os.path.join(work, args.name)
    # Least privilege: the wasm build sees only the variables it is granted. Grant
    # each header variable by name (--env NAME: the host's value at start-up).
    grants = ["--env=" + name for name in header_env_names(header)]
    compile_or_fail(args.wasmaot, args.wasm, exe, (args.flag or []) + grants)

    argv_tail = []
    for item in header.get("args", []):
        argv_tail += shlex.split(item)
    env = fixed_env(header)
    stdin = header_one(header, "stdin")
    stdin_path = os.path.join(E2E_DIR, stdin) if stdin else None
    expected_exit = int(header_one(header, "exit", "0"))

    n_status, n_out, n_err = run([args.native] + argv_tail, stdin_path, env, cwd=work)
    w_status, w_out, w_err = run([exe] + argv_tail, stdin_path, env, cwd=work)

    problems = []
    if n_status != expected_exit:
        problems.append("the NATIVE build ended with %s, the header expects exit status %d "
                        "(the test program itself is wrong)" % (describe_status(n_status),
                                                                expected_exit))
    if not n_out:
        problems.append("the native build printed nothing: the comparison would be empty")
    if w_status != n_status:
        problems.append("exit: native %s, wasmaot %s" % (describe_status(n_status),
                                                         describe_status(w_status)))
    if w_out != n_out:
        problems.append("stdout differs (%d bytes native, %d bytes wasmaot):\n%s" % (
            len(n_out), len(w_out), diff_bytes("stdout", n_out, w_out, "native", "wasmaot")))
    if w_err != n_err:
        problems.append("stderr differs (%d bytes native, %d bytes wasmaot):\n%s" % (
            len(n_err), len(w_err), diff_bytes("stderr", n_err, w_err, "native", "wasmaot")))
    if problems:
        raise Failure("program %s (args %s, stdin %s):\n- %s" % (
            args.name, shlex.join(argv_tail) or "none", stdin or "none", "\n- ".join(problems)))
    print("ok: %s: %d stdout bytes, %d stderr bytes, %s, identical to native" % (
        args.name, len(n_out), len(n_err), describe_status(n_status)))


# ---- output: a wat program's stdout against its header --------------------------------------

def test_output(args):
    header = read_header(args.source)
    work = fresh_workdir(args.workdir, args.name)
    exe = os.path.join(work, args.name)
    compile_or_fail(args.wasmaot, args.wasm, exe, args.flag or [])
    runs = int(header_one(header, "runs", "1"))
    for attempt in range(1, runs + 1):
        status, out, err = run([exe], env=dict(BASE_ENV), cwd=work)
        expected_exit = int(header_one(header, "exit", "0"))
        problems = []
        if shell_status(status) != expected_exit:
            problems.append("expected exit status %d, got %s" % (expected_exit,
                                                                  describe_status(status)))
        expected_out = "".join(line + "\n" for line in header.get("stdout", [])).encode()
        if out != expected_out:
            problems.append("stdout should be %r, got %r" % (expected_out, out))
        if err:
            problems.append("stderr should be empty, got %s" % show_bytes(err))
        if problems:
            raise Failure("program %s (run %d of %d):\n- %s" % (args.name, attempt, runs,
                                                              "\n- ".join(problems)))
    print("ok: %s: %d stdout bytes as expected, %s%s" % (
        args.name, len(out), describe_status(status), ", %d runs" % runs if runs > 1 else ""))


# ---- trap --------------------------------------------------------------------------------------

def check_stdout_lines(header, out, what):
    want = "".join(line + "\n" for line in header.get("stdout", [])).encode()
    if out != want:
        raise Failure("%s: stdout should be %r, got %r" % (what, want, out))


def test_trap(args):
    header = read_header(args.source)
    message = header_one(header, "trap")
    func = header_one(header, "trap-func")
    if not message or not func:
        raise Failure("%s lacks e2e-trap / e2e-trap-func header lines" % args.source)
    idx, _, fname = func.partition(" ")
    # Explicit checks name their wasm function exactly, inlined or not. A
    # memory access that faults on a guard page is reported in the function
    # whose machine code faulted, which optimised code may have inlined into
    # a caller: for those only -O0 pins the function.
    fault = message == "out of bounds memory access" or header_one(header, "trap-helper") == "yes"
    if not fault or "-O0" in (args.flag or []):
        want = "wasm trap: %s in function %s (%s)\n" % (message, idx, fname)
    else:
        want = "wasm trap: %s in function " % message

    work = fresh_workdir(args.workdir, args.name)
    exe = os.path.join(work, args.name)
    compile_or_fail(args.wasmaot, args.wasm, exe, args.flag or [])
    status, out, err = run([exe], env=dict(BASE_ENV), timeout=TRAP_TIMEOUT, cwd=work)

    problems = []
    if shell_status(status) != TRAP_STATUS:
        problems.append("expected exit status %d, got %s" % (TRAP_STATUS, describe_status(status)))
    if want.encode() not in err:
        problems.append("stderr should contain %r" % want)
    expected_out = "".join(line + "\n" for line in header.get("stdout", [])).encode()
    if out != expected_out:
        problems.append("stdout should be %r, got %r" % (expected_out, out))
    if problems:
        raise Failure("trap test %s:\n- %s\n  stderr was:\n%s" % (
            args.name, "\n- ".join(problems), show_bytes(err)))
    print("ok: %s: %s" % (args.name, want.strip()))


# ---- bad input and usage errors ----------------------------------------------------------------

def hex_to_bytes(path):
    """Bytes of a .hex file: hex pairs separated by blanks; ';;' starts a comment."""
    data = bytearray()
    with open(path) as f:
        for line in f:
            for tok in line.split(";;")[0].split():
                data.append(int(tok, 16))
    return bytes(data)


def single_line(err, what):
    """The one line of stderr, or a Failure if there is not exactly one."""
    text = err.decode("utf-8", "backslashreplace")
    lines = text.splitlines()
    if len(lines) != 1 or not text.endswith("\n"):
        raise Failure("%s: expected exactly one line on stderr, got %d:\n%s" % (
            what, len(lines), text))
    return lines[0]


def expect_refusal(argv, out, what, cwd=None, env=None):
    """Runs wasmaot expecting failure; returns its one stderr line. Checks out is not left."""
    if os.path.lexists(out):
        os.remove(out)
    status, so, se = run(argv, timeout=COMPILE_TIMEOUT, cwd=cwd, env=env)
    if status is None or status <= 0:
        raise Failure("%s: wasmaot should exit with a non-zero status, got %s\n  command: %s"
                      "\n  stderr:\n%s" % (what, describe_status(status), shlex.join(argv),
                                          show_bytes(se)))
    if os.path.lexists(out):
        raise Failure("%s: wasmaot failed but left the output file %s behind" % (what, out))
    return single_line(se, what)


def test_bad(args):
    work = fresh_workdir(args.workdir, args.name)
    if args.source.endswith(".hex"):
        wasm = os.path.join(work, args.name + ".wasm")
        with open(wasm, "wb") as f:
            f.write(hex_to_bytes(args.source))
    else:
        wasm = args.wasm
    reasons = [r.strip() for r in header_one(read_header(args.source), "reason", "").split("|")]
    if not reasons[0]:
        raise Failure("%s lacks an e2e-reason header line" % args.source)
    out = os.path.join(work, args.name + ".out")
    line = expect_refusal([args.wasmaot, wasm, "-o", out], out, args.name)
    # FILE: offset 0xHEX: [func N[ (name)]: ]REASON[details]
    m = re.match(r"^(.*): offset 0x[0-9a-fA-F]+: (?:func \d+(?: \([^)]*\))?: )?(.*)$", line)
    if not m:
        raise Failure("%s: diagnostic %r is not 'FILE: offset 0x..: reason'" % (args.name, line))
    if m.group(1) != wasm:
        raise Failure("%s: diagnostic %r should name the file %r" % (args.name, line, wasm))
    if not any(m.group(2).startswith(r) for r in reasons):
        raise Failure("%s: diagnostic %r: reason should start with %s" % (
            args.name, line, " or ".join(repr(r) for r in reasons)))
    print("ok: %s: %s" % (args.name, line))


def test_usage(args):
    """Command-line errors; args.case picks one. A valid module is args.wasm."""
    work = fresh_workdir(args.workdir, args.name)
    out = os.path.join(work, "out")
    cases = {
        # case: (argv, substrings the single stderr line must contain)
        "missing_file": ([os.path.join(work, "does-not-exist.wasm"), "-o", out],
                         [os.path.join(work, "does-not-exist.wasm")]),
        "unknown_flag": ([args.wasm, "--frobnicate", "-o", out], ["--frobnicate"]),
        "no_output": ([args.wasm], ["-o"]),
        "bad_opt_level": ([args.wasm, "-O7", "-o", out], ["-O7"]),
        "bad_emit": ([args.wasm, "--emit=bogus", "-o", out], ["bogus"]),
        "no_input": (["-o", out], ["input"]),
        "bad_cpu": ([args.wasm, "--cpu=no-such-cpu", "-o", out], ["no-such-cpu"]),
        # A 32-bit CPU: refused with one line (LLVM itself would abort on 64-bit code for it).
        "cpu_32bit": ([args.wasm, "--cpu=i386", "-o", out], ["'i386'", "not a 64-bit x86 CPU"]),
        "run_cpu_32bit": (["run", "--cpu=pentium4", args.wasm],
                          ["'pentium4'", "not a 64-bit x86 CPU"]),
        # Grants are parsed by the runtime's parser at compile time: one line, no output.
        "grant_dir_no_value": ([args.wasm, "-o", out, "--dir"], ["--dir"]),
        "grant_dir_no_guest": ([args.wasm, "--dir", "data::", "-o", out], ["--dir", "guest"]),
        "grant_env_no_name": ([args.wasm, "--env==x", "-o", out], ["--env"]),
        "grant_env_reserved": ([args.wasm, "--env", "WASMAOT_OPTIONS=x", "-o", out],
                               ["WASMAOT_OPTIONS"]),
        "grant_tcplisten_bad": ([args.wasm, "--tcplisten", "localhost", "-o", out],
                                ["--tcplisten", "HOST:PORT"]),
        "grant_inherit_env_value": ([args.wasm, "--inherit-env=yes", "-o", out],
                                    ["--inherit-env"]),
        "grant_not_exe": ([args.wasm, "--dir", ".", "--emit=obj", "-o", out], ["--emit=exe"]),
        # --target: one line naming the valid targets.
        "bad_target": ([args.wasm, "--target", "riscv64-linux-gnu", "-o", out],
                       ["'riscv64-linux-gnu'", "x86_64-linux-gnu", "aarch64-linux-gnu"]),
    }
    # A FIFO as input: refused at once ("not a regular file"), never waited on for a writer.
    fifo = work + ".fifo"
    if args.case == "fifo_input":
        if os.path.exists(fifo):
            os.unlink(fifo)
        os.mkfifo(fifo)
    cases["fifo_input"] = ([fifo, "-o", out], ["not a regular file"])
    # -o naming the input (here a copy of it, through another path): refused, the input kept.
    copy = os.path.join(work, "copy.wasm")
    if args.case == "output_is_input":
        shutil.copyfile(args.wasm, copy)
    cases["output_is_input"] = ([copy, "-o", os.path.join(work, ".", "copy.wasm")],
                                ["is the input file"])
    # Text input (compiler/wat.c): wat2wasm's first error as one line with its position, and,
    # when wat2wasm cannot be found, one line saying what to install.
    bad_wat = os.path.join(work, "bad.wat")
    with open(bad_wat, "w") as f:
        f.write('(module\n  (func (export "_start")\n    (i32.add)))\n')
    cases["wat_error"] = ([bad_wat, "-o", out], [bad_wat, "line 3, column", "type mismatch"])
    cases["wat_no_wat2wasm"] = ([bad_wat, "-o", out], ["WebAssembly text", "wat2wasm", "wabt"])
    # --header (codegen/header.c): only with --emit=shared, needs a file, and one it can write.
    header = os.path.join(work, "app.h")
    cases["header_not_shared"] = ([args.wasm, "--header", header, "-o", out],
                                  ["--header", "--emit=shared"])
    cases["header_no_value"] = ([args.wasm, "--emit=shared", "-o", out, "--header"],
                                ["--header needs a file name"])
    unwritable = os.path.join(work, "no-such-dir", "app.h")
    cases["header_unwritable"] = ([args.wasm, "--emit=shared", "--header", unwritable, "-o", out],
                                  ["cannot write the header", unwritable, "no such file"])
    cases["static_not_exe"] = ([args.wasm, "--static", "--emit=obj", "-o", out], ["--static"])
    # The output's place is checked first, and the message names the output, not a temporary.
    missing = os.path.join(work, "no-such-dir", "app")
    cases["output_dir_missing"] = ([args.wasm, "-o", missing], [missing, "no such file"])
    cases["output_is_directory"] = ([args.wasm, "-o", work], [work, "is a directory"])
    # Unknown imports: every one is listed, however many (a text module of 300).
    many = os.path.join(work, "many.wat")
    with open(many, "w") as f:
        f.write("(module\n%s  (func (export \"_start\")))\n" % "".join(
            '  (import "env" "an_unknown_function_%03d" (func))\n' % i for i in range(300)))
    cases["unknown_imports_all_listed"] = ([many, "-o", out], [
        "unknown imports", "env.an_unknown_function_000, env.an_unknown_function_001",
        "env.an_unknown_function_299 (use --allow-unknown-imports"])
    env = None
    if args.case == "wat_no_wat2wasm":
        env = dict(os.environ, PATH=work)  # a PATH without wat2wasm
    argv, needles = cases[args.case]
    line = expect_refusal([args.wasmaot] + argv, out, args.name, cwd=work, env=env)
    for needle in needles:
        if needle.lower() not in line.lower():
            raise Failure("%s: the diagnostic %r should mention %r" % (args.name, line, needle))
    if ".tmp" in line:
        raise Failure("%s: the diagnostic %r names a temporary file" % (args.name, line))
    # A refused command creates nothing: not in the working directory (a default name such
    # as a.out) and not next to the input (FILE without .wasm).
    stray = [n for n in os.listdir(work) if n not in ("copy.wasm", "bad.wat", "many.wat")]
    if args.case == "output_is_input":
        with open(copy, "rb") as f, open(args.wasm, "rb") as g:
            if f.read() != g.read():
                raise Failure("%s: the input was overwritten" % args.name)
    if os.path.exists(os.path.splitext(args.wasm)[0]):
        stray.append(os.path.splitext(args.wasm)[0])
    if stray:
        raise Failure("%s: the refused command created %s" % (args.name, stray))
    print("ok: %s: %s" % (args.name, line))


# ---- unknown imports ---------------------------------------------------------------------------

def test_imports(args):
    header = read_header(args.source)
    work = fresh_workdir(args.workdir, args.name)
    exe = os.path.join(work, args.name)
    if args.case == "refused":
        # The refusal lists every unknown import; it may take one line per import.
        if os.path.lexists(exe):
            os.remove(exe)
        argv = [args.wasmaot, args.wasm, "-o", exe]
        status, so, se = run(argv, timeout=COMPILE_TIMEOUT)
        text = se.decode("utf-8", "backslashreplace")
        problems = []
        if status is None or status <= 0:
            problems.append("expected a non-zero exit, got %s" % describe_status(status))
        for name in ("env.foo", "env.bar"):
            if name not in text:
                problems.append("stderr should name the unknown import %s" % name)
        if "fd_write" in text:
            problems.append("stderr names fd_write, which WASI provides")
        if os.path.lexists(exe):
            problems.append("the output file was left behind")
        if problems:
            raise Failure("%s:\n- %s\n  stderr:\n%s" % (args.name, "\n- ".join(problems), text))
        print("ok: %s: %s" % (args.name, text.strip()))
        return

    compile_or_fail(args.wasmaot, args.wasm, exe, ["--allow-unknown-imports"])
    status, out, err = run([exe], env=dict(BASE_ENV), cwd=work)
    expected_out = "".join(line + "\n" for line in header.get("stdout", [])).encode()
    problems = []
    if out != expected_out:
        problems.append("stdout should be %r, got %r" % (expected_out, out))
    if args.case == "called":
        want = b"wasm trap: call to an unknown import"
        if shell_status(status) != TRAP_STATUS:
            problems.append("expected exit status %d, got %s" % (TRAP_STATUS,
                                                                describe_status(status)))
        if want not in err:
            problems.append("stderr should contain %r" % want.decode())
    else:
        expected_exit = int(header_one(header, "exit", "0"))
        if status != expected_exit:
            problems.append("expected exit status %d, got %s" % (expected_exit,
                                                                describe_status(status)))
        if err:
            problems.append("stderr should be empty")
    if problems:
        raise Failure("%s:\n- %s\n  stderr:\n%s" % (args.name, "\n- ".join(problems),
                                                    show_bytes(err)))
    print("ok: %s: %s, stdout %r" % (args.name, describe_status(status), out))


# ---- --emit ------------------------------------------------------------------------------------

def test_emit(args):
    work = fresh_workdir(args.workdir, args.name)
    out = os.path.join(work, "out." + {"obj": "o", "llvm-ir": "ll", "asm": "s"}[args.case])
    status, so, se, argv = compile_wasm(args.wasmaot, args.wasm, out, ["--emit=" + args.case])
    if status != 0 or not os.path.isfile(out):
        raise Failure("%s: %s failed: %s\n%s" % (args.name, shlex.join(argv),
                                                 describe_status(status), show_bytes(se)))
    with open(out, "rb") as f:
        data = f.read()
    if args.case == "obj":
        # ELF magic; e_type (offset 16, little-endian) 1 = ET_REL, a relocatable object.
        if data[:4] != b"\x7fELF":
            raise Failure("%s: output does not start with the ELF magic: %r" % (args.name,
                                                                               data[:16]))
        e_type = int.from_bytes(data[16:18], "little")
        if e_type != 1:
            raise Failure("%s: ELF e_type is %d, expected 1 (ET_REL)" % (args.name, e_type))
        # The object must define the module descriptor the runtime links against.
        nm = shutil.which("llvm-nm-19") or shutil.which("nm")
        if nm:
            st, syms, _ = run([nm, "--defined-only", out])
            if st != 0 or b"wasmaot_module" not in syms:
                raise Failure("%s: the object does not define wasmaot_module" % args.name)
        print("ok: %s: ELF relocatable object, %d bytes" % (args.name, len(data)))
        return
    text = data.decode("utf-8", "replace")
    if args.case == "llvm-ir":
        if not re.search(r"^define ", text, re.M):
            raise Failure("%s: LLVM IR output has no 'define' line" % args.name)
        if "wasmaot_module" not in text:
            raise Failure("%s: LLVM IR does not mention wasmaot_module" % args.name)
    else:
        if data[:4] == b"\x7fELF" or "\0" in text:
            raise Failure("%s: --emit=asm produced binary output" % args.name)
        if not re.search(r"^\s*\.text\b|^\s*\.section\s+\.text", text, re.M):
            raise Failure("%s: assembly has no .text section directive" % args.name)
        if not re.search(r"^\s*(ret|retq|jmp|call|callq)\b", text, re.M):
            raise Failure("%s: assembly has no ret/jmp/call instruction" % args.name)
    print("ok: %s: %d bytes of %s" % (args.name, len(data), args.case))


# ---- libs: what an executable loads at start-up --------------------------------------------------

def needed_libs(exe):
    """The DT_NEEDED entries of exe (readelf -d)."""
    status, out, err = run(["readelf", "-d", exe])
    if status != 0:
        raise Failure("readelf -d %s failed: %s" % (exe, show_bytes(err)))
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out.decode())


def test_libs(args):
    """
    --case hello: hello world (no libm symbol) at the default CPU and at
    --cpu=x86-64 needs libc alone: no libm (-lm is --as-needed, link.c) and no
    ld-linux (the runtime's thread-locals are initial-exec, so nothing calls
    __tls_get_addr), and prints what the native build prints.
    --case rounding: the rounding operators at --cpu=x86-64 (no SSE4.1) are
    libm calls: that executable needs libm and prints the native output; at
    the default CPU (SSE4.1) the same program needs no libm.
    """
    work = fresh_workdir(args.workdir, args.name)
    status, want, err = run([args.native, "1"])
    if status != 0:
        raise Failure("%s: the native build failed: %s" % (args.name, show_bytes(err)))
    expect_libm = {"hello": {"x86-64-v2": False, "x86-64": False},
                   "rounding": {"x86-64-v2": False, "x86-64": True}}[args.case]
    if setup_target() == "aarch64-linux-gnu":
        # AArch64 rounds with its own instructions (FRINT*) at the baseline CPU: no libm.
        expect_libm = {"generic": False}
    static = "--static" in setup_flags()
    seen = []
    for cpu, libm in expect_libm.items():
        exe = os.path.join(work, "%s-%s" % (args.case, cpu))
        compile_or_fail(args.wasmaot, args.wasm, exe, ["--cpu=" + cpu])
        libs = needed_libs(exe)
        if static:
            # musl's libm is inside its libc.a: nothing is NEEDED, whatever the CPU.
            if libs:
                raise Failure("%s: --cpu=%s --static: NEEDED %s, expected none" % (
                    args.name, cpu, libs))
            libm = False
        if ("libm.so.6" in libs) != libm:
            raise Failure("%s: --cpu=%s: NEEDED %s, expected libm %s" % (
                args.name, cpu, libs, "needed" if libm else "not needed"))
        if [l for l in libs if l != "libc.so.6" and l != "libm.so.6"]:
            raise Failure("%s: --cpu=%s: NEEDED %s: only libc (and libm if used) expected" % (
                args.name, cpu, libs))
        status, syms, err = run(["readelf", "-W", "--dyn-syms", exe])
        if status != 0 or b"__tls_get_addr" in syms:
            raise Failure("%s: --cpu=%s: the executable imports __tls_get_addr (general-dynamic "
                          "TLS in the runtime)%s" % (args.name, cpu, show_bytes(err)))
        status, out, err = run([exe, "1"])
        if status != 0 or out != want:
            raise Failure("%s: --cpu=%s: %s\n%s%s" % (args.name, cpu, describe_status(status),
                                                     diff_bytes(args.name, want, out, "native",
                                                                "wasmaot"), show_bytes(err)))
        seen.append("--cpu=%s NEEDED %s" % (cpu, " ".join(libs)))
    print("ok: %s: %s" % (args.name, "; ".join(seen)))


# ---- grants ------------------------------------------------------------------------------------

def run_probe(exe, args=(), env=None, cwd=None, options=None):
    """Runs the probe; returns (status, stdout lines, stderr text)."""
    env = dict(env if env is not None else BASE_ENV)
    if options is not None:
        env["WASMAOT_OPTIONS"] = options
    status, out, err = run([exe] + list(args), env=env, cwd=cwd)
    return status, out.decode("utf-8", "backslashreplace").splitlines(), err.decode(
        "utf-8", "backslashreplace")


def lines_with(lines, prefix):
    return [l[len(prefix):] for l in lines if l.startswith(prefix)]


def expect_equal(what, got, want):
    if got != want:
        raise Failure("%s: expected %r, got %r" % (what, want, got))


def expect_ok(what, status, err):
    if status != 0:
        raise Failure("%s: %s, stderr:\n%s" % (what, describe_status(status), err))


def expect_refused_start(what, status, lines, err, needles):
    """A program that refuses to start: exit 1, no stdout, one stderr line with each needle."""
    if status != 1:
        raise Failure("%s: expected exit status 1, got %s (stderr %r)" % (
            what, describe_status(status), err))
    if lines:
        raise Failure("%s: the program ran (stdout %r)" % (what, lines))
    line = single_line(err.encode(), what)
    for needle in needles:
        if needle not in line:
            raise Failure("%s: the message %r should mention %r" % (what, line, needle))
    return line


def grants_none(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe)
    env = dict(BASE_ENV, HOME="/home/someone", SECRET="s3cret")
    status, lines, err = run_probe(exe, ["a b", "--dir", "."], env=env, cwd=work)
    expect_ok("no grants", status, err)
    expect_equal("arguments", lines_with(lines, "arg="), ["a b", "--dir", "."])
    expect_equal("environment (no grant: empty)", lines_with(lines, "env="), [])
    expect_equal("fds from 3 (no grant: none)", lines_with(lines, "fd="), [])
    return "arguments only: no environment, no fd beyond stdio"


def grants_dirs(args, work, exe):
    for d in ("sub", "sub2"):
        os.makedirs(os.path.join(work, d))
    compile_or_fail(args.wasmaot, args.wasm, exe,
                    ["--dir", ".", "--dir", "sub::/data", "--dir=sub2::other:ro"])
    status, lines, err = run_probe(exe, cwd=work)
    expect_ok("--dir", status, err)
    expect_equal("preopens", lines_with(lines, "fd="),
                 ["3 dir=.", "4 dir=/data", "5 dir=other (read-only)"])
    # A relative HOST is resolved where the program starts, not where it was compiled.
    elsewhere = os.path.join(work, "elsewhere")
    os.makedirs(elsewhere)
    status, lines, err = run_probe(exe, cwd=elsewhere)
    expect_refused_start("relative --dir resolved at start", status, lines, err, ["'sub'"])
    return "fds 3, 4, 5 in grant order with their guest names"


def grants_env(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe,
                    ["--env", "FROM_HOST", "--env=SET=a=b c", "--env", "UNSET_ON_HOST",
                     "--env", "EMPTY="])
    env = dict(BASE_ENV, FROM_HOST="host value", OTHER="not granted")
    status, lines, err = run_probe(exe, env=env, cwd=work)
    expect_ok("--env", status, err)
    expect_equal("environment", lines_with(lines, "env="),
                 ["FROM_HOST=host value", "SET=a=b c", "EMPTY="])
    return "--env NAME=VALUE and --env NAME (unset on the host: not set)"


def grants_inherit_env(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--inherit-env", "--env", "E2E=overridden"])
    env = dict(BASE_ENV, HOME="/home/someone")
    status, lines, err = run_probe(exe, env=env, cwd=work, options="--env ADDED=1")
    expect_ok("--inherit-env", status, err)
    want = dict(env, E2E="overridden", ADDED="1")
    got = dict(l.partition("=")[::2] for l in lines_with(lines, "env="))
    expect_equal("environment (the host's, WASMAOT_OPTIONS removed, --env applied)", got, want)
    return "the whole host environment except WASMAOT_OPTIONS"


def grants_options(args, work, exe):
    os.makedirs(os.path.join(work, "sub dir"))
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--dir", ".", "--env", "A=baked",
                                                    "--env", "B=baked"])
    options = "--env 'B=from options' --dir \"sub dir\"::/x\\ y\t--env=C=\"q\\\"uote\" --env D"
    env = dict(BASE_ENV, D="host d")
    status, lines, err = run_probe(exe, ["WASMAOT_OPTIONS"], env=env, cwd=work, options=options)
    expect_ok("baked grants plus WASMAOT_OPTIONS", status, err)
    expect_equal("arguments", lines_with(lines, "arg="), ["WASMAOT_OPTIONS"])
    expect_equal("environment", lines_with(lines, "env="),
                 ["A=baked", "B=from options", 'C=q"uote', "D=host d"])
    expect_equal("preopens", lines_with(lines, "fd="), ["3 dir=.", "4 dir=/x y"])
    # Without WASMAOT_OPTIONS only the baked grants remain.
    status, lines, err = run_probe(exe, cwd=work)
    expect_ok("baked grants alone", status, err)
    expect_equal("environment", lines_with(lines, "env="), ["A=baked", "B=baked"])
    expect_equal("preopens", lines_with(lines, "fd="), ["3 dir=."])
    return "WASMAOT_OPTIONS added to and overrode the baked grants, unseen by the program"


def grants_argv(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe)
    argv = ["--dir", ".", "--env", "X=1", "--inherit-env", "--tcplisten", "127.0.0.1:1",
            "--", "-o"]
    status, lines, err = run_probe(exe, argv, cwd=work)
    expect_ok("grant-looking arguments", status, err)
    expect_equal("arguments", lines_with(lines, "arg="), argv)
    expect_equal("environment", lines_with(lines, "env="), [])
    expect_equal("fds", lines_with(lines, "fd="), [])
    return "the program's argv is the program's"


def grants_bad_options(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe)
    cases = {
        "--dir": "--dir",
        "--frobnicate": "--frobnicate",
        "--env 'A=unbalanced": "quote",
        '--env "A=unbalanced': "quote",
        "--env A=b\\": "backslash",
        "program-arg": "program-arg",
        "--dir ::x": "--dir",
        "--tcplisten nowhere": "--tcplisten",
        "--env WASMAOT_OPTIONS=x": "WASMAOT_OPTIONS=x",
    }
    seen = []
    for options, needle in cases.items():
        status, lines, err = run_probe(exe, cwd=work, options=options)
        seen.append(expect_refused_start("WASMAOT_OPTIONS=%r" % options, status, lines, err,
                                         ["WASMAOT_OPTIONS", needle]))
    return "%d malformed values refused, e.g. %s" % (len(cases), seen[0])


def grants_missing_dir(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--dir", "no-such-dir::/d"])
    status, lines, err = run_probe(exe, cwd=work)
    line = expect_refused_start("baked --dir of a missing directory", status, lines, err,
                                ["no-such-dir"])
    compile_or_fail(args.wasmaot, args.wasm, exe)
    status, lines, err = run_probe(exe, cwd=work, options="--dir also-missing")
    expect_refused_start("WASMAOT_OPTIONS --dir of a missing directory", status, lines, err,
                         ["also-missing"])
    # An address that cannot be bound refuses to start too.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        addr = "127.0.0.1:%d" % busy.getsockname()[1]
        status, lines, err = run_probe(exe, cwd=work, options="--tcplisten " + addr)
        expect_refused_start("--tcplisten of a busy address", status, lines, err,
                             [addr, "--tcplisten"])
    return line


def grants_readonly(args, work, exe):
    for d in ("ro", "rw"):
        os.makedirs(os.path.join(work, d, "d"))
        with open(os.path.join(work, d, "f.txt"), "w") as f:
            f.write("hi\n")
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--dir", "ro::/ro:ro", "--dir", "rw::/rw"])
    status, lines, err = run_probe(exe, cwd=work)
    if status != 0 or any(l.startswith("FAIL") for l in lines):
        raise Failure("read-only grant: %s\n%s\nstderr:\n%s" % (
            describe_status(status), "\n".join(lines), err))
    listing = sorted(os.listdir(os.path.join(work, "ro")))
    expect_equal("the read-only directory afterwards", listing, ["d", "f.txt"])
    with open(os.path.join(work, "ro", "f.txt")) as f:
        expect_equal("ro/f.txt afterwards", f.read(), "hi\n")
    return lines[-1] if lines else "ok"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def grants_tcplisten(args, work, exe):
    port = free_port()
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--tcplisten", "127.0.0.1:%d" % port])
    p = subprocess.Popen(through_runner([exe]), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, env=dict(BASE_ENV), cwd=work)
    reply = b""
    try:
        deadline = time.time() + 20
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.time() > deadline or p.poll() is not None:
                    raise Failure("could not connect to 127.0.0.1:%d (program %s)" % (
                        port, "exited" if p.poll() is not None else "running"))
                time.sleep(0.05)
        with conn:
            conn.sendall(b"hello over tcp\n")
            while not reply.endswith(b"\n"):
                chunk = conn.recv(512)
                if not chunk:
                    break
                reply += chunk
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
    expect_equal("echoed line", reply, b"hello over tcp\n")
    if p.returncode != 0 or b"served 15 bytes" not in out:
        raise Failure("echo server: %s, stdout %r, stderr %r" % (
            describe_status(p.returncode), out, err))
    return "echoed %r through the granted listening socket" % reply


def grants_tcplisten_order(args, work, exe):
    """Sockets before directories, as wasmtime numbers them."""
    port = free_port()
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--dir", ".",
                                                    "--tcplisten", "127.0.0.1:%d" % port])
    status, lines, err = run_probe(exe, cwd=work)
    expect_ok("--dir then --tcplisten", status, err)
    expect_equal("fds", lines_with(lines, "fd="), ["3 filetype=6", "4 dir=."])
    return "listening socket at fd 3, directory at fd 4"


def inspect(args, exe):
    status, out, err = run([args.wasmaot, "inspect", exe])
    if status != 0:
        raise Failure("wasmaot inspect %s: %s\n%s" % (exe, describe_status(status),
                                                      show_bytes(err)))
    return out.decode()


def grants_inspect(args, work, exe):
    # AArch64's baseline records no feature (its runtime has no feature check).
    cpu, cpu_features = ("x86-64-v3", ("avx2", "fma", "bmi2", "sse4.2"))
    if setup_target() == "aarch64-linux-gnu":
        cpu, cpu_features = ("generic", ())
    compile_or_fail(args.wasmaot, args.wasm, exe,
                    ["--dir", ".", "--dir", "my dir::/d:ro", "--env", "X=it's", "--inherit-env",
                     "--cpu=" + cpu])
    text = inspect(args, exe)
    version = run([args.wasmaot, "--version"])[1].decode().split()[-1]
    want = [
        "built by:     wasmaot %s" % version,
        "cpu:          %s (--cpu=%s)" % (cpu, cpu),
    ]
    lines = text.splitlines()
    expect_equal("first lines of inspect", lines[:2], want)
    features = lines[2].split(":", 1)[1].split()
    for f in cpu_features:
        if f not in features:
            raise Failure("inspect: cpu features lack %s: %r" % (f, lines[2]))
    granted = [l[len("grants:"):].strip() if l.startswith("grants:") else l.strip()
               for l in lines[3:]]
    expect_equal("grants", granted,
                 ["--dir .", "--dir 'my dir::/d:ro'", "--env 'X=it'\\''s'", "--inherit-env"])
    # The baked grants, read back through WASMAOT_OPTIONS syntax, are what the program gets.
    os.makedirs(os.path.join(work, "my dir"))
    status, plines, err = run_probe(exe, cwd=work, options="")
    expect_ok("the inspected program", status, err)
    if "X=it's" not in lines_with(plines, "env="):
        raise Failure("the program lacks X=it's: %r" % plines)
    # Files without a record: one line, exit 1.
    notelf = os.path.join(work, "not-elf")
    with open(notelf, "w") as f:
        f.write("#!/bin/sh\n")
    for path, needle in ((notelf, "not an ELF"), (args.native_tool, ".wasmaot_info")):
        st, so, se = run([args.wasmaot, "inspect", path])
        line = single_line(se, "inspect %s" % path)
        if st != 1 or so or needle not in line or path not in line:
            raise Failure("inspect %s: %s, stdout %r, stderr %r (should name %r)" % (
                path, describe_status(st), so, se, needle))
    return "%d lines, grants and CPU as compiled" % len(lines)


# LLVM feature name -> the flag Linux shows in /proc/cpuinfo, for the features whose
# spelling differs or that Linux reports; features missing here are not compared.
LINUX_FLAG = {
    "x87": "fpu", "cx8": "cx8", "cmov": "cmov", "mmx": "mmx", "fxsr": "fxsr", "sse": "sse",
    "sse2": "sse2", "sse3": "pni", "pclmul": "pclmulqdq", "ssse3": "ssse3", "fma": "fma",
    "cx16": "cx16", "sse4.1": "sse4_1", "sse4.2": "sse4_2", "crc32": "sse4_2", "movbe": "movbe",
    "popcnt": "popcnt", "aes": "aes", "xsave": "xsave", "avx": "avx", "f16c": "f16c",
    "rdrnd": "rdrand", "fsgsbase": "fsgsbase", "bmi": "bmi1", "avx2": "avx2", "bmi2": "bmi2",
    "invpcid": "invpcid", "avx512f": "avx512f", "evex512": "avx512f", "avx512dq": "avx512dq",
    "rdseed": "rdseed", "adx": "adx", "avx512ifma": "avx512ifma", "clflushopt": "clflushopt",
    "clwb": "clwb", "avx512cd": "avx512cd", "sha": "sha_ni", "avx512bw": "avx512bw",
    "avx512vl": "avx512vl", "avx512vbmi": "avx512vbmi", "pku": "ospke", "waitpkg": "waitpkg",
    "avx512vbmi2": "avx512_vbmi2", "gfni": "gfni", "vaes": "vaes", "vpclmulqdq": "vpclmulqdq",
    "avx512vnni": "avx512_vnni", "avx512bitalg": "avx512_bitalg",
    "avx512vpopcntdq": "avx512_vpopcntdq", "rdpid": "rdpid", "cldemote": "cldemote",
    "movdiri": "movdiri", "movdir64b": "movdir64b", "enqcmd": "enqcmd",
    "avx512vp2intersect": "avx512_vp2intersect", "serialize": "serialize",
    "tsxldtrk": "tsxldtrk", "amx-bf16": "amx_bf16", "avx512fp16": "avx512_fp16",
    "amx-tile": "amx_tile", "amx-int8": "amx_int8", "avxvnni": "avx_vnni",
    "avx512bf16": "avx512_bf16", "xsaveopt": "xsaveopt", "xsavec": "xsavec", "xsaves": "xsaves",
    "sahf": "lahf_lm", "lzcnt": "abm", "sse4a": "sse4a", "prfchw": "3dnowprefetch",
    "xop": "xop", "fma4": "fma4", "tbm": "tbm", "mwaitx": "mwaitx", "64bit": "lm",
    "clzero": "clzero", "rdpru": "rdpru", "wbnoinvd": "wbnoinvd",
}


def grants_cpu_check(args, work, exe):
    if setup_target() not in (None, "x86_64-linux-gnu"):
        print("SKIP: the CPU check of x86-64 CPUs (--cpu=native, znver4, ...) under --target %s"
              % setup_target())
        return "skipped"
    with open("/proc/cpuinfo") as f:
        flags = next((l.split(":", 1)[1].split() for l in f if l.startswith("flags")), None)
    if flags is None:
        raise Failure("no flags line in /proc/cpuinfo")
    # --cpu=native always starts: its features are this machine's.
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--cpu=native"])
    status, lines, err = run_probe(exe, cwd=work)
    expect_ok("--cpu=native", status, err)
    # The first CPU of the list with a recorded feature this machine lacks, by /proc/cpuinfo.
    for cpu in ("znver4", "graniterapids", "sapphirerapids", "x86-64-v4", "znver1", "bdver4"):
        compile_or_fail(args.wasmaot, args.wasm, exe, ["--cpu=" + cpu])
        features = inspect(args, exe).splitlines()[2].split(":", 1)[1].split()
        lacking = [f for f in features if f in LINUX_FLAG and LINUX_FLAG[f] not in flags]
        if lacking:
            break
    else:
        print("SKIP: this machine has every feature of every CPU tried")
        return "skipped"
    status, lines, err = run_probe(exe, cwd=work)
    line = expect_refused_start("--cpu=%s on a machine lacking %s" % (cpu, lacking), status, lines,
                                err, ["--cpu=" + cpu])
    named = [n.strip() for n in line.rsplit(": ", 1)[1].split(",")]
    present = [f for f in named if f in LINUX_FLAG and LINUX_FLAG[f] in flags]
    if sorted(set(lacking) - set(named)) or present:
        raise Failure("the message %r should name exactly the lacking features: /proc/cpuinfo "
                      "says %s are missing; named but present: %s" % (line, lacking, present))
    return line


GRANT_CASES = {
    "none": grants_none, "dirs": grants_dirs, "env": grants_env,
    "inherit_env": grants_inherit_env, "options": grants_options, "argv": grants_argv,
    "bad_options": grants_bad_options, "missing_dir": grants_missing_dir,
    "readonly": grants_readonly, "tcplisten": grants_tcplisten,
    "tcplisten_order": grants_tcplisten_order, "inspect": grants_inspect,
    "cpu_check": grants_cpu_check,
}


def test_grants(args):
    work = fresh_workdir(args.workdir, args.name)
    exe = os.path.join(work, args.name)
    result = GRANT_CASES[args.case](args, work, exe)
    print("ok: %s: %s" % (args.name, result))

# ---- limits ------------------------------------------------------------------------------------

def run_limited(exe, options=None, timeout=RUN_TIMEOUT):
    """Runs exe (WASMAOT_OPTIONS=options if given); returns (status, stdout, stderr, seconds)."""
    env = dict(BASE_ENV)
    if options is not None:
        env["WASMAOT_OPTIONS"] = options
    start = time.monotonic()
    status, out, err = run([exe], env=env, timeout=timeout)
    return status, out, err, time.monotonic() - start


def expect_trap(what, status, err, message):
    if shell_status(status) != TRAP_STATUS:
        raise Failure("%s: expected exit status %d, got %s (stderr %r)" % (
            what, TRAP_STATUS, describe_status(status), err))
    if ("wasm trap: %s" % message).encode() not in err:
        raise Failure("%s: stderr should hold 'wasm trap: %s', got %r" % (what, message, err))


def limits_fuel(args, work, exe):
    # The ticks printed before the trap are the same every run (the costs are fixed in the
    # binary; another -O level has other costs); WASMAOT_OPTIONS changes the amount.
    ticks = {}
    for opt in ["-O0", "-O2"]:
        compile_or_fail(args.wasmaot, args.wasm, exe, [opt, "--fuel", "100000"])
        seen = set()
        for attempt in range(3):
            status, out, err, _ = run_limited(exe)
            expect_trap("--fuel 100000 %s, run %d" % (opt, attempt + 1), status, err,
                        "all fuel consumed")
            seen.add(out)
        if len(seen) != 1:
            raise Failure("%s: the output before 'all fuel consumed' differs between runs: %r" % (
                opt, seen))
        out = seen.pop()
        if not out or out.count(b"tick\n") * 5 != len(out):
            raise Failure("%s: expected some 'tick' lines before the trap, got %r" % (opt, out))
        ticks[opt] = len(out) // 5
    status, less, err, _ = run_limited(exe, "--fuel 20000")
    expect_trap("WASMAOT_OPTIONS=--fuel 20000", status, err, "all fuel consumed")
    status, more, err, _ = run_limited(exe, "--fuel=1000000")
    expect_trap("WASMAOT_OPTIONS=--fuel=1000000", status, err, "all fuel consumed")
    if not len(less) < len(out) < len(more):
        raise Failure("WASMAOT_OPTIONS --fuel should change how far it runs: %d, %d, %d bytes" % (
            len(less), len(out), len(more)))
    # A program compiled without --fuel cannot be given fuel at run time.
    compile_or_fail(args.wasmaot, args.wasm, exe)
    status, out, err, _ = run_limited(exe, "--fuel 10", timeout=5)
    expect_refused_start("--fuel in WASMAOT_OPTIONS without --fuel", status, out.splitlines(),
                         err.decode(), ["--fuel", "compiled without"])
    return "%d ticks (-O0) and %d (-O2) every run, then 'all fuel consumed'; %d and %d with " \
           "WASMAOT_OPTIONS; refused without --fuel" % (ticks["-O0"], ticks["-O2"],
                                                        len(less) // 5, len(more) // 5)


def limits_timeout(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--timeout", "200ms"])
    status, out, err, secs = run_limited(exe, timeout=20)
    expect_trap("--timeout 200ms", status, err, "interrupted")
    if not 0.15 < secs < 5:
        raise Failure("--timeout 200ms ended after %.2f s" % secs)
    status, out, err, secs2 = run_limited(exe, "--timeout 1s", timeout=20)
    expect_trap("WASMAOT_OPTIONS=--timeout 1s", status, err, "interrupted")
    if not 0.9 < secs2 < 10:
        raise Failure("WASMAOT_OPTIONS=--timeout 1s ended after %.2f s" % secs2)
    compile_or_fail(args.wasmaot, args.wasm, exe)
    status, out, err, _ = run_limited(exe, "--timeout 1s", timeout=5)
    expect_refused_start("--timeout in WASMAOT_OPTIONS without --timeout", status,
                         out.splitlines(), err.decode(), ["--timeout", "compiled without"])
    return "an endless loop without calls interrupted after %.2f s (200ms) and %.2f s (1s " \
           "from WASMAOT_OPTIONS)" % (secs, secs2)


def limits_memory(args, work, exe):
    # grow.wat grows to 1 MiB: refused under a smaller --max-memory, baked or at run time.
    cases = [([], None, b"grown\n"), ([], "--max-memory 512KiB", b"refused\n"),
             (["--max-memory", "512K"], None, b"refused\n"),
             (["--max-memory", "512K"], "--max-memory 1MiB", b"grown\n"),
             (["--max-memory=1M"], None, b"grown\n")]
    for flags, options, want in cases:
        compile_or_fail(args.wasmaot, args.wasm, exe, flags)
        status, out, err, _ = run_limited(exe, options)
        what = "%s, WASMAOT_OPTIONS=%s" % (" ".join(flags) or "no flag", options)
        if status != 0 or out != want:
            raise Failure("%s: expected %r and exit 0, got %r, %s (stderr %r)" % (
                what, want, out, describe_status(status), err))
    return "memory.grow returned -1 beyond --max-memory, baked or from WASMAOT_OPTIONS, " \
           "and grew when allowed"


def limits_memory_initial(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe)
    status, out, err, _ = run_limited(exe, "--max-memory 256KiB")
    line = expect_refused_start("an initial memory over --max-memory", status, out.splitlines(),
                                err.decode(), ["--max-memory", "memory 0"])
    status, out, err, _ = run_limited(exe, "--max-memory 512KiB")
    expect_ok("an initial memory of exactly --max-memory", status, err)
    return line


def limits_stack(args, work, exe):
    compile_or_fail(args.wasmaot, args.wasm, exe)
    status, out, err, _ = run_limited(exe)
    if status != 0 or out != b"done\n":
        raise Failure("20000 calls deep without --max-stack: %s, %r" % (describe_status(status),
                                                                         err))
    status, out, err, _ = run_limited(exe, "--max-stack 128KiB")
    expect_trap("WASMAOT_OPTIONS=--max-stack 128KiB", status, err, "call stack exhausted")
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--max-stack", "64KiB"])
    status, out, err, _ = run_limited(exe)
    expect_trap("--max-stack 64KiB", status, err, "call stack exhausted")
    status, out, err, _ = run_limited(exe, "--max-stack 64MiB")
    if status != 0 or out != b"done\n":
        raise Failure("WASMAOT_OPTIONS=--max-stack 64MiB over a baked 64KiB: %s, %r" % (
            describe_status(status), err))
    return "20000 calls deep: done, and 'call stack exhausted' under --max-stack 128KiB/64KiB"


def limits_stack_thread(args, work, exe):
    # A wasi-threads thread 20000 calls deep: fine on its own stack, a trap under --max-stack.
    compile_or_fail(args.wasmaot, args.wasm, exe)
    status, out, err, _ = run_limited(exe)
    expect_ok("a thread 20000 calls deep without --max-stack", status, err.decode())
    status, out, err, _ = run_limited(exe, "--max-stack 128KiB")
    expect_trap("a thread under WASMAOT_OPTIONS=--max-stack 128KiB", status, err,
                "call stack exhausted")
    return "a spawned thread 20000 calls deep: done, and 'call stack exhausted' under " \
           "--max-stack 128KiB"


def limits_bad(args, work, exe):
    seen = []
    for flags, needle in [(["--fuel", "-1"], "--fuel"), (["--timeout", "5x"], "--timeout"),
                          (["--max-memory", "lots"], "--max-memory"),
                          (["--max-stack", "1k"], "--max-stack"), (["--timeout=0s"], "--timeout"),
                          (["--fuel"], "--fuel")]:
        out = os.path.join(work, "bad_out")
        line = expect_refusal([args.wasmaot, args.wasm, "-o", out] + flags, out, " ".join(flags))
        if needle not in line:
            raise Failure("%s: the message %r should name %s" % (flags, line, needle))
        seen.append(line)
    compile_or_fail(args.wasmaot, args.wasm, exe, ["--fuel", "1000"])
    status, out, err, _ = run_limited(exe, "--fuel lots")
    seen.append(expect_refused_start("WASMAOT_OPTIONS=--fuel lots", status, out.splitlines(),
                                     err.decode(), ["WASMAOT_OPTIONS", "--fuel", "lots"]))
    return "; ".join(seen)


LIMIT_CASES = {
    "fuel": limits_fuel, "timeout": limits_timeout, "memory": limits_memory,
    "memory_initial": limits_memory_initial, "stack": limits_stack,
    "stack_thread": limits_stack_thread, "bad": limits_bad,
}


def test_limits(args):
    work = fresh_workdir(args.workdir, args.name)
    exe = os.path.join(work, args.name)
    result = LIMIT_CASES[args.case](args, work, exe)
    print("ok: %s: %s" % (args.name, result))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["program", "output", "trap", "bad", "usage", "imports", "emit",
                                     "grants", "libs", "limits"])
    ap.add_argument("--name", required=True, help="test name (work subdirectory)")
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--wasm", help="the module under test")
    ap.add_argument("--native", help="native build of the same program (program tests)")
    ap.add_argument("--source", help="file with the e2e-* header lines")
    ap.add_argument("--case", help="sub-case (usage, imports, emit tests)")
    ap.add_argument("--flag", action="append", help="extra wasmaot flag, e.g. -O0")
    ap.add_argument("--native-tool", help="an ELF file not built by wasmaot (grants inspect)")
    args = ap.parse_args()
    # meson passes paths relative to the build directory; the programs run elsewhere.
    for attr in ("wasmaot", "workdir", "wasm", "native", "source", "native_tool"):
        if getattr(args, attr):
            setattr(args, attr, os.path.abspath(getattr(args, attr)))
    tests = {"program": test_program, "output": test_output, "trap": test_trap, "bad": test_bad, "usage": test_usage,
             "imports": test_imports, "emit": test_emit, "grants": test_grants,
             "libs": test_libs, "limits": test_limits}
    try:
        tests[args.kind](args)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
