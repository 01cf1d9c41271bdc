;; thread_trap.wat: a trap in a spawned thread (wasi-threads) ends the whole
;; process, as wasmtime does: exit status 134 and the trap's one line, while
;; the main thread is still blocked in memory.atomic.wait32 with no timeout.
;; What the main thread printed before is kept.
;;
;; e2e-stdout: spawned
;; e2e-trap: integer divide by zero
;; e2e-trap-func: 4 divide
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (data $text "spawned\n")

  (func $_start (export "_start")
    (memory.init $text (i32.const 100) (i32.const 0) (i32.const 8))
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (if (i32.le_s (call $thread_spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    ;; nobody ever notifies: only the thread's trap ends this
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))

  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (call $divide (local.get $arg))))

  (func $divide (param $d i32) (result i32)
    (i32.div_u (i32.const 1) (local.get $d))))
