;; oob_load_add_chain.wat: a dropped load under a chain of ten i32.add.
;; The trap is the access's observable effect (spec 4.4.7), so it must
;; happen although the value (or the stored bytes) never matters.
;;
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 1 touch
(module
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $touch))
  (func $touch
    (drop (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add
      (i32.load (i32.const 0x7fff0000))
      (i32.const 1)) (i32.const 2)) (i32.const 3)) (i32.const 4)) (i32.const 5))
      (i32.const 6)) (i32.const 7)) (i32.const 8)) (i32.const 9)) (i32.const 10)))))
