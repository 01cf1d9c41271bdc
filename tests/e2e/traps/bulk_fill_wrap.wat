;; bulk_fill_wrap.wat: a memory.fill whose address + length wraps around
;; 2^32 (0xffffffff + 2) traps instead of filling from address 0.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 fill
(module
  (memory (export "memory") 1 1)
  (func $_start (export "_start")
    (call $fill (i32.const 0xFFFFFFFF) (i32.const 2)))
  (func $fill (param $dst i32) (param $n i32)
    (memory.fill (local.get $dst) (i32.const 0x5a) (local.get $n))))
