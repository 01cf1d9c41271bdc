#!/usr/bin/env python3
"""run_run.py: end-to-end tests of `wasmaot run` and `wasmaot cache` (suite 'run').

Each test is one --case, run through the real wasmaot binary with a fresh
directory of its own:

    WORK/CASE/cache/      XDG_CACHE_HOME (so the cache is CACHE/wasmaot)
    WORK/CASE/home/       HOME
    WORK/CASE/sandbox/    the working directory of every run
    WORK/CASE/tmp/        TMPDIR

The guests are tests/run/c/probe.c (argv, exit status, traps, environment,
preopens, a long computation) and fs_probe.c (reading and writing files in a
granted directory). `wasmaot run -v` reports on stderr whether the cache had
the module ("cache hit" / "cache miss" / "cache entry damaged") and the
WASMAOT_OPTIONS the program gets; the tests rely on those lines.

The grants_* cases check the final behaviour of run-time grants, which needs
the executable's side of WASMAOT_OPTIONS (start-up reads the grants and hides
the variable; no grant means no directory and an empty environment).

Exit status: 0 pass, 1 fail (with what was seen).
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time

TIMEOUT = 300
ENTRY_RE = re.compile(r"^[0-9a-f]{32}$")


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


class Env:
    """One test's directories and a way to run wasmaot in them."""

    def __init__(self, args):
        self.args = args
        self.work = os.path.join(args.workdir, args.case)
        shutil.rmtree(self.work, ignore_errors=True)
        self.cache = os.path.join(self.work, "cache")
        self.home = os.path.join(self.work, "home")
        self.sandbox = os.path.join(self.work, "sandbox")
        self.tmp = os.path.join(self.work, "tmp")
        for d in (self.home, self.sandbox, self.tmp):
            os.makedirs(d)
        self.cache_dir = os.path.join(self.cache, "wasmaot")
        self.probe = args.probe
        self.fs_probe = args.fs_probe

    def environ(self, extra=None, drop=()):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C",
               "XDG_CACHE_HOME": self.cache, "HOME": self.home, "TMPDIR": self.tmp}
        env.update(extra or {})
        for name in drop:
            env.pop(name, None)
        return env

    def run(self, argv, extra=None, drop=(), stdin=None):
        cmd = [self.args.wasmaot] + argv
        try:
            p = subprocess.run(cmd, cwd=self.sandbox, env=self.environ(extra, drop),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               input=stdin, stdin=None if stdin else subprocess.DEVNULL,
                               timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure("timed out: %s" % shlex.join(cmd))
        p.out = p.stdout.decode("utf-8", "backslashreplace")
        p.err = p.stderr.decode("utf-8", "backslashreplace")
        p.cmd = shlex.join(cmd)
        return p

    def entries(self):
        if not os.path.isdir(self.cache_dir):
            return []
        return sorted(n for n in os.listdir(self.cache_dir) if ENTRY_RE.match(n))

    def temps(self):
        if not os.path.isdir(self.cache_dir):
            return []
        return sorted(n for n in os.listdir(self.cache_dir) if n.startswith("tmp-"))

    def entry_path(self, name):
        return os.path.join(self.cache_dir, name)


def seen(p):
    return "%s\nexit %d\nstdout:\n%s\nstderr:\n%s" % (p.cmd, p.returncode, p.out[-4000:],
                                                      p.err[-3000:])


def expect(p, status=0, stdout=None):
    """The run ended with `status` and, if given, exactly `stdout`."""
    check(p.returncode == status, "exit status %d, expected %d\n%s" % (p.returncode, status,
                                                                      seen(p)))
    if stdout is not None:
        check(p.out == stdout, "stdout differs, expected:\n%s\nseen: %s" % (stdout, seen(p)))


def cache_state(p):
    """'hit', 'miss' or 'damaged', from the -v line on stderr."""
    if "wasmaot run: cache hit:" in p.err:
        return "hit"
    if "wasmaot run: cache miss:" in p.err:
        return "miss"
    if "wasmaot run: cache entry damaged:" in p.err:
        return "damaged"
    raise Failure("no cache line on stderr\n" + seen(p))


def one_line(p, status, needles):
    """A refusal: exit `status`, nothing on stdout, one stderr line naming every needle."""
    expect(p, status)
    check(p.out == "", "stdout should be empty\n" + seen(p))
    lines = p.err.splitlines()
    check(len(lines) == 1, "expected one line on stderr\n" + seen(p))
    for n in needles:
        check(n.lower() in lines[0].lower(), "the message should mention %r\n%s" % (n, seen(p)))


def args_output(argv0, rest):
    return "".join("argv[%d]=%s\n" % (i, a) for i, a in enumerate([argv0] + rest))


# ---- the cases ----------------------------------------------------------------------------------


def case_argv(e):
    # argv[0] is the module's base name, as wasmtime passes it; the rest is
    # everything after the module, options included.
    rest = ["args", "two words", "", "-O3", "--dir", "x", "--", "ünï"]
    expect(e.run(["run", e.probe] + rest), 0, args_output(os.path.basename(e.probe), rest))
    expect(e.run(["run", "--argv0=prog", e.probe, "args", "z"]), 0,
           args_output("prog", ["args", "z"]))
    # "--" ends the options, so a module may start with "-".
    link = os.path.join(e.sandbox, "-m.wasm")
    shutil.copy(e.probe, link)
    expect(e.run(["run", "--", "-m.wasm", "args"]), 0, args_output("-m.wasm", ["args"]))
    return "argv passed through"


def case_exit_status(e):
    for code in (0, 7, 255):
        expect(e.run(["run", e.probe, "exit", str(code)]), code, "exiting %d\n" % code)
    return "exit statuses 0, 7, 255"


def case_trap(e):
    p = e.run(["run", e.probe, "trap"])
    expect(p, 134, "trapping\n")
    lines = p.err.splitlines()
    check(len(lines) >= 3 and lines[0].startswith("wasm trap: unreachable") and
          lines[1] == "wasm backtrace:", "expected the trap line and a backtrace\n" + seen(p))
    p = e.run(["run", e.probe, "trap"], extra={"WASMAOT_BACKTRACE": "0"})
    expect(p, 134, "trapping\n")
    lines = p.err.splitlines()
    check(len(lines) == 1 and lines[0].startswith("wasm trap: unreachable"),
          "expected the one trap line with WASMAOT_BACKTRACE=0\n" + seen(p))
    return lines[0]


def case_stdio(e):
    # The program's stdin, stdout and stderr are the caller's, untouched (a hit and a miss).
    data = b"line one\n\x00binary\xff\nlast line without newline"
    for want in ("miss", "hit"):
        p = e.run(["run", e.probe, "stdio"], stdin=data)
        expect(p, 0)
        check(p.stdout == data, "stdout %r, expected %r" % (p.stdout, data))
        check(p.err == "to stderr\n", "stderr %r (%s)" % (p.err, want))
    return "stdin to stdout byte for byte, stderr separate"


def case_exec(e):
    # The process becomes the program: its /proc/PID/exe is the cache entry,
    # and a signal sent to the pid wasmaot started as ends the program.
    expect(e.run(["run", e.probe, "work", "1"]), 0)
    (entry,) = e.entries()
    proc = subprocess.Popen([e.args.wasmaot, "run", e.probe, "work", "100000000000"],
                            cwd=e.sandbox, env=e.environ(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    exe = ""
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            exe = os.readlink("/proc/%d/exe" % proc.pid)
        except OSError:
            exe = ""
        if os.path.basename(exe) == entry:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGTERM)
    proc.communicate(timeout=TIMEOUT)
    check(os.path.basename(exe) == entry, "the process never became %s (exe %r)" % (entry, exe))
    check(proc.returncode == -signal.SIGTERM,
          "killed by SIGTERM, expected status -15, saw %d" % proc.returncode)
    return "exec'ed the entry, SIGTERM reached the program"


def case_hit(e):
    t0 = time.time()
    p = e.run(["run", "-v", e.probe, "work", "1000"])
    miss_time = time.time() - t0
    expect(p, 0)
    check(cache_state(p) == "miss", "first run should miss\n" + seen(p))
    (entry,) = e.entries()
    path = e.entry_path(entry)
    before = os.stat(path)
    times = []
    for _ in range(3):
        t0 = time.time()
        q = e.run(["run", "-v", e.probe, "work", "1000"])
        times.append(time.time() - t0)
        expect(q, 0, p.out)
        check(cache_state(q) == "hit", "later runs should hit\n" + seen(q))
    after = os.stat(path)
    check((before.st_ino, before.st_mtime_ns, before.st_size) ==
          (after.st_ino, after.st_mtime_ns, after.st_size), "a hit rewrote the entry")
    check(e.entries() == [entry] and e.temps() == [], "hits created files: %r" %
          os.listdir(e.cache_dir))
    # The same bytes under another name are the same entry.
    other = os.path.join(e.sandbox, "renamed.wasm")
    shutil.copy(e.probe, other)
    check(cache_state(e.run(["run", "-v", other, "work", "1"])) == "hit",
          "the key must depend on the bytes, not the path")
    return "miss %.3f s, hit %.3f s (best of 3)" % (miss_time, min(times))


def case_miss(e):
    # Every flag that changes code is in the key; flags that do not (grants, -v) are not.
    steps = [
        ([], "miss"), ([], "hit"), (["-O0"], "miss"), (["-O0"], "hit"), (["-O2"], "hit"),
        (["-O3"], "miss"), (["--cpu=x86-64"], "miss"), (["--cpu=x86-64"], "hit"),
        (["--allow-unknown-imports"], "miss"), (["--canonical-nans"], "miss"),
        (["--canonical-nans"], "hit"), (["--env", "A=1", "--inherit-env"], "hit"),
    ]
    for flags, want in steps:
        p = e.run(["run", "-v"] + flags + [e.probe, "work", "10"])
        expect(p, 0)
        check(cache_state(p) == want, "%r should %s\n%s" % (flags, want, seen(p)))
    check(len(e.entries()) == 6, "expected 6 entries, found %r" % e.entries())
    # A changed module: the same code plus a custom section.
    changed = os.path.join(e.sandbox, "changed.wasm")
    with open(e.probe, "rb") as f:
        data = f.read()
    name = b"wasmaot-test"
    payload = bytes([len(name)]) + name + b"x"
    with open(changed, "wb") as f:
        f.write(data + b"\x00" + bytes([len(payload)]) + payload)
    p = e.run(["run", "-v", changed, "work", "10"])
    expect(p, 0)
    check(cache_state(p) == "miss", "a changed module should miss\n" + seen(p))
    # A changed runtime library: the same files elsewhere hit, different contents miss.
    rt = os.path.join(e.work, "runtime")
    os.makedirs(rt)
    for lib in ("start/libwasmaot_start.a", "libwasmaot_rt.a", "libwasmaot_common.a"):
        shutil.copy(os.path.join(e.args.runtime_dir, lib), rt)
    shutil.copy(os.path.join(e.args.wasi_dir, "libwasmaot_wasi.a"), rt)
    extra = {"WASMAOT_RUNTIME_DIR": rt}
    p = e.run(["run", "-v", e.probe, "work", "10"], extra)
    check(cache_state(p) == "hit", "an identical runtime should hit\n" + seen(p))
    dummy_c = os.path.join(e.work, "wasmaot_test_dummy.c")
    with open(dummy_c, "w") as f:
        f.write("int wasmaot_test_dummy(void);\nint wasmaot_test_dummy(void) { return 1; }\n")
    dummy_o = os.path.join(rt, "wasmaot_test_dummy.o")
    subprocess.run([e.args.clang, "-c", "-fPIC", dummy_c, "-o", dummy_o], check=True)
    subprocess.run(["ar", "rs", os.path.join(rt, "libwasmaot_rt.a"), dummy_o], check=True)
    p = e.run(["run", "-v", e.probe, "work", "10"], extra)
    expect(p, 0)
    check(cache_state(p) == "miss", "a changed runtime should miss\n" + seen(p))
    check(len(e.entries()) == 8, "expected 8 entries, found %r" % e.entries())
    return ("misses after -O, --cpu, --allow-unknown-imports, --canonical-nans, module and "
            "runtime changes")


def case_concurrent(e):
    n = 8
    procs = [subprocess.Popen([e.args.wasmaot, "run", "-v", e.probe, "args", "proc %d" % i],
                              cwd=e.sandbox, env=e.environ(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
             for i in range(n)]
    states = []
    for i, proc in enumerate(procs):
        out, err = proc.communicate(timeout=TIMEOUT)
        out, err = out.decode(), err.decode()
        want = args_output(os.path.basename(e.probe), ["args", "proc %d" % i])
        check(proc.returncode == 0 and out == want,
              "process %d: exit %d\nstdout:\n%s\nstderr:\n%s" % (i, proc.returncode, out, err))
        states.append("hit" if "cache hit" in err else "miss")
    check(len(e.entries()) == 1, "expected one entry, found %r" % e.entries())
    check(e.temps() == [], "temporary files left: %r" % e.temps())
    p = e.run(["run", "-v", e.probe, "args"])
    check(cache_state(p) == "hit", "the entry should be valid\n" + seen(p))
    return "%d processes: %d compiled, %d hit" % (n, states.count("miss"), states.count("hit"))


def case_damaged(e):
    p = e.run(["run", e.probe, "work", "1000"])
    expect(p, 0)
    good = p.out
    (entry,) = e.entries()
    path = e.entry_path(entry)
    size = os.path.getsize(path)

    def truncate(n):
        os.chmod(path, 0o700)  # sealed entries are 0500
        with open(path, "r+b") as f:
            f.truncate(n)

    def flip(offset):
        os.chmod(path, 0o700)
        with open(path, "r+b") as f:
            f.seek(offset)
            b = f.read(1)
            f.seek(offset)
            f.write(bytes([b[0] ^ 0x40]))

    def replace_with_other_entry():
        # A valid entry of another key under this name (its trailer names its own key).
        p = e.run(["run", "-O0", e.probe, "work", "1"])
        expect(p, 0)
        (other,) = [x for x in e.entries() if x != entry]
        shutil.copy(e.entry_path(other), path)
        os.unlink(e.entry_path(other))

    damages = [
        ("truncated to half", lambda: truncate(size // 2)),
        ("truncated to nothing", lambda: truncate(0)),
        ("trailer removed", lambda: truncate(size - 48)),
        ("byte flipped in the code", lambda: flip(size // 3)),
        ("byte flipped in the ELF header", lambda: flip(4)),
        ("byte flipped in the trailer", lambda: flip(size - 1)),
        ("not executable", lambda: os.chmod(path, 0o600)),
        ("another key's entry", replace_with_other_entry),
    ]
    for what, damage in damages:
        damage()
        p = e.run(["run", "-v", e.probe, "work", "1000"])
        expect(p, 0, good)
        check(cache_state(p) == "damaged", "%s: should be recompiled\n%s" % (what, seen(p)))
        check(os.path.getsize(path) == size, "%s: the entry was not rewritten" % what)
        p = e.run(["run", "-v", e.probe, "work", "1000"])
        check(cache_state(p) == "hit", "%s: the new entry should hit\n%s" % (what, seen(p)))
    check(e.entries() == [entry] and e.temps() == [], "left: %r" % os.listdir(e.cache_dir))
    return "%d kinds of damage recompiled" % len(damages)


def xxh3_128(data):
    """XXH3-128 of data in canonical (big-endian) form, from the libxxhash wasmaot links."""
    import ctypes

    class Hash128(ctypes.Structure):
        _fields_ = [("low64", ctypes.c_uint64), ("high64", ctypes.c_uint64)]

    lib = ctypes.CDLL("libxxhash.so.0")
    lib.XXH3_128bits.restype = Hash128
    lib.XXH3_128bits.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    h = lib.XXH3_128bits(data, len(data))
    return h.high64.to_bytes(8, "big") + h.low64.to_bytes(8, "big")


def seal_like_wasmaot(program, key_hex):
    """program's bytes with the trailer cache.c writes for key: a forged but valid entry."""
    return (program + b"WAOTEXE1" + len(program).to_bytes(8, "little") + bytes.fromhex(key_hex) +
            xxh3_128(program))


def case_entry_mode(e):
    # XXH3 is not a MAC: anyone who may write an entry can forge a valid trailer
    # for another program. Entries are sealed 0500, and one group or others may
    # write (or another user owns) is damaged: recompiled and replaced, never run.
    os.umask(0o002)
    p = e.run(["run", e.probe, "work", "1000"])
    expect(p, 0)
    good = p.out
    (entry,) = e.entries()
    path = e.entry_path(entry)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    check(mode == 0o500, "a new entry under umask 002 should be mode 0500, is %o" % mode)
    # An impostor: a native program, trailer and all, where the entry was.
    src = os.path.join(e.tmp, "impostor.c")
    with open(src, "w") as f:
        f.write('#include <stdio.h>\nint main(void) { puts("impostor"); return 0; }\n')
    impostor = os.path.join(e.tmp, "impostor")
    subprocess.run([e.args.clang, src, "-o", impostor], check=True, timeout=TIMEOUT)
    with open(impostor, "rb") as f:
        forged = seal_like_wasmaot(f.read(), entry)

    def plant(mode, uid=None):
        os.unlink(path)
        with open(path, "wb") as f:
            f.write(forged)
        os.chmod(path, mode)
        if uid is not None:
            os.chown(path, uid, -1)

    # The control: the forged trailer is valid, so a 0500 impostor of the user's is run.
    plant(0o500)
    p = e.run(["run", "-v", e.probe, "work", "1000"])
    check(cache_state(p) == "hit" and p.out == "impostor\n",
          "the forged entry should verify (the test forges it wrong)\n" + seen(p))
    # A symbolic link to a valid entry of the user's elsewhere is no entry (O_NOFOLLOW).
    elsewhere = os.path.join(e.tmp, "elsewhere")
    plant(0o500)
    os.rename(path, elsewhere)
    os.symlink(elsewhere, path)
    cases = [("group-writable", 0o570, None), ("writable by others", 0o502, None),
             ("writable by all", 0o777, None)]
    if os.geteuid() == 0:
        cases.append(("owned by another user", 0o500, 65534))
    cases.insert(0, ("a symbolic link", None, None))
    for what, mode, uid in cases:
        if mode is not None:
            plant(mode, uid)
        p = e.run(["run", "-v", e.probe, "work", "1000"])
        expect(p, 0, good)
        check(cache_state(p) == "damaged", "%s: should be recompiled\n%s" % (what, seen(p)))
        st = os.stat(path)
        check(stat.S_IMODE(st.st_mode) == 0o500 and st.st_uid == os.geteuid() and
              os.path.getsize(path) != len(forged), "%s: the entry was not replaced" % what)
        p = e.run(["run", "-v", e.probe, "work", "1000"])
        check(cache_state(p) == "hit" and p.out == good,
              "%s: the new entry should hit\n%s" % (what, seen(p)))
    check(e.entries() == [entry] and e.temps() == [], "left: %r" % os.listdir(e.cache_dir))
    return "%d kinds of linked, writable or foreign entry recompiled" % len(cases)


def case_cache_info_clean(e):
    p = e.run(["cache", "info"])
    expect(p, 0, "cache directory: %s (not created yet)\nentries: 0\n"
                 "total size: 0 bytes (0.0 MiB)\n" % e.cache_dir)
    for opt in ("-O1", "-O2"):
        expect(e.run(["run", opt, e.probe, "args"]), 0)
    names = e.entries()
    total = sum(os.path.getsize(e.entry_path(n)) for n in names)
    p = e.run(["cache", "info"])
    expect(p, 0, "cache directory: %s\nentries: 2\ntotal size: %d bytes (%.1f MiB)\n"
                 % (e.cache_dir, total, total / 1048576.0))
    # A temporary file of a dead process is stray; one of a live process is a compile in progress.
    stray = "tmp-%s-999999999-1" % ("0" * 32)
    live = "tmp-%s-%d-2" % ("0" * 32, os.getpid())
    for name in (stray, live, "notes.txt"):
        with open(e.entry_path(name), "w") as f:
            f.write("x")
    p = e.run(["cache", "info"])
    expect(p, 0)
    check("entries: 2\n" in p.out and "temporary files: 2 (2 bytes)\n" in p.out,
          "info should count the temporary files\n" + seen(p))
    p = e.run(["cache", "clean"])
    expect(p, 0, "removed 2 entries (%.1f MiB) and 1 temporary file from %s\n"
                 % (total / 1048576.0, e.cache_dir))
    check(sorted(os.listdir(e.cache_dir)) == sorted([live, "notes.txt"]),
          "after clean: %r" % os.listdir(e.cache_dir))
    p = e.run(["cache", "info"])
    check("entries: 0\n" in p.out, "info after clean\n" + seen(p))
    # The program still runs (and compiles again) after a clean.
    p = e.run(["run", "-v", e.probe, "args"])
    expect(p, 0)
    check(cache_state(p) == "miss", "after clean, a miss\n" + seen(p))
    one_line(e.run(["cache"]), 2, ["info", "clean"])
    one_line(e.run(["cache", "bogus"]), 2, ["bogus"])
    one_line(e.run(["cache", "info", "extra"]), 2, ["extra"])
    one_line(e.run(["cache", "info"], drop=("HOME", "XDG_CACHE_HOME")), 1, ["HOME"])
    return "info and clean"


def case_usage(e):
    one_line(e.run(["run"]), 2, ["no module"])
    one_line(e.run(["run", "-v"]), 2, ["no module"])
    one_line(e.run(["run", "--frobnicate", e.probe]), 2, ["--frobnicate"])
    one_line(e.run(["run", "-O7", e.probe]), 2, ["-O7"])
    one_line(e.run(["run", "--dir"]), 2, ["--dir"])
    one_line(e.run(["run", "--env=", e.probe]), 2, ["--env"])
    one_line(e.run(["run", "--inherit-env=1", e.probe]), 2, ["--inherit-env"])
    missing = os.path.join(e.sandbox, "missing.wasm")
    one_line(e.run(["run", missing, "args"]), 1, [missing, "cannot open"])
    one_line(e.run(["run", e.sandbox]), 1, [e.sandbox, "not a regular file"])
    p = e.run(["run", "--help"])
    expect(p, 0)
    check(p.out.startswith("usage: wasmaot run"), "--help\n" + seen(p))
    check(e.entries() == [] and e.temps() == [], "refusals left files in the cache")
    return "usage errors"


def case_compile_error(e):
    # The driver's one line, exactly as `wasmaot IN -o OUT` prints it; nothing runs or stays.
    bad = os.path.join(e.sandbox, "bad.wasm")
    with open(bad, "wb") as f:
        f.write(b"\0asm\x01\0\0\0\x01\x05\x01\x60\x00")  # a truncated type section
    ref = e.run([bad, "-o", os.path.join(e.tmp, "out")])
    check(ref.returncode == 1 and ref.err, "the compiler should refuse bad.wasm\n" + seen(ref))
    p = e.run(["run", bad, "args"])
    expect(p, 1)
    check(p.out == "" and p.err == ref.err, "expected stderr %r\n%s" % (ref.err, seen(p)))
    check(e.entries() == [] and e.temps() == [], "files left: %r" % os.listdir(e.cache_dir))
    return p.err.strip()


def case_no_cache_dir(e):
    # No usable directory: one warning line, the program runs, nothing stays in TMPDIR.
    blocker = os.path.join(e.work, "file")
    with open(blocker, "w") as f:
        f.write("x")
    setups = [
        ("XDG_CACHE_HOME under a file", {"XDG_CACHE_HOME": os.path.join(blocker, "c")}, ()),
        ("no HOME", {}, ("HOME", "XDG_CACHE_HOME")),
    ]
    for what, extra, drop in setups:
        p = e.run(["run", e.probe, "exit", "7"], extra, drop)
        expect(p, 7, "exiting 7\n")
        lines = p.err.splitlines()
        check(len(lines) == 1 and lines[0].startswith("wasmaot run: warning: not caching"),
              "%s: expected one warning line\n%s" % (what, seen(p)))
        check(os.listdir(e.tmp) == [], "%s: TMPDIR left: %r" % (what, os.listdir(e.tmp)))
    # A cache directory others can write is not used: anyone could choose what runs.
    expect(e.run(["run", e.probe, "args"]), 0)
    os.chmod(e.cache_dir, 0o777)
    p = e.run(["run", e.probe, "args"])
    expect(p, 0)
    check("warning: not caching" in p.err and "writable by others" in p.err,
          "a world-writable cache should be refused\n" + seen(p))
    os.chmod(e.cache_dir, 0o700)
    # Nor a symbolic link to one (the directory is opened O_NOFOLLOW, then used by descriptor).
    linked = os.path.join(e.work, "linked")
    os.makedirs(linked)
    os.symlink(e.cache_dir, os.path.join(linked, "wasmaot"))
    p = e.run(["run", e.probe, "args"], {"XDG_CACHE_HOME": linked})
    expect(p, 0)
    check("warning: not caching" in p.err and "symbolic link" in p.err,
          "a symbolic link as the cache directory should be refused\n" + seen(p))
    # A relative XDG_CACHE_HOME is invalid (XDG): ~/.cache/wasmaot is used.
    p = e.run(["run", e.probe, "args"], {"XDG_CACHE_HOME": "relative"})
    expect(p, 0)
    check(p.err == "", "no warning expected\n" + seen(p))
    home_cache = os.path.join(e.home, ".cache", "wasmaot")
    check(len([n for n in os.listdir(home_cache) if ENTRY_RE.match(n)]) == 1,
          "expected the entry in %s" % home_cache)
    check(stat.S_IMODE(os.stat(home_cache).st_mode) == 0o700, "the cache should be mode 0700")
    return "uncached fallback with one warning"


def case_commit_fails(e):
    # The trailer cannot be written (a full disk, here RLIMIT_FSIZE at the
    # executable's size): one warning, the program runs, nothing stays.
    import resource
    expect(e.run(["run", e.probe, "args"]), 0)
    (entry,) = e.entries()
    size = os.path.getsize(e.entry_path(entry)) - 48
    os.unlink(e.entry_path(entry))

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    proc = subprocess.run([e.args.wasmaot, "run", e.probe, "exit", "3"], cwd=e.sandbox,
                          env=e.environ(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, preexec_fn=limit, timeout=TIMEOUT)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    check(proc.returncode == 3 and out == "exiting 3\n",
          "exit %d\nstdout:\n%s\nstderr:\n%s" % (proc.returncode, out, err))
    lines = err.splitlines()
    check(len(lines) == 1 and lines[0].startswith("wasmaot run: warning: not caching") and
          "File too large" in lines[0], "expected one warning line, saw:\n" + err)
    check(os.listdir(e.cache_dir) == [], "left: %r" % os.listdir(e.cache_dir))
    return lines[0]


def options_words(p):
    m = re.search(r"^wasmaot run: WASMAOT_OPTIONS=(.*)$", p.err, re.M)
    check(m is not None, "no WASMAOT_OPTIONS line\n" + seen(p))
    # shlex's POSIX mode is exactly the WASMAOT_OPTIONS word syntax: '...' literal,
    # "..." with \" and \\, a backslash outside quotes escaping the next character.
    return shlex.split(m.group(1), posix=True)


def case_grant_words(e):
    weird = os.path.join(e.sandbox, "it's \"q\" \\ $HOME `x` dir")
    os.makedirs(weird)
    argv = ["run", "-v", "--dir", weird + "::/w:ro", "--dir=.", "--env=A=x y 'z'",
            "--env", "B", "--inherit-env", "--tcplisten", "127.0.0.1:65000", e.probe, "args"]
    words = options_words(e.run(argv))
    want = ["--dir", weird + "::/w:ro", "--dir", ".", "--env", "A=x y 'z'", "--env", "B",
            "--inherit-env", "--tcplisten", "127.0.0.1:65000"]
    check(words == want, "WASMAOT_OPTIONS words %r, expected %r" % (words, want))
    # No grant: set and empty, whatever the caller had set.
    p = e.run(["run", "-v", e.probe, "args"], {"WASMAOT_OPTIONS": "--dir /"})
    check(options_words(p) == [], "the caller's WASMAOT_OPTIONS must be replaced\n" + seen(p))
    return "WASMAOT_OPTIONS quoting"


# The grants_* cases need the executable's side of WASMAOT_OPTIONS.


def env_lines(p):
    return sorted(line for line in p.out.splitlines() if line.startswith("env: "))


def case_grants_none(e):
    p = e.run(["run", e.probe, "preopens"], {"WASMAOT_OPTIONS": "--dir /"})
    expect(p, 0, "")
    p = e.run(["run", e.probe, "env"], {"SECRET": "1"})
    expect(p, 0, "")
    return "no grant: no directory, empty environment"


def case_grants_dir(e):
    data = os.path.join(e.work, "da'ta \"dir\"")
    os.makedirs(data)
    with open(os.path.join(data, "f.txt"), "w") as f:
        f.write("granted contents\n")
    expect(e.run(["run", "--dir", data + "::/data", e.probe, "preopens"]), 0,
           "preopen: 3 /data\n")
    expect(e.run(["run", "--dir=" + data + "::/data", e.fs_probe, "cat", "/data/f.txt"]), 0,
           "granted contents\n")
    expect(e.run(["run", "--dir", data, e.probe, "preopens"]), 0, "preopen: 3 %s\n" % data)
    p = e.run(["run", "--dir", data + "::/data", e.fs_probe, "write", "/data/new.txt"])
    expect(p, 0, "write: ok\n")
    check(os.path.exists(os.path.join(data, "new.txt")), "the write did not reach the host")
    p = e.run(["run", "--dir", data + "::/data:ro", e.fs_probe, "write", "/data/ro.txt"])
    expect(p, 0)
    check(p.out.startswith("write: error"), "a read-only grant allowed a write\n" + seen(p))
    check(not os.path.exists(os.path.join(data, "ro.txt")), "ro.txt was created")
    expect(e.run(["run", "--dir", data + "::/data:ro", e.fs_probe, "cat", "/data/f.txt"]), 0,
           "granted contents\n")
    return "--dir, ::GUEST, :ro, quotes in the path"


def case_grants_env(e):
    host = {"C": "from host", "D": "not granted"}
    p = e.run(["run", "--env", "A=1", "--env=B=two words", "--env", "C", e.probe, "env"], host)
    expect(p, 0)
    want = ["env: A=1", "env: B=two words", "env: C=from host"]
    check(env_lines(p) == want, "environment %r, expected %r" % (env_lines(p), want))
    p = e.run(["run", "--inherit-env", e.probe, "env"], host)
    expect(p, 0)
    lines = env_lines(p)
    check("env: C=from host" in lines and "env: D=not granted" in lines,
          "--inherit-env lacks the host variables: %r" % lines)
    check(not any(line.startswith("env: WASMAOT_OPTIONS=") for line in lines),
          "the program must not see WASMAOT_OPTIONS: %r" % lines)
    return "--env NAME=VALUE, --env NAME, --inherit-env"


def case_grants_tcplisten(e):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    p = e.run(["run", "--tcplisten", "127.0.0.1:%d" % port, e.probe, "preopens"])
    expect(p, 0, "socket: 3\n")
    return "--tcplisten"


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", required=True, choices=sorted(CASES))
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--probe", required=True)
    ap.add_argument("--fs-probe", required=True)
    ap.add_argument("--runtime-dir", required=True, help="holds libwasmaot_rt.a, libwasmaot_common.a, start/libwasmaot_start.a")
    ap.add_argument("--wasi-dir", required=True, help="holds libwasmaot_wasi.a")
    ap.add_argument("--clang", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    args.wasmaot = os.path.abspath(args.wasmaot)
    args.probe = os.path.abspath(args.probe)
    args.fs_probe = os.path.abspath(args.fs_probe)
    e = Env(args)
    try:
        summary = CASES[args.case](e)
    except Failure as f:
        print("FAIL: %s: %s" % (args.case, f))
        sys.exit(1)
    print("ok: %s: %s" % (args.case, summary))


if __name__ == "__main__":
    main()
