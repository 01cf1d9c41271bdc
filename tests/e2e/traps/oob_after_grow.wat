;; oob_after_grow.wat: after memory.grow by one page, a store into the new
;; page works and a store one page further traps.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 poke
(module
  (memory (export "memory") 1 4)
  (func $_start (export "_start")
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const 1)) (then unreachable))
    (call $poke (i32.const 131068))
    (call $poke (i32.const 131072)))
  (func $poke (param $addr i32)
    (i32.store (local.get $addr) (i32.const 0x5a5a5a5a))))
