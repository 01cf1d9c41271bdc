;; oob_fill.wat: memory.fill reaching past the end traps with "out of bounds
;; memory access" (bulk operations check the whole range first, spec 4.4.7).
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 fill
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $fill (i32.const 0) (i32.const 65536))
    (call $fill (i32.const 65000) (i32.const 537)))
  (func $fill (param $dst i32) (param $n i32)
    (memory.fill (local.get $dst) (i32.const 0xAB) (local.get $n))))
