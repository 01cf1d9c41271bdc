;; bulk_init_past.wat: memory.init reading one byte past the end of its data
;; segment traps (reading to exactly its end works; a length 0 at the end is
;; fine).
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 init
;; e2e-trap-helper: yes
(module
  (memory (export "memory") 1 1)
  (data $d "0123")
  (func $_start (export "_start")
    (call $init (i32.const 0) (i32.const 0) (i32.const 4))
    (call $init (i32.const 0) (i32.const 4) (i32.const 0))
    (call $init (i32.const 0) (i32.const 1) (i32.const 4)))
  (func $init (param $dst i32) (param $off i32) (param $n i32)
    (memory.init $d (local.get $dst) (local.get $off) (local.get $n))))
