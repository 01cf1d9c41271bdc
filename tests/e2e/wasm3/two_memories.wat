;; two_memories.wat: a program with three memories (multi-memory proposal).
;; Memory 0 is exported as "memory" for WASI's fd_write; $b and $c are the
;; module's own, each with its own reservation and guard region. It copies
;; between them (memory.copy $b $c, from an active segment of $c), fills,
;; grows $b (memory 0 and $c keep their sizes), reads what it wrote through
;; the memarg memory index, prints each result, and at last reads one byte
;; past the end of $c, which traps in function 2 ($peek_c) although the same
;; address is in bounds in $b.
;;
;; e2e-stdout: copy c->b: hello from c
;; e2e-stdout: sizes 1 1 2, grow b: 1, sizes 1 2 2
;; e2e-stdout: b new page: 0x2a2a2a2a, c end: 0x63
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 2 peek_c
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $io (export "memory") 1)
  (memory $b 1 3)
  (memory $c 2 2)
  (data (memory $c) (i32.const 100) "hello from c\n")
  (data (memory $c) (i32.const 131071) "c")
  (data (memory $io) (i32.const 1024) "copy c->b: " )

  (func $_start (export "_start")
    ;; c[100..113) -> b[500..) -> io[1035..)
    (memory.copy $b $c (i32.const 500) (i32.const 100) (i32.const 13))
    (memory.copy $io $b (i32.const 1035) (i32.const 500) (i32.const 13))
    (call $print (i32.const 1024) (i32.const 24))
    (call $text (i32.const 0) (i32.const 2000) (i32.const 6))  ;; "sizes "
    (call $num (memory.size $io)) (call $space)
    (call $num (memory.size $b)) (call $space)
    (call $num (memory.size $c))
    (call $text (i32.const 1) (i32.const 2000) (i32.const 10))  ;; ", grow b: "
    (call $num (memory.grow $b (i32.const 1)))
    (call $text (i32.const 2) (i32.const 2000) (i32.const 8))  ;; ", sizes "
    (call $num (memory.size $io)) (call $space)
    (call $num (memory.size $b)) (call $space)
    (call $num (memory.size $c))
    (call $newline)
    ;; The grown page of $b: fill, read back with an i32.load of memory 1.
    (memory.fill $b (i32.const 65536) (i32.const 0x2a) (i32.const 65536))
    (call $text (i32.const 3) (i32.const 2000) (i32.const 14))  ;; "b new page: 0x"
    (call $hex (i32.load $b (i32.const 131068)))
    (call $text (i32.const 4) (i32.const 2000) (i32.const 11))  ;; ", c end: 0x"
    (call $hex (i32.load8_u $c (i32.const 131071)))
    (call $newline)
    ;; In bounds in $b (2 pages now, 131072 bytes) and in $c, but 4 bytes at 131070 are not in $c.
    (drop (i32.load $b (i32.const 131068)))
    (drop (call $peek_c (i32.const 131070))))

  (func $peek_c (param $a i32) (result i32)
    (i32.load $c (local.get $a)))

  ;; Writes io[p..p+n) to stdout.
  (func $print (param $p i32) (param $n i32)
    (i32.store $io (i32.const 0) (local.get $p))
    (i32.store $io (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Phrase k (each 16 bytes at 3000), n bytes, copied to io[at] and printed.
  (func $text (param $k i32) (param $at i32) (param $n i32)
    (memory.copy $io $io (local.get $at) (i32.add (i32.const 3000) (i32.shl (local.get $k) (i32.const 4)))
      (local.get $n))
    (call $print (local.get $at) (local.get $n)))
  (data (memory $io) (i32.const 3000) "sizes           , grow b:       , sizes         b new page: 0x  , c end: 0x     ")

  (func $space (i32.store8 $io (i32.const 16) (i32.const 32)) (call $print (i32.const 16) (i32.const 1)))
  (func $newline (i32.store8 $io (i32.const 16) (i32.const 10)) (call $print (i32.const 16) (i32.const 1)))

  ;; Prints a signed decimal.
  (func $num (param $v i32) (local $p i32) (local $neg i32)
    (local.set $p (i32.const 64))
    (local.set $neg (i32.lt_s (local.get $v) (i32.const 0)))
    (if (local.get $neg) (then (local.set $v (i32.sub (i32.const 0) (local.get $v)))))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 $io (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $d (local.get $v)))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 $io (local.get $p) (i32.const 45))))
    (call $print (local.get $p) (i32.sub (i32.const 64) (local.get $p))))

  ;; Prints 8 hex digits (or 2 if v < 256).
  (func $hex (param $v i32) (local $p i32) (local $digits i32)
    (local.set $digits (select (i32.const 2) (i32.const 8) (i32.lt_u (local.get $v) (i32.const 256))))
    (local.set $p (i32.const 96))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 $io (local.get $p)
        (i32.load8_u $io (i32.add (i32.const 4000) (i32.and (local.get $v) (i32.const 15)))))
      (local.set $v (i32.shr_u (local.get $v) (i32.const 4)))
      (br_if $d (i32.gt_u (local.get $p) (i32.sub (i32.const 96) (local.get $digits)))))
    (call $print (local.get $p) (local.get $digits)))
  (data (memory $io) (i32.const 4000) "0123456789abcdef"))
