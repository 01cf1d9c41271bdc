;; stack_exhausted.wat: unbounded recursion traps with "call stack exhausted".
;; The recursion has a base case the compiler cannot rule out (a memory value
;; that is never set) and a store after the call, so it stays a real
;; recursion at any optimization level.
;;
;; e2e-trap: call stack exhausted
;; e2e-trap-func: 1 recurse
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $recurse (i32.const 0)))
  (func $recurse (param $depth i32)
    (if (i32.eq (i32.load (i32.const 0xFF00)) (i32.const 12345))
      (then (return)))
    (call $recurse (i32.add (local.get $depth) (i32.const 1)))
    (i32.store (i32.and (local.get $depth) (i32.const 0xFFC)) (local.get $depth))))
