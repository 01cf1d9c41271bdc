;; unreachable.wat: `unreachable` traps; output written before the trap
;; must still reach stdout.
;;
;; e2e-trap: unreachable
;; e2e-trap-func: 2 explode
;; e2e-stdout: before the trap
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; iovec {buf = 16, len = 16} at 0, the text at 16, nwritten at 8.
  (data (i32.const 0) "\10\00\00\00\10\00\00\00")
  (data (i32.const 16) "before the trap\n")
  (func $_start (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $explode))
  (func $explode
    unreachable))
