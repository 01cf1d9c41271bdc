;; exceptions.wat: throwing and catching (exception-handling proposal, the
;; legacy try/catch encoding that wat2wasm 1.0.32 knows; try_table, throw_ref
;; and exnref are in tests/spec/wasm3/exnref.wast). Each line is one case:
;;   an i32 payload thrown three frames down and caught (4 * 10),
;;   a payload of three values (i32 1 + i64 20 + f64 300.5 truncated),
;;   a rethrow: the same exception, payload intact, caught further out,
;;   a delegate: the inner try passes it to the outer one's catch,
;;   a catch_all taking a tag that no catch names,
;;   an exception from a call_indirect callee,
;;   1000 throws caught in a loop (each freed after its catch), summed,
;; then an uncaught exception ends the program (exit 134), thrown in $deep3
;; (at -O2 inlined into its callers: e2e-trap-helper relaxes the function).
;;
;; e2e-stdout: 40
;; e2e-stdout: 321
;; e2e-stdout: 77
;; e2e-stdout: 55
;; e2e-stdout: 99
;; e2e-stdout: 66
;; e2e-stdout: 500500
;; e2e-trap: uncaught exception with tag "e_i32"
;; e2e-trap-func: 3 deep3
;; e2e-trap-helper: yes
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $e_i32 (export "e_i32") (param i32))
  (tag $e_pair (param i32 i64 f64))
  (tag $e_other)
  (table 2 funcref)
  (elem (i32.const 0) $throw_66 $deep3)
  (type $v_v (func))

  (func $deep1 (param i32) (call $deep2 (local.get 0)))
  (func $deep2 (param i32) (call $deep3 (i32.mul (local.get 0) (i32.const 10))))
  (func $deep3 (param i32) (throw $e_i32 (local.get 0)))
  (func $throw_66 (throw $e_i32 (i32.const 66)))
  (func $throw_pair (throw $e_pair (i32.const 1) (i64.const 20) (f64.const 300.5)))
  (func $throw_other (throw $e_other))

  ;; Catches, then rethrows the exception it caught.
  (func $catch_and_rethrow
    (try (do (call $deep3 (i32.const 77)))
      (catch $e_i32 (drop) (rethrow 0))))

  (func $_start (export "_start") (local $i i32) (local $sum i32)
    (try (do (call $deep1 (i32.const 4)))
      (catch $e_i32 (call $line)))
    (try (do (call $throw_pair))
      (catch $e_pair
        (i32.trunc_f64_s) (local.set $i)
        (i32.wrap_i64) (i32.add) (local.get $i) (i32.add) (call $line)))
    (try (do (call $catch_and_rethrow))
      (catch $e_i32 (call $line)))
    (try
      (do (try (do (call $deep3 (i32.const 55))) (delegate 0)))
      (catch $e_i32 (call $line)))
    (try (do (call $throw_other))
      (catch $e_i32 (drop) (unreachable))
      (catch_all (call $line (i32.const 99))))
    (try (do (call_indirect (type $v_v) (i32.const 0)))
      (catch $e_i32 (call $line)))
    (local.set $i (i32.const 1))
    (loop $l
      (try (do (call $deep3 (local.get $i)))
        (catch $e_i32 (local.get $sum) (i32.add) (local.set $sum)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.le_u (local.get $i) (i32.const 1000))))
    (call $line (local.get $sum))
    (call $deep1 (i32.const 9)))

  ;; Prints v as a signed decimal and a newline.
  (func $line (param $v i32) (local $p i32) (local $neg i32)
    (local.set $p (i32.const 63))
    (i32.store8 (i32.const 63) (i32.const 10))
    (local.set $neg (i32.lt_s (local.get $v) (i32.const 0)))
    (if (local.get $neg) (then (local.set $v (i32.sub (i32.const 0) (local.get $v)))))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $d (local.get $v)))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 64) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
