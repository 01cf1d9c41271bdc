;; table_init_past.wat: table.init reading one entry past its element
;; segment traps (the whole segment and length 0 at its end work).
;;
;; e2e-trap: out of bounds table access
;; e2e-trap-func: 2 init
;; e2e-trap-helper: yes
(module
  (memory (export "memory") 1)
  (table $t 4 funcref)
  (elem $e func $f $f)
  (func $_start (export "_start")
    (call $init (i32.const 2) (i32.const 0) (i32.const 2))
    (call $init (i32.const 4) (i32.const 2) (i32.const 0))
    (call $init (i32.const 0) (i32.const 1) (i32.const 2)))
  (func $f)
  (func $init (param $dst i32) (param $src i32) (param $n i32)
    (table.init $t $e (local.get $dst) (local.get $src) (local.get $n))))
