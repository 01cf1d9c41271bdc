;; oob_load_ignored_arg.wat: a load passed to a function that ignores its parameter (inlined away).
;; The trap is the access's observable effect (spec 4.4.7), so it must
;; happen although the value (or the stored bytes) never matters.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 touch
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $touch))
  (func $touch
    (call $ignore (i32.load (i32.const 0x7fff0000))))
  (func $ignore (param i32)))
