;; Loops that compiler/codegen/bounds_versioning.cpp may copy with ordinary
;; (non-volatile) accesses: each loop whose accesses stay in bounds must give
;; the same results, and each that goes out of bounds part way must trap at
;; the same iteration, with every store before it done (the exports after a
;; trapping one log what the memory holds) and none after.
(module
 (import "fuzzing-support" "log-i32" (func $log (param i32)))
 (memory 1 2)

 ;; Sum of n i32s from address p (stride 4), logged.
 (func $sum (param $p i32) (param $n i32) (local $s i32)
  (block $done
   (loop $next
    (br_if $done (i32.eqz (local.get $n)))
    (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
    (local.set $p (i32.add (local.get $p) (i32.const 4)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $next)))
  (call $log (local.get $s)))

 ;; a[i] = i * 3 for i in 0..n, a at p: a plain vectorizable loop.
 (func $fill (param $p i32) (param $n i32) (local $i i32)
  (block $done
   (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))
     (i32.mul (local.get $i) (i32.const 3)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))

 (func (export "fill_in_bounds")
  (call $fill (i32.const 1024) (i32.const 1000))
  (call $sum (i32.const 1024) (i32.const 1000)))
 ;; The 100th store is the first out of bounds.
 (func (export "fill_past_the_end")
  (call $fill (i32.const 65136) (i32.const 5000)))
 (func (export "after_fill_past_the_end")
  (call $sum (i32.const 65136) (i32.const 100))
  (call $log (i32.load (i32.const 65532))))

 ;; b[i] = a[i] + a[i+1] (f32), a copy between two arrays; the last load straddles the end.
 (func $stencil (param $a i32) (param $b i32) (param $n i32) (local $i i32)
  (block $done
   (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (f32.store (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2)))
     (f32.add (f32.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))
              (f32.load offset=4 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2))))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))
 (func (export "stencil_in_bounds")
  (call $fill (i32.const 4096) (i32.const 2001))
  (call $stencil (i32.const 4096) (i32.const 16384) (i32.const 2000))
  (call $sum (i32.const 16384) (i32.const 2000)))
 (func (export "stencil_straddles_the_end")
  (call $fill (i32.const 61440) (i32.const 1023))
  (call $stencil (i32.const 61442) (i32.const 20000) (i32.const 1023)))
 (func (export "after_stencil_straddles_the_end")
  (call $sum (i32.const 20000) (i32.const 1023)))

 ;; A load whose value is never used, in a loop that runs past the end: it must trap.
 (func (export "dead_load_past_the_end") (local $i i32) (local $unused i32)
  (block $done
   (loop $next
    (br_if $done (i32.ge_u (local.get $i) (i32.const 20000)))
    (local.set $unused (i32.load offset=60000 (i32.shl (local.get $i) (i32.const 2))))
    (i32.store (i32.const 8) (local.get $i))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next)))
  (call $log (i32.const -1)))
 (func (export "after_dead_load_past_the_end")
  (call $log (i32.load (i32.const 8))))

 ;; An address that wraps at 2^32: p + 4i from p = 2^32 - 64 stays out of bounds
 ;; until it wraps to small addresses; the first access traps.
 (func (export "wrapping_address") (local $i i32)
  (i32.store (i32.const 12) (i32.const 77))
  (block $done
   (loop $next
    (br_if $done (i32.ge_u (local.get $i) (i32.const 64)))
    (i32.store (i32.add (i32.const -64) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))
 (func (export "after_wrapping_address")
  (call $log (i32.load (i32.const 12)))
  (call $log (i32.load (i32.const 0))))

 ;; Downwards: a[i] for i = 40 down to -20; the address wraps below 0 at i = -1.
 (func (export "downwards_below_zero") (local $i i32)
  (local.set $i (i32.const 40))
  (block $done
   (loop $next
    (br_if $done (i32.lt_s (local.get $i) (i32.const -20)))
    (i32.store offset=400 (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
    (drop (i32.load (i32.shl (local.get $i) (i32.const 2))))
    (local.set $i (i32.sub (local.get $i) (i32.const 1)))
    (br $next))))
 (func (export "after_downwards_below_zero")
  (call $sum (i32.const 400) (i32.const 41)))
 (func (export "downwards_in_bounds") (local $i i32) (local $s i32)
  (local.set $i (i32.const 999))
  (block $done
   (loop $next
    (br_if $done (i32.lt_s (local.get $i) (i32.const 0)))
    (local.set $s (i32.add (local.get $s) (i32.load offset=1024 (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $i (i32.sub (local.get $i) (i32.const 1)))
    (br $next)))
  (call $log (local.get $s)))

 ;; The check reads the memory's size when the loop starts: after a grow, the new page is in bounds.
 (func (export "fill_after_grow")
  (call $log (memory.grow (i32.const 1)))
  (call $fill (i32.const 65536) (i32.const 16384))
  (call $sum (i32.const 130672) (i32.const 100)))
 (func (export "fill_past_the_grown_end")
  (call $fill (i32.const 130000) (i32.const 1000)))
 (func (export "after_fill_past_the_grown_end")
  (call $log (i32.load (i32.const 131068)))
  (call $sum (i32.const 130000) (i32.const 268)))

 ;; A wide (i64) access whose last element only partly fits.
 (func (export "i64_copy_partly_out") (local $i i32)
  (block $done
   (loop $next
    (br_if $done (i32.ge_u (local.get $i) (i32.const 300)))
    (i64.store (i32.add (i32.const 2000) (i32.shl (local.get $i) (i32.const 3)))
     (i64.load offset=128700 (i32.shl (local.get $i) (i32.const 3))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))
 (func (export "after_i64_copy_partly_out")
  (call $sum (i32.const 2000) (i32.const 600)))
)
