/*
 * run.h: `wasmaot run [OPTIONS] app.wasm [ARGS...]`, which compiles a module
 * into the cache (cache.h) unless it is there already and executes it, like
 * `wasmtime run`.
 */
#ifndef WA_RUN_H
#define WA_RUN_H

/*
 * The `run` command: argv[0] is "run". Does not return when the program
 * starts (the process becomes the program, so its exit status, stdio and
 * signals are the program's); otherwise returns the exit status: 2 for a
 * usage error, 1 when the module cannot be read, compiled or executed.
 */
int wa_run_main(int argc, char **argv);

#endif
