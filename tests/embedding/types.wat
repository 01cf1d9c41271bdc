;; types.wat: exports whose names and types exercise `wasmaot --header` (header_types.c):
;; names that collide once made C identifiers, a name with "*/" and one with a NUL byte,
;; multiple results, v128, funcref and externref.
(module
  (func $id (export "a-b") (param i32) (result i32) (local.get 0))
  (func (export "a_b") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "bind") (result i32) (i32.const 7))
  (func (export "t") (result i32) (i32.const 8))
  (func (export "9lives") (result i32) (i32.const 9))
  (func (export "x*/y") (result i32) (i32.const 10))
  (func (export "n\00ul") (result i32) (i32.const 11))
  (func (export "divmod") (param i64 i64) (result i64 i64 f32)
    (i64.div_s (local.get 0) (local.get 1))
    (i64.rem_s (local.get 0) (local.get 1))
    (f32.const 0.5))
  (func (export "vadd") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  (func (export "self") (result funcref) (ref.func $id))
  (func (export "echo") (param externref) (result externref) (local.get 0))
  (elem declare func $id))
