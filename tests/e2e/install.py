#!/usr/bin/env python3
"""`meson install` into a DESTDIR gives a working wasmaot: the compiler, the runtime archives
(and the musl ones for --static), the embedding headers and a pkg-config file with which
`cc host.c $(pkg-config --cflags --libs wasmaot)` builds a host that runs a module compiled by
the installed wasmaot, the manual page (naming every option of `wasmaot --help`) and the bash
completion (which completes options from the installed binary).

usage: install.py --build BUILD_DIR --source SOURCE_DIR --workdir DIR
"""
import argparse
import glob
import json
import os
import re

from script_util import check, fresh_workdir
from script_util import run as run_bytes


def run(argv, **kw):
    return run_bytes(argv, timeout=600, text=True, **kw)


def one(pattern):
    found = glob.glob(pattern, recursive=True)
    check(len(found) == 1, "expected one %s, found %s" % (pattern, found))
    return found[0]


def main():
    ap = argparse.ArgumentParser()
    for a in ("--build", "--source", "--workdir"):
        ap.add_argument(a, required=True)
    args = ap.parse_args()
    work = fresh_workdir(args.workdir)
    dest = os.path.join(work, "dest")
    status, out, err = run(["meson", "install", "-C", args.build, "--no-rebuild", "--quiet",
                            "--destdir", dest])
    check(status == 0, "meson install failed:\n%s%s" % (out, err))
    with open(os.path.join(args.build, "meson-info", "intro-buildoptions.json")) as f:
        options = {o["name"]: o["value"] for o in json.load(f)}
    root = dest + options["prefix"]

    wasmaot = one(root + "/" + options["bindir"] + "/wasmaot")
    runtime = os.path.join(root, options["libdir"], "wasmaot")
    for name in ("libwasmaot_start.a", "libwasmaot_wasi.a", "libwasmaot_rt.a",
                 "libwasmaot_common.a"):
        check(os.path.isfile(os.path.join(runtime, name)), "no %s in %s" % (name, runtime))
    # Each runtime build for another target (runtime/targets) installs in its triple's directory.
    targets = os.path.join(args.build, "runtime", "targets")
    for triple in sorted(os.listdir(targets)) if os.path.isdir(targets) else []:
        if os.path.isfile(os.path.join(targets, triple, "libwasmaot_rt.a")):
            check(os.path.isfile(os.path.join(runtime, triple, "libwasmaot_rt.a")),
                  "the %s runtime is not installed in %s" % (triple, runtime))
    include = os.path.join(root, options["includedir"], "wasmaot")
    for name in ("wa_rt.h", "wa_rt_api.h", "wa_rt_embed.h", "wa_rt_layout.def", "wa_rt_calls.def",
                 "wa_grants.h", "wa_wasi.h", "wa_wasi_embed.h", "wasi_funcs.def"):
        check(os.path.isfile(os.path.join(include, name)), "no %s in %s" % (name, include))

    # The installed compiler finds its installed runtime (nothing of the build tree).
    env = dict(os.environ)
    env.pop("WASMAOT_RUNTIME_DIR", None)
    module = os.path.join(work, "add.so")
    status, _, err = run([wasmaot, os.path.join(args.source, "tests/e2e/install/add.wat"),
                          "--emit=shared", "-o", module], env=env)
    check(status == 0, "the installed wasmaot failed: %s" % err)
    pc_dir = os.path.dirname(one(root + "/**/pkgconfig/wasmaot.pc"))
    # The file says prefix=PREFIX; installed under DESTDIR, the prefix is ROOT.
    pkg = ["pkg-config", "--define-variable=prefix=" + root, "--cflags", "--libs", "wasmaot"]
    status, flags, err = run(pkg, env=dict(env, PKG_CONFIG_PATH=pc_dir))
    check(status == 0, "pkg-config: %s" % err)
    host = os.path.join(work, "host")
    status, _, err = run(["cc", "-std=c17", "-Wall", "-Wextra", "-Werror",
                          os.path.join(args.source, "tests/e2e/install/host.c"), "-o", host]
                         + flags.split())
    check(status == 0, "building the host with %s failed:\n%s" % (flags.strip(), err))
    status, out, err = run([host, module])
    check((status, out) == (0, "add(40, 2) = 42\n"), "the host: %d %r %r" % (status, out, err))

    # The manual page: built, and naming every option --help lists.
    page = one(root + "/" + options["mandir"] + "/man1/wasmaot.1")
    status, text, err = run(["man", "-l", "-P", "cat", page], env=dict(env, MANWIDTH="100"))
    check(status == 0, "man -l %s: %s" % (page, err))
    text = re.sub(r".\x08", "", text)
    _, help_text, _ = run([wasmaot, "--help"])
    listed = set(re.findall(r"^  (-[-\w]+)", help_text, re.M)) - {"--enable-FEATURE"}
    missing = sorted(o for o in listed if o not in text)
    check(not missing, "the manual page lacks %s" % missing)

    # The completion: completes options from the installed binary.
    completion = one(root + "/" + options["datadir"] + "/bash-completion/completions/wasmaot")
    script = ('source /usr/share/bash-completion/bash_completion; source "$1"; '
              'COMP_WORDS=(wasmaot x.wasm --emi); COMP_CWORD=2; COMP_LINE="wasmaot x.wasm --emi";'
              ' COMP_POINT=${#COMP_LINE}; _wasmaot; printf "%s\\n" "${COMPREPLY[@]}"')
    status, out, err = run(["bash", "-c", script, "bash", completion],
                           env=dict(env, PATH=os.path.dirname(wasmaot) + ":" + env["PATH"]))
    check(status == 0 and out.split() == ["--emit="], "completion of --emi: %r %r" % (out, err))
    print("ok: installed into %s: compiler, runtime, headers, pkg-config host, man page, "
          "completion" % dest)


if __name__ == "__main__":
    main()
