;; trunc_overflow.wat: i32.trunc_f32_u of a value above UINT32_MAX traps with
;; "integer overflow" (the spec's message for out-of-range truncation), after
;; an in-range truncation of -0.9 (which is 0, not a trap).
;;
;; e2e-trap: integer overflow
;; e2e-trap-func: 1 to_uint
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (drop (call $to_uint (f32.const -0.9)))
    (drop (call $to_uint (f32.const 4294967296))))
  (func $to_uint (param $x f32) (result i32)
    (i32.trunc_f32_u (local.get $x))))
