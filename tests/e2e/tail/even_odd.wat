;; even_odd.wat: deep mutual recursion through return_call, which needs real
;; tail calls: 100,000,000 calls deep would be gigabytes of stack (and "call
;; stack exhausted") as ordinary calls. Also, each through the same chain:
;;  - return_call_indirect (is_even_i / is_odd_i through a table),
;;  - callees with other signatures than the caller's (more parameters, some
;;    passed on the native stack; a countdown over seven values),
;;  - several results returned through a tail-call chain (fib as a pair),
;;  - a tail call of a host function (fd_write), which is a call and a return,
;;  - return_call_indirect of a wasm function that takes no part in tail calls
;;    (it has no tail_code: a call and a return too).
;;
;; e2e-stdout: even odd even odd
;; e2e-stdout: sum 5000000050000000
;; e2e-stdout: fib ok
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "even odd even odd\n")
  (data (i32.const 96) "sum ")
  (data (i32.const 128) "fib ok\n")

  (type $pred (func (param i64) (result i32)))
  (table 3 funcref)
  (elem (i32.const 0) $is_even_i $is_odd_i $leaf)
  (func $leaf (param $n i64) (result i32) (i32.wrap_i64 (local.get $n)))
  (func $via_leaf (param $n i64) (result i32)
    (return_call_indirect (type $pred) (local.get $n) (i32.const 2)))

  (func $is_even (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $is_odd (i64.sub (local.get $n) (i64.const 1))))))
  (func $is_odd (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $is_even (i64.sub (local.get $n) (i64.const 1))))))

  (func $is_even_i (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call_indirect (type $pred)
              (i64.sub (local.get $n) (i64.const 1)) (i32.const 1)))))
  (func $is_odd_i (param $n i64) (result i32)
    (if (result i32) (i64.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call_indirect (type $pred)
              (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))))

  ;; sum 1..n: sum(n) = count(n, 0) -> spread(n, acc, 7 more) -> count ...
  (func $sum (param $n i64) (result i64)
    (return_call $count (local.get $n) (i64.const 0)))
  (func $count (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $spread
              (local.get $n) (local.get $acc)
              (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)
              (f64.const 5) (i64.const 6) (i32.const 7)))))
  (func $spread (param $n i64) (param $acc i64)
                (param i32 i32 i32 i32 f64 i64 i32) (result i64)
    ;; the seven extra values must arrive intact: 1+2+3+4+5+6+7 = 28
    (if (i64.ne (i64.add (i64.add (i64.extend_i32_u (i32.add (i32.add (local.get 2) (local.get 3))
                                                               (i32.add (local.get 4) (local.get 5))))
                                  (i64.trunc_f64_s (local.get 6)))
                         (i64.add (local.get 7) (i64.extend_i32_u (local.get 8))))
                (i64.const 28))
      (then (unreachable)))
    (return_call $count (i64.sub (local.get $n) (i64.const 1))
                        (i64.add (local.get $acc) (local.get $n))))

  ;; (a, b) -> fib pair after n steps, results through the tail-call chain
  (func $fib (param $n i32) (param $a i64) (param $b i64) (result i64 i64)
    (if (result i64 i64) (i32.eqz (local.get $n))
      (then (local.get $a) (local.get $b))
      (else (return_call $fib_step (local.get $n) (local.get $a) (local.get $b)))))
  (func $fib_step (param $n i32) (param $a i64) (param $b i64) (result i64 i64)
    (return_call $fib (i32.sub (local.get $n) (i32.const 1))
                      (local.get $b) (i64.add (local.get $a) (local.get $b))))

  ;; writes len bytes at ptr to stdout, by a tail call of the host function
  (func $write (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (return_call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))

  ;; the decimal digits of v at 200.., returns the length
  (func $utoa (param $v i64) (result i32)
    (local $p i32) (local $len i32) (local $i i32) (local $t i32)
    (local.set $p (i32.const 300))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.rem_u (local.get $v) (i64.const 10)) (i64.const 48)))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $l (i64.ne (local.get $v) (i64.const 0))))
    (local.set $len (i32.sub (i32.const 300) (local.get $p)))
    (memory.copy (i32.const 200) (local.get $p) (local.get $len))
    (i32.store8 (i32.add (i32.const 200) (local.get $len)) (i32.const 10))
    (i32.add (local.get $len) (i32.const 1)))

  (func $check (param i32)
    (if (i32.eqz (local.get 0)) (then (call $proc_exit (i32.const 1)))))

  (func (export "_start")
    (local $x i64) (local $y i64)
    (call $check (call $is_even (i64.const 100000000)))
    (call $check (i32.eqz (call $is_odd (i64.const 100000000))))
    (call $check (call $is_even_i (i64.const 50000000)))
    (call $check (call $is_odd_i (i64.const 50000001)))
    (call $check (i32.eq (call $via_leaf (i64.const 7)) (i32.const 7)))
    (drop (call $write (i32.const 64) (i32.const 18)))
    (drop (call $write (i32.const 96) (i32.const 4)))
    (drop (call $write (i32.const 200) (call $utoa (call $sum (i64.const 100000000)))))
    ;; 30,000,000 steps deep (the values wrap; only the depth matters here)
    (call $fib (i32.const 30000000) (i64.const 0) (i64.const 1))
    drop drop
    ;; fib(90) = 2880067194370816120, fib(91) = 4660046610375530309
    (call $fib (i32.const 90) (i64.const 0) (i64.const 1))
    (local.set $y) (local.set $x)
    (call $check (i64.eq (local.get $x) (i64.const 2880067194370816120)))
    (call $check (i64.eq (local.get $y) (i64.const 4660046610375530309)))
    (drop (call $write (i32.const 128) (i32.const 7))))
)
