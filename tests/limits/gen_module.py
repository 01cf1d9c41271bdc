#!/usr/bin/env python3
"""Writes WebAssembly modules that stress the compiler's resource use.

The binary format is written directly (no wat2wasm), so modules of any size
are generated in seconds. Every module exports a `_start` of type [] -> []
and imports nothing, so it compiles to an executable. Kinds:

    v128-locals N     one function with N v128 locals, each set from the
                      previous one (a chain through all of them)
    v128-locals-loop N  the same chain inside a loop (each local is then
                      used in another block than the one that zeroes it)
    chained-calls N   N functions, function i calls function i + 1
    big-body BYTES    one function whose body is about BYTES bytes of
                      `local.get 0; i32.const 1; i32.add; local.set 0`
    many-funcs N      N small functions, each called from _start's chain of calls
    evil-names        a function, an import and an export whose names hold
                      a newline, an escape sequence and invalid UTF-8;
                      _start reaches `unreachable` in the named function
                      (N = 0; N = 1: that function is invalid; N = 2: a
                      duplicate export name)

Usage: gen_module.py KIND N OUTPUT.wasm
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tools", "gen_module"))
from wasm_binary import section, uleb as leb, vec  # noqa: E402


def name(s):
    return leb(len(s)) + s


def body(locals_, code):
    """A code-section entry: locals as [(count, type byte)], code without the final end."""
    b = vec([leb(n) + bytes([t]) for n, t in locals_]) + code + b"\x0b"
    return leb(len(b)) + b


def module(types, imports, funcs, exports, bodies, names=None):
    m = b"\0asm\1\0\0\0"
    m += section(1, vec(types))
    if imports:
        m += section(2, vec(imports))
    m += section(3, vec([leb(t) for t in funcs]))
    m += section(7, vec(exports))
    m += section(10, vec(bodies))
    if names is not None:
        m += section(0, name(b"name") + names)
    return m


VOID = b"\x60\x00\x00"  # [] -> []
CALL, END, LOCAL_GET, LOCAL_SET, I32_CONST, I32_ADD = 0x10, 0x0B, 0x20, 0x21, 0x41, 0x6A
V128 = 0x7B


def v128_chain(n):
    # local i+1 = local i, for every i: all n locals are live and used.
    code = bytearray()
    for i in range(n - 1):
        code += bytes([LOCAL_GET]) + leb(i) + bytes([LOCAL_SET]) + leb(i + 1)
    return bytes(code)


def v128_locals(n):
    return module([VOID], [], [0], [name(b"_start") + b"\x00\x00"],
                  [body([(n, V128)], v128_chain(n))])


def v128_locals_loop(n):
    # The same chain inside a loop: every local is used in a block other than
    # the one that zeroes it.
    code = b"\x03\x40" + v128_chain(n) + b"\x0b"
    return module([VOID], [], [0], [name(b"_start") + b"\x00\x00"], [body([(n, V128)], code)])


def chained_calls(n):
    bodies = [body([], bytes([CALL]) + leb(i + 1)) for i in range(n - 1)] + [body([], b"")]
    return module([VOID], [], [0] * n, [name(b"_start") + b"\x00\x00"], bodies)


def big_body(size):
    step = bytes([LOCAL_GET, 0, I32_CONST, 1, I32_ADD, LOCAL_SET, 0])
    code = step * max(1, size // len(step))
    return module([VOID], [], [0], [name(b"_start") + b"\x00\x00"], [body([(1, 0x7F)], code)])


def many_funcs(n):
    # _start calls every function once; each function adds to a local.
    start = bytearray()
    for i in range(1, n):
        start += bytes([CALL]) + leb(i)
    small = body([(1, 0x7F)], bytes([LOCAL_GET, 0, I32_CONST, 1, I32_ADD, LOCAL_SET, 0]))
    return module([VOID], [], [0] * n, [name(b"_start") + b"\x00\x00"],
                  [body([], bytes(start))] + [small] * (n - 1))


# A newline, an ANSI escape sequence, BEL, a C1 CSI (U+009B, valid UTF-8), a
# backslash and a printable non-ASCII letter (every wasm name must be UTF-8).
EVIL = "ev\nil\x1b[31m\x07\x9b\\xé".encode()


def evil_names(variant):
    # import 0 (function 0) is an unknown import; function 1 is _start, which calls
    # function 2 (named EVIL), which traps. Export names are evil too. Variant 1:
    # function 2 is invalid (a value left on the stack); variant 2: the evil
    # export name appears twice.
    imports = [name(b"env" + EVIL) + name(b"f" + EVIL) + b"\x00\x00"]
    exports = [name(b"_start") + b"\x00\x01", name(b"x" + EVIL) + b"\x00\x02"]
    if variant == 2:
        exports.append(name(b"x" + EVIL) + b"\x00\x01")
    trap = bytes([I32_CONST, 0]) if variant == 1 else b"\x00"
    bodies = [body([], bytes([CALL, 2])), body([], trap)]
    func_names = vec([leb(1) + name(b"start" + EVIL), leb(2) + name(EVIL)])
    names = b"\x01" + leb(len(func_names)) + func_names
    return module([VOID], imports, [0, 0], exports, bodies, names)


KINDS = {"v128-locals": v128_locals, "v128-locals-loop": v128_locals_loop, "chained-calls": chained_calls, "big-body": big_body,
         "many-funcs": many_funcs, "evil-names": evil_names}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in KINDS:
        sys.exit(__doc__)
    with open(sys.argv[3], "wb") as f:
        f.write(KINDS[sys.argv[1]](int(sys.argv[2])))
