"""spec_script.py: what the hand-encoded spec-runner scripts of tests/spec/wasm3/
share: the instruction encodings they use, and the writer of a script in
wast2json's output form (SCRIPT.json and SCRIPT.N.wasm), which wasmaot-spec
runs as it is. The generators use it for constructs that wast2json 1.0.32
cannot write (try_table and exnref: gen_exnref.py; i64 tables: gen_table64.py).

A command is a tuple:
    ("module", NAME, BYTES)             instantiate (NAME: "$NAME" in the script)
    ("register", NAME)                  register module $NAME as NAME
    ("return", FIELD, ARGS, RESULTS)    assert_return of an invoke
    ("trap", FIELD, ARGS, TEXT)         assert_trap of an invoke
    ("exception", FIELD, ARGS)          assert_exception of an invoke
    ("invalid" | "malformed" | "unlinkable" | "uninstantiable", BYTES, TEXT)
Values are ints (i32) or (TYPE, VALUE) pairs: ("i64", -1), ("externref", 3),
("funcref", "null"). Each command's "line" is its index (1-based).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "gen_module"))
from wasm_binary import section, sleb, uleb, vec  # noqa: E402, F401 (re-exported)

I32, I64, FUNCREF, EXTERNREF, EXNREF = 0x7F, 0x7E, 0x70, 0x6F, 0x69
EMPTY = 0x40
BITS = {"i32": 32, "i64": 64}


def functype(params, results):
    return b"\x60" + vec([bytes([t]) for t in params]) + vec([bytes([t]) for t in results])


def name(s):
    return uleb(len(s)) + s.encode()


def op(*parts):
    """Concatenates opcodes (ints are single bytes) and already encoded immediates."""
    out = bytearray()
    for p in parts:
        out += bytes([p]) if isinstance(p, int) else p
    return bytes(out)


def i32c(v):
    return op(0x41, sleb(v))


def i64c(v):
    return op(0x42, sleb(v))


def local_get(i):
    return op(0x20, uleb(i))


def func_body(locals_, *code):
    """A code-section entry: runs of (count, type) locals, then the code and its end."""
    runs = vec([uleb(n) + bytes([t]) for n, t in locals_])
    body = runs + op(*code) + b"\x0b"
    return uleb(len(body)) + body


def value(v):
    """A wast2json value: an int is an i32; else (type, value) with value an int or "null"."""
    t, x = ("i32", v) if isinstance(v, int) else v
    if t in BITS:
        x &= (1 << BITS[t]) - 1
    return {"type": t, "value": str(x)}


def write(out_dir, stem, commands, nmodules):
    """Writes STEM.json and its modules into out_dir; nmodules is the count the build lists."""
    cmds = []
    files = 0

    def module_file(data):
        nonlocal files
        filename = "%s.%d.wasm" % (stem, files)
        files += 1
        with open(os.path.join(out_dir, filename), "wb") as f:
            f.write(data)
        return filename

    for line, c in enumerate(commands, 1):
        kind = c[0]
        if kind == "module":
            cmds.append({"type": "module", "line": line, "name": "$" + c[1],
                         "filename": module_file(c[2])})
        elif kind in ("invalid", "malformed", "unlinkable", "uninstantiable"):
            cmds.append({"type": "assert_" + kind, "line": line, "filename": module_file(c[1]),
                         "text": c[2], "module_type": "binary"})
        elif kind == "register":
            cmds.append({"type": "register", "line": line, "name": "$" + c[1], "as": c[1]})
        else:
            action = {"type": "invoke", "field": c[1], "args": [value(v) for v in c[2]]}
            cmd = {"type": "assert_" + kind, "line": line, "action": action}
            if kind == "return":
                cmd["expected"] = [value(v) for v in c[3]]
            elif kind == "trap":
                cmd["text"] = c[3]
            cmds.append(cmd)
    if files != nmodules:
        sys.exit("%s: the script has %d modules, the build lists %d: update tests/spec/meson.build"
                 % (stem, files, nmodules))
    with open(os.path.join(out_dir, stem + ".json"), "w") as f:
        json.dump({"source_filename": stem + ".wast", "commands": cmds}, f, indent=1)
