;; tail_call_indirect_mismatch.wat: return_call_indirect keeps call_indirect's
;; signature check: the entry holds a function of another type.
;;
;; e2e-trap: indirect call type mismatch
;; e2e-trap-func: 1 jump
(module
  (type $v (func))
  (table 1 funcref)
  (elem (i32.const 0) $takes_i32)
  (func $_start (export "_start")
    (call $jump (i32.load (i32.const 0))))
  (func $jump (param $i i32)
    (return_call_indirect (type $v) (local.get $i)))
  (func $takes_i32 (param i32))
  (memory 1))
