;; grow_past_4g.wat: a memory without a declared maximum still cannot grow
;; past 65536 pages (4 GiB): memory.grow by 65536 (one past) and by
;; 0xffffffff returns -1 and the size stays one page, so the first byte of
;; the second page traps. A wrong result ends in "unreachable".
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 peek
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (if (i32.ne (memory.grow (i32.const 0x10000)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const -1)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const 0x80000000)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.size) (i32.const 1)) (then unreachable))
    (drop (call $peek (i32.const 65535)))
    (drop (call $peek (i32.const 65536))))
  (func $peek (param $addr i32) (result i32)
    (i32.load8_u (local.get $addr))))
