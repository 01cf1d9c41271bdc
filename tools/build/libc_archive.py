#!/usr/bin/env python3
"""libc_archive.py: one runtime archive built against another C library than
the build's own, for `wasmaot --static` (runtime/meson.build): each source
compiled with COMPILER (musl-gcc, which puts musl's headers first), then
archived with AR.

    libc_archive.py --cc musl-gcc --ar AR --out libwasmaot_rt.a --depfile D \
        [--cflag FLAG]... -- SOURCES...

musl-gcc's include path has musl's headers and the compiler's own, not the
system's: the Linux headers the runtime and the WASI shim include
(linux/openat2.h, ...) come from a directory of links to /usr/include's
linux, asm and asm-generic beside the output, so no glibc header is ever
seen. The depfile lists every header the sources included, so that ninja
rebuilds the archive when one changes.
"""
import argparse
import os
import subprocess
import sys
import tempfile

KERNEL_HEADERS = {
    "linux": "/usr/include/linux",
    "asm": "/usr/include/x86_64-linux-gnu/asm",
    "asm-generic": "/usr/include/asm-generic",
}


def kernel_header_dir(out_dir):
    """A directory holding links to the Linux headers only (made once, beside the output)."""
    path = os.path.join(out_dir, "kernel-headers")
    os.makedirs(path, exist_ok=True)
    for name, target in KERNEL_HEADERS.items():
        link = os.path.join(path, name)
        if not os.path.islink(link):
            os.symlink(target, link)
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cc", required=True)
    p.add_argument("--ar", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--depfile", required=True)
    p.add_argument("--cflag", action="append", default=[])
    p.add_argument("sources", nargs="+")
    a = p.parse_args()
    out_dir = os.path.dirname(os.path.abspath(a.out))
    headers = kernel_header_dir(out_dir)
    deps = set()
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        objects = []
        for i, src in enumerate(a.sources):
            obj = os.path.join(tmp, "%d_%s.o" % (i, os.path.splitext(os.path.basename(src))[0]))
            dep = obj + ".d"
            cmd = [a.cc] + a.cflag + ["-isystem", headers, "-MD", "-MF", dep, "-c", src, "-o", obj]
            if subprocess.call(cmd) != 0:
                sys.exit("libc_archive.py: compiling %s failed: %s" % (src, " ".join(cmd)))
            with open(dep) as f:
                text = f.read().replace("\\\n", " ")
            deps.update(text.split(":", 1)[1].split())
            objects.append(obj)
        if os.path.exists(a.out):
            os.unlink(a.out)
        if subprocess.call([a.ar, "rcsD", a.out] + objects) != 0:
            sys.exit("libc_archive.py: %s failed" % a.ar)
    with open(a.depfile, "w") as f:
        f.write("%s: %s\n" % (a.out, " ".join(sorted(deps))))


main()
