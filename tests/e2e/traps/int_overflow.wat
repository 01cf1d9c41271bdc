;; int_overflow.wat: i32.div_s of INT32_MIN by -1 traps with "integer overflow".
;;
;; e2e-trap: integer overflow
;; e2e-trap-func: 2 quotient
(module
  (memory (export "memory") 1)
  (global $minus_one (mut i32) (i32.const -1))
  (func $_start (export "_start")
    (drop (call $quotient (i32.const 0x80000000))))
  (func $unused (result i32) (i32.const 0))
  (func $quotient (param $a i32) (result i32)
    (i32.div_s (local.get $a) (global.get $minus_one))))
