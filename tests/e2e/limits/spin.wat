;; spin.wat: an endless loop with no call and no memory access, for
;; --timeout: only the check at the loop header can end it.
(module
  (memory (export "memory") 1)
  (func $_start (export "_start") (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))
