;; memory64.wat: a program whose memory 0 is i64-addressed (memory64
;; proposal), with an i32 memory 1 exported as "memory" for WASI's fd_write.
;; It reads an active segment placed by an i64 offset, grows memory 0 by an
;; i64 delta (and fails to grow it by 2^32 and by 2^64-1 pages: -1 as an
;; i64), writes at the end of the grown memory, copies and fills with i64
;; addresses and counts, copies into the i32 memory to print, and at last
;; loads at 4 GiB, an address an i32 memory's guard pages would cover, which
;; traps in function 2 ($peek).
;;
;; e2e-stdout: size 1, grow 2: 1, grow 2^32: -1, grow -1: -1, size 3
;; e2e-stdout: copied: memory64 zzzz
;; e2e-trap: out of bounds memory access
;; e2e-trap-func: 2 peek
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $m i64 1 8)
  (memory $io (export "memory") 1)
  (data (memory $m) (i64.const 65528) "memory64")

  (func $_start (export "_start")
    (call $text (i32.const 0) (i32.const 2000) (i32.const 5))   ;; "size "
    (call $num (i32.wrap_i64 (memory.size $m)))
    (call $text (i32.const 1) (i32.const 2000) (i32.const 10))  ;; ", grow 2: "
    (call $num (i32.wrap_i64 (memory.grow $m (i64.const 2))))
    (call $text (i32.const 2) (i32.const 2000) (i32.const 13))  ;; ", grow 2^32: "
    (call $num (i32.wrap_i64 (memory.grow $m (i64.const 0x100000000))))
    (call $text (i32.const 3) (i32.const 2000) (i32.const 11))  ;; ", grow -1: "
    (call $num (i32.wrap_i64 (memory.grow $m (i64.const -1))))
    (call $text (i32.const 5) (i32.const 2000) (i32.const 7))   ;; ", size "
    (call $num (i32.wrap_i64 (memory.size $m)))
    (call $newline)
    ;; The last 8 bytes of the grown memory: "memory64" copied there, then 4 bytes "zzzz" after a blank.
    (memory.copy $m $m (i64.const 196600) (i64.const 65528) (i64.const 8))
    (i64.store $m (i64.const 196600) (i64.load $m (i64.const 196600)))
    (memory.fill $m (i64.const 196588) (i32.const 0x7a) (i64.const 4))
    (i32.store8 $m (i64.const 196592) (i32.const 0x20))
    (call $text (i32.const 4) (i32.const 2000) (i32.const 8))   ;; "copied: "
    (memory.copy $io $m (i32.const 200) (i64.const 196600) (i32.const 8))
    (i32.store8 $io (i32.const 208) (i32.const 0x20))
    (memory.copy $io $m (i32.const 209) (i64.const 196588) (i32.const 4))
    (call $print (i32.const 200) (i32.const 13))
    (call $newline)
    (drop (call $peek (i64.const 0x100000000))))

  (func $peek (param $a i64) (result i64)
    (i64.load $m (local.get $a)))

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
  (data (memory $io) (i32.const 3000) "size            , grow 2:       , grow 2^32:    , grow -1:      copied:         , size          ")

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
