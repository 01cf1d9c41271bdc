;; edge_last_byte.wat: the last valid byte, halfword, word, doubleword and
;; v128 of a one-page memory load and store (through address and through
;; offset); the word that starts three bytes before the end, one byte past
;; it, traps. A wrong value ends in "unreachable", not the expected trap.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 2 load32
(module
  (memory (export "memory") 1 1)
  (func $_start (export "_start")
    (i32.store8 (i32.const 65535) (i32.const 0xab))
    (if (i32.ne (call $load8 (i32.const 65535)) (i32.const 0xab)) (then unreachable))
    (i32.store16 offset=65534 (i32.const 0) (i32.const 0x1234))
    (if (i32.ne (i32.load16_u (call $id (i32.const 65534))) (i32.const 0x1234))
      (then unreachable))
    (i32.store (call $id (i32.const 65532)) (i32.const 0x01020304))
    (if (i32.ne (call $load32 (i32.const 65532)) (i32.const 0x01020304)) (then unreachable))
    (i64.store offset=65528 (call $id (i32.const 0)) (i64.const -2))
    (if (i64.ne (i64.load (call $id (i32.const 65528))) (i64.const -2)) (then unreachable))
    (v128.store (call $id (i32.const 65520)) (v128.const i32x4 1 2 3 4))
    (if (i32.ne (i32x4.extract_lane 3 (v128.load offset=65519 (call $id (i32.const 1))))
                (i32.const 4))
      (then unreachable))
    (drop (call $load32 (i32.const 65533))))
  (func $id (param i32) (result i32) (local.get 0))
  (func $load32 (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  (func $load8 (param $addr i32) (result i32)
    (i32.load8_u (local.get $addr))))
