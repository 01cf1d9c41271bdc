;; uninitialized_element.wat: call_indirect of a null table entry (inside the
;; table) traps with "uninitialized element".
;;
;; e2e-trap: uninitialized element
;; e2e-trap-func: 2 dispatch
(module
  (type $nullary (func (result i32)))
  (memory (export "memory") 1)
  (table 4 funcref)
  (elem (i32.const 0) $seven)
  (func $_start (export "_start")
    (drop (call $dispatch (i32.const 0)))
    (drop (call $dispatch (i32.const 2))))
  (func $seven (type $nullary) (i32.const 7))
  (func $dispatch (param $i i32) (result i32)
    (call_indirect (type $nullary) (local.get $i))))
