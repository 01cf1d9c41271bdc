#!/usr/bin/env python3
"""-g (compiler/codegen/sites.h, debug_types.h, lower/debug_vars.c): gdb, in batch mode, on
executables compiled from a C and a Rust program built with -g: a breakpoint on a source line
stops there, the backtrace shows the source functions with their files and lines, `next` moves
to the following source line, `print` shows parameters and locals of the stopped function and
of its caller, and the program's output is unchanged. The same module without -g carries no
DWARF of its code; a module without a line table gets one warning line under -g, and still
compiles.

debug/vars.c has one variable of each kind -g describes (a struct with an array, an enum, bit
fields and a union; a typedef; globals and a function's static; a pointer, printed as the wasm
address it holds and read through wasmaot_debug_memory0_base; a struct passed by value, which
wasm passes as a pointer; a shadowing block variable), each
printed at -O0 and -O2. Mutated DWARF sections (fixed seed) compile, or fail with one line,
never crash; a .debug_info that runs past its bounds is not read, and -g says so in one line.

usage: debug_gdb.py --wasmaot WASMAOT --clang CLANG --rustc RUSTC --source-dir DIR --workdir DIR
"""
import argparse
import os
import random
import re
import sys

from script_util import check, fresh_workdir, run, wasm_section, wasm_sections


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


def check_program(args, work, name, source, wasm, callee, prints):
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
    check_locals(exe, name, base, body, prints)


def values(text):
    """What gdb's `print`s printed, in order: the text after "$N = ", or the error line
    printed in its place (a line holding "No symbol")."""
    return [m.group(1) or m.group(2) for m in
            re.finditer(r"^(?:\$\d+ = (.*)|(No symbol .*))$", text, re.M)]


def check_prints(name, text, prints):
    """prints: (expression, what gdb prints) in the order they were printed."""
    got = values(text)
    want = [w for _, w in prints]
    check(got == want, "%s: gdb printed %r for %r, expected %r; gdb printed:\n%s" % (
        name, got, [e for e, _ in prints], want, text))


def check_locals(exe, name, base, body, prints):
    """At the third stop in the callee: its parameter and local, then, one frame up, the
    caller's locals (wasm frame variables read through linear memory)."""
    commands = ["break %s:%d" % (base, body), "run", "continue 2"]
    for expr, _ in prints:
        commands.append(expr if expr in ("next", "up") else "print " + expr)
    text = gdb(exe, commands)
    check_prints(name, text, [p for p in prints if p[0] not in ("next", "up")])
    print("ok: %s: print %s" % (name, ", ".join(e for e, _ in prints if e not in ("next", "up"))))


def check_vars(args, work, source):
    """debug/vars.c's kinds of variable and type, at -O0 and -O2."""
    wasm = os.path.join(work, "vars.wasm")
    status, _, err = run([args.clang, "--target=wasm32-wasi", "--sysroot=/usr", "-O0", "-g",
                          source, "-o", wasm])
    check(status == 0, "clang: %s" % err.decode())
    base = os.path.basename(source)
    inner, stop = line_of(source, "inner"), line_of(source, "stop")
    by_value = line_of(source, "by-value")
    memory = "wasmaot_debug_memory0_base"
    shape = ("{name = 0x%x, corners = {{x = 0, y = 0}, {x = 1, y = 1}, {x = 2, y = 4}}, "
             "colour = GREEN, flags = 5, wide = 1, scale = {f = 1.5, bits = 1069547520}, "
             "weight = 2.25}")
    for level in ("-O0", "-O2"):
        exe = os.path.join(work, "vars" + level)
        status, _, err = run([args.wasmaot, wasm, level, "-g", "-o", exe], timeout=600)
        check(status == 0, "vars %s: wasmaot failed: %s" % (level, err.decode()))
        want = run([exe], env={})
        check(want[0] == 0 and want[1] == b"239 5 -1 1\n", "vars %s: the program printed %r" % (
            level, want[1]))
        # The string's wasm address, for the expected struct; and the loop's i, out of scope at
        # the stop (its block ended there).
        text = gdb(exe, ["break %s:%d" % (base, stop), "run", "up", "print (unsigned)tri.name",
                         "down", "print i"])
        address = values(text)
        check(len(address) == 2 and address[0].isdigit() and address[1].startswith(
            'No symbol "i" in current context'), "vars %s: tri.name, i: %s" % (level, text))
        name = int(address[0])
        prints = [
            ("n", "10"), ("k", "0"), ("continue", None), ("n", "11"), ("k", "1"),
            ("continue", None), ("p", "{x = -1, y = 2}"), ("continue", None),
            ("depth", "3"), ("small", "203 '\\313'"), ("sum", "35"),
            ("counter", "5"), ("table", "{1, -2, 3, -4}"), ("origin", "{x = -1, y = 2}"),
            ("sizeof(shape_t)", "48"),
            ("*(shape_t *)(%s + (unsigned)s)" % memory, shape % name),
            ("up", None),
            ("n", "1"), ("tri.colour", "GREEN"), ("tri.corners[2]", "{x = 2, y = 4}"),
            ("tri.scale", "{f = 1.5, bits = 1069547520}"), ("tri.weight", "2.25"),
            ("tri", shape % name),
            ("(char *)(%s + (unsigned)tri.name)" % memory, None),
        ]
        if level == "-O0":
            prints.insert(prints.index(("counter", "5")), ("calls", "1"))
        commands = ["break %s:%d" % (base, inner), "break %s:%d" % (base, by_value),
                    "break %s:%d" % (base, stop), "run"]
        for expr, _ in prints:
            commands.append(expr if expr in ("continue", "up") else "print " + expr)
        text = gdb(exe, commands)
        got = values(text)
        expected = [w for e, w in prints if e not in ("continue", "up")]
        printed = [e for e, _ in prints if e not in ("continue", "up")]
        ok = len(got) == len(expected)
        for i, (g, w) in enumerate(zip(got, expected)):
            if printed[i].startswith("(char *)"):
                ok &= g.endswith('"triangle"')
            else:
                ok &= g == w
        check(ok, "vars %s: gdb printed %r for %r, expected %r; gdb printed:\n%s" % (
            level, got, printed, expected, text))
        print("ok: vars %s: %d prints" % (level, len(got)))


def check_broken_dwarf(args, work, wasm, count, seed):
    """Fixed-seed byte mutations of wasm's DWARF sections: -g compiles each, or refuses it with
    one line; never a crash."""
    with open(wasm, "rb") as f:
        data = f.read()
    sections = [(name.decode(), payload, end) for _, name, _, payload, end in wasm_sections(data)
                if name in (b".debug_info", b".debug_abbrev", b".debug_line")]
    check(len(sections) == 3, "%s: expected .debug_info, _abbrev and _line" % wasm)
    rng = random.Random(seed)
    mutant, exe = os.path.join(work, "mutant.wasm"), os.path.join(work, "mutant")
    for n in range(count):
        name, low, high = rng.choice(sections)
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(low, high)] = rng.randrange(256)
        with open(mutant, "wb") as f:
            f.write(b)
        status, _, err = run([args.wasmaot, mutant, "-g", "-O0", "-o", exe], timeout=300)
        check(status == 0 or (status == 1 and len(err.splitlines()) == 1),
              "mutant %d (%s): status %d, stderr %r" % (n, name, status, err[-500:]))
    print("ok: %s: %d mutated DWARF sections compiled or refused in one line" % (
        os.path.basename(wasm), count))


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
    check_program(args, work, "c", c_source, c_wasm, "square",
                  [("v", "2"), ("next", None), ("sq", "4"), ("up", None), ("total", "1"),
                   ("i", "2")])
    rs_source = os.path.join(args.source_dir, "debug", "prog.rs")
    rs_wasm = os.path.join(work, "prog_rs.wasm")
    status, _, err = run([args.rustc, "--target", "wasm32-wasi", "-g", "-C", "opt-level=0",
                          rs_source, "-o", rs_wasm], timeout=600)
    check(status == 0, "rustc: %s" % err.decode())
    check_program(args, work, "rust", rs_source, rs_wasm, "cube",
                  [("v", "2"), ("up", None), ("total", "1"), ("i", "2"),
                   ("iter", "{start = 3, end = 4}")])
    check_vars(args, work, os.path.join(args.source_dir, "debug", "vars.c"))
    check_broken_dwarf(args, work, os.path.join(work, "vars.wasm"), 40, 12)
    check_broken_dwarf(args, work, rs_wasm, 20, 13)
    check_no_line_table(args, work)
    check_malformed_dwarf(args, work)
    check_fuzz_regressions(args, work)
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


def check_malformed_dwarf(args, work):
    """A module whose .debug_info has a block longer than its unit (LLVM's DWARF reader read
    past the section on it, and crashed, with -g or without): it compiles and runs, and -g
    says in one line that its DWARF is malformed."""
    # a compile unit: DW_AT_name as DW_FORM_block4, then DW_AT_decl_line as DW_FORM_udata
    abbrev = bytes([1, 0x11, 0, 0x03, 0x04, 0x3b, 0x0f, 0, 0, 0])
    unit = bytes([4, 0, 0, 0, 0, 0, 4, 1]) + (0x7ffffff0).to_bytes(4, "little") + bytes(8)
    info = len(unit).to_bytes(4, "little") + unit
    module = (b"\0asm\x01\0\0\0" + wasm_section(1, bytes([1, 0x60, 0, 0])) +
              wasm_section(3, bytes([1, 0])) +
              wasm_section(7, bytes([1, 6]) + b"_start" + bytes([0, 0])) +
              wasm_section(10, bytes([1, 2, 0, 0x0b])) +
              wasm_section(0, abbrev, b".debug_abbrev") + wasm_section(0, info, b".debug_info"))
    wasm = os.path.join(work, "malformed.wasm")
    with open(wasm, "wb") as f:
        f.write(module)
    for flags in ([], ["-g"]):
        exe = os.path.join(work, "malformed" + "".join(flags))
        status, _, err = run([args.wasmaot, wasm, "-o", exe] + flags)
        lines = err.decode().splitlines()
        want = 1 if flags else 0
        check(status == 0 and len(lines) == want and
              (not flags or "DWARF is malformed" in lines[0]),
              "malformed DWARF %s: status %d, stderr %r" % (flags, status, err))
        check(run([exe], env={})[0] == 0, "malformed DWARF %s: the program failed" % flags)
    print("ok: malformed DWARF compiles; -g: %s" % lines[0])


def check_fuzz_regressions(args, work):
    """The inputs of the DWARF bugs tools/fuzz/fuzz_dwarf.c found (tools/fuzz/regressions/
    dwarf-*.hex, hex pairs and ';;' comments), compiled with -g as objects: each compiles, or
    fails with one line; none crashes (LLVM's DWARF reader and writer did)."""
    regressions = os.path.join(args.source_dir, "..", "..", "tools", "fuzz", "regressions")
    names = sorted(n for n in os.listdir(regressions) if n.startswith("dwarf-"))
    check(len(names) >= 3, "no DWARF regressions in %s" % regressions)
    for name in names:
        with open(os.path.join(regressions, name)) as f:
            data = bytes(int(t, 16) for line in f for t in line.split(";;")[0].split())
        wasm = os.path.join(work, name[:-4] + ".wasm")
        with open(wasm, "wb") as f:
            f.write(data)
        for flags in (["-g"], []):
            status, _, err = run([args.wasmaot, wasm, "--emit=obj", "-o", wasm + ".o"] + flags)
            check(status == 0 or (status == 1 and len(err.splitlines()) == 1),
                  "%s %s: status %d, stderr %r" % (name, flags, status, err))
    print("ok: %d DWARF fuzz regressions compile with and without -g" % len(names))


if __name__ == "__main__":
    sys.exit(main())
