#!/usr/bin/env python3
"""Exact trap backtraces (compiler/codegen/sites.h, runtime/backtrace.c): every frame's offset is
the file offset of its trapping or calling instruction, as `wasm-objdump -d` shows it; a function
LLVM inlined into its caller still has a frame of its own; names and `at FILE:LINE:COL` come from
the module's DWARF, also when it has no name section.

  - tests/e2e/backtrace/inlined.c (clang -O2 -g): out-of-bounds, division by zero and
    __builtin_trap three calls deep, middle inlined into outer (checked with gdb when it is
    there); the same module without its name section;
  - tests/e2e/backtrace/panic.rs (rustc -g): a panic, demangled names and source lines, the
    same when the module is compiled in several chunks (an object and a table each);
  - tests/e2e/backtrace/deep.wat: a trap and a fault in a callee;
  - tests/e2e/traps/thread_trap.wat and thread_stack_exhausted.wat: a trap in a thread, running
    out of stack in one;
  - WASMAOT_BACKTRACE=0 leaves the trap line alone, the exit status stays 134.

usage: backtrace_dwarf.py --wasmaot W --clang C --rustc R --wat2wasm T --objdump O --source-dir D
                          --workdir DIR
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

from script_util import wasm_sections

SKIP = 77
FRAME = re.compile(r"  (\d+): 0x([0-9a-f]+) - (.*)")
AT = re.compile(r" {20}at (.*?):(\d+)(?::(\d+))?")
FUNC = re.compile(r"^([0-9a-f]+) func\[(\d+)\](?: <(.*)>)?:$")
INSTR = re.compile(r"^ ([0-9a-f]+): [0-9a-f ]+\| *(.*)$")
CALLS = ("call ", "call_indirect ", "return_call")


def run(argv, env=None, timeout=300):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)


def disassembly(objdump, wasm):
    """{function name or index: [(offset, instruction text)]} from wasm-objdump -d."""
    out = run([objdump, "-d", wasm]).stdout
    funcs, current = {}, None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            current = []
            funcs[int(m.group(2))] = current
            if m.group(3):
                funcs[m.group(3)] = current
            continue
        m = INSTR.match(line)
        if m and current is not None:
            current.append((int(m.group(1), 16), m.group(2).strip()))
    return funcs


def backtrace(stderr):
    """[(name, offset, (file, line) or None)] of the backtrace after the trap line."""
    lines = stderr.splitlines()
    if "wasm backtrace:" not in lines:
        return None
    frames = []
    for line in lines[lines.index("wasm backtrace:") + 1:]:
        m = FRAME.fullmatch(line)
        if m:
            if int(m.group(1)) != len(frames):
                return None
            frames.append([m.group(3), int(m.group(2), 16), None])
            continue
        m = AT.fullmatch(line)
        if m and frames and frames[-1][2] is None:
            frames[-1][2] = (m.group(1), int(m.group(2)))
            continue
        if not line.startswith("  ... "):
            return None
    return [tuple(f) for f in frames]


def trap(exe, args, failures, what, env_extra=None):
    env = dict(os.environ)
    env.pop("WASMAOT_BACKTRACE", None)
    env.update(env_extra or {})
    proc = run([exe] + args, env=env, timeout=60)
    if proc.returncode != 134:
        failures.append(f"{what}: exit status {proc.returncode}, not 134")
    return proc.stderr


def marked_line(source, marker):
    with open(source) as f:
        for n, line in enumerate(f, 1):
            if marker in line:
                return n
    raise SystemExit(f"no {marker} in {source}")


def offset_of(code, func, pick, what, failures):
    """The offset of the one instruction of `func` that pick(text) selects."""
    found = [o for o, text in code.get(func, []) if pick(text)]
    if len(found) != 1:
        failures.append(f"{what}: {len(found)} candidate instructions in {func}, not 1")
        return None
    return found[0]


def check_frames(frames, want, what, failures, stderr):
    """want: [(names, offset or None, (file suffix, line) or None)], the first frames."""
    ok = frames is not None and len(frames) >= len(want)
    for i, (names, offset, pos) in enumerate(want):
        if not ok:
            break
        name, got_offset, got_pos = frames[i]
        ok = name in names and (offset is None or got_offset == offset)
        if ok and pos is not None:
            ok = got_pos is not None and got_pos[0].endswith(pos[0]) and got_pos[1] == pos[1]
    if not ok:
        failures.append(f"{what}: the backtrace should start with {want}, stderr was:\n{stderr}")


def compile_module(wasmaot, wasm, exe, failures, extra=()):
    proc = run([wasmaot, wasm, "-o", exe] + list(extra))
    if proc.returncode != 0:
        failures.append(f"wasmaot {wasm}: {proc.stderr.strip()}")
        return False
    return True


def strip_name_section(data):
    """The module without its `name` custom section."""
    return data[:8] + b"".join(data[start:end] for kind, name, start, _, end in wasm_sections(data)
                               if not (kind == 0 and name == b"name"))


def check_c(args, failures):
    source = os.path.join(args.source_dir, "backtrace", "inlined.c")
    wasm = os.path.join(args.workdir, "inlined.wasm")
    # clang runs wasm-opt after linking when it finds one on PATH, and wasm-opt drops the name
    # section: a PATH with the linker alone keeps it (the module without it is tested below)
    bindir = os.path.join(args.workdir, "bin")
    os.makedirs(bindir, exist_ok=True)
    link = os.path.join(bindir, "wasm-ld-19")
    if not os.path.exists(link):
        os.symlink(shutil.which("wasm-ld-19") or "/usr/bin/wasm-ld-19", link)
    proc = run([args.clang, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-g", source, "-o",
                wasm], env=dict(os.environ, PATH=bindir))
    if proc.returncode != 0:
        failures.append(f"clang: {proc.stderr.strip()}")
        return
    code = disassembly(args.objdump, wasm)
    exe = os.path.join(args.workdir, "inlined")
    if not compile_module(args.wasmaot, wasm, exe, failures):
        return
    calls = {
        "middle": offset_of(code, "middle", lambda t: t.startswith("call ") and "<leaf>" in t,
                            "C middle", failures),
        "outer": offset_of(code, "outer", lambda t: t.startswith("call ") and "<middle>" in t,
                           "C outer", failures),
        "main": offset_of(code, "main" if "main" in code else "__main_argc_argv",
                          lambda t: t.startswith("call_indirect"), "C main", failures),
    }
    outer_frames = [(["middle"], calls["middle"], ("inlined.c", marked_line(source, "CALL-middle"))),
                    (["outer"], calls["outer"], ("inlined.c", marked_line(source, "CALL-outer"))),
                    (["main", "__main_argc_argv"], calls["main"],
                     ("inlined.c", marked_line(source, "CALL-main")))]
    traps = [("oob", "out of bounds memory access", lambda t: t.startswith("i32.load")),
             ("div", "integer divide by zero", lambda t: t.startswith("i32.div_s")),
             ("rem", "integer divide by zero", lambda t: t.startswith("i32.rem_s")),
             ("trap", "unreachable", lambda t: t == "unreachable")]
    stripped = os.path.join(args.workdir, "inlined_noname.wasm")
    with open(wasm, "rb") as f, open(stripped, "wb") as g:
        g.write(strip_name_section(f.read()))
    exe_stripped = os.path.join(args.workdir, "inlined_noname")
    if run([args.objdump, "-h", stripped]).stdout.count('"name"') != 0 or not compile_module(
            args.wasmaot, stripped, exe_stripped, failures):
        failures.append("the module without its name section")
        return
    for mode, message, pick in traps:
        leaf = (["leaf"], offset_of(code, "leaf", pick, f"C {mode}", failures),
                ("inlined.c", marked_line(source, "TRAP-" + mode)))
        for what, binary in [(f"C {mode}", exe), (f"C {mode} without name section", exe_stripped)]:
            stderr = trap(binary, [mode], failures, what)
            first = stderr.splitlines()[:1]
            # a fault's line names the function whose native code faulted, which may be the one
            # leaf was inlined into (the trap line is as it was); an explicit trap names leaf
            named = "(leaf|middle|outer)" if mode == "oob" else "leaf"
            if not first or not re.fullmatch(rf"wasm trap: {message} in function \d+ \({named}\)",
                                             first[0]):
                failures.append(f"{what}: trap line {first}")
            check_frames(backtrace(stderr), [leaf] + outer_frames, what, failures, stderr)
    lines = trap(exe, ["trap"], failures, "C with WASMAOT_BACKTRACE=0",
                 {"WASMAOT_BACKTRACE": "0"}).splitlines()
    if len(lines) != 1 or not lines[0].startswith("wasm trap: unreachable"):
        failures.append(f"C with WASMAOT_BACKTRACE=0: stderr was {lines}")
    # middle really was inlined: no native frame of its own between leaf's and outer's
    if shutil.which("gdb"):
        out = run(["gdb", "-nx", "-batch", "-ex", "break wa_rt_trap_site", "-ex", "run", "-ex", "bt",
                   "--args", exe, "trap"]).stdout
        native = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)", out, re.M)
        if not any(re.fullmatch(r"wasm_\d+_outer", n) for n in native) or any(
                re.fullmatch(r"wasm_\d+_middle", n) for n in native):
            failures.append(f"middle should be inlined into outer, gdb shows:\n{out}")


def check_rust(args, failures):
    source = os.path.join(args.source_dir, "backtrace", "panic.rs")
    wasm = os.path.join(args.workdir, "panic.wasm")
    proc = run([args.rustc, "--target", "wasm32-wasi", "-g", "-O", source, "-o", wasm])
    if proc.returncode != 0:
        failures.append(f"rustc: {proc.stderr.strip()}")
        return
    exe = os.path.join(args.workdir, "panic")
    if not compile_module(args.wasmaot, wasm, exe, failures):
        return
    code = disassembly(args.objdump, wasm)
    stderr = trap(exe, [], failures, "Rust panic")
    frames = backtrace(stderr) or []
    names = [f[0] for f in frames]
    if "panic::inner" not in names:
        failures.append(f"Rust panic: no frame panic::inner, stderr was:\n{stderr}")
        return
    at = names.index("panic::inner")
    want = [(["panic::inner"], None, ("panic.rs", marked_line(source, "PANIC-inner"))),
            (["panic::outer"], None, ("panic.rs", marked_line(source, "CALL-outer"))),
            (["panic::main"], None, ("panic.rs", marked_line(source, "CALL-main")))]
    check_frames(frames[at:], want, "Rust panic", failures, stderr)
    # compiled in several chunks (each object with its own table): the same frames
    chunked = os.path.join(args.workdir, "panic_chunks")
    if compile_module(args.wasmaot, wasm, chunked, failures, ["--test-chunk-bytes=20000"]):
        stderr2 = trap(chunked, [], failures, "Rust panic, chunks")
        frames2 = backtrace(stderr2) or []
        names2 = [f[0] for f in frames2]
        at2 = names2.index("panic::inner") if "panic::inner" in names2 else -1
        if at2 < 0 or frames2[at2:at2 + 3] != frames[at:at + 3]:
            failures.append(f"Rust panic in chunks: frames {frames2[at2:at2 + 3]}, not "
                            f"{frames[at:at + 3]}")
    # each is at a call instruction of its function (inner: of the bounds-check panic)
    for name, offset, _ in frames[at:at + 3]:
        key = "panic" + "".join(f"{len(part)}{part}" for part in name.split("::")[1:])
        body = [c for k, c in code.items() if isinstance(k, str) and key in k]
        if len(body) != 1 or not dict(body[0]).get(offset, "").startswith(CALLS):
            failures.append(f"Rust panic: frame {name} at {offset:#x} is not a call of it")


def check_wat(args, failures):
    cases = [("deep.wat", os.path.join(args.source_dir, "backtrace", "deep.wat"), [
        ([], "unreachable in function 1 (leaf)", ["leaf", "middle", "outer", "_start"],
         lambda t: t == "unreachable"),
        (["fault"], "out of bounds memory access in function 1 (leaf)",
         ["leaf", "middle", "outer", "_start"], lambda t: t.startswith("i32.load") and "0" != t),
    ]), ("thread_trap.wat", os.path.join(args.source_dir, "traps", "thread_trap.wat"), [
        ([], "integer divide by zero in function 4 (divide)", ["divide", "wasi_thread_start"],
         lambda t: t.startswith("i32.div_u")),
    ]), ("thread_stack_exhausted.wat",
         os.path.join(args.source_dir, "traps", "thread_stack_exhausted.wat"), [
        ([], "call stack exhausted in function 3 (recurse)", ["recurse"] * 5, None),
    ])]
    for name, source, runs in cases:
        wasm = os.path.join(args.workdir, name.replace(".wat", ".wasm"))
        proc = run([args.wat2wasm, "--enable-threads", "--debug-names", source, "-o", wasm])
        if proc.returncode != 0:
            failures.append(f"wat2wasm {name}: {proc.stderr.strip()}")
            continue
        exe = wasm[:-5]
        if not compile_module(args.wasmaot, wasm, exe, failures):
            continue
        code = disassembly(args.objdump, wasm)
        for prog_args, message, names, pick in runs:
            what = f"{name} {' '.join(prog_args)}".strip()
            stderr = trap(exe, prog_args, failures, what)
            lines = stderr.splitlines()
            if not any(line == f"wasm trap: {message}" for line in lines):
                failures.append(f"{what}: no trap line 'wasm trap: {message}':\n{stderr}")
            want = []
            for i, fname in enumerate(names):
                if i == 0 and pick is not None:
                    candidates = [o for o, t in code.get(fname, []) if pick(t)]
                    # deep.wat's leaf has two loads: the fault is the second (far) one
                    offset = candidates[-1] if candidates else -1
                elif i == 0:
                    offset = None  # running out of stack: any instruction of the function
                else:
                    callee = names[i - 1]
                    offset = offset_of(code, fname, lambda t: t.startswith(CALLS) and (
                        "call_indirect" in t or f"<{callee}>" in t), what, failures)
                want.append(([fname], offset, None))
            check_frames(backtrace(stderr), want, what, failures, stderr)


def main():
    p = argparse.ArgumentParser()
    for a in ["wasmaot", "clang", "rustc", "wat2wasm", "objdump", "source-dir", "workdir"]:
        p.add_argument("--" + a, required=True)
    args = p.parse_args()
    if not os.path.exists(args.objdump):
        print("SKIP: no wasm-objdump")
        return SKIP
    os.makedirs(args.workdir, exist_ok=True)
    failures = []
    check_c(args, failures)
    check_rust(args, failures)
    check_wat(args, failures)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
