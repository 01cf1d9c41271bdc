;; edge_offset_wrap.wat: the largest offset with the largest address,
;; 0xffffffff + 0xffffffff, is an effective address near 8 GiB; it must trap
;; (the 33-bit sum never wraps back into memory).
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 load_far
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (i32.store (i32.const 0) (call $load_far (i32.const 0xFFFFFFFF))))
  (func $load_far (param $addr i32) (result i32)
    (i32.load8_u offset=0xFFFFFFFF (local.get $addr))))
