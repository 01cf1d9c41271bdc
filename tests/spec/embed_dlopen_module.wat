;; embed_dlopen_module.wat: the module test_embed_dlopen.c runs through a dlopen()ed runtime.
(module
  (memory 1)
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  ;; An out-of-bounds load: a guard-page fault, classified by the signal handler.
  (func (export "load") (param i32 i32) (result i32)
    (i32.load (local.get 0)))
  ;; Recursion without end: call stack exhausted.
  (func $recurse (export "recurse") (param i32 i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1)) (local.get 1)) (i32.const 1))))
