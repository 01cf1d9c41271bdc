;; Atomics with the other memory proposals (wasmaot's own test, run by the
;; spec-proposals suites with --enable-all): the memory index immediate of
;; multi-memory selects the memory, an i64 shared memory (memory64) gets
;; its explicit bounds check, "unaligned atomic" comes before "out of bounds
;; memory access", and a shared memory exported by one module and imported
;; by another is the same memory.
(module $M
  (memory $a 1 1)
  (memory $b (export "b") 1 2 shared)
  (memory $w i64 1 1 shared)
  (func (export "add_b") (param i32 i32) (result i32)
    (i32.atomic.rmw.add 1 (local.get 0) (local.get 1)))
  (func (export "load_a") (param i32) (result i32)
    (i32.atomic.load 0 (local.get 0)))
  (func (export "load_b") (param i32) (result i32)
    (i32.atomic.load 1 (local.get 0)))
  (func (export "cmpxchg_w") (param i64 i64 i64) (result i64)
    (i64.atomic.rmw.cmpxchg 2 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load8_w") (param i64) (result i32)
    (i32.atomic.load8_u 2 offset=1 (local.get 0)))
  (func (export "wait_b") (param i32 i32) (result i32)
    (memory.atomic.wait32 1 (local.get 0) (local.get 1) (i64.const 0)))
  (func (export "wait_w") (param i64 i64) (result i32)
    (memory.atomic.wait64 2 (local.get 0) (local.get 1) (i64.const 1000)))
  (func (export "notify_b") (param i32) (result i32)
    (memory.atomic.notify 1 (local.get 0) (i32.const 1)))
  (func (export "grow_b") (result i32) (memory.grow $b (i32.const 1))))
(register "M" $M)

(assert_return (invoke "add_b" (i32.const 8) (i32.const 5)) (i32.const 0))
(assert_return (invoke "add_b" (i32.const 8) (i32.const 5)) (i32.const 5))
(assert_return (invoke "load_b" (i32.const 8)) (i32.const 10))
(assert_return (invoke "load_a" (i32.const 8)) (i32.const 0))
(assert_trap (invoke "load_b" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "load_b" (i32.const 65535)) "unaligned atomic")
(assert_return (invoke "cmpxchg_w" (i64.const 16) (i64.const 0) (i64.const 7)) (i64.const 0))
(assert_return (invoke "cmpxchg_w" (i64.const 16) (i64.const 0) (i64.const 9)) (i64.const 7))
(assert_return (invoke "load8_w" (i64.const 65534)) (i32.const 0))
(assert_trap (invoke "load8_w" (i64.const 65535)) "out of bounds memory access")
(assert_trap (invoke "load8_w" (i64.const 0xffffffffffffffff)) "out of bounds memory access")
(assert_trap (invoke "cmpxchg_w" (i64.const 0x10000000000) (i64.const 0) (i64.const 0))
  "out of bounds memory access")
(assert_trap (invoke "cmpxchg_w" (i64.const 65532) (i64.const 0) (i64.const 0))
  "unaligned atomic")
(assert_return (invoke "wait_b" (i32.const 8) (i32.const 0)) (i32.const 1))
(assert_return (invoke "wait_b" (i32.const 8) (i32.const 10)) (i32.const 2))
(assert_trap (invoke "wait_b" (i32.const 65536) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "wait_b" (i32.const 2) (i32.const 0)) "unaligned atomic")
(assert_return (invoke "wait_w" (i64.const 16) (i64.const 7)) (i32.const 2))
(assert_trap (invoke "wait_w" (i64.const 0x8000000000000000) (i64.const 7))
  "out of bounds memory access")
(assert_return (invoke "notify_b" (i32.const 8)) (i32.const 0))
(assert_return (invoke "grow_b") (i32.const 1))
(assert_return (invoke "load_b" (i32.const 65536)) (i32.const 0))

;; The importer sees the exporter's memory, grown and written.
(module $N
  (import "M" "b" (memory 1 2 shared))
  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "size") (result i32) (memory.size)))
(assert_return (invoke $N "load" (i32.const 8)) (i32.const 10))
(assert_return (invoke $N "size") (i32.const 2))
(assert_unlinkable
  (module (import "M" "b" (memory 1 2))) "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "memory" (memory 1 2 shared))) "incompatible import type")
