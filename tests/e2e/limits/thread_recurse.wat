;; thread_recurse.wat: a spawned thread (wasi-threads) recurses 20000 calls
;; deep, then wakes the main thread, which exits with the depth's status 0;
;; for --max-stack on spawned threads: under a small one the thread traps.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func $_start (export "_start")
    (if (i32.le_s (call $thread_spawn (i32.const 20000)) (i32.const 0)) (then unreachable))
    (block $done
      (loop $wait
        (br_if $done (i32.atomic.load (i32.const 64)))
        (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))
        (br $wait))))
  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $recurse (local.get $arg))
    (i32.atomic.store (i32.const 64) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 64) (i32.const 1))))
  (func $recurse (param $depth i32)
    (if (i32.eqz (local.get $depth)) (then (return)))
    (call $recurse (i32.sub (local.get $depth) (i32.const 1)))
    (i32.store (i32.add (i32.const 0x100) (i32.and (local.get $depth) (i32.const 0xFFC)))
               (local.get $depth))))
