;; grow_limits.wat: memory.grow past the declared maximum and past 4 GiB
;; (65536 pages, and 0xffffffff pages) returns -1 and leaves the size and
;; the contents alone; grow by 0 returns the size; after a grow to the
;; maximum the new last byte is writable and one past it traps. A wrong
;; result ends in "unreachable", not the expected trap.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 poke
(module
  (memory (export "memory") 1 3)
  (func $_start (export "_start")
    (i32.store (i32.const 100) (i32.const 77))
    (if (i32.ne (memory.grow (i32.const 3)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const 0x10000)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const -1)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.size) (i32.const 1)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const 0)) (i32.const 1)) (then unreachable))
    (if (i32.ne (i32.load (i32.const 100)) (i32.const 77)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const 2)) (i32.const 1)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.size) (i32.const 3)) (then unreachable))
    (call $poke (i32.const 196607))
    (if (i32.ne (i32.load8_u (i32.const 196607)) (i32.const 0x5a)) (then unreachable))
    (call $poke (i32.const 196608)))
  (func $poke (param $addr i32)
    (i32.store8 (local.get $addr) (i32.const 0x5a))))
