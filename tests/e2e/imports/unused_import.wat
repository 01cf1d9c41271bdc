;; unused_import.wat: imports env.foo but never calls it; with
;; --allow-unknown-imports it runs normally, printing a line and ending with
;; proc_exit(9).
;;
;; e2e-stdout: foo never called
;; e2e-exit: 9
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "foo" (func $foo (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\11\00\00\00")
  (data (i32.const 16) "foo never called\n")
  (func $_start (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (if (i32.eqz (i32.load (i32.const 1000)))
      (then (call $proc_exit (i32.const 9))))
    (drop (call $foo (i32.const 1)))))
