;; trunc_nan.wat: i32.trunc_f64_s of NaN traps with "invalid conversion to integer".
;;
;; e2e-trap: invalid conversion to integer
;; e2e-trap-func: 1 to_int
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    ;; 0/0 computed at run time from memory (which is zero).
    (drop (call $to_int (f64.div (f64.load (i32.const 0)) (f64.load (i32.const 8))))))
  (func $to_int (param $x f64) (result i32)
    (i32.trunc_f64_s (local.get $x))))
