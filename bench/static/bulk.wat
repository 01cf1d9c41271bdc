;; bulk.wat: 2*10^7 memory.copy and memory.fill of 16 to 1039 bytes, the bulk-memory
;; instructions that generated code hands to the C library's memmove and memset: the part of
;; a program's speed that depends on which C library an executable links (bench/static/run).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 4)
  (func (export "_start") (local $i i32) (local $n i32)
    (loop $l
      (memory.copy (i32.and (i32.mul (local.get $i) (i32.const 64)) (i32.const 0xFFFF))
                   (i32.const 131072) (local.get $n))
      (memory.fill (i32.const 196608) (local.get $i) (local.get $n))
      (local.set $n (i32.add (i32.const 16) (i32.and (local.get $i) (i32.const 1023))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 20000000))))
    (call $exit (i32.const 0))))
