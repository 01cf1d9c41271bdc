;; indirect_type_mismatch.wat: call_indirect whose expected type differs from
;; the callee's traps with "indirect call type mismatch"; a call with the
;; right type through the same table works first.
;;
;; e2e-trap: indirect call type mismatch
;; e2e-trap-func: 3 dispatch
(module
  (type $unary (func (param i32) (result i32)))
  (type $nullary (func (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $double $seven)
  (func $_start (export "_start")
    (drop (call_indirect (type $unary) (i32.const 21) (i32.const 0)))
    (drop (call $dispatch (i32.const 0))))
  (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
  (func $seven (type $nullary) (i32.const 7))
  (func $dispatch (param $i i32) (result i32)
    (call_indirect (type $nullary) (local.get $i))))
