;; int_overflow64.wat: i64.div_s of INT64_MIN by -1 traps with "integer overflow".
;;
;; e2e-trap: integer overflow
;; e2e-trap-func: 1 quotient64
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (i64.store (i32.const 8) (i64.const -1))
    (drop (call $quotient64 (i64.const 0x8000000000000000) (i64.load (i32.const 8)))))
  (func $quotient64 (param $a i64) (param $b i64) (result i64)
    (i64.div_s (local.get $a) (local.get $b))))
