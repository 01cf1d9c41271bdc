;; unknown_import.wat: imports env.foo and env.bar, which no runtime provides,
;; and calls env.foo after printing a line. Without --allow-unknown-imports
;; wasmaot must refuse it, naming both; with it, the program runs until the
;; call and then traps.
;;
;; e2e-stdout: calling foo
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "foo" (func $foo (param i32) (result i32)))
  (import "env" "bar" (func $bar))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\0c\00\00\00")
  (data (i32.const 16) "calling foo\n")
  (func $_start (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $foo (i32.const 42)))
    (call $bar)))
