;; oob_load_select_const.wat: a load that a select with a constant condition does not pick.
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
    (global.set $g (select (i32.load (i32.const 0x7fff0000)) (i32.const 7) (i32.const 0)))))
