;; table_oob.wat: table.get past the table's size traps with "out of bounds
;; table access".
;;
;; e2e-trap: out of bounds table access
;; e2e-trap-func: 1 get
(module
  (memory (export "memory") 1)
  (table $t 3 funcref)
  (func $_start (export "_start")
    (drop (call $get (i32.const 2)))
    (drop (call $get (i32.const 3))))
  (func $get (param $i i32) (result funcref)
    (table.get $t (local.get $i))))
