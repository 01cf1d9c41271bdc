;; exceptions_tail.wast: exceptions and tail calls (exception-handling and
;; tail-call proposals). A return_call ends its caller's frame, handlers
;; included: what the callee throws goes to the caller's caller. $f holds a
;; tail call, so it is a tailcc body that "run" calls through an invoke; $g,
;; tail-called by $f, throws into "run"'s handler, and a throw of $f's own
;; before its tail call is caught there too. "inner" has a handler around
;; its own return_call, which does not catch: the exception reaches "outer".
(module
  (tag $e (param i32))
  (func $f (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 5))))
    (return_call $g (local.get 0)))
  (func $g (param i32) (result i32)
    (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $e (i32.const 6))))
    (i32.add (local.get 0) (i32.const 100)))
  (func (export "run") (param i32) (result i32)
    (try (result i32) (do (call $f (local.get 0)))
      (catch $e)))
  (func (export "run2") (param i32) (result i32)
    (try (result i32) (do (call $f (local.get 0)))
      (catch_all (i32.const -1)))))
(assert_return (invoke "run" (i32.const 0)) (i32.const 5))
(assert_return (invoke "run" (i32.const 1)) (i32.const 101))
(assert_return (invoke "run" (i32.const 2)) (i32.const 6))
(assert_return (invoke "run2" (i32.const 2)) (i32.const -1))
(assert_return (invoke "run2" (i32.const 3)) (i32.const 103))

(module
  (tag $e (param i32))
  (func $thrower (param i32) (result i32) (throw $e (local.get 0)))
  (func $inner (param i32) (result i32)
    (try (result i32)
      (do (return_call $thrower (local.get 0)))
      (catch $e (drop) (i32.const -1))))
  (func (export "outer") (param i32) (result i32)
    (try (result i32)
      (do (call $inner (local.get 0)))
      (catch $e (i32.const 1000) (i32.add)))))
(assert_return (invoke "outer" (i32.const 7)) (i32.const 1007))
