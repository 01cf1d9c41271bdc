;; oob_dead_store.wat: a store whose bytes a later store overwrites before anything reads them.
;; The trap is the access's observable effect (spec 4.4.7), so it must
;; happen although the value (or the stored bytes) never matters.
;; (That the in-bounds store between them does not happen first is checked
;; where memory can be read after a trap: tests/spec/test_embed.c.)
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 touch
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $touch))
  (func $touch
    (i32.store (i32.const 0x7fff0000) (i32.const 1))
    (i32.store (i32.const 0) (i32.const 2))
    (i32.store (i32.const 0x7fff0000) (i32.const 3))))
