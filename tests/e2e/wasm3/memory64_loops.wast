;; memory64_loops.wast: i64-addressed accesses in loops, where the bounds
;; versioning pass (compiler/codegen/bounds_versioning.cpp) runs at -O2. It
;; must leave loops over an i64 memory alone (or prove them right): a loop
;; that runs off the end traps at exactly the iteration the wasm says, with
;; every store before it done and none after, also when the address wraps
;; past 2^64, lies above 4 GiB, or straddles the end. The spec runner keeps
;; the instance's state across a trap, so the invocations after each
;; assert_trap read what the loop left. Run at -O2 and -O0 (tests/e2e/meson.build).
(module
  (memory $m i64 1 4)   ;; memory 0: i64 addresses, explicit checks
  (memory $n 1 2)       ;; memory 1: i32 addresses, guard pages only
  (data (memory $m) (i64.const 61440) "\2a\00\00\00")  ;; an i64 segment offset

  ;; a[i] = i + 1 for i in 0..n, a at p, 8-byte elements, i64 addresses.
  (func (export "fill64") (param $p i64) (param $n i64) (local $i i64)
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (i64.store (i64.add (local.get $p) (i64.shl (local.get $i) (i64.const 3)))
          (i64.add (local.get $i) (i64.const 1)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next))))

  ;; b[i] = a[i] + a[i+1] (offset=8) for i in 0..n, both in memory 0: a stencil.
  (func (export "stencil64") (param $a i64) (param $b i64) (param $n i64) (local $i i64) (local $o i64)
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i64.shl (local.get $i) (i64.const 3)))
        (i64.store (i64.add (local.get $b) (local.get $o))
          (i64.add (i64.load (i64.add (local.get $a) (local.get $o)))
                   (i64.load offset=8 (i64.add (local.get $a) (local.get $o)))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next))))

  ;; Copies n i32s from memory 0 (i64 address s) to memory 1 (i32 address d), one per iteration.
  (func (export "copy01") (param $s i64) (param $d i32) (param $n i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store $n (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2)))
          (i32.load $m (i64.add (local.get $s) (i64.extend_i32_u (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Sums a[i + 1] for i in from..n, read at i*8 - 8 with offset=16. At i = 0 the
  ;; subtraction wraps and the address is 2^64 + 8, which traps, although SCEV
  ;; folds the wasm's wrapping constant into the offset (i*8 + 8).
  (func (export "sum_wrapped") (param $from i64) (param $n i64) (result i64) (local $i i64) (local $s i64)
    (local.set $i (local.get $from))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i64.add (local.get $s)
          (i64.load offset=16 (i64.sub (i64.shl (local.get $i) (i64.const 3)) (i64.const 8)))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.get $s))

  (func (export "load64") (param $a i64) (result i64) (i64.load (local.get $a)))
  (func (export "load32") (param $a i64) (result i32) (i32.load (local.get $a)))
  (func (export "load1") (param $a i32) (result i32) (i32.load $n (local.get $a)))
  (func (export "load_offedge") (param $a i64) (result i32) (i32.load offset=0xfffc (local.get $a)))
  (func (export "grow") (param $d i64) (result i64) (memory.grow (local.get $d)))
  (func (export "size") (result i64) (memory.size))
  (func (export "fill") (param $d i64) (param $v i32) (param $n i64) (memory.fill (local.get $d) (local.get $v) (local.get $n)))
  (func (export "copy") (param $d i64) (param $s i64) (param $n i64) (memory.copy (local.get $d) (local.get $s) (local.get $n)))
  ;; memory.copy from memory 0 (i64) into memory 1 (i32): addresses of each memory's type, count i32.
  (func (export "copy_to1") (param $d i32) (param $s i64) (param $n i32) (memory.copy $n $m (local.get $d) (local.get $s) (local.get $n)))
)

;; In bounds.
(assert_return (invoke "load32" (i64.const 61440)) (i32.const 42))
(assert_return (invoke "fill64" (i64.const 0) (i64.const 100)))
(assert_return (invoke "load64" (i64.const 792)) (i64.const 100))
(assert_return (invoke "stencil64" (i64.const 0) (i64.const 4096) (i64.const 99)))
(assert_return (invoke "load64" (i64.const 4096)) (i64.const 3))
(assert_return (invoke "load64" (i64.const 4880)) (i64.const 199))

;; The proved loop reads 3 + 4 + ... + 100; from 0 its first address wraps.
(assert_return (invoke "sum_wrapped" (i64.const 1) (i64.const 99)) (i64.const 5047))
(assert_trap (invoke "sum_wrapped" (i64.const 0) (i64.const 99)) "out of bounds memory access")

;; Off the end part way: p = 65536 - 80, 20 iterations; iterations 0..9 fit, 10 traps.
(assert_trap (invoke "fill64" (i64.const 65456) (i64.const 20)) "out of bounds memory access")
(assert_return (invoke "load64" (i64.const 65456)) (i64.const 1))
(assert_return (invoke "load64" (i64.const 65528)) (i64.const 10))
;; The stencil's loads run off the end (a[i+1] at the last iteration) before its store.
(assert_return (invoke "fill64" (i64.const 32768) (i64.const 100)))
(assert_trap (invoke "stencil64" (i64.const 65456) (i64.const 32768) (i64.const 10)) "out of bounds memory access")
(assert_return (invoke "load64" (i64.const 32768)) (i64.const 3))     ;; iteration 0: 1 + 2
(assert_return (invoke "load64" (i64.const 32832)) (i64.const 19))    ;; iteration 8: 9 + 10
(assert_return (invoke "load64" (i64.const 32840)) (i64.const 10))    ;; iteration 9 never stored
;; Straddling the end: an 8-byte store at 65532 writes nothing.
(assert_trap (invoke "fill64" (i64.const 65532) (i64.const 1)) "out of bounds memory access")
(assert_return (invoke "load32" (i64.const 65532)) (i32.const 0))
;; Wrapping past 2^64: iteration 0 at 2^64 - 8 traps, iteration 1 (address 0) never runs.
(assert_trap (invoke "fill64" (i64.const -8) (i64.const 3)) "out of bounds memory access")
(assert_return (invoke "load64" (i64.const 0)) (i64.const 1))
(assert_trap (invoke "fill64" (i64.const -16) (i64.const 3)) "out of bounds memory access")
(assert_return (invoke "load64" (i64.const 0)) (i64.const 1))
;; Above 4 GiB, where an i32 memory's guard pages would be: refused.
(assert_trap (invoke "fill64" (i64.const 0x100000000) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "load64" (i64.const 0x100000000)) "out of bounds memory access")
(assert_trap (invoke "load64" (i64.const 0x1000000000000)) "out of bounds memory access")
(assert_return (invoke "load_offedge" (i64.const 0)) (i32.const 0))
(assert_trap (invoke "load_offedge" (i64.const 1)) "out of bounds memory access")

;; Two memories in one loop: memory 0's i64 source runs off its end at iteration 5.
;; Its i32s there: 8 0 9 0 10 0, then the end.
(assert_trap (invoke "copy01" (i64.const 65512) (i32.const 0) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "load1" (i32.const 8)) (i32.const 9))
(assert_return (invoke "load1" (i32.const 16)) (i32.const 10))
;; ... and memory 1's i32 destination off its end at iteration 3.
(assert_trap (invoke "copy01" (i64.const 0) (i32.const 65524) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "load1" (i32.const 65532)) (i32.const 2))

;; Growth and size in pages, i64.
(assert_return (invoke "size") (i64.const 1))
(assert_return (invoke "grow" (i64.const 1)) (i64.const 1))
(assert_return (invoke "size") (i64.const 2))
(assert_return (invoke "fill64" (i64.const 65456) (i64.const 20)))
(assert_return (invoke "load64" (i64.const 65608)) (i64.const 20))
(assert_return (invoke "grow" (i64.const 0x100000000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 3)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 2)) (i64.const 2))
(assert_return (invoke "size") (i64.const 4))

;; Bulk operations with i64 addresses and counts, whose ends may wrap past 2^64.
(assert_return (invoke "fill" (i64.const 262140) (i32.const 0x55) (i64.const 4)))
(assert_return (invoke "load32" (i64.const 262140)) (i32.const 0x55555555))
(assert_trap (invoke "fill" (i64.const 262140) (i32.const 0x77) (i64.const 5)) "out of bounds memory access")
(assert_return (invoke "load32" (i64.const 262140)) (i32.const 0x55555555))
(assert_trap (invoke "fill" (i64.const 4) (i32.const 0x77) (i64.const -1)) "out of bounds memory access")
(assert_return (invoke "load32" (i64.const 4)) (i32.const 0))
(assert_trap (invoke "fill" (i64.const -1) (i32.const 0x77) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "copy" (i64.const 0) (i64.const -4) (i64.const 8)) "out of bounds memory access")
(assert_return (invoke "load32" (i64.const 0)) (i32.const 1))
(assert_return (invoke "copy" (i64.const 16) (i64.const 262140) (i64.const 4)))
(assert_return (invoke "load32" (i64.const 16)) (i32.const 0x55555555))
(assert_trap (invoke "copy" (i64.const 0x100000000) (i64.const 0) (i64.const 0)) "out of bounds memory access")
(assert_return (invoke "copy_to1" (i32.const 100) (i64.const 262140) (i32.const 4)))
(assert_return (invoke "load1" (i32.const 100)) (i32.const 0x55555555))
(assert_trap (invoke "copy_to1" (i32.const 0) (i64.const 0x100000000) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "copy_to1" (i32.const 65536) (i64.const 0) (i32.const 1)) "out of bounds memory access")
;; memarg offsets beyond u32 (wast2json 1.0.32 cannot write them in text): i32.load
;; offset=2^32 (the guard-page path: offset + 4 fits in WA_RT_MEMORY64_GUARD) and
;; i32.load8_u offset=2^64-16 (the saturating check: address + offset wraps).
(module binary "\00\61\73\6d\01\00\00\00\01\06\01\60\01\7e\01\7f\03\03\02\00\00\05\03\01\04\01\07\12\02\05\6f\66\66\34\67\00\00\06\6f\66\66\6d\61\78\00\01\0a\1e\02\0b\00\20\00\28\02\80\80\80\80\10\0b\10\00\20\00\2d\00\f0\ff\ff\ff\ff\ff\ff\ff\ff\01\0b")
(assert_trap (invoke "off4g" (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "off4g" (i64.const -0x100000000)) "out of bounds memory access")
(assert_trap (invoke "offmax" (i64.const 0x20)) "out of bounds memory access")
(assert_trap (invoke "offmax" (i64.const 0)) "out of bounds memory access")

;; Imports match only a memory of the same address type (memory64 proposal, import subtyping).
(module $M32 (memory (export "mem") 1))
(register "m32" $M32)
(module $M64 (memory (export "mem") i64 1))
(register "m64" $M64)
(assert_unlinkable (module (import "m32" "mem" (memory i64 1))) "incompatible import type")
(assert_unlinkable (module (import "m64" "mem" (memory 1))) "incompatible import type")
(module (import "m64" "mem" (memory i64 1))
  (func (export "poke") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "peek") (param i64) (result i32) (i32.load8_u (local.get 0))))
(assert_return (invoke "poke" (i64.const 65535) (i32.const 7)))
(assert_return (invoke "peek" (i64.const 65535)) (i32.const 7))
(assert_trap (invoke "peek" (i64.const 65536)) "out of bounds memory access")
