;; oob_load_and_zero.wat: a load whose value i32.and with 0 folds away.
;; The trap is the access's observable effect (spec 4.4.7), so it must
;; happen although the value (or the stored bytes) never matters.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 touch
(module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 1))
  (func $_start (export "_start")
    (call $touch))
  (func $touch
    (global.set $g (i32.and (i32.load (i32.const 0x7fff0000)) (i32.const 0)))))
