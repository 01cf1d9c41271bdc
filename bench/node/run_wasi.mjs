// run_wasi.mjs: runs a WASI command module under Node's node:wasi (V8) for bench/run.
// usage: node --no-turbo-fast-api-calls run_wasi.mjs PROG.wasm [ARGS...]
// No directories and no environment are granted (the benchmarks need neither), as under
// wasmaot without grants; the module's exit code becomes the process's.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
