;; bulk_edges.wat: memory.fill, memory.copy and memory.init of length 0 at
;; exactly the end of memory (and of the data segment) are allowed, as are
;; fills and copies that end on the last byte and overlapping copies in both
;; directions (memmove semantics); then a memory.copy of length 0 one past
;; the end traps. A wrong result ends in "unreachable", not the expected trap.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 copy
(module
  (memory (export "memory") 1 1)
  (data $d "abcdefgh")
  (func $_start (export "_start")
    (memory.fill (i32.const 65536) (i32.const 1) (i32.const 0))
    (memory.copy (i32.const 65536) (i32.const 0) (i32.const 0))
    (memory.copy (i32.const 0) (i32.const 65536) (i32.const 0))
    (memory.init $d (i32.const 65536) (i32.const 8) (i32.const 0))
    (memory.init $d (i32.const 65528) (i32.const 0) (i32.const 8))
    (if (i64.ne (i64.load (i32.const 65528)) (i64.const 0x6867666564636261)) (then unreachable))
    (memory.fill (i32.const 65530) (i32.const 0x7a) (i32.const 6))
    (if (i32.ne (i32.load8_u (i32.const 65535)) (i32.const 0x7a)) (then unreachable))
    (if (i32.ne (i32.load8_u (i32.const 65529)) (i32.const 0x62)) (then unreachable))
    ;; Overlapping, forward and backward: "abcdefgh" at 0.
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 8))
    (memory.copy (i32.const 2) (i32.const 0) (i32.const 6))
    (if (i64.ne (i64.load (i32.const 0)) (i64.const 0x6665646362616261)) (then unreachable))
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 8))
    (memory.copy (i32.const 0) (i32.const 2) (i32.const 6))
    (if (i64.ne (i64.load (i32.const 0)) (i64.const 0x6867686766656463)) (then unreachable))
    ;; Overlapping at the very end of memory.
    (memory.copy (i32.const 65529) (i32.const 65528) (i32.const 7))
    (call $copy (i32.const 65537) (i32.const 0) (i32.const 0)))
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n))))
