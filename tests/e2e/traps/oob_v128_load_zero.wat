;; oob_v128_load_zero.wat: a v128.load64_zero whose loaded lane replace_lane overwrote.
;; The trap is the access's observable effect (spec 4.4.7), so it must
;; happen although the value (or the stored bytes) never matters.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 touch
(module
  (memory (export "memory") 1)
  (global $g (mut i64) (i64.const 1))
  (func $_start (export "_start")
    (call $touch))
  (func $touch
    (global.set $g (i64x2.extract_lane 0 (i64x2.replace_lane 0 (v128.load64_zero (i32.const 0x7fff0000)) (i64.const 5))))))
