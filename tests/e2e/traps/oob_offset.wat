;; oob_offset.wat: address + offset beyond 4 GiB traps with "out of bounds
;; memory access" (the effective address is a 33-bit sum, never wrapped).
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 load_far
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (i64.store (i32.const 0) (call $load_far (i32.const 0x20))))
  (func $load_far (param $addr i32) (result i64)
    (i64.load offset=0xFFFFFFF0 (local.get $addr))))
