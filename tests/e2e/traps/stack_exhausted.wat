;; stack_exhausted.wat: unbounded recursion traps with "call stack exhausted"
;; (the recursion is not a tail call: the result is used after the call).
;;
;; e2e-trap: call stack exhausted
;; e2e-trap-func: 1 recurse
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (drop (call $recurse (i32.const 0))))
  (func $recurse (param $depth i32) (result i32)
    (i32.add
      (call $recurse (i32.add (local.get $depth) (i32.const 1)))
      (local.get $depth))))
