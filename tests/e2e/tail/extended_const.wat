;; extended_const.wat: globals and segment offsets computed by extended
;; constant expressions (i32/i64 add, sub, mul). The greeting is placed by a
;; data segment at 16 * 4 + 8 = 72, read back from there; the globals are
;; checked against their values (exit 1 on a wrong one); an element segment
;; at offset 3 * 2 - 5 = 1 holds the function that prints.
;;
;; e2e-stdout: extended-const ok
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (global $base i32 (i32.add (i32.mul (i32.const 16) (i32.const 4)) (i32.const 8)))
  (global $big i64 (i64.sub (i64.mul (i64.const 0x100000000) (i64.const 3)) (i64.const 1)))
  (global $neg i32 (i32.sub (i32.const 5) (i32.const 12)))
  (global $wrap i32 (i32.mul (i32.const 0x10000) (i32.const 0x10001)))
  (data (i32.add (i32.mul (i32.const 16) (i32.const 4)) (i32.const 8)) "extended-const ok\n")
  (type $v (func))
  (table 2 funcref)
  (elem (i32.sub (i32.mul (i32.const 3) (i32.const 2)) (i32.const 5)) $print)
  (func $check (param i32)
    (if (i32.eqz (local.get 0)) (then (call $proc_exit (i32.const 1)))))
  (func $print
    (i32.store (i32.const 0) (global.get $base))
    (i32.store (i32.const 4) (i32.const 18))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (call $check (i32.eq (global.get $base) (i32.const 72)))
    (call $check (i64.eq (global.get $big) (i64.const 0x2ffffffff)))
    (call $check (i32.eq (global.get $neg) (i32.const -7)))
    (call $check (i32.eq (global.get $wrap) (i32.const 0x10000)))
    (call_indirect (type $v) (i32.const 1))))
