#!/bin/bash
# check_decoder_spec.sh: runs the decoder (and the instruction reader over every
# function body) on every binary module of the top-level spec tests, and checks
# that exactly the modules the tests call malformed are rejected (and reports
# those whose message does not start with the spec's).
#
#   tools/check_decoder_spec.sh [SPEC_DIR]     (default: ../shared/spec-testsuite)
#
# Needs wast2json (wabt), python3 and cc (extra flags, e.g. sanitizers, in $DRIVE_CFLAGS). Builds a small driver against the
# decoder sources in a temporary directory; prints one line per mismatch and a
# closing "N passed, N failed" line; exits non-zero if anything failed.
# Bodies are read here instruction by instruction as the validator does, with
# the one malformed-module rule that needs them ("data count section
# required"), so body-level assert_malformed cases count too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=${1:-$root/../shared/spec-testsuite}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/drive.c" <<'CEOF'
/* Decodes a .wasm file and reads every body's instructions; prints "ok" or the error. */
#include "wasm/decode.h"
#include "wasm/instr.h"

#include <stdio.h>
#include <stdlib.h>

static bool read_bodies(const WaModule *m, WaDiag *d) {
    WaArena scratch;
    wa_arena_init(&scratch);
    bool ok = true;
    for (uint32_t i = m->nfunc_imports; ok && i < m->nfuncs; i++) {
        const WaFunc *f = &m->funcs[i];
        WaReader r;
        wa_reader_init(&r, m->bytes, m->size, d);
        r.p = f->code;
        r.end = f->code + f->code_size;
        r.end_message = "unexpected end of section or function";
        uint32_t depth = 0;
        for (;;) {
            WaInstr in;
            if (!wa_instr_read(&r, &scratch, &in)) {
                ok = false;
                break;
            }
            /* As the validator does: an unknown segment is invalid (not malformed) first. */
            uint32_t data = in.op == WA_OP_MEMORY_INIT ? in.imm.pair.a : in.imm.index;
            if ((in.op == WA_OP_MEMORY_INIT || in.op == WA_OP_DATA_DROP) && data < m->ndatas &&
                !m->has_data_count) {
                ok = wa_diag_error(d, in.offset, "data count section required");
                break;
            }
            if (in.op == WA_OP_BLOCK || in.op == WA_OP_LOOP || in.op == WA_OP_IF)
                depth++;
            else if (in.op == WA_OP_END && depth-- == 0)
                break;
        }
        if (ok && !wa_reader_at_end(&r))
            ok = wa_diag_error(d, wa_reader_offset(&r), "section size mismatch");
        wa_arena_reset(&scratch);
    }
    wa_arena_free(&scratch);
    return ok;
}

int main(int argc, char **argv) {
    for (int k = 1; k < argc; k++) {
        FILE *fp = fopen(argv[k], "rb");
        if (!fp) {
            printf("cannot open\n");
            continue;
        }
        fseek(fp, 0, SEEK_END);
        long n = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        uint8_t *buf = malloc(n ? (size_t)n : 1);
        if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
            return 2;
        fclose(fp);
        WaDiag d;
        wa_diag_init(&d, argv[k]);
        WaModule m;
        if (wa_decode_module(buf, (size_t)n, argv[k], &m, &d)) {
            bool ok = read_bodies(&m, &d);
            wa_module_free(&m);
            if (ok) {
                printf("ok\n");
                free(buf);
                continue;
            }
        }
        printf("error: %s\n", d.message);
        free(buf);
    }
    return 0;
}
CEOF
cc -std=c17 -O1 ${DRIVE_CFLAGS:-} -I"$root/compiler" -o "$work/drive" "$work/drive.c" \
    "$root"/compiler/base/{arena,check,diag,reader,vec}.c \
    "$root"/compiler/wasm/{module,instr,decode}.c

for wast in "$spec"/*.wast; do
    name=$(basename "$wast" .wast)
    mkdir -p "$work/$name"
    wast2json --enable-all "$wast" -o "$work/$name/$name.json" 2>/dev/null || {
        echo "wast2json failed on $name (skipped)"; continue; }
done

python3 - "$work" <<'PYEOF'
import json, glob, os, subprocess, sys
work = sys.argv[1]
passed = failed = other_message = 0
for js in sorted(glob.glob(os.path.join(work, '*', '*.json'))):
    d = json.load(open(js))
    cases = []
    for c in d['commands']:
        fn = c.get('filename')
        if not fn or not fn.endswith('.wasm'):
            continue
        malformed = c['type'] == 'assert_malformed'
        cases.append((c['line'], os.path.join(os.path.dirname(js), fn),
                      c.get('text') if malformed else None))
    if not cases:
        continue
    out = subprocess.run([os.path.join(work, 'drive')] + [p for _, p, _ in cases],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    for (line, path, want), got in zip(cases, out):
        where = '%s:%d' % (os.path.basename(js)[:-5] + '.wast', line)
        if want is None:
            ok = got == 'ok'
            if not ok:
                print('%s: should decode, got %s' % (where, got))
        else:
            ok = got.startswith('error: ')
            if not ok:
                print('%s: should fail with "%s", got %s' % (where, want, got))
            elif not got.startswith('error: ' + want):
                print('%s: fails as it should, but message "%s" is not "%s"' % (where, got[7:], want))
                other_message += 1
        passed += ok
        failed += not ok
print('%d modules rejected with a message other than the spec\'s' % other_message)
print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
PYEOF
