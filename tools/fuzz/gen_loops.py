#!/usr/bin/env python3
"""Random loop modules for the bounds versioning pass (compiler/codegen/bounds_versioning.cpp).

Each module (binaryen's text format, for `tools/fuzz/run --replay DIR`) has
memory of 1..2 pages and a few exports, each a loop over an affine address:
start, stride (negative too), trip count, memarg offset and access type
drawn so that the accesses often stop just short of the memory's end, reach
it exactly, or cross it part way, and sometimes wrap at 2^32. Loops load
(used, summed, or dead), store, or copy between two such addresses; an
export after each loop logs a hash of the memory, so a trap at the wrong
iteration, or a store done or lost around it, shows as a different log.

With --memory64 the memory is i64-addressed: addresses are i64, wrap at
2^64 instead, and sometimes subtract a constant that the memarg offset adds
back (i*8 - 8 with offset=16), which wraps below 0 at the first iterations
(replay those with `tools/fuzz/run --memory64`).

    tools/fuzz/gen_loops.py --seed S --modules N --out DIR [--memory64]
"""
import argparse
import os
import random

TYPES = [  # (load, store, size, value type, wide type for the sum)
    ("i32.load8_u", "i32.store8", 1, "i32"),
    ("i32.load16_s", "i32.store16", 2, "i32"),
    ("i32.load", "i32.store", 4, "i32"),
    ("i64.load", "i64.store", 8, "i64"),
    ("f32.load", "f32.store", 4, "f32"),
    ("f64.load", "f64.store", 8, "f64"),
    ("v128.load", "v128.store", 16, "v128"),
]


def to_i32(value):
    """The wasm text of an i32 constant."""
    value &= 0xFFFFFFFF
    return str(value - (1 << 32) if value >= 1 << 31 else value)


def as_i32(expr, vtype):
    """An i32 hash contribution of a value of vtype."""
    return {
        "i32": expr,
        "i64": f"(i32.wrap_i64 (i64.xor {expr} (i64.shr_u {expr} (i64.const 29))))",
        "f32": f"(i32.reinterpret_f32 {expr})",
        "f64": f"(i32.wrap_i64 (i64.reinterpret_f64 {expr}))",
        "v128": f"(i32.xor (i32x4.extract_lane 0 {expr}) (i32x4.extract_lane 3 {expr}))",
    }[vtype]


def value_of(vtype, i):
    """A value of vtype computed from the loop counter $i."""
    return {
        "i32": f"(i32.mul (local.get $i) (i32.const 7))",
        "i64": "(i64.extend_i32_u (i32.mul (local.get $i) (i32.const 13)))",
        "f32": "(f32.convert_i32_u (local.get $i))",
        "f64": "(f64.convert_i32_u (local.get $i))",
        "v128": "(i32x4.splat (local.get $i))",
    }[vtype]


def to_i64(value):
    """The wasm text of an i64 constant."""
    value &= (1 << 64) - 1
    return str(value - (1 << 64) if value >= 1 << 63 else value)


def address(rng, pages, size, bits=32):
    """(start, stride, count, offset): mostly near the end of memory."""
    end = pages * 65536
    stride = rng.choice([size, size, 2 * size, 1, -size, -2 * size, 3])
    count = rng.choice([1, 2, 15, 16, 17, 31, 64, 100, 1000, rng.randint(1, 3000)])
    offset = rng.choice([0, 0, 0, 4, 16, rng.randint(0, 70000)])
    span = abs(stride) * (count - 1)
    kind = rng.random()
    if kind < 0.3:    # the last access ends exactly at the end
        last = end - size - offset
    elif kind < 0.6:  # the last access crosses the end by a little
        last = end - size - offset + rng.randint(1, 2 * size + 8)
    elif kind < 0.7:  # the address wraps at 2^32 (2^64)
        last = (1 << bits) + rng.randint(0, 64)
    else:             # anywhere
        last = rng.randint(0, end + 4096)
    start = last - span if stride > 0 else last + span
    if rng.random() < 0.2:
        start += rng.choice([-1, 1]) * rng.randint(1, 3)
    return start, stride, count, offset


def address_expr(rng, start, stride, offset, memory64):
    """The wasm address of iteration $i, and the memarg offset to use with it."""
    if not memory64:
        return (f"(i32.add (i32.const {to_i32(start)}) "
                f"(i32.mul (local.get $i) (i32.const {to_i32(stride)})))"), offset
    expr = (f"(i64.add (i64.const {to_i64(start)}) "
            f"(i64.mul (i64.extend_i32_u (local.get $i)) (i64.const {to_i64(stride)})))")
    if rng.random() < 0.25:  # a constant the offset adds back: wraps below 0 where start < k
        k = rng.choice([1, 8, 16, 4096])
        return f"(i64.sub {expr} (i64.const {k}))", offset + k
    return expr, offset


def loop_export(rng, n, pages, memory64):
    bits = 64 if memory64 else 32
    load, store, size, vtype = rng.choice(TYPES)
    start, stride, count, offset = address(rng, pages, size, bits)
    kind = rng.choice(["sum", "dead", "store", "copy"])
    addr, offset = address_expr(rng, start, stride, offset, memory64)
    body = []
    if kind == "sum":
        body.append(f"(local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31)) "
                    f"{as_i32(f'({load} offset={offset} {addr})', vtype)}))")
    elif kind == "dead":
        body.append(f"(drop ({load} offset={offset} {addr}))")
        body.append(f"(i32.store ({'i64' if memory64 else 'i32'}.const 0) (local.get $i))")
    elif kind == "store":
        body.append(f"({store} offset={offset} {addr} {value_of(vtype, 'i')})")
    else:
        src_start, src_stride, _, src_offset = address(rng, pages, size, bits)
        src, src_offset = address_expr(rng, src_start, src_stride, src_offset, memory64)
        body.append(f"({store} offset={offset} {addr} ({load} offset={src_offset} {src}))")
    lines = "\n    ".join(body)
    return f"""
 (func (export "loop{n}") (local $i i32) (local $h i32)
  (block $done
   (loop $next
    (br_if $done (i32.ge_u (local.get $i) (i32.const {count})))
    {lines}
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next)))
  (call $log (local.get $h)))
 (func (export "hash{n}")
  (call $log (call $hash)))"""


def module(rng, memory64):
    pages = rng.choice([1, 1, 2])
    funcs = "".join(loop_export(rng, n, pages, memory64) for n in range(rng.randint(3, 8)))
    at = "i64" if memory64 else "i32"
    return f"""(module
 (import "fuzzing-support" "log-i32" (func $log (param i32)))
 (memory {"i64 " if memory64 else ""}{pages} {pages})
 (func $hash (result i32) (local $p {at}) (local $h i32)
  (block $done
   (loop $next
    (br_if $done ({at}.ge_u (local.get $p) ({at}.const {pages * 65536})))
    (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 33)) (i32.load (local.get $p))))
    (local.set $p ({at}.add (local.get $p) ({at}.const 4)))
    (br $next)))
  (local.get $h)){funcs}
)
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--modules", type=int, default=50)
    p.add_argument("--out", required=True)
    p.add_argument("--memory64", action="store_true", help="an i64-addressed memory")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    for n in range(args.modules):
        name = f"loops{'64' if args.memory64 else ''}-{args.seed}-{n}.wat"
        with open(os.path.join(args.out, name), "w") as f:
            flags = " --memory64" if args.memory64 else ""
            f.write(f";; tools/fuzz/gen_loops.py --seed {args.seed}{flags}, module {n}\n")
            f.write(module(rng, args.memory64))


if __name__ == "__main__":
    main()
