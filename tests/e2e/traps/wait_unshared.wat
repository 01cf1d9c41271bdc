;; wait_unshared.wat: memory.atomic.wait32 on an unshared memory traps
;; "expected shared memory" (threads proposal: nothing could ever notify),
;; after the alignment and bounds checks; notify there returns 0.
;;
;; e2e-trap: expected shared memory
;; e2e-trap-func: 1 wait
(module
  (memory 1)
  (func $_start (export "_start")
    (if (memory.atomic.notify (i32.const 0) (i32.const 1)) (then unreachable))
    (drop (call $wait (i32.const 8))))
  (func $wait (param $p i32) (result i32)
    (memory.atomic.wait32 (local.get $p) (i32.const 0) (i64.const -1))))
