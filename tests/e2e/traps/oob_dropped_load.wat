;; oob_dropped_load.wat: an out-of-bounds load traps even when its value is
;; dropped: the trap is the load's observable effect (spec 4.4.7), so it may
;; not be optimized away as a dead load.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 touch
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $touch (i32.const 65535)))
  (func $touch (param $addr i32)
    (drop (i64.load (local.get $addr)))))
