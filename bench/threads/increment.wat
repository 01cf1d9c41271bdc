;; increment.wat: 100,000,000 increments of one i32 in memory on one thread,
;; three ways: plain i32.load/i32.store, i32.atomic.rmw.add, and
;; i32.atomic.load/i32.atomic.store. The address is read from memory in
;; every iteration (it is 0), so that the optimiser can neither prove the
;; plain loop in bounds (codegen/bounds_versioning.cpp would then run it
;; with ordinary accesses, which LLVM folds into one add) nor hoist it: each
;; variant makes its accesses, one per iteration. `run` times each by
;; exporting it as _start.
(module
  (memory 1 1 shared)
  (func $plain (export "plain")
    (local $i i32) (local $p i32)
    (loop $l
      (local.set $p (i32.load (i32.const 64)))
      (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (i32.const 100000000)))))
  (func $rmw (export "rmw")
    (local $i i32) (local $p i32)
    (loop $l
      (local.set $p (i32.load (i32.const 64)))
      (drop (i32.atomic.rmw.add (local.get $p) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (i32.const 100000000)))))
  (func $load_store (export "load_store")
    (local $i i32) (local $p i32)
    (loop $l
      (local.set $p (i32.load (i32.const 64)))
      (i32.atomic.store (local.get $p) (i32.add (i32.atomic.load (local.get $p)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (i32.const 100000000))))))
