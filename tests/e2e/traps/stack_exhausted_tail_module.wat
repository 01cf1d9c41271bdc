;; stack_exhausted_tail_module.wat: in a module with tail calls (whose
;; bodies use LLVM's tailcc convention and are reached from C through an
;; entry function each), ordinary recursion still exhausts the stack and
;; traps "call stack exhausted", reported in the recursing function. The
;; recursion goes through return_call on the way (recurse -> step is a tail
;; call, step -> recurse an ordinary one), so only the ordinary calls grow
;; the stack.
;;
;; e2e-trap: call stack exhausted
;; e2e-trap-func: 2 step
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $recurse (i32.const 0)))
  (func $recurse (param $depth i32)
    (return_call $step (local.get $depth)))
  (func $step (param $depth i32)
    (if (i32.eq (i32.load (i32.const 0xFF00)) (i32.const 12345))
      (then (return)))
    (call $recurse (i32.add (local.get $depth) (i32.const 1)))
    (i32.store (i32.and (local.get $depth) (i32.const 0xFFC)) (local.get $depth))))
