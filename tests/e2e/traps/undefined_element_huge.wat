;; undefined_element_huge.wat: call_indirect with the indexes whose sign or
;; width a bounds check could get wrong (0x80000000, then 0xffffffff, which
;; is -1 as a signed i32) traps with "undefined element", never calling
;; through memory before the table.
;;
;; e2e-trap: undefined element
;; e2e-trap-func: 2 dispatch
(module
  (type $nullary (func (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $seven $seven)
  (func $_start (export "_start")
    (drop (call $dispatch (i32.const 1)))
    (drop (call $dispatch (i32.const 0xFFFFFFFF))))
  (func $seven (type $nullary) (i32.const 7))
  (func $dispatch (param $i i32) (result i32)
    (call_indirect (type $nullary) (local.get $i))))
