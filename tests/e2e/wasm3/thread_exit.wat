;; thread_exit.wat: proc_exit in a spawned thread (wasi-threads) ends the
;; whole process with its code, while the main thread waits forever.
;;
;; e2e-exit: 7
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func $_start (export "_start")
    (if (i32.le_s (call $thread_spawn (i32.const 7)) (i32.const 0)) (then unreachable))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $proc_exit (local.get $arg))))
