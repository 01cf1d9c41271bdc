;; table_fill_past.wat: table.fill running one entry past the end traps, and
;; index + length wrapping around 2^32 is no escape.
;;
;; e2e-trap: out of bounds table access
;; e2e-trap-func: 1 fill
;; e2e-trap-helper: yes
(module
  (memory (export "memory") 1)
  (table $t 4 funcref)
  (func $_start (export "_start")
    (call $fill (i32.const 2) (i32.const 2))
    (call $fill (i32.const 3) (i32.const 2)))
  (func $fill (param $i i32) (param $n i32)
    (table.fill $t (local.get $i) (ref.null func) (local.get $n))
    (table.fill $t (i32.const 1) (ref.null func) (i32.const -1))))
