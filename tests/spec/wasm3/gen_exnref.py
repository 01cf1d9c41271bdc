#!/usr/bin/env python3
"""gen_exnref.py: the spec-runner tests of the standard exception-handling
encoding (try_table with catch, catch_ref, catch_all, catch_all_ref;
throw_ref; exnref; ref.null exn). wast2json 1.0.32 parses none of it, not
even inside `module binary`, so this writes the script in wast2json's
output form instead: exnref.json and its module files, which wasmaot-spec
runs as they are (tests/spec/meson.build builds them at build time):

    python3 tests/spec/wasm3/gen_exnref.py OUT_DIR NMODULES
    wasmaot-spec --enable-all OUT_DIR/exnref.json

The script's form and its writer are tests/spec/wasm3/spec_script.py's.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import spec_script  # noqa: E402
from spec_script import (EMPTY, EXNREF, I32, I64, func_body, functype, i32c, i64c,  # noqa: E402
                         local_get, name, op, section, sleb, uleb, vec)


def local_set(i):
    return op(0x21, uleb(i))


def call(f):
    return op(0x10, uleb(f))


def throw(t):
    return op(0x08, uleb(t))


def block(bt, *body):
    return op(0x02, bt if isinstance(bt, bytes) else bytes([bt]), *body, 0x0B)


def loop(bt, *body):
    return op(0x03, bytes([bt]), *body, 0x0B)


CATCH, CATCH_REF, CATCH_ALL, CATCH_ALL_REF = 0, 1, 2, 3


def try_table(bt, catches, *body):
    """catches: (kind, tag, label) with tag None for the catch_all kinds."""
    enc = []
    for kind, tag, label in catches:
        enc.append(bytes([kind]) + (uleb(tag) if tag is not None else b"") + uleb(label))
    return op(0x1F, bt if isinstance(bt, bytes) else bytes([bt]), vec(enc), *body, 0x0B)


def module(types, imports, funcs, tags, exports, table=None, elems=None):
    """funcs: (type index, body). imports: (module, field, kind, desc bytes)."""
    out = b"\x00asm\x01\x00\x00\x00"
    out += section(1, vec(types))
    if imports:
        out += section(2, vec([name(m) + name(f) + bytes([k]) + d for m, f, k, d in imports]))
    out += section(3, vec([uleb(t) for t, _ in funcs]))
    if table is not None:
        out += section(4, vec([b"\x70\x00" + uleb(table)]))
    if tags:
        out += section(13, vec([b"\x00" + uleb(t) for t in tags]))
    out += section(7, vec([name(n) + bytes([k]) + uleb(i) for n, k, i in exports]))
    if elems:
        out += section(9, vec([b"\x00" + i32c(0) + b"\x0b" + vec([uleb(f) for f in elems])]))
    out += section(10, vec([body for _, body in funcs]))
    return out


# Types of module $M.
T_V_V, T_I_V, T_I_I, T_V_I, T_IJ_V, T_V_IX, T_V_IJ, T_V_X = range(8)
TYPES = [
    functype([], []),            # 0 [] -> []
    functype([I32], []),         # 1 [i32] -> []
    functype([I32], [I32]),      # 2 [i32] -> [i32]
    functype([], [I32]),         # 3 [] -> [i32]
    functype([I32, I64], []),    # 4 [i32 i64] -> []
    functype([], [I32, EXNREF]), # 5 [] -> [i32 exnref]
    functype([], [I32, I64]),    # 6 [] -> [i32 i64]
    functype([], [EXNREF]),      # 7 [] -> [exnref]
]
E0, E1, E2 = 0, 1, 2  # tags: e0 [i32], e1 [], e2 [i32 i64]
F_THROW, F_THROW_R, F_THROW_E1 = 0, 1, 2


def bt_type(t):
    return sleb(t)


FUNCS = [
    # 0 thrower (i32): throw e0
    (T_I_V, func_body([], local_get(0), throw(E0))),
    # 1 thrower_r (i32) -> i32: throw e0 (for return_call)
    (T_I_I, func_body([], local_get(0), throw(E0))),
    # 2 throw_e1
    (T_V_V, func_body([], throw(E1))),
    # 3 "catch" (x) -> i32: caught two frames down by a catch clause, payload x.
    (T_I_I, func_body([], block(I32, try_table(EMPTY, [(CATCH, E0, 0)],
                                               local_get(0), call(F_THROW)), i32c(-1)))),
    # 4 "catch-all" () -> i32: 1 if catch_all took e1.
    (T_V_I, func_body([], block(EMPTY, try_table(EMPTY, [(CATCH_ALL, None, 0)], call(F_THROW_E1)),
                                i32c(0), 0x0F), i32c(1))),
    # 5 "ref-rethrow" (x) -> i32: catch_ref, then throw_ref to an outer try_table.
    (T_I_I, func_body([], block(I32, try_table(EMPTY, [(CATCH, E0, 0)],
                                               block(bt_type(T_V_IX),
                                                     try_table(EMPTY, [(CATCH_REF, E0, 0)],
                                                               local_get(0), call(F_THROW)),
                                                     0x00),
                                               0x0A),
                                0x00))),
    # 6 "mismatch": a catch of e1 does not take e0.
    (T_V_V, func_body([], block(EMPTY, try_table(EMPTY, [(CATCH, E1, 0)],
                                                 i32c(3), call(F_THROW))))),
    # 7 "catch-all-ref" () -> i32: the exnref is not null.
    (T_V_I, func_body([], block(EXNREF, try_table(EMPTY, [(CATCH_ALL_REF, None, 0)],
                                                  i32c(3), call(F_THROW)),
                                op(0xD0, EXNREF)), 0xD1)),
    # 8 "null-throw-ref": throw_ref of null traps.
    (T_V_V, func_body([], op(0xD0, EXNREF), 0x0A)),
    # 9 "pair" () -> i32: a payload of two values, 7 + 8.
    (T_V_I, func_body([], block(bt_type(T_V_IJ), try_table(EMPTY, [(CATCH, E2, 0)],
                                                           i32c(7), i64c(8), throw(E2)),
                                0x00),
                      0xA7, 0x6A)),
    # 10 "indirect" (x) -> i32: the thrower reached through call_indirect.
    (T_I_I, func_body([], block(I32, try_table(EMPTY, [(CATCH, E0, 0)],
                                               local_get(0), i32c(0), op(0x11, uleb(T_I_V), uleb(0))),
                                i32c(-1)))),
    # 11 "tail" (x) -> i32: return_call leaves the try_table: its catch does not apply.
    (T_I_I, func_body([], block(I32, try_table(EMPTY, [(CATCH, E0, 0)],
                                               local_get(0), op(0x12, uleb(F_THROW_R))),
                                i32c(-1)))),
    # 12 "loop" () -> i32: 1000 throws caught (and freed), payloads summed.
    (T_V_I, func_body([(2, I32)],
                      loop(EMPTY,
                           local_get(1),
                           block(I32, try_table(EMPTY, [(CATCH, E0, 0)],
                                                local_get(0), call(F_THROW)), 0x00),
                           0x6A, local_set(1),
                           local_get(0), i32c(1), 0x6A, local_set(0),
                           local_get(0), i32c(1000), 0x4D, op(0x0D, uleb(0))),
                      local_get(1))),
    # 13 "same-function" (x) -> i32: throw inside nested try_tables of the function
    # itself; the inner one catches e1 only, the outer one takes e0.
    (T_I_I, func_body([], block(I32, try_table(EMPTY, [(CATCH, E0, 0)],
                                               block(EMPTY, try_table(EMPTY, [(CATCH, E1, 0)],
                                                                      local_get(0), throw(E0))),
                                               0x00),
                                i32c(-1)))),
    # 14 "catch-all-then-rethrow" (x) -> i32: catch_all_ref, throw_ref, caught again by tag.
    (T_I_I, func_body([], block(I32, try_table(EMPTY, [(CATCH, E0, 0)],
                                               block(EXNREF, try_table(EMPTY,
                                                                       [(CATCH_ALL_REF, None, 0)],
                                                                       local_get(0), call(F_THROW)),
                                                     0x00),
                                               0x0A),
                                0x00))),
]
EXPORTS_M = [("e0", 4, E0), ("thrower", 0, F_THROW)] + [
    (n, 0, i) for i, n in enumerate(
        ["", "", "", "catch", "catch-all", "ref-rethrow", "mismatch", "catch-all-ref",
         "null-throw-ref", "pair", "indirect", "tail", "loop", "same-function",
         "catch-all-then-rethrow"]) if n]
M = module(TYPES, [], FUNCS, [T_I_V, T_V_V, T_IJ_V], EXPORTS_M, table=1, elems=[F_THROW])

# Module $N: imports M's tag e0 and thrower; catches M's exception by the
# imported tag, and not by a tag of its own of the same type.
N_TYPES = [functype([I32], []), functype([I32], [I32])]
N = module(
    N_TYPES,
    [("M", "e0", 4, b"\x00" + uleb(0)), ("M", "thrower", 0, uleb(0))],
    [
        # 1 "imported-tag" (x) -> i32
        (1, func_body([], block(I32, try_table(EMPTY, [(CATCH, 0, 0)], local_get(0), call(0)),
                                i32c(-1)))),
        # 2 "own-tag" (x) -> i32: tag 1 is N's own: not M's e0; catch_all gives 100.
        (1, func_body([], block(EMPTY, try_table(EMPTY, [(CATCH, 1, 1), (CATCH_ALL, None, 0)],
                                                 local_get(0), call(0))),
                      i32c(100))),
    ],
    [0],
    [("imported-tag", 0, 1), ("own-tag", 0, 2)])

def one_func(body, types=None, tags=(T_I_V,)):
    """A module of the TYPES with one function of type [] -> [] (or types[0]) and `tags`."""
    return module(types or TYPES, [], [(T_V_V, func_body([], *body))], list(tags), [])


# Invalid modules: what the validator must refuse, with the reference's message prefix.
INVALID = [
    # catch e0 (payload [i32]) into a label taking nothing.
    (one_func([block(EMPTY, try_table(EMPTY, [(CATCH, E0, 0)]))]), "type mismatch"),
    # catch_ref into a label taking only the payload, without the exnref.
    (one_func([block(I32, try_table(EMPTY, [(CATCH_REF, E0, 0)]), 0x00), 0x1A]),
     "type mismatch"),
    # catch_all_ref into a label of i32.
    (one_func([block(I32, try_table(EMPTY, [(CATCH_ALL_REF, None, 0)]), 0x00), 0x1A]),
     "type mismatch"),
    # A catch clause naming tag 5 of a module with one tag.
    (one_func([block(EMPTY, try_table(EMPTY, [(CATCH_ALL, None, 0), (CATCH, 5, 0)]))]),
     "unknown tag"),
    # The label is resolved outside the try_table: label 1 is beyond the function's.
    (one_func([try_table(EMPTY, [(CATCH_ALL, None, 1)])]), "unknown label"),
    # throw_ref of an i32.
    (one_func([i32c(1), 0x0A]), "type mismatch"),
    # throw e0 without its payload.
    (one_func([throw(E0)]), "type mismatch"),
]

COMMANDS = [
    ("module", "M", M),
    ("register", "M"),
    ("return", "catch", [5], [5]),
    ("return", "catch-all", [], [1]),
    ("return", "ref-rethrow", [6], [6]),
    ("exception", "mismatch", []),
    ("return", "catch-all-ref", [], [0]),
    ("trap", "null-throw-ref", [], "null exception reference"),
    ("return", "pair", [], [15]),
    ("return", "indirect", [9], [9]),
    ("exception", "tail", [1]),
    ("return", "loop", [], [500500]),
    ("return", "same-function", [11], [11]),
    ("return", "catch-all-then-rethrow", [12], [12]),
    ("exception", "thrower", [1]),
    ("module", "N", N),
    ("return", "imported-tag", [21], [21]),
    ("return", "own-tag", [21], [100]),
] + [("invalid", m, text) for m, text in INVALID]


if __name__ == "__main__":
    spec_script.write(sys.argv[1], "exnref", COMMANDS, int(sys.argv[2]))
