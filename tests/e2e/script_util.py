"""script_util.py: what the small end-to-end test scripts share (cli.py, static.py,
install.py, debug_gdb.py, backtrace_dwarf.py): running a command with its output captured,
failing with one line, a fresh work directory, and the sections of a wasm module."""
import os
import shutil
import subprocess
import sys


def run(argv, timeout=120, **kw):
    """Runs argv; returns (status, stdout, stderr), bytes unless text=True is given."""
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, **kw)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    """Ends the test with "FAIL: what" unless cond holds."""
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)


def fresh_workdir(path):
    """path, absolute, emptied and created."""
    work = os.path.abspath(path)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return work


def uleb(data, i):
    """The unsigned LEB128 at data[i]: (value, index after it)."""
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7f) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def wasm_sections(data):
    """The sections of wasm module `data`, in order: (id, name, start, payload, end), where
    name is a custom section's (bytes; None for the others), data[start:end] the whole section
    and data[payload:end] what follows its id, size and name."""
    sections = []
    i = 8
    while i < len(data):
        size, j = uleb(data, i + 1)
        name = None
        payload = j
        if data[i] == 0:
            length, k = uleb(data, j)
            name, payload = data[k:k + length], k + length
        sections.append((data[i], name, i, payload, j + size))
        i = j + size
    return sections


def encode_uleb(n):
    """n as unsigned LEB128."""
    out = bytearray()
    while True:
        out.append((n & 0x7f) | (0x80 if n >> 7 else 0))
        n >>= 7
        if not n:
            return bytes(out)


def wasm_section(kind, payload, name=None):
    """A section of id `kind` (a custom section when name, bytes, is given) holding payload."""
    if name is not None:
        payload = encode_uleb(len(name)) + name + payload
    return bytes([kind]) + encode_uleb(len(payload)) + payload
