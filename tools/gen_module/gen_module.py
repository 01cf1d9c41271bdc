#!/usr/bin/env python3
"""gen_module.py: writes a large, valid WebAssembly module for compile-speed work.

    tools/gen_module/gen_module.py --functions 20000 [--seed 1] [--scale 1.0] -o big.wasm

The module is a WASI command (it exports `memory` and `_start`, imports
nothing), so `wasmaot big.wasm -o big` links and the executable runs (its
`_start` calls one leaf function and returns). The output depends only on the
options: the same seed gives the same bytes.

Defined functions come in mixed shapes, picked per function by the seed:

    arith    straight-line i32 arithmetic over parameters and locals
    loop     loops over linear memory (loads, stores, a counter)
    branch   nested blocks left by br_table, if/else
    call     calls and call_indirect of lower-numbered functions (so the
             call graph is acyclic), with table type checks
    float    f64 math (sqrt, min/max, conversions) in a loop
    huge     one very long body (every ~2,000th function; tens of KB)

At --scale 1.0 the code section is 11.1 MB for 20,000 functions (5.8 MB for
10,000); every body grows linearly with --scale (--functions 18000 --scale
3.2 gives 30.4 MB, the size bench/compile/run calls gen30mb). The
function type of every i32 function is (i32, i32) -> i32, of every float one
(f64, f64) -> f64; the table holds every i32 function, in index order.
"""

import argparse
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wasm_binary import section, sleb, uleb, vec  # noqa: E402

I32, I64, F32, F64 = 0x7F, 0x7E, 0x7D, 0x7C
T_II_I, T_DD_D, T_V_V = 0, 1, 2  # type indices

# i32 binary operators that cannot trap.
I32_BINOPS = [0x6A, 0x6B, 0x6C, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78]
I32_CMPS = [0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F]
F64_BINOPS = [0xA0, 0xA1, 0xA2, 0xA4, 0xA5]  # add sub mul min max (div: below)


def name(s):
    b = s.encode()
    return uleb(len(b)) + b


class Body:
    """One function body being written: i32 locals 0..n_i32-1 (params first)."""

    def __init__(self, rng, index, nparams_i32, n_i32_locals, f64_base, n_f64, callees, fcallees):
        self.rng = rng
        self.index = index
        self.code = bytearray()
        self.n_i32 = nparams_i32 + n_i32_locals  # i32 locals, parameters included
        self.f64_base = f64_base                 # first f64 local
        self.n_f64 = n_f64
        self.callees = callees    # lower-numbered i32 functions this one may call
        self.fcallees = fcallees  # lower-numbered f64 functions
        self.depth = 0            # open structured blocks

    def op(self, *bs):
        self.code.extend(bs)

    def i32_const(self, v):
        self.code.append(0x41)
        self.code.extend(sleb(v))

    def local(self, opcode, i):
        self.code.append(opcode)
        self.code.extend(uleb(i))

    # ---- expressions, each leaving one i32 ----

    def expr(self, depth):
        r = self.rng.random()
        if depth <= 0 or r < 0.25:
            if self.rng.random() < 0.7:
                self.local(0x20, self.rng.randrange(self.n_i32))
            else:
                self.i32_const(self.rng.randrange(-1000, 100000))
            return
        if r < 0.65:
            self.expr(depth - 1)
            self.expr(depth - 1)
            self.op(self.rng.choice(I32_BINOPS))
        elif r < 0.75:
            self.address(depth - 1)
            self.op(0x28, 2)  # i32.load align=4
            self.code.extend(uleb(self.rng.randrange(0, 64) * 4))
        elif r < 0.82:
            self.expr(depth - 1)
            self.expr(depth - 1)
            self.expr(depth - 1)
            self.op(0x1B)  # select
        elif r < 0.88:
            self.expr(depth - 1)
            self.expr(depth - 1)
            self.op(self.rng.choice(I32_CMPS))
        elif r < 0.93 and self.callees:
            self.expr(depth - 1)
            self.expr(depth - 1)
            self.op(0x10)
            self.code.extend(uleb(self.rng.choice(self.callees)))
        elif r < 0.96 and self.callees:
            # call_indirect through the table; the element index is a callee's.
            self.expr(depth - 1)
            self.expr(depth - 1)
            self.i32_const(self.rng.choice(self.callees))
            self.op(0x11)
            self.code.extend(uleb(T_II_I))
            self.op(0x00)
        else:
            # unsigned division by an odd (never zero) divisor
            self.expr(depth - 1)
            self.expr(depth - 1)
            self.i32_const(1)
            self.op(0x72, 0x6E)  # i32.or, i32.div_u

    def address(self, depth):
        """An i32 address in [0, 64 KiB - 256), 4-aligned: never out of bounds."""
        self.expr(depth)
        self.i32_const(0xFEFC)
        self.op(0x71)

    def f64_local(self):
        return self.f64_base + self.rng.randrange(self.n_f64)

    def f64_expr(self, depth):
        r = self.rng.random()
        if depth <= 0 or r < 0.3:
            if self.rng.random() < 0.7:
                self.local(0x20, self.f64_local())
            else:
                self.op(0x44)
                self.code.extend(struct.pack("<d", self.rng.uniform(-10, 10)))
            return
        if r < 0.7:
            self.f64_expr(depth - 1)
            self.f64_expr(depth - 1)
            self.op(self.rng.choice(F64_BINOPS))
        elif r < 0.8:
            self.f64_expr(depth - 1)
            self.op(0x99, 0x9F)  # f64.abs, f64.sqrt
        elif r < 0.88:
            self.expr(depth - 1)
            self.op(0xB7)  # f64.convert_i32_s
        elif r < 0.94 and self.fcallees:
            self.f64_expr(depth - 1)
            self.f64_expr(depth - 1)
            self.op(0x10)
            self.code.extend(uleb(self.rng.choice(self.fcallees)))
        else:
            self.address(depth - 1)
            self.op(0x2B, 3)  # f64.load align=8
            self.code.extend(uleb(self.rng.randrange(0, 16) * 8))

    # ---- statements ----

    def stmt(self, budget, depth):
        r = self.rng.random()
        if r < 0.45 or depth >= 4:
            self.expr(3)
            self.local(0x21, self.rng.randrange(self.n_i32))
        elif r < 0.6:
            self.address(2)
            self.expr(3)
            self.op(0x36, 2)  # i32.store
            self.code.extend(uleb(self.rng.randrange(0, 64) * 4))
        elif r < 0.72:
            self.expr(2)
            self.op(0x04, 0x40)  # if
            self.stmts(budget // 3, depth + 1)
            self.op(0x05)  # else
            self.stmts(budget // 3, depth + 1)
            self.op(0x0B)
        elif r < 0.86:
            self.loop(budget // 2, depth + 1)
        else:
            self.br_table(budget // 2, depth + 1)

    def stmts(self, budget, depth):
        start = len(self.code)
        while len(self.code) - start < budget:
            self.stmt(budget, depth)

    def loop(self, budget, depth):
        counter = self.rng.randrange(self.n_i32)
        self.i32_const(self.rng.randrange(2, 50))
        self.local(0x21, counter)
        self.op(0x03, 0x40)  # loop
        self.stmts(budget, depth)
        self.local(0x20, counter)
        self.i32_const(1)
        self.op(0x6B)  # i32.sub
        self.local(0x22, counter)  # local.tee
        self.op(0x0D, 0)  # br_if 0
        self.op(0x0B)

    def br_table(self, budget, depth):
        n = self.rng.randrange(2, 6)
        for _ in range(n):
            self.op(0x02, 0x40)  # block
        self.expr(2)
        self.op(0x0E)
        targets = [self.rng.randrange(n) for _ in range(self.rng.randrange(1, 8))]
        self.code.extend(uleb(len(targets)))
        for t in targets:
            self.code.extend(uleb(t))
        self.code.extend(uleb(self.rng.randrange(n)))
        for _ in range(n):
            self.op(0x0B)
            self.stmts(budget // n, depth)


SHAPES = ["arith", "loop", "branch", "call", "float"]
SHAPE_WEIGHTS = [3, 2, 2, 2, 1]


def generate(nfuncs, seed, scale):
    rng = random.Random(seed)
    shapes = []
    for i in range(nfuncs):
        if i > 0 and i % 2000 == 1000:
            shapes.append("huge")
        else:
            shapes.append(rng.choices(SHAPES, SHAPE_WEIGHTS)[0])
    # _start is the last function; every other one is i32 or f64.
    is_float = [s == "float" for s in shapes]
    i32_funcs, f64_funcs = [], []
    bodies = []
    for i, shape in enumerate(shapes):
        # Callees: up to 8 of the most recent lower-numbered functions of each kind.
        callees = i32_funcs[-8:] if shape in ("call", "huge", "branch") else []
        fcallees = f64_funcs[-4:]
        if is_float[i]:
            body = float_body(rng, i, fcallees, scale)
            locals_decl = vec([uleb(4) + bytes([I32]), uleb(2) + bytes([F64])])
            f64_funcs.append(i)
        else:
            nloc = rng.randrange(2, 10)
            b = Body(rng, i, 2, nloc, 2 + nloc, 2, callees, fcallees)
            if shape == "huge":
                budget = int(rng.randrange(40000, 120000) * scale)
            else:
                budget = int(rng.randrange(100, 600) * scale)
            b.stmts(budget, 0 if shape != "arith" else 4)
            b.expr(3)
            body = bytes(b.code)
            locals_decl = vec([uleb(nloc) + bytes([I32]), uleb(2) + bytes([F64])])
            i32_funcs.append(i)
        code = locals_decl + body + b"\x0b"
        bodies.append(uleb(len(code)) + code)
    # _start: calls the first i32 function (a leaf: it has no lower-numbered callee).
    start = bytearray(b"\x00")
    if i32_funcs:
        start += b"\x41\x01\x41\x02\x10" + uleb(i32_funcs[0]) + b"\x1a"
    start += b"\x0b"
    bodies.append(uleb(len(start)) + bytes(start))

    types = vec([
        b"\x60" + vec([bytes([I32]), bytes([I32])]) + vec([bytes([I32])]),
        b"\x60" + vec([bytes([F64]), bytes([F64])]) + vec([bytes([F64])]),
        b"\x60" + vec([]) + vec([]),
    ])
    funcsec = vec([uleb(T_DD_D if f else T_II_I) for f in is_float] + [uleb(T_V_V)])
    # The table: element i is function i for i32 functions; f64 slots hold a
    # function of the other type, so call_indirect's type check stays live.
    ntable = nfuncs
    table = vec([b"\x70\x00" + uleb(ntable)])
    memory = vec([b"\x00\x01"])  # one page, no maximum
    exports = vec([name("memory") + b"\x02\x00", name("_start") + b"\x00" + uleb(nfuncs)])
    elem = vec([b"\x00\x41\x00\x0b" + vec([uleb(i) for i in range(nfuncs)])])
    code = vec(bodies)
    names = vec([uleb(i) + name("f%d_%s" % (i, s)) for i, s in enumerate(shapes)]
                + [uleb(nfuncs) + name("_start")])
    name_payload = name("name") + b"\x01" + uleb(len(names)) + names
    data = vec([b"\x00\x41\x80\x08\x0b" + vec([bytes([rng.randrange(256)]) for _ in range(64)])])
    out = bytearray(b"\x00asm\x01\x00\x00\x00")
    out += section(1, types)
    out += section(3, funcsec)
    out += section(4, table)
    out += section(5, memory)
    out += section(7, exports)
    out += section(9, elem)
    out += section(10, code)
    out += section(11, data)
    out += section(0, name_payload)
    return bytes(out), sum(len(x) for x in bodies)


def float_body(rng, index, fcallees, scale):
    """An f64 function: params f64 0,1; i32 locals 2..5; f64 locals 6,7; one loop."""
    fb = FloatBody(rng, index, 0, 0, 0, 0, [], fcallees)
    counter = 2 + rng.randrange(4)
    budget = int(rng.randrange(150, 600) * scale)
    fb.i32_const(rng.randrange(4, 40))
    fb.local(0x21, counter)
    fb.op(0x03, 0x40)  # loop
    start = len(fb.code)
    while len(fb.code) - start < budget:
        fb.f64_expr(4)
        fb.local(0x21, fb.f64_local())
    fb.local(0x20, counter)
    fb.i32_const(1)
    fb.op(0x6B)  # i32.sub
    fb.local(0x22, counter)
    fb.op(0x0D, 0, 0x0B)  # br_if 0, end
    fb.local(0x20, 0)
    fb.local(0x20, 6)
    fb.op(0xA0)  # f64.add
    return bytes(fb.code)


class FloatBody(Body):
    """Body whose i32 locals are 2..5 and f64 locals 0,1 (params) and 6,7."""

    def expr(self, depth):
        # Only leaves and simple arithmetic: i32 locals 2..5.
        if depth <= 0 or self.rng.random() < 0.5:
            self.local(0x20, 2 + self.rng.randrange(4))
            return
        self.expr(depth - 1)
        self.expr(depth - 1)
        self.op(self.rng.choice(I32_BINOPS))

    def address(self, depth):
        self.expr(depth)
        self.i32_const(0xFEF8)
        self.op(0x71)

    def f64_local(self):
        return self.rng.choice((0, 1, 6, 7))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--functions", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiplies every body's size (1.0: ~500 bytes on average)")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    if a.functions < 1:
        ap.error("--functions must be at least 1")
    data, code_bytes = generate(a.functions, a.seed, a.scale)
    with open(a.output, "wb") as f:
        f.write(data)
    print("%s: %d functions, %.1f MB of code, %.1f MB in all"
          % (a.output, a.functions + 1, code_bytes / 1e6, len(data) / 1e6), file=sys.stderr)


if __name__ == "__main__":
    main()
