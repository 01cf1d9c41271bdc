;; rem_by_zero.wat: i64.rem_s by zero traps with "integer divide by zero",
;; after a successful remainder with the same operands' types.
;;
;; e2e-trap: integer divide by zero
;; e2e-trap-func: 1 remainder
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    ;; INT64_MIN rem -1 is 0, not a trap (spec: rem_s only traps on zero).
    (drop (call $remainder (i64.const 0x8000000000000000) (i64.const -1)))
    (drop (call $remainder (i64.const 7) (i64.load (i32.const 128)))))
  (func $remainder (param $a i64) (param $b i64) (result i64)
    (i64.rem_s (local.get $a) (local.get $b))))
