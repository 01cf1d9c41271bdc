#!/usr/bin/env python3
"""gen_table64.py: the spec-runner tests of i64-indexed tables (table64, of
the memory64 proposal; Wasm 3.0), which wast2json 1.0.32 cannot write: every
table instruction and call_indirect with i64 operands, indices above 2^32-1
(which must trap, never wrap to a small index), table.copy between an i32
and an i64 table, i64 element segment offsets, linking by address type, and
the validation and decoding errors. Writes table64.json and its modules:

    python3 tests/spec/wasm3/gen_table64.py OUT_DIR NMODULES
    wasmaot-spec --enable-all OUT_DIR/table64.json
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import spec_script  # noqa: E402
from spec_script import (EXTERNREF, FUNCREF, I32, I64, func_body, functype, i32c,  # noqa: E402
                         i64c, local_get, name, op, section, uleb, vec)

TWO32 = 1 << 32


def table(elem, at, minimum, maximum=None):
    """A table type in the memory64 encoding: one flag byte (bit 2: i64), u64 bounds."""
    flag = (4 if at == I64 else 0) | (1 if maximum is not None else 0)
    return bytes([elem, flag]) + uleb(minimum) + (uleb(maximum) if maximum is not None else b"")


def module(types=(), imports=(), funcs=(), tables=(), exports=(), elems=()):
    """funcs: (type index, body); imports, tables, exports, elems: encoded entries."""
    out = b"\x00asm\x01\x00\x00\x00"
    if types:
        out += section(1, vec(list(types)))
    if imports:
        out += section(2, vec(list(imports)))
    if funcs:
        out += section(3, vec([uleb(t) for t, _ in funcs]))
    if tables:
        out += section(4, vec(list(tables)))
    if exports:
        out += section(7, vec(list(exports)))
    if elems:
        out += section(9, vec(list(elems)))
    if funcs:
        out += section(10, vec([body for _, body in funcs]))
    return out


def import_table(mod, field, table_type):
    return name(mod) + name(field) + b"\x01" + table_type


def export(field, kind, index):
    return name(field) + bytes([kind]) + uleb(index)


def active_elem(table_index, offset_expr, funcs):
    """Element segment kind 2: an explicit table, an offset, function indices."""
    return b"\x02" + uleb(table_index) + offset_expr + b"\x0b\x00" + vec([uleb(f) for f in funcs])


def passive_elem(funcs):
    return b"\x01\x00" + vec([uleb(f) for f in funcs])


def table_get(t):
    return op(0x25, uleb(t))


def table_set(t):
    return op(0x26, uleb(t))


def fc(sub, *imms):
    return op(0xFC, uleb(sub), *[uleb(i) for i in imms])


def call_indirect(type_index, table_index):
    return op(0x11, uleb(type_index), uleb(table_index))


def args(*n):
    return b"".join(local_get(i) for i in range(n[0]))


REF_NULL_FUNC = op(0xD0, FUNCREF)

# Module $T: t64 (i64, 3..10, funcref), t32 (i32, 4, funcref), x64 (i64, 2, externref).
T64, T32, X64 = 0, 1, 2
TYPES = [
    functype([], [I32]),                 # 0
    functype([I64], [I32]),              # 1
    functype([], [I64]),                 # 2
    functype([I64], [I64]),              # 3
    functype([I64, I64], []),            # 4
    functype([I64, I64, I64], []),       # 5
    functype([I32, I64, I32], []),       # 6
    functype([I64, I32, I32], []),       # 7
    functype([I64], [EXTERNREF]),        # 8
    functype([I64, EXTERNREF], []),      # 9
    functype([EXTERNREF, I64], [I64]),   # 10
    functype([I32], [I32]),              # 11
]
FUNCS = [
    (0, func_body([], i32c(11))),                                            # 0 f_a
    (0, func_body([], i32c(22))),                                            # 1 f_b
    (2, func_body([], fc(0x10, T64))),                                       # 2 size
    (3, func_body([], REF_NULL_FUNC, local_get(0), fc(0x0F, T64))),          # 3 grow
    (1, func_body([], local_get(0), call_indirect(0, T64))),                 # 4 call
    (1, func_body([], local_get(0), table_get(T64), 0xD1)),                  # 5 is_null
    (4, func_body([], local_get(0), local_get(1), table_get(T64),
                  table_set(T64))),                                          # 6 set (i, j)
    (5, func_body([], local_get(0), local_get(1), table_get(T64), local_get(2),
                  fc(0x11, T64))),                                           # 7 fill (i, src, n)
    (5, func_body([], args(3), fc(0x0E, T64, T64))),                         # 8 copy
    (6, func_body([], args(3), fc(0x0E, T32, T64))),                         # 9 copy_to32
    (7, func_body([], args(3), fc(0x0E, T64, T32))),                         # 10 copy_to64
    (7, func_body([], args(3), fc(0x0C, 1, T64))),                           # 11 init (seg 1)
    (11, func_body([], local_get(0), call_indirect(0, T32))),                # 12 call32
    (10, func_body([], args(2), fc(0x0F, X64))),                             # 13 x_grow
    (8, func_body([], local_get(0), table_get(X64))),                        # 14 x_get
    (9, func_body([], args(2), table_set(X64))),                             # 15 x_set
]
NAMES = ["", "", "size", "grow", "call", "is_null", "set", "fill", "copy", "copy_to32",
         "copy_to64", "init", "call32", "x_grow", "x_get", "x_set"]
T = module(
    TYPES, (), FUNCS,
    [table(FUNCREF, I64, 3, 10), table(FUNCREF, I32, 4), table(EXTERNREF, I64, 2)],
    [export(n, 0, i) for i, n in enumerate(NAMES) if n] + [export("t64", 1, T64)],
    [active_elem(T64, i64c(1), [0, 1]),    # t64 = [null, f_a, f_b]
     passive_elem([1, 0]),                 # segment 1: f_b, f_a
     active_elem(T32, i32c(0), [0, 1, 0, 1])])


def i64(v):
    return ("i64", v)


def ext(v):
    return ("externref", v)


OOB = "out of bounds table access"
RUN_T = [
    ("module", "T", T),
    ("return", "size", [], [i64(3)]),
    ("return", "call", [i64(1)], [11]),
    ("return", "call", [i64(2)], [22]),
    ("trap", "call", [i64(0)], "uninitialized element"),
    ("trap", "call", [i64(3)], "undefined element"),
    ("trap", "call", [i64(TWO32 + 1)], "undefined element"),  # would be f_a if it wrapped
    ("trap", "call", [i64(-1)], "undefined element"),
    ("return", "is_null", [i64(0)], [1]),
    ("return", "is_null", [i64(1)], [0]),
    ("trap", "is_null", [i64(TWO32)], OOB),
    ("trap", "is_null", [i64(3)], OOB),
    ("return", "set", [i64(0), i64(2)], []),
    ("return", "call", [i64(0)], [22]),
    ("trap", "set", [i64(TWO32), i64(1)], OOB),
    ("trap", "set", [i64(0), i64(TWO32 + 2)], OOB),
    ("return", "grow", [i64(TWO32)], [i64(-1)]),
    ("return", "grow", [i64(-1)], [i64(-1)]),
    ("return", "grow", [i64(2)], [i64(3)]),
    ("return", "size", [], [i64(5)]),
    ("return", "grow", [i64(6)], [i64(-1)]),  # 11 is above the maximum 10
    ("return", "grow", [i64(5)], [i64(5)]),
    ("return", "size", [], [i64(10)]),
    ("return", "grow", [i64(0)], [i64(10)]),
    ("return", "grow", [i64(1)], [i64(-1)]),
    ("return", "is_null", [i64(9)], [1]),
    ("return", "fill", [i64(5), i64(1), i64(3)], []),  # t64[5..8) = f_a
    ("return", "call", [i64(7)], [11]),
    ("trap", "call", [i64(8)], "uninitialized element"),
    ("trap", "fill", [i64(TWO32 + 5), i64(1), i64(0)], OOB),
    ("return", "fill", [i64(10), i64(1), i64(0)], []),
    ("trap", "fill", [i64(9), i64(1), i64(TWO32)], OOB),
    ("trap", "fill", [i64(0), i64(1), i64(TWO32 + 1)], OOB),
    ("return", "copy", [i64(8), i64(1), i64(2)], []),  # t64[8..10) = f_a, f_b
    ("return", "call", [i64(9)], [22]),
    ("trap", "copy", [i64(0), i64(TWO32), i64(0)], OOB),
    ("trap", "copy", [i64(TWO32), i64(0), i64(0)], OOB),
    ("trap", "copy", [i64(0), i64(0), i64(TWO32)], OOB),
    ("return", "copy", [i64(10), i64(0), i64(0)], []),
    ("return", "call32", [0], [11]),
    ("return", "copy_to32", [0, i64(2), 1], []),  # t32[0] = f_b
    ("return", "call32", [0], [22]),
    ("trap", "copy_to32", [0, i64(TWO32 + 2), 1], OOB),
    ("trap", "call", [i64(4)], "uninitialized element"),
    ("return", "copy_to64", [i64(4), 0, 1], []),  # t64[4] = t32[0] = f_b
    ("return", "call", [i64(4)], [22]),
    ("trap", "copy_to64", [i64(TWO32 + 4), 0, 1], OOB),
    ("return", "init", [i64(3), 0, 2], []),  # t64[3..5) = f_b, f_a
    ("return", "call", [i64(3)], [22]),
    ("return", "call", [i64(4)], [11]),
    ("trap", "init", [i64(TWO32 + 3), 0, 1], OOB),
    ("trap", "init", [i64(9), 0, 2], OOB),
    ("return", "x_grow", [ext(7), i64(2)], [i64(2)]),
    ("return", "x_get", [i64(3)], [ext(7)]),
    ("return", "x_get", [i64(0)], [("externref", "null")]),
    ("trap", "x_get", [i64(4)], OOB),
    ("trap", "x_get", [i64(TWO32 + 3)], OOB),
    ("trap", "x_set", [i64(TWO32 + 1), ext(5)], OOB),
    ("return", "x_set", [i64(1), ext(5)], []),
    ("return", "x_get", [i64(1)], [ext(5)]),
]

# Linking: a table matches an import of its own address type only, and the limits.
CALL_IMPORTED = [functype([], [I32]), functype([I64], [I32])]
IMPORTER = module(CALL_IMPORTED, [import_table("T", "t64", table(FUNCREF, I64, 3))],
                  [(1, func_body([], local_get(0), call_indirect(0, 0)))],
                  (), [export("call_imported", 0, 0)])
RUN_LINK = [
    ("register", "T"),
    ("module", "I", IMPORTER),
    ("return", "call_imported", [i64(1)], [11]),
    ("trap", "call_imported", [i64(TWO32 + 1)], "undefined element"),
    ("unlinkable", module(imports=[import_table("T", "t64", table(FUNCREF, I32, 0))]),
     "incompatible import type"),
    ("unlinkable", module(imports=[import_table("T", "t64", table(FUNCREF, I64, 11))]),
     "incompatible import type"),
    ("module", "S", module(imports=[import_table("spectest", "table64",
                                                  table(FUNCREF, I64, 10, 20))])),
    ("unlinkable", module(imports=[import_table("spectest", "table", table(FUNCREF, I64, 10))]),
     "incompatible import type"),
    ("unlinkable", module(imports=[import_table("spectest", "table64", table(FUNCREF, I32, 10))]),
     "incompatible import type"),
    # Bounds up to 2^64-1 are valid for an i64 table.
    ("module", "Big", module(tables=[table(FUNCREF, I64, 0, (1 << 64) - 1)])),
    # An element segment's i64 offset above 2^32-1 is out of bounds, not wrapped to 1.
    ("uninstantiable", module([functype([], [])], (), [(0, func_body([]))],
                              [table(FUNCREF, I64, 3)], (),
                              [active_elem(0, i64c(TWO32 + 1), [0])]), OOB),
]


def one_func(type_, body, tables):
    """A module of one function of type_ (params, results) over `tables`."""
    return module([functype(*type_), functype([], [I32])], (), [(0, func_body([], *body))], tables)


TABLES = [table(FUNCREF, I64, 1), table(FUNCREF, I32, 1)]
RUN_INVALID = [
    ("invalid", one_func(([], [I32]), [i32c(0), table_get(0), 0xD1], TABLES), "type mismatch"),
    ("invalid", one_func(([], [I32]), [fc(0x10, 0)], TABLES), "type mismatch"),
    ("invalid", one_func(([], [I32]), [i32c(0), call_indirect(1, 0)], TABLES), "type mismatch"),
    ("invalid", one_func(([], [I64]), [REF_NULL_FUNC, i32c(1), fc(0x0F, 0)], TABLES),
     "type mismatch"),
    # table.copy t32 <- t64: destination i32, source i64, count i32 (the smaller type).
    ("invalid", one_func(([], []), [i32c(0), i64c(0), i64c(0), fc(0x0E, 1, 0)], TABLES),
     "type mismatch"),
    ("invalid", one_func(([], []), [i64c(0), i64c(0), i32c(0), fc(0x0E, 0, 0)], TABLES),
     "type mismatch"),
    ("invalid", module([functype([], [])], (), [(0, func_body([], i64c(0), i64c(0), i32c(0),
                                                             fc(0x0C, 0, 0)))],
                       TABLES, (), [passive_elem([0])]), "type mismatch"),
    ("invalid", module([functype([], [])], (), [(0, func_body([]))], TABLES, (),
                       [active_elem(0, i32c(0), [0])]), "type mismatch"),
    ("invalid", module(tables=[table(FUNCREF, I32, TWO32)]), "table size must be at most 2^32-1"),
    ("invalid", module(tables=[table(FUNCREF, I64, 2, 1)]),
     "size minimum must not be greater than maximum"),
    ("malformed", module(tables=[b"\x70\x02\x00"]), "malformed limits flags"),
    ("malformed", module(tables=[b"\x70\x06\x00\x00"]), "malformed limits flags"),
    ("malformed", module(tables=[b"\x70\x04" + b"\x80" * 10 + b"\x00"]),
     "integer representation too long"),
]

COMMANDS = RUN_T + RUN_LINK + RUN_INVALID

if __name__ == "__main__":
    spec_script.write(sys.argv[1], "table64", COMMANDS, int(sys.argv[2]))
