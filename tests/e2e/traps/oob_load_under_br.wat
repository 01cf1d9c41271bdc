;; oob_load_under_br.wat: a load whose value br discards (the block has no result).
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
    (block (i64.load offset=22 (i32.const -65536)) (br 0))))
