;; stack_exhausted_tail_module.wat: in a module with tail calls, ordinary
;; recursion of a function whose body uses LLVM's tailcc convention (it is
;; the target of a return_call, reached from C through its entry function)
;; still exhausts the stack and traps "call stack exhausted", reported in
;; the recursing function.
;;
;; e2e-trap: call stack exhausted
;; e2e-trap-func: 1 step
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (return_call $step (i32.const 0)))
  (func $step (param $depth i32)
    (if (i32.eq (i32.load (i32.const 0xFF00)) (i32.const 12345))
      (then (return)))
    (call $step (i32.add (local.get $depth) (i32.const 1)))
    (i32.store (i32.and (local.get $depth) (i32.const 0xFFC)) (local.get $depth))))
