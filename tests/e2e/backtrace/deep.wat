;; deep.wat: a trap three calls deep (_start -> outer -> middle -> leaf), every call through
;; call_indirect so that no optimiser inlines one function into another. With the argument
;; of `run` the trap is a guard-page fault (an out-of-bounds load) instead of `unreachable`.
;; tests/e2e/backtrace.py walks it with gdb and checks the trap's backtrace.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 3 funcref)
  (elem (i32.const 0) $leaf $middle $outer)
  (type $t (func (param i32) (result i32)))
  (func $leaf (param i32) (result i32)
    (if (i32.gt_u (local.get 0) (i32.const 2))
      (then
        ;; argc > 1: load far out of bounds (a fault); else unreachable
        (if (i32.gt_u (i32.load (i32.const 0)) (i32.const 1))
          (then (return (i32.load (i32.const 0x7ffffff0)))))
        unreachable))
    (i32.add (local.get 0) (i32.const 1)))
  (func $middle (param i32) (result i32)
    (i32.add (call_indirect (type $t) (i32.mul (local.get 0) (i32.const 2)) (i32.const 0))
             (i32.const 1)))
  (func $outer (param i32) (result i32)
    (i32.mul (call_indirect (type $t) (i32.add (local.get 0) (i32.const 1)) (i32.const 1))
             (i32.const 3)))
  (func $_start (export "_start")
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call_indirect (type $t) (i32.const 1) (i32.const 2)))))
