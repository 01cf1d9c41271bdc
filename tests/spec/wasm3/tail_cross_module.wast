;; Tail calls between modules and to host functions (wasmaot's own test, run
;; by the spec-proposals suites with --enable-all): ping in A tail-calls
;; through A's table into pong of B, which tail-calls A's ping as an import.
;; Ten million rounds need real tail calls in both directions (as ordinary
;; calls they exhaust the stack). A host function (spectest's print_i32)
;; and a wasm function outside tail calls are tail-called as a call and a
;; return.
(module $A
  (type $t (func (param i64) (result i64)))
  (table (export "tab") 2 funcref)
  (func $ping (export "ping") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 42))
      (else (return_call_indirect (type $t)
              (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))))
  (func $plain (export "plain") (param $n i64) (result i64)
    (i64.add (local.get $n) (i64.const 1))))
(register "A" $A)

(module $B
  (type $t (func (param i64) (result i64)))
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "A" "ping" (func $ping (type $t)))
  (import "A" "plain" (func $plain (type $t)))
  (import "A" "tab" (table 2 funcref))
  (elem (i32.const 0) $pong)
  (func $pong (param $n i64) (result i64)
    (return_call $ping (local.get $n)))
  (func (export "pong") (param $n i64) (result i64)
    (return_call $pong (local.get $n)))
  (func (export "print") (param i32)
    (return_call $print_i32 (local.get 0)))
  (func (export "plain") (param $n i64) (result i64)
    (return_call $plain (local.get $n))))

(assert_return (invoke $A "ping" (i64.const 10000000)) (i64.const 42))
(assert_return (invoke $B "pong" (i64.const 10000001)) (i64.const 42))
(assert_return (invoke $B "print" (i32.const 7)))
(assert_return (invoke $B "plain" (i64.const 41)) (i64.const 42))
