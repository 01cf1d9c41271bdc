;; type_mismatch.wat: well-formed but invalid: a function declared to return
;; i32 leaves an i64 on the stack (built with wat2wasm --no-check).
;; e2e-reason: type mismatch
(module
  (memory (export "memory") 1)
  (func $_start (export "_start"))
  (func $wrong (result i32)
    (i64.const 1)))
