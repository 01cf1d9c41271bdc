;; grow.wat: grows its memory from 1 page to 16 (1 MiB) and prints "grown"
;; or, if memory.grow returned -1, "refused"; for --max-memory.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "grown\n")
  (data (i32.const 32) "refused\n")
  (func $say (param $at i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $at))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $_start (export "_start")
    (if (i32.eq (memory.grow (i32.const 15)) (i32.const -1))
      (then (call $say (i32.const 32) (i32.const 8)))
      (else (call $say (i32.const 16) (i32.const 6))))))
