;; thread_stack_exhausted.wat: unbounded recursion in a spawned thread
;; (wasi-threads) hits that thread's own stack guard: "call stack exhausted"
;; ends the process, as any trap in a thread does. The thread's stack guard,
;; alternate signal stack and stack limit are set up as the main thread's.
;; The recursion has a base case the compiler cannot rule out (a memory
;; value that is never set) and work after the call, so it stays real.
;;
;; e2e-trap: call stack exhausted
;; e2e-trap-func: 3 recurse
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func $_start (export "_start")
    (if (i32.le_s (call $thread_spawn (i32.const 1)) (i32.const 0)) (then unreachable))
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))
  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (call $recurse (local.get $arg))))
  (func $recurse (param $n i32) (result i32)
    (if (i32.eq (local.get $n) (i32.load (i32.const 128))) (then (return (i32.const 0))))
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (local.get $n))))
