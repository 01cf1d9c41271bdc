#!/usr/bin/env python3
"""progress.py: the progress line and -v (compiler/base/progress.c, phase_timer.c), end to end.

    progress.py --case CASE --wasmaot WASMAOT --gen GEN_MODULE --args-wasm ARGS.wasm --workdir DIR

Modules come from tools/gen_module/gen_module.py. Under a pseudo-terminal
(Python's pty, the child's controlling terminal, 70 columns) the bytes
wasmaot writes are replayed on a small screen model ("\\r", "\\n", ESC [ K and
printable text), so a case can check both what was drawn and what is left on
the screen at the end.

    verbose     -v prints the six phase lines (decode, validate, lower,
                optimize, codegen: wall or summed time, and the passes), the
                parallel and total lines, the function count and the output's
                size, equal to the file's, also for --emit=obj in several chunks
                and for -o - (the bytes on stdout); without -v stderr is empty;
                the output is the same bytes with and without -v; `wasmaot run
                -v` prints the phases on a miss, not on a hit, and the
                program's stdout is untouched
    tty         under a pty with --test-progress-after=0 (driver.c) the line
                shows "N/M functions compiled, K lowered" and the chunks,
                never wider than the terminal, and the screen is empty at
                the end; the output is byte-identical to a compile with
                stderr a pipe, for -j1 and -j2 in several chunks; -v's report
                follows on lines of its own; a failing compile's error line
                is alone on its line; control characters of the file name
                are shown as '?'; TERM=dumb draws nothing; with stderr a
                pipe, nothing at all is written
    threshold   without the hidden option: a module that compiles in well
                under a second (0.1 s) draws nothing under a pty, one that
                takes several seconds (about 3 s) draws the line
    background  a compile in a background process group of the terminal
                (sh -m, `&`) draws nothing
    run         `wasmaot run` under a pty, compiling with the line drawn: the
                screen holds exactly the program's output at the end
"""

import argparse
import fcntl
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios

PHASES = ["decode", "validate", "lower", "optimize", "codegen", "link"]
COLUMNS = 70


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


def gen(a, name, functions, seed=7):
    path = os.path.join(a.workdir, name)
    r = run([sys.executable, a.gen, "--functions", str(functions), "--seed", str(seed), "-o",
             path])
    check(r.returncode == 0, "gen_module failed: %r" % r.stderr)
    return path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run_pty(argv, env=None):
    """Runs argv with a pty as its controlling terminal and stdio; (status, bytes written)."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execve(argv[0], argv, env if env is not None else os.environ)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, COLUMNS, 0, 0))
    out = bytearray()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed its side
            break
        if not chunk:
            break
        out += chunk
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), bytes(out)


def screen(data):
    """What a terminal shows after `data`: its lines, trailing blanks and empty lines dropped."""
    rows, row, col = [[]], 0, 0
    text = data.decode("utf-8", "replace")
    i = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("\x1b[K", i):
            del rows[row][col:]
            i += 3
            continue
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row += 1
            if row == len(rows):
                rows.append([])
        else:
            line = rows[row]
            line.extend(" " * (col - len(line)))
            if col < len(line):
                line[col] = ch
            else:
                line.append(ch)
            col += 1
        i += 1
    lines = ["".join(r).rstrip() for r in rows]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def drawn_lines(data):
    """The progress lines drawn: the text between each "\\r" and its ESC [ K."""
    return re.findall(r"\r([^\r\n\x1b]+)\x1b\[K", data.decode("utf-8", "replace"))


def env_tty():
    return dict(os.environ, TERM="xterm")


def check_report(stderr, functions, size, what):
    lines = stderr.decode().splitlines()
    for phase in PHASES:
        kind = "summed" if phase in ("lower", "optimize", "codegen") else "wall"
        pat = re.compile(r"^wasmaot: %s +\d+\.\d ms %s +\S" % (phase, kind))
        check(sum(1 for l in lines if pat.match(l)) == 1,
              "%s: no single %r phase line (%s time) in %r" % (what, phase, kind, lines))
    for name in ("parallel", "total"):
        check(any(re.match(r"^wasmaot: %s +\d+\.\d ms wall" % name, l) for l in lines),
              "%s: no %s line in %r" % (what, name, lines))
    check(any(re.match(r"^wasmaot: parallel .* \d+ chunks? on \d+ threads?$", l) for l in lines),
          "%s: the parallel line names no chunks and threads: %r" % (what, lines))
    check("wasmaot: functions: %d defined, 0 imported" % functions in lines,
          "%s: no function count %d in %r" % (what, functions, lines))
    sizes = [l for l in lines if l.startswith("wasmaot: output: ")]
    check(len(sizes) == 1 and sizes[0].endswith(", %d bytes" % size),
          "%s: output size line %r, the file has %d bytes" % (what, sizes, size))
    check(all(l.startswith("wasmaot: ") for l in lines), "%s: a stray line in %r" % (what, lines))


def case_verbose(a):
    w = gen(a, "v.wasm", 40)  # 40 functions and _start
    plain, loud = os.path.join(a.workdir, "plain"), os.path.join(a.workdir, "loud")
    r = run([a.wasmaot, w, "-o", plain, "-O1"])
    check(r.returncode == 0 and r.stderr == b"" and r.stdout == b"",
          "without -v: status %d, stderr %r" % (r.returncode, r.stderr))
    for flag in ("-v", "--verbose"):
        r = run([a.wasmaot, w, "-o", loud, "-O1", flag])
        check(r.returncode == 0 and r.stdout == b"", "%s: status %d" % (flag, r.returncode))
        check_report(r.stderr, 41, os.path.getsize(loud), flag)
        check(read(loud) == read(plain), "%s changed the executable" % flag)
    # Several chunks, an object: the size is the combined object's.
    objs = []
    for j, v in (("-j1", []), ("-j2", ["-v"])):
        obj = os.path.join(a.workdir, "v%s.o" % j)
        r = run([a.wasmaot, w, "-o", obj, "--emit=obj", "--test-chunk-bytes=3000", j] + v)
        check(r.returncode == 0, "--emit=obj %s: %r" % (j, r.stderr))
        objs.append(read(obj))
    check_report(r.stderr, 41, len(objs[1]), "--emit=obj -j2")
    check(re.search(rb"parallel .* ([3-9]|\d\d+) chunks on 2 threads", r.stderr),
          "expected several chunks on 2 threads: %r" % r.stderr)
    check(objs[0] == objs[1], "-v -j2 changed the object")
    # -o -: the size is what went to stdout.
    r = run([a.wasmaot, w, "-o", "-", "--emit=llvm-ir", "-v"])
    check(r.returncode == 0 and b"define" in r.stdout, "-o - --emit=llvm-ir: %r" % r.stderr)
    check_report(r.stderr, 41, len(r.stdout), "-o -")
    check(b"wasmaot: output: standard output," in r.stderr, "-o - is not named standard output")
    # A failed compile prints its error line only.
    r = run([a.wasmaot, w, "-o", loud + "2", "-v", "--test-fail-func=20"])
    lines = r.stderr.decode().splitlines()
    check(r.returncode == 1 and len(lines) == 1 and "failure injected" in lines[0],
          "-v on a failing compile: %r" % r.stderr)
    # wasmaot run -v: the cache lines as before, the phases when it compiles.
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(a.workdir, "cache"))
    want = b"argc=2\nargv[1]=\"x\" (1 bytes)\n"
    miss = run([a.wasmaot, "run", "-v", a.args_wasm, "x"], env=env)
    check(miss.returncode == 0 and miss.stdout.startswith(want), "run -v: %r" % miss.stderr)
    check(b"wasmaot run: cache miss:" in miss.stderr, "run -v: no cache line: %r" % miss.stderr)
    for phase in PHASES:
        check(re.search(rb"^wasmaot: %s +\d" % phase.encode(), miss.stderr, re.M),
              "run -v on a miss: no %s line: %r" % (phase, miss.stderr))
    hit = run([a.wasmaot, "run", "-v", a.args_wasm, "x"], env=env)
    check(hit.returncode == 0 and hit.stdout == miss.stdout, "run -v (hit) output differs")
    check(b"cache hit" in hit.stderr and b"wasmaot: decode" not in hit.stderr,
          "run -v on a hit: %r" % hit.stderr)
    quiet = run([a.wasmaot, "run", a.args_wasm, "x"], env=env)
    check(quiet.stderr == b"", "run without -v wrote %r" % quiet.stderr)
    help_ = run([a.wasmaot, "--help"]).stdout.decode()
    check("-v, --verbose" in help_, "-v is not in --help")
    check("--test-progress-after" not in help_, "the hidden option is in --help")
    return 0


def case_tty(a):
    w = gen(a, "t.wasm", 120)
    ref = {}
    for j in ("-j1", "-j2"):
        out = os.path.join(a.workdir, "ref" + j)
        r = run([a.wasmaot, w, "-o", out, j, "--test-chunk-bytes=8000", "--test-progress-after=0"])
        check(r.returncode == 0, "compile %s: %r" % (j, r.stderr))
        check(r.stderr == b"" and r.stdout == b"",
              "stderr a pipe: nothing expected, got %r" % r.stderr)
        ref[j] = read(out)
    for j in ("-j1", "-j2"):
        out = os.path.join(a.workdir, "tty" + j)
        status, data = run_pty([a.wasmaot, w, "-o", out, j, "--test-chunk-bytes=8000",
                                "--test-progress-after=0"], env_tty())
        check(status == 0, "%s under a pty: status %d, %r" % (j, status, data))
        lines = drawn_lines(data)
        check(any(re.search(r"\d+/121 functions compiled, \d+ lowered, \d+/\d+ chunks", l)
                  for l in lines), "%s: no progress line in %r" % (j, data))
        check(len(set(lines)) > 1, "%s: the line never moved: %r" % (j, lines))
        check(all(len(l) < COLUMNS for l in lines), "%s: a line wider than the terminal" % j)
        check(screen(data) == [], "%s: the screen is not clean at the end: %r" % (j, screen(data)))
        check(read(out) == ref[j], "%s: the progress line changed the executable" % j)
    # -v under a pty: the report follows on lines of its own.
    status, data = run_pty([a.wasmaot, w, "-o", os.path.join(a.workdir, "ttyv"), "-v",
                            "--test-progress-after=0"], env_tty())
    lines = screen(data)
    check(status == 0 and len(lines) == 10 and lines[0].startswith("wasmaot: decode "),
          "-v under a pty: %r" % lines)
    # A failing compile: its error line alone, from the first column.
    status, data = run_pty([a.wasmaot, w, "-o", os.path.join(a.workdir, "fail"),
                            "--test-fail-func=100", "--test-progress-after=0"], env_tty())
    lines = screen(data)
    check(status == 1 and len(lines) == 1 and lines[0].startswith(w + ":") and
          "failure injected" in lines[0], "failing compile under a pty: %r" % lines)
    check(drawn_lines(data) != [], "failing compile: no progress line drawn: %r" % data)
    # Control characters of the file name are shown as '?': they would move the cursor.
    odd = os.path.join(a.workdir, "t\x1b[2J\tx.wasm")
    shutil.copyfile(w, odd)
    status, data = run_pty([a.wasmaot, odd, "-o", os.path.join(a.workdir, "odd"),
                            "--test-progress-after=0"], env_tty())
    check(status == 0 and data.count(b"\x1b") == data.count(b"\x1b[K") and
          any(l.startswith("wasmaot: t?[2J?x.wasm: ") for l in drawn_lines(data)),
          "a file name with control characters: %r" % data)
    check(screen(data) == [], "odd name: the screen is not clean: %r" % screen(data))
    # TERM=dumb: no line.
    status, data = run_pty([a.wasmaot, w, "-o", os.path.join(a.workdir, "dumb"),
                            "--test-progress-after=0"], dict(os.environ, TERM="dumb"))
    check(status == 0 and data == b"", "TERM=dumb: %r" % data)
    return 0


def case_threshold(a):
    small = gen(a, "small.wasm", 3)
    status, data = run_pty([a.wasmaot, small, "-o", os.path.join(a.workdir, "small"), "-O0"],
                           env_tty())
    check(status == 0 and data == b"", "a short compile drew %r" % data)
    big = gen(a, "big.wasm", 500)
    # One chunk of 501 functions: about 3 s at -O2 on the 2-core development machine.
    status, data = run_pty([a.wasmaot, big, "-o", os.path.join(a.workdir, "big")], env_tty())
    check(status == 0, "big compile: %d %r" % (status, data))
    check(any(re.search(r"/501 functions compiled, \d+ lowered, \d+ s", l)
              for l in drawn_lines(data)),
          "a compile of several seconds drew no progress line: %r" % data)
    check(screen(data) == [], "the screen is not clean: %r" % screen(data))
    return 0


def case_background(a):
    sh = shutil.which("sh")
    w = gen(a, "bg.wasm", 60)
    out = os.path.join(a.workdir, "bg")
    # sh -m: job control, so `&` puts wasmaot in a process group of its own, not the foreground.
    script = '"$0" "$1" -o "$2" --test-progress-after=0 & wait $!'
    status, data = run_pty([sh, "-m", "-c", script, a.wasmaot, w, out], env_tty())
    check(status == 0 and os.path.exists(out), "background compile: %d %r" % (status, data))
    check(b"functions" not in data and b"\x1b[K" not in data,
          "a background compile drew on the terminal: %r" % data)
    # The same through sh in the foreground does draw (the check above is not vacuous).
    script = '"$0" "$1" -o "$2" --test-progress-after=0'
    status, data = run_pty([sh, "-m", "-c", script, a.wasmaot, w, out], env_tty())
    check(status == 0 and drawn_lines(data) != [], "foreground compile via sh: %r" % data)
    return 0


def case_run(a):
    env = dict(env_tty(), XDG_CACHE_HOME=os.path.join(a.workdir, "cache"))
    status, data = run_pty([a.wasmaot, "run", "--test-progress-after=0", a.args_wasm, "one",
                            "two"], env)
    check(status == 0, "run under a pty: %d %r" % (status, data))
    check(drawn_lines(data) != [], "run: no progress line while compiling: %r" % data)
    want = ["argc=3", 'argv[1]="one" (3 bytes)', 'argv[2]="two" (3 bytes)']
    lines = screen(data)
    check(lines[:3] == want, "run: the screen holds %r" % lines)
    # The cached run compiles nothing and draws nothing.
    status, again = run_pty([a.wasmaot, "run", "--test-progress-after=0", a.args_wasm, "one",
                             "two"], env)
    check(status == 0 and screen(again) == lines and drawn_lines(again) == [],
          "cached run: %r" % again)
    return 0


CASES = {
    "verbose": case_verbose,
    "tty": case_tty,
    "threshold": case_threshold,
    "background": case_background,
    "run": case_run,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", required=True, choices=sorted(CASES))
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("--args-wasm", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    a.wasmaot = os.path.abspath(a.wasmaot)
    a.workdir = os.path.join(a.workdir, a.case)
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    sys.exit(CASES[a.case](a))


if __name__ == "__main__":
    main()
