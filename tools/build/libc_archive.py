#!/usr/bin/env python3
"""libc_archive.py: one runtime archive built for another target or C library
than the build's own, a row of runtime/targets/meson.build's table (`wasmaot
--static`, `wasmaot --target`): each source compiled with COMPILER and the
FLAGs (the target's: --target=, --sysroot=, ...), then archived with AR.

    libc_archive.py --cc COMPILER --ar AR --out libwasmaot_rt.a --depfile D \
        [--cflag FLAG]... [--kernel-header NAME=DIR]... SOURCES...

--kernel-header is for a compiler whose include path lacks the Linux headers
the runtime and the WASI shim include (linux/openat2.h, ...): musl-gcc has
musl's headers and the compiler's own, not the system's. Each NAME=DIR
becomes a link NAME -> DIR in a directory beside the output, put on the
include path, so those headers come from there and no glibc header is ever
seen (musl: linux, asm and asm-generic of the host's /usr/include). The
depfile lists every header the sources included, so that ninja rebuilds the
archive when one changes.
"""
import argparse
import os
import subprocess
import sys
import tempfile

def kernel_header_dir(out_dir, links):
    """A directory holding the links NAME -> DIR of `links` only (made beside the output)."""
    path = os.path.join(out_dir, "kernel-headers")
    os.makedirs(path, exist_ok=True)
    for name, target in links.items():
        link = os.path.join(path, name)
        if os.path.islink(link) and os.readlink(link) != target:
            os.unlink(link)
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
    p.add_argument("--kernel-header", action="append", default=[], metavar="NAME=DIR")
    p.add_argument("sources", nargs="+")
    a = p.parse_args()
    out_dir = os.path.dirname(os.path.abspath(a.out))
    include = []
    if a.kernel_header:
        links = dict(h.split("=", 1) for h in a.kernel_header)
        include = ["-isystem", kernel_header_dir(out_dir, links)]
    deps = set()
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        objects = []
        for i, src in enumerate(a.sources):
            obj = os.path.join(tmp, "%d_%s.o" % (i, os.path.splitext(os.path.basename(src))[0]))
            dep = obj + ".d"
            cmd = [a.cc] + a.cflag + include + ["-MD", "-MF", dep, "-c", src, "-o", obj]
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
