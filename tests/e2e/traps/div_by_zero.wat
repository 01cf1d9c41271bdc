;; div_by_zero.wat: i32.div_u by zero traps with "integer divide by zero".
;; The divisor comes from memory, so it is not a constant the compiler sees.
;;
;; e2e-trap: integer divide by zero
;; e2e-trap-func: 1 divide
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (drop (call $divide (i32.const 100) (i32.load (i32.const 64)))))
  (func $divide (param $a i32) (param $b i32) (result i32)
    (i32.div_u (local.get $a) (local.get $b))))
