#!/bin/bash
# libfuzzer.sh: builds one libFuzzer target of tools/fuzz and runs it for a
# number of seconds, in one process (one core), from a seed corpus made of
# the spec suite's modules (every .wasm wast2json writes for
# ../shared/spec-testsuite/*.wast, in a temporary directory: never copied into
# the repository).
#
#   tools/fuzz/libfuzzer.sh [options] TARGET SECONDS [libFuzzer flags...]
#   tools/fuzz/libfuzzer.sh [--build DIR | --exe PATH] --replay TARGET
#
# --replay runs the target once on every input in tools/fuzz/regressions/
# (TARGET-*.hex: hex pairs, ';;' comments, as tests/e2e/bad/), the minimised
# inputs of bugs these fuzzers found, and fails if any crashes again.
#
#   TARGET         decode (decode + validate), lower (+ lowering and -O0 code generation) or
#                  dwarf (+ the module's DWARF read, then -g lowering and code generation; its
#                  seeds are tools/fuzz/dwarf_seeds/*.c built with clang-19 -O0 -g)
#   --build DIR    the clang-19 build to use or create (default: build-fuzz in the source tree)
#   --exe PATH     run this fuzzer executable instead of building one (the meson tests do)
#   --spec DIR     the spec suite (default: ../shared/spec-testsuite beside the source tree)
#   --corpus DIR   keep the corpus libFuzzer grows here (default: a temporary directory)
#   --artifacts D  where a crashing, leaking or slow input is written (default: .)
#
# Every run has -timeout=10 -rss_limit_mb=2048 and LeakSanitizer on; extra
# flags (for example -seed=1, or -minimize_crash=1 -runs=10000 with a crash
# file instead of a corpus run) go to libFuzzer as they are. Exits non-zero
# if libFuzzer found a crash, a leak, a timeout or an out-of-memory input.
# An hour on demand: tools/fuzz/libfuzzer.sh lower 3600
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-fuzz
exe=
spec=$root/../shared/spec-testsuite
corpus=
artifacts=.
replay=false
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --exe) exe=$2; shift 2 ;;
    --spec) spec=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --artifacts) artifacts=$2; shift 2 ;;
    --replay) replay=true; shift ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
    esac
done
if [ $# -lt 1 ] || { ! $replay && [ $# -lt 2 ]; }; then
    echo "usage: $0 [--build DIR] [--exe PATH] [--spec DIR] [--corpus DIR] TARGET SECONDS [flags...]" >&2
    exit 2
fi
target=$1
shift
if ! $replay; then
    seconds=$1
    shift
fi
case $target in
decode | lower | dwarf) ;;
*) echo "$0: unknown target '$target' (decode, lower or dwarf)" >&2; exit 2 ;;
esac

if [ -z "$exe" ]; then
    if [ ! -f "$build/build.ninja" ]; then
        CC=clang-19 CXX=clang++-19 meson setup "$build" "$root" -Dfuzz=true -Dtests=false \
            -Dbuildtype=debugoptimized
    fi
    ninja -C "$build" "tools/fuzz/fuzz_$target"
    exe=$build/tools/fuzz/fuzz_$target
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if $replay; then
    mkdir "$work/replay"
    for hex in "$root"/tools/fuzz/regressions/"$target"-*.hex; do
        [ -e "$hex" ] || continue
        python3 - "$hex" "$work/replay/$(basename "$hex" .hex).wasm" <<'PYEOF'
import sys
data = bytearray()
for line in open(sys.argv[1]):
    data += bytes(int(t, 16) for t in line.split(";;")[0].split())
open(sys.argv[2], "wb").write(data)
PYEOF
    done
    set -- "$work"/replay/*.wasm
    [ -e "$1" ] || { echo "libfuzzer.sh: no regressions for $target"; exit 0; }
    echo "libfuzzer.sh: replaying $# regression inputs"
    "$exe" -timeout=10 -rss_limit_mb=2048 "$@"
    exit 0
fi

mkdir "$work/seeds" "$work/json"
if [ "$target" = dwarf ]; then
    # Modules with DWARF: our seed sources, each alone (no C library, whose DWARF is large).
    for c in "$root"/tools/fuzz/dwarf_seeds/*.c; do
        clang-19 --target=wasm32-wasi --sysroot=/usr -O0 -g -nostdlib -Wl,--no-entry \
            -Wl,--export-all -Wl,--allow-undefined "$c" -o "$work/seeds/$(basename "$c" .c).wasm"
    done
    seeds_from="tools/fuzz/dwarf_seeds"
else
    for wast in "$spec"/*.wast; do
        name=$(basename "$wast" .wast)
        # Some scripts use text wabt cannot read; their modules are simply not seeds.
        wast2json --enable-all "$wast" -o "$work/json/$name.json" >/dev/null 2>&1 || true
    done
    for wasm in "$work"/json/*.wasm; do
        [ -e "$wasm" ] && mv "$wasm" "$work/seeds/"
    done
    seeds_from=$spec
fi
echo "libfuzzer.sh: $(find "$work/seeds" -type f | wc -l) seed modules from $seeds_from"
if [ -z "$corpus" ]; then
    corpus=$work/corpus
fi
mkdir -p "$corpus" "$artifacts"
"$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/fuzz_$target-" "$@" "$corpus" "$work/seeds"
