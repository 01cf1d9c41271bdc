#!/usr/bin/env python3
"""-g (compiler/codegen/sites.h): gdb, in batch mode, on executables compiled from a C and a
Rust program built with -g: a breakpoint on a source line stops there, the backtrace shows
the source functions with their files and lines, `next` moves to the following source line,
and the program's output is unchanged. The same
module without -g carries no DWARF of its code; a module without a line table gets one warning
line under -g, and still compiles.

usage: debug_gdb.py --wasmaot WASMAOT --clang CLANG --rustc RUSTC --source-dir DIR --workdir DIR
"""
import argparse
import os
import re
import sys

from script_util import check, fresh_workdir, run


def line_of(path, marker):
    """The line number of the line of `path` holding "line: MARKER"."""
    with open(path) as f:
        for number, text in enumerate(f, 1):
            if "line: " + marker in text:
                return number
    raise SystemExit("FAIL: no marker %r in %s" % (marker, path))


def gdb(exe, commands):
    argv = ["gdb", "-nx", "-batch"]
    for c in commands:
        argv += ["-ex", c]
    status, out, err = run(argv + [exe], timeout=300, env={"LC_ALL": "C", "TERM": "dumb"})
    return out.decode("utf-8", "replace") + err.decode("utf-8", "replace")


def has_module_dwarf(exe):
    """Whether exe has DWARF of the generated code (a compile unit produced by "wasmaot"): the
    runtime's own debug info is in every executable."""
    _, out, _ = run(["readelf", "--debug-dump=info", exe], timeout=300)
    return re.search(rb"DW_AT_producer\s*:.*\bwasmaot\b", out) is not None


def check_program(args, work, name, source, wasm, callee):
    exe, plain = os.path.join(work, name), os.path.join(work, name + "-plain")
    for out, flags in ((exe, ["-g"]), (plain, [])):
        status, _, err = run([args.wasmaot, wasm, "-O0", "-o", out] + flags, timeout=600)
        check(status == 0, "%s: wasmaot %s failed: %s" % (name, " ".join(flags), err.decode()))
    check(has_module_dwarf(exe), "%s: the -g executable has no DWARF of its wasm code" % name)
    check(not has_module_dwarf(plain), "%s: the executable without -g has DWARF of its code" % name)
    want = run([plain], env={})
    check(run([exe], env={}) == want, "%s: the -g build's run differs from the plain one" % name)

    base = os.path.basename(source)
    body, call = line_of(source, callee + "-body"), line_of(source, "call")
    text = gdb(exe, ["break %s:%d" % (base, body), "run", "bt", "next", "info line"])
    stop = re.search(r"Breakpoint 1, .*%s.* at .*%s:%d" % (callee, re.escape(base), body), text)
    check(stop, "%s: gdb did not stop at %s:%d in %s:\n%s" % (name, base, body, callee, text))
    frames = re.findall(r"^#(\d+) .*? (\S+) \(.*?\) at (\S+):(\d+)$", text, re.M)
    shown = [(f[1].split("::")[-1], os.path.basename(f[2]), int(f[3])) for f in frames]
    # C's main is the module's __original_main (wasi-libc's _start calls it).
    caller = shown[1][0] if len(shown) >= 2 else None
    check(len(shown) >= 2 and shown[0] == (callee, base, body)
          and caller in ("main", "__original_main") and shown[1][1:] == (base, call),
          "%s: the backtrace should be %s at %s:%d, then main at %s:%d; gdb printed:\n%s" % (
              name, callee, base, body, base, call, text))
    # `next` goes to the function's next line with code: Rust's `c` (the value returned) has
    # none of its own at -O0, so there it is the closing brace.
    after = re.search(r'Line (\d+) of "[^"]*%s"' % re.escape(base), text)
    check(after and body < int(after.group(1)) <= body + 2,
          "%s: after `next`, gdb should be at %s:%d or %d:\n%s" % (name, base, body + 1, body + 2,
                                                                    text))
    print("ok: %s: break %s:%d, backtrace %s, next" % (name, base, body, shown[:2]))


def main():
    ap = argparse.ArgumentParser()
    for a in ("--wasmaot", "--clang", "--rustc", "--source-dir", "--workdir"):
        ap.add_argument(a, required=True)
    args = ap.parse_args()
    work = fresh_workdir(args.workdir)
    c_source = os.path.join(args.source_dir, "debug", "prog.c")
    c_wasm = os.path.join(work, "prog_c.wasm")
    status, _, err = run([args.clang, "--target=wasm32-wasi", "--sysroot=/usr", "-O0", "-g",
                          c_source, "-o", c_wasm])
    check(status == 0, "clang: %s" % err.decode())
    check_program(args, work, "c", c_source, c_wasm, "square")
    rs_source = os.path.join(args.source_dir, "debug", "prog.rs")
    rs_wasm = os.path.join(work, "prog_rs.wasm")
    status, _, err = run([args.rustc, "--target", "wasm32-wasi", "-g", "-C", "opt-level=0",
                          rs_source, "-o", rs_wasm], timeout=600)
    check(status == 0, "rustc: %s" % err.decode())
    check_program(args, work, "rust", rs_source, rs_wasm, "cube")
    check_no_line_table(args, work)
    return 0


def check_no_line_table(args, work):
    """-g on a module without a line table: one warning line naming the module, and an
    executable that runs as the one compiled without -g."""
    wasm = os.path.join(work, "plain.wat")  # a text module: no DWARF (compiler/wat.c)
    with open(wasm, "w") as f:
        f.write('(module (func (export "_start")))\n')
    exe = os.path.join(work, "plain-g")
    status, out, err = run([args.wasmaot, wasm, "-g", "-o", exe])
    lines = err.decode().splitlines()
    check(status == 0 and len(lines) == 1 and "warning: -g" in lines[0] and wasm in lines[0]
          and "no DWARF line table" in lines[0],
          "-g on a module without a line table: status %d, stderr %r" % (status, err))
    check(run([exe], env={})[0] == 0, "-g on a module without a line table: the program failed")
    print("ok: -g without a line table: %s" % lines[0])


if __name__ == "__main__":
    sys.exit(main())
