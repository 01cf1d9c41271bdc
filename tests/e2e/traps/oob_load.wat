;; oob_load.wat: an i32.load whose last byte is past the memory's end traps
;; with "out of bounds memory access"; the load ending exactly at the end
;; does not. The loaded values are stored, so they are live.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 load_at
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (i32.store (i32.const 0) (call $load_at (i32.const 65532)))
    (i32.store (i32.const 0) (call $load_at (i32.const 65534))))
  (func $load_at (param $addr i32) (result i32)
    (i32.load (local.get $addr))))
