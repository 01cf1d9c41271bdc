;; recurse.wat: recursion 20000 calls deep (a few hundred KiB of native
;; stack), then "done"; for --max-stack. The store after the call keeps it a
;; real recursion at any optimization level.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "done\n")
  (func $_start (export "_start")
    (call $recurse (i32.const 20000))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 5))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $recurse (param $depth i32)
    (if (i32.eqz (local.get $depth)) (then (return)))
    (call $recurse (i32.sub (local.get $depth) (i32.const 1)))
    (i32.store (i32.add (i32.const 0x100) (i32.and (local.get $depth) (i32.const 0xFFC)))
               (local.get $depth))))
