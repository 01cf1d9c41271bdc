"""wasm_binary.py: the pieces of the WebAssembly binary format (spec 5) that module
generators write by hand: LEB128 integers, vectors, sections. Used by
tools/gen_module/gen_module.py and tests/limits/gen_module.py."""


def uleb(n):
    """n (>= 0) as an unsigned LEB128."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n):
    """n as a signed LEB128."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def vec(items):
    """A vector: its length, then the already encoded items."""
    return uleb(len(items)) + b"".join(items)


def section(sid, payload):
    """Section `sid` holding `payload`."""
    return bytes([sid]) + uleb(len(payload)) + payload
