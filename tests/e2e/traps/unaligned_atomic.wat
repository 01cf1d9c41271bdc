;; unaligned_atomic.wat: an atomic access whose effective address (index +
;; offset) is not a multiple of its size traps (threads proposal), also on
;; an unshared memory; the same access aligned works.
;;
;; e2e-trap: unaligned atomic
;; e2e-trap-func: 1 add_at
(module
  (memory 1)
  (func $_start (export "_start")
    (drop (call $add_at (i32.const 4)))
    (drop (call $add_at (i32.const 6))))
  (func $add_at (param $p i32) (result i32)
    (i32.atomic.rmw.add offset=4 (local.get $p) (i32.const 1))))
