;; edge_v128_past.wat: a v128 store whose last byte is one past the end of
;; memory traps (the first fifteen bytes are in bounds) and writes nothing.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 store128
(module
  (memory (export "memory") 1 1)
  (func $_start (export "_start")
    (call $store128 (i32.const 65520))
    (call $store128 (i32.const 65521)))
  (func $store128 (param $addr i32)
    (v128.store (local.get $addr) (v128.const i64x2 -1 -1))))
