// node_wasi.mjs: runs a WASI command under Node's node:wasi (V8), for the
// WASI I/O benchmark's comparison. usage: node node_wasi.mjs PROG.wasm [ARGS...]
// The working directory is preopened as ".", as `wasmaot --dir .` does.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, preopens: { '.': '.' } });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
