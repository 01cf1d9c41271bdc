;; oob_dead_local_load.wat: a load into a local that is never read.
;; The trap is the access's observable effect (spec 4.4.7), so it must
;; happen although the value (or the stored bytes) never matters.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 touch
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $touch))
  (func $touch (local i32)
    (local.set 0 (i32.load (i32.const 0x7fff0000)))))
