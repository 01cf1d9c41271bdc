;; edge_offset_plus_one.wat: offset 0xffffffff with address 1 is exactly
;; 4 GiB, one past the last 32-bit address: a store there traps (and the
;; byte at address 0, where a wrapped sum would land, is left alone).
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 poke_far
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $poke_far (i32.const 1)))
  (func $poke_far (param $addr i32)
    (i32.store8 offset=0xFFFFFFFF (local.get $addr) (i32.const 0x5a))))
