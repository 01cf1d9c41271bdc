;; table_get_huge.wat: table.get and table.set at index 0xffffffff (-1 as a
;; signed i32) trap with "out of bounds table access".
;;
;; e2e-trap: out of bounds table access
;; e2e-trap-func: 1 set
(module
  (memory (export "memory") 1)
  (table $t 3 funcref)
  (func $_start (export "_start")
    (call $set (i32.const 2))
    (call $set (i32.const 0xFFFFFFFF)))
  (func $set (param $i i32)
    (table.set $t (local.get $i) (table.get $t (i32.const 0)))))
