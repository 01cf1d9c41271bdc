;; oob_v128_load_lane.wat: a v128.load32_lane into a local that is never read.
;; The trap is the access's observable effect (spec 4.4.7), so it must
;; happen although the value (or the stored bytes) never matters.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 touch
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $touch))
  (func $touch (local v128)
    (local.set 0 (v128.load32_lane 1 (i32.const 0x7fff0000) (v128.const i32x4 0 0 0 0)))))
