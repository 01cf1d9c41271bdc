;; threads.wat: a wasi-threads command (the wasm32-wasip1-threads ABI: it
;; imports its shared memory as env.memory and exports wasi_thread_start).
;; _start spawns 4 threads with wasi.thread-spawn (start_arg = 1..4); each
;; does 200000 rounds of: i32.atomic.rmw.add on a shared counter, i64
;; atomic add of its start_arg to a shared sum, and a non-atomic increment
;; of a second counter under a spin lock taken with i32.atomic.rmw.cmpxchg
;; and released with i32.atomic.store. Each then counts itself done
;; (atomic add) and notifies. _start waits with memory.atomic.wait32 until
;; all 4 are done and prints the totals, which are the same every run only
;; if the atomics are atomic and the lock excludes: 4 * 200000 = 800000
;; for both counters, 200000 * (1+2+3+4) = 2000000 for the sum. Then: the
;; thread ids (1..4, summed: 10), a wait whose value differs (1), a wait
;; that times out after 1 ms (2), a notify nobody waits for (0).
;;
;; e2e-runs: 5
;; e2e-stdout: atomic 800000 locked 800000 sum 2000000 done 4
;; e2e-stdout: tids 10 wait-not-equal 1 wait-timeout 2 notify 0
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))

  ;; Shared words: 0 the atomic counter, 4 the lock, 8 the locked counter,
  ;; 12 threads done, 16 the i64 sum, 24 a word nobody changes. 64.. an
  ;; iovec, 128.. the digits, 256.. the texts. The texts are a passive
  ;; segment that only _start copies: an active one would be written again
  ;; by every thread's instance (each runs the module's initialisation).
  (data $texts "atomic  locked  sum  done \ntids  wait-not-equal  wait-timeout  notify \n")
  (global $rounds i32 (i32.const 200000))
  (global $threads i32 (i32.const 4))

  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (local $i i32)
    (loop $round
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (drop (i64.atomic.rmw.add (i32.const 16) (i64.extend_i32_u (local.get $arg))))
      ;; lock: spin until 0 -> 1 succeeds
      (loop $spin
        (br_if $spin (i32.atomic.rmw.cmpxchg (i32.const 4) (i32.const 0) (i32.const 1))))
      (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
      (i32.atomic.store (i32.const 4) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $i) (global.get $rounds))))
    (drop (i32.atomic.rmw.add (i32.const 12) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 12) (i32.const 1))))

  (func $_start (export "_start")
    (local $i i32) (local $tid i32) (local $tids i32) (local $done i32)
    (local.set $i (i32.const 1))
    (loop $spawn
      (local.set $tid (call $thread_spawn (local.get $i)))
      (if (i32.le_s (local.get $tid) (i32.const 0)) (then unreachable))
      (local.set $tids (i32.add (local.get $tids) (local.get $tid)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.le_u (local.get $i) (global.get $threads))))
    ;; wait until every thread is done: sleep while the count is what we saw
    (block $all
      (loop $wait
        (local.set $done (i32.atomic.load (i32.const 12)))
        (br_if $all (i32.eq (local.get $done) (global.get $threads)))
        (drop (memory.atomic.wait32 (i32.const 12) (local.get $done) (i64.const -1)))
        (br $wait)))
    ;; the texts, from the passive segment: only this instance writes them
    (memory.init $texts (i32.const 256) (i32.const 0) (i32.const 71))
    (call $write (i32.const 256) (i32.const 7)) ;; "atomic "
    (call $num (i32.atomic.load (i32.const 0)))
    (call $write (i32.const 263) (i32.const 8)) ;; " locked "
    (call $num (i32.load (i32.const 8)))
    (call $write (i32.const 271) (i32.const 5)) ;; " sum "
    (call $num (i32.wrap_i64 (i64.atomic.load (i32.const 16))))
    (call $write (i32.const 276) (i32.const 6)) ;; " done "
    (call $num (local.get $done))
    (call $write (i32.const 282) (i32.const 1)) ;; "\n"
    (call $write (i32.const 283) (i32.const 5)) ;; "tids "
    (call $num (local.get $tids))
    (call $write (i32.const 288) (i32.const 16)) ;; " wait-not-equal "
    (call $num (memory.atomic.wait32 (i32.const 24) (i32.const 5) (i64.const -1)))
    (call $write (i32.const 304) (i32.const 14)) ;; " wait-timeout "
    (call $num (memory.atomic.wait32 (i32.const 24) (i32.const 0) (i64.const 1000000)))
    (call $write (i32.const 318) (i32.const 8)) ;; " notify "
    (call $num (memory.atomic.notify (i32.const 24) (i32.const 1)))
    (call $write (i32.const 326) (i32.const 1))) ;; "\n"

  ;; Writes v in decimal (the buffer at 128..160).
  (func $num (param $v i32)
    (local $p i32)
    (local.set $p (i32.const 160))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digit (local.get $v)))
    (call $write (local.get $p) (i32.sub (i32.const 160) (local.get $p))))

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 64) (local.get $ptr))
    (i32.store (i32.const 68) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 72)))))
