;; indirect_table_set.wat: a table that a function writes with table.set is
;; not fixed, so call_indirect reloads it at every call: the loop calls entry
;; 0, whose callee replaces entry 0 with a function of another type on its
;; third call, and the fourth call traps with "indirect call type mismatch"
;; (had the entry been loaded once, the loop would run to its end and return).
;;
;; e2e-trap: indirect call type mismatch
;; e2e-trap-func: 3 loop
(module
  (type $unary (func (param i32) (result i32)))
  (type $nullary (func (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $step $seven)
  (elem declare func $seven)
  (func $_start (export "_start")
    (drop (call $loop (i32.const 100))))
  (func $step (type $unary)
    (if (i32.eq (local.get 0) (i32.const 2))
      (then (table.set 0 (i32.const 0) (ref.func $seven))))
    (i32.add (local.get 0) (i32.const 1)))
  (func $seven (type $nullary) (i32.const 7))
  (func $loop (param $n i32) (result i32)
    (local $i i32)
    (loop $next
      (local.set $i (call_indirect (type $unary) (local.get $i) (i32.const 0)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))
