;; fib.wat: the non-throwing cost of exception handling. fib(N) recursively,
;; then a loop of calls, printed; run.py builds it three times: without
;; exceptions; with a tag (TAG), so that the module uses exception handling
;; and gets unwind tables, but no handler; with a tag and every call inside
;; a try ... catch_all (TRY_BEGIN/TRY_END), so that the calls are invokes.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  TAG
  (func $fib (param $n i32) (result i32)
    ;; Never taken (n is at most FIB_N); a throw where the module has a tag, so that the
    ;; optimiser cannot prove the calls nounwind and turn the invokes back into calls.
    (if (i32.eq (local.get $n) (i32.const -1)) (then RAISE))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else
        (i32.add
          TRY_BEGIN (call $fib (i32.sub (local.get $n) (i32.const 1))) TRY_END
          TRY_BEGIN (call $fib (i32.sub (local.get $n) (i32.const 2))) TRY_END))))
  ;; A loop of calls to a recursive function (so not inlined away), 0..7 levels deep.
  (func $count (param $n i32) (result i32)
    (if (i32.eq (local.get $n) (i32.const -1)) (then RAISE))
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (i32.add (local.get $n)
        TRY_BEGIN (call $count (i32.sub (local.get $n) (i32.const 1))) TRY_END))))
  (func (export "_start") (local $i i32) (local $s i32) (local $p i32) (local $v i32)
    (local.set $v (call $fib (i32.const FIB_N)))
    (loop $l
      (local.set $s (i32.add (local.get $s)
        TRY_BEGIN (call $count (i32.and (local.get $i) (i32.const 7))) TRY_END))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const LOOP_N))))
    (local.set $v (i32.add (local.get $v) (local.get $s)))
    ;; decimal of $v at [32, 64), newline at 63
    (local.set $p (i32.const 63))
    (i32.store8 (i32.const 63) (i32.const 10))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $d (local.get $v)))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 64) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
