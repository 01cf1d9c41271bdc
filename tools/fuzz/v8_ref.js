// v8_ref.js: a second reference for tools/fuzz/run, used on mismatches: runs
// a module's function exports in order with zero arguments in node's V8 and
// prints binaryen's --fuzz-exec format (calling hangLimitInitializer before
// each export, as binaryen does), so the same comparison applies.
// JS cannot see v128 values: a logged one prints as "v128:?" (any v128
// matches), an export with v128 in its signature as "[v128]" (no verdict).
'use strict';
const fs = require('fs');
const mod = new WebAssembly.Module(fs.readFileSync(process.argv[2]));
function num(v) {
  if (typeof v === 'bigint') return String(v);
  if (typeof v !== 'number') return v === null ? 'null' : 'ref';
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}
function log(v) {
  if (typeof v === 'bigint') {
    const lo = BigInt.asIntN(32, v), hi = BigInt.asIntN(32, v >> 32n);
    console.log(`[LoggingExternalInterface logging ${lo} ${hi}]`);
  } else console.log(`[LoggingExternalInterface logging ${num(v)}]`);
}
const imports = {'fuzzing-support': {'log-i32': log, 'log-i64': log, 'log-f32': log,
                                     'log-f64': log, 'log-v128': () => console.log('[LoggingExternalInterface logging v128:?]')}};
let inst;
try { inst = new WebAssembly.Instance(mod, imports); } catch (e) {
  console.log(`[trap instantiate: ${e.message}]`);
  process.exit(0);
}
for (const e of WebAssembly.Module.exports(mod)) {
  if (e.kind !== 'function') continue;
  console.log('[fuzz-exec] calling ' + e.name);
  const f = inst.exports[e.name];
  try {
    if (inst.exports.hangLimitInitializer) inst.exports.hangLimitInitializer();
    // Zero arguments; i64 parameters need BigInt zeros: try the combinations
    // (conversion errors come before the call, so retrying has no effects).
    let r;
    for (let mask = 0; ; mask++) {
      const args = Array.from({length: f.length}, (_, i) => (mask >> i) & 1 ? 0n : 0);
      try { r = f(...args); break; } catch (err) {
        if (!(err instanceof TypeError) || mask + 1 >= (1 << f.length)) throw err;
      }
    }
    if (r !== undefined)
      console.log(`[fuzz-exec] note result: ${e.name} => ` +
                  (Array.isArray(r) ? '(' + r.map(num).join(', ') + ')' : num(r)));
  } catch (err) {
    if (err instanceof TypeError) { console.log('[v128]'); continue; }
    console.log(`[trap ${err.message}]`);
  }
}
