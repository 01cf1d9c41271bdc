;; stack_exhausted_accum.wat: recursion whose result is used after the call
;; (depth + recurse(depth + 1)) with no base case must still trap with "call
;; stack exhausted", not turn into an endless loop (LLVM's tail-recursion
;; elimination can rewrite such accumulator recursion into a loop).
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
