;; stack_exhausted_runaway.wat: the spec suite's `runaway` (call.wast,
;; assert_exhaustion): a function whose body is only a call to itself must
;; trap with "call stack exhausted" (wasm has no implicit tail calls), not
;; loop forever.
;;
;; e2e-trap: call stack exhausted
;; e2e-trap-func: 1 runaway
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $runaway))
  (func $runaway
    (call $runaway)))
