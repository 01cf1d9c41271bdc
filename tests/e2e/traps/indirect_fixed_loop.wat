;; indirect_fixed_loop.wat: a table that nothing can change (not imported,
;; not exported, no table instruction writes it) is loaded once per function,
;; and the checks of call_indirect stay exact in a loop: entries 0 to 2 are
;; called in turn, each adding to a global, until index 3, which is null and
;; traps with "uninitialized element"; $loop checks the global first, so had
;; a check been moved before the calls it would trap with "unreachable".
;;
;; e2e-trap: uninitialized element
;; e2e-trap-func: 2 loop
(module
  (type $nullary (func))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  (table 6 funcref)
  (elem (i32.const 0) $count $count $count)
  (elem (i32.const 4) $count)
  (func $_start (export "_start")
    (call $loop))
  (func $count (type $nullary)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func $loop
    (local $i i32)
    (loop $next
      (if (i32.ne (global.get $calls) (local.get $i))
        (then unreachable))
      (call_indirect (type $nullary) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 6))))))
