#!/usr/bin/env python3
"""--static (compiler/link/link.c, runtime/targets/): the executable has no program interpreter
and no dynamic section, needs no file of the machine (it runs with an empty environment and
in an empty chroot), prints what the dynamic build prints, traps as it does (the backtrace
goes through musl's signal frame and the unwinder's _dl_find_object of runtime/musl), and
--static is refused for the outputs that are not executables.

The whole e2e suite also runs with --static: meson test --setup static --suite e2e.

usage: static.py --wasmaot WASMAOT --hello MODULE --trap MODULE --workdir DIR
"""
import argparse
import os
import shutil

from script_util import check, fresh_workdir, run


def compile_exe(wasmaot, wasm, out, *flags):
    status, _, err = run([wasmaot, wasm, "-o", out] + list(flags))
    check(status == 0, "compiling %s %s failed: %s" % (wasm, " ".join(flags), err.decode()))


def in_empty_root(exe, root):
    """Runs exe as /app in a directory holding nothing else, as root (chroot) or, when not
    root, in a user namespace that maps this user to root (unshare -r)."""
    os.makedirs(root)
    shutil.copy(exe, os.path.join(root, "app"))
    prefix = [] if os.geteuid() == 0 else [shutil.which("unshare"), "-r"]
    return run(prefix + [shutil.which("chroot") or "/usr/sbin/chroot", root, "/app"], env={})


def main():
    ap = argparse.ArgumentParser()
    for a in ("--wasmaot", "--hello", "--trap", "--workdir"):
        ap.add_argument(a, required=True)
    args = ap.parse_args()
    work = fresh_workdir(args.workdir)

    dynamic, static = os.path.join(work, "hello-dynamic"), os.path.join(work, "hello-static")
    compile_exe(args.wasmaot, args.hello, dynamic)
    compile_exe(args.wasmaot, args.hello, static, "--static")
    status, headers, _ = run(["readelf", "-W", "-l", "-d", static])
    check(status == 0, "readelf failed on the static executable")
    check(b"INTERP" not in headers and b"(NEEDED)" not in headers
          and b"There is no dynamic section" in headers,
          "the static executable has a program interpreter or a dynamic section:\n"
          + headers.decode())
    want = run([dynamic], env={})
    check(want[0] == 0, "the dynamic build failed: %r" % (want,))
    check(run([static], env={}) == want, "the static build, empty environment: not the "
          "dynamic build's output")
    check(in_empty_root(static, os.path.join(work, "root")) == want,
          "the static build in an empty chroot: not the dynamic build's output")

    dyn_trap, static_trap = os.path.join(work, "trap-dynamic"), os.path.join(work, "trap-static")
    compile_exe(args.wasmaot, args.trap, dyn_trap)
    compile_exe(args.wasmaot, args.trap, static_trap, "--static")
    want = run([dyn_trap], env={})
    got = run([static_trap], env={})
    check(want[0] == 134 and b"wasm backtrace:" in want[2],
          "the dynamic trap build: status %d, stderr %r" % (want[0], want[2]))
    check(got == want, "the static trap build: %r, the dynamic one: %r" % (got, want))

    obj = os.path.join(work, "hello.o")
    status, _, err = run([args.wasmaot, args.hello, "-o", obj, "--emit=obj", "--static"])
    lines = err.decode().splitlines()
    check(status != 0 and len(lines) == 1 and "--static" in lines[0] and not os.path.exists(obj),
          "--static --emit=obj: status %d, stderr %r" % (status, err))
    print("ok: static hello and trap as the dynamic builds, no interpreter, empty chroot")


if __name__ == "__main__":
    main()
