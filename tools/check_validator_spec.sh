#!/bin/sh
# check_validator_spec.sh: runs the validator over the spec test suite.
#
# Converts every top-level .wast of the suite with wast2json (default feature
# set = WebAssembly 2.0), then asks check_validate_spec whether
#   - every binary module of a `module`, `assert_trap`, `assert_return`-free
#     `assert_uninstantiable` or `assert_unlinkable` command validates, and
#   - every binary `assert_invalid` module decodes and fails validation with
#     the expected text as a prefix of the message, and
#   - every binary `assert_malformed` module fails decoding or validation
#     with the expected text as a prefix (the validator reads function
#     bodies, so malformed instruction sequences are found there).
# Text-format (quoted) modules are not binary and are left out: they test the
# text parser. Commands in the skip list below are reported, never counted.
#
# usage: tools/check_validator_spec.sh BUILD_DIR [SUITE_DIR]
#   BUILD_DIR  a meson build directory with tools/check_validate_spec built
#   SUITE_DIR  defaults to ../shared/spec-testsuite next to the repository
set -eu

build=${1:?usage: check_validator_spec.sh BUILD_DIR [SUITE_DIR]}
here=$(cd "$(dirname "$0")/.." && pwd)
suite=${2:-$here/../shared/spec-testsuite}
tool=$build/tools/check_validate_spec
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for wast in "$suite"/*.wast; do
    name=$(basename "$wast" .wast)
    mkdir -p "$work/$name"
    (cd "$work/$name" && wast2json "$wast" -o "$name.json")
done

# Skip list: one command per line, "file.wast:line reason".
cat > "$work/skip.txt" <<'SKIP'
select.wast:324 wabt writes `select (result)` (typed, no type) as untyped select 0x1B, which is the binary of the "type mismatch" case above it; tests/unit/test_validate.c covers 0x1C 0x00
SKIP

python3 - "$work" > "$work/commands.tsv" <<'PY'
import glob, json, os, sys
work = sys.argv[1]
skips = {}
for line in open(os.path.join(work, 'skip.txt')):
    key, _, reason = line.strip().partition(' ')
    if key:
        skips[key] = reason
for path in sorted(glob.glob(os.path.join(work, '*', '*.json'))):
    folder = os.path.dirname(path)
    for cmd in json.load(open(path))['commands']:
        kind = cmd['type']
        fn = cmd.get('filename')
        if not fn or cmd.get('module_type', 'binary') != 'binary':
            continue
        full = os.path.join(folder, fn)
        key = '%s.wast:%d' % (os.path.basename(folder), cmd['line'])
        if key in skips:
            print('SKIP %s: %s' % (key, skips[key]), file=sys.stderr)
            continue
        if kind in ('module', 'assert_uninstantiable', 'assert_unlinkable'):
            print('valid\t%s' % full)
        elif kind == 'assert_invalid':
            print('invalid\t%s\t%s' % (full, cmd['text']))
        elif kind == 'assert_malformed':
            print('malformed\t%s\t%s' % (full, cmd['text']))
PY

"$tool" < "$work/commands.tsv"
