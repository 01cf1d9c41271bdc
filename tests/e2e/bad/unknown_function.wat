;; unknown_function.wat: well-formed but invalid: a call to function index 7
;; in a module with two functions (built with wat2wasm --no-check).
;; e2e-reason: unknown function
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call 7))
  (func $other))
