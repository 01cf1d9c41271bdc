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
    e2e-reason: A | B         accepted diagnostic reasons (bad-input tests)

Kinds of test (the first argument):

    program   compile the .wasm, run it and the native build of the same
              source with the same arguments, environment and stdin, and
              require identical stdout bytes, stderr bytes and exit status
              (and the status the header expects).
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
import subprocess
import sys

E2E_DIR = os.path.dirname(os.path.abspath(__file__))
RUN_TIMEOUT = 60
TRAP_TIMEOUT = 20  # a trap test that runs this long is looping instead of trapping
COMPILE_TIMEOUT = 600
BASE_ENV = {"LC_ALL": "C", "E2E": "1"}
TRAP_STATUS = 134
HEADER_RE = re.compile(r"e2e-([a-z-]+):[ \t]?(.*)$")


class Failure(Exception):
    """A test expectation that did not hold; the message says which and how."""


def read_header(path):
    """The e2e-* header lines of a source file, as a dict of key -> list of values."""
    header = {}
    with open(path, "rb") as f:
        for raw in f:
            m = HEADER_RE.search(raw.decode("utf-8", "replace").rstrip("\r\n"))
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


def run(argv, stdin_path=None, env=None, timeout=RUN_TIMEOUT, cwd=None):
    """Runs argv; returns (status, stdout bytes, stderr bytes); status None on timeout."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
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


def compile_wasm(wasmaot, wasm, out, extra=()):
    """Runs wasmaot; returns (status, stdout, stderr, argv)."""
    argv = [wasmaot, wasm, "-o", out] + list(extra)
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


# ---- program: wasm vs. native ------------------------------------------------------------------

def test_program(args):
    header = read_header(args.source)
    work = fresh_workdir(args.workdir, args.name)
    exe = os.path.join(work, args.name)
    compile_or_fail(args.wasmaot, args.wasm, exe, args.flag or [])

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
    fault = message == "out of bounds memory access"
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


def expect_refusal(argv, out, what, cwd=None):
    """Runs wasmaot expecting failure; returns its one stderr line. Checks out is not left."""
    if os.path.lexists(out):
        os.remove(out)
    status, so, se = run(argv, timeout=COMPILE_TIMEOUT, cwd=cwd)
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
    }
    argv, needles = cases[args.case]
    line = expect_refusal([args.wasmaot] + argv, out, args.name, cwd=work)
    for needle in needles:
        if needle.lower() not in line.lower():
            raise Failure("%s: the diagnostic %r should mention %r" % (args.name, line, needle))
    # A refused command creates nothing: not in the working directory (a default name such
    # as a.out) and not next to the input (FILE without .wasm).
    stray = os.listdir(work)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["program", "trap", "bad", "usage", "imports", "emit"])
    ap.add_argument("--name", required=True, help="test name (work subdirectory)")
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--wasm", help="the module under test")
    ap.add_argument("--native", help="native build of the same program (program tests)")
    ap.add_argument("--source", help="file with the e2e-* header lines")
    ap.add_argument("--case", help="sub-case (usage, imports, emit tests)")
    ap.add_argument("--flag", action="append", help="extra wasmaot flag, e.g. -O0")
    args = ap.parse_args()
    # meson passes paths relative to the build directory; the programs run elsewhere.
    for attr in ("wasmaot", "workdir", "wasm", "native", "source"):
        if getattr(args, attr):
            setattr(args, attr, os.path.abspath(getattr(args, attr)))
    tests = {"program": test_program, "trap": test_trap, "bad": test_bad, "usage": test_usage,
             "imports": test_imports, "emit": test_emit}
    try:
        tests[args.kind](args)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
