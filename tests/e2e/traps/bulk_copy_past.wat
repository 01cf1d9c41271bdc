;; bulk_copy_past.wat: a memory.copy whose source runs one byte past the end
;; traps before writing anything (the destination byte stays 0), and
;; source + length wrapping around 2^32 is no escape.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 copy
(module
  (memory (export "memory") 1 1)
  (func $_start (export "_start")
    (call $copy (i32.const 0) (i32.const 65535) (i32.const 1))
    (call $copy (i32.const 0) (i32.const 65535) (i32.const 2)))
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n))
    (memory.copy (local.get $dst) (i32.const 16) (i32.const 0xFFFFFFF0))))
