;; table_copy_past.wat: table.copy of length 0 at the end works, one past
;; (index size + 1, length 0) traps.
;;
;; e2e-trap: out of bounds table access
;; e2e-trap-func: 1 copy
;; e2e-trap-helper: yes
(module
  (memory (export "memory") 1)
  (table $t 4 funcref)
  (func $_start (export "_start")
    (call $copy (i32.const 4) (i32.const 0))
    (call $copy (i32.const 0) (i32.const 4))
    (call $copy (i32.const 0) (i32.const 5)))
  (func $copy (param $dst i32) (param $src i32)
    (table.copy $t $t (local.get $dst) (local.get $src) (i32.const 0))))
