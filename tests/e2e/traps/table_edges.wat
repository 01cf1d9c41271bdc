;; table_edges.wat: table.fill, table.copy and table.init of length 0 at
;; exactly the end of the table (and of the element segment) are allowed;
;; table.grow past the maximum returns -1 and leaves the size alone; a grow
;; then table.set of the new last entry works; overlapping table.copy moves
;; entries like memmove; then table.set one past the end traps. A wrong
;; result ends in "unreachable", not the expected trap.
;;
;; e2e-trap: out of bounds table access
;; e2e-trap-func: 3 set
(module
  (type $v (func (result i32)))
  (memory (export "memory") 1)
  (table $t 4 6 funcref)
  (elem $e func $one $two)
  (func $_start (export "_start")
    (table.fill $t (i32.const 4) (ref.null func) (i32.const 0))
    (table.copy $t $t (i32.const 4) (i32.const 0) (i32.const 0))
    (table.copy $t $t (i32.const 0) (i32.const 4) (i32.const 0))
    (table.init $t $e (i32.const 4) (i32.const 2) (i32.const 0))
    (table.init $t $e (i32.const 2) (i32.const 0) (i32.const 2))
    (if (i32.ne (call_indirect (type $v) (i32.const 3)) (i32.const 2)) (then unreachable))
    (table.copy $t $t (i32.const 1) (i32.const 2) (i32.const 2))
    (if (i32.ne (call_indirect (type $v) (i32.const 1)) (i32.const 1)) (then unreachable))
    (if (i32.ne (call_indirect (type $v) (i32.const 2)) (i32.const 2)) (then unreachable))
    (if (i32.ne (table.grow $t (ref.null func) (i32.const 3)) (i32.const -1)) (then unreachable))
    (if (i32.ne (table.grow $t (ref.null func) (i32.const -1)) (i32.const -1)) (then unreachable))
    (if (i32.ne (table.size $t) (i32.const 4)) (then unreachable))
    (if (i32.ne (table.grow $t (ref.null func) (i32.const 0)) (i32.const 4)) (then unreachable))
    (if (i32.ne (table.grow $t (ref.null func) (i32.const 2)) (i32.const 4)) (then unreachable))
    (if (i32.eqz (ref.is_null (table.get $t (i32.const 5)))) (then unreachable))
    (call $set (i32.const 5))
    (if (i32.ne (call_indirect (type $v) (i32.const 5)) (i32.const 1)) (then unreachable))
    (table.fill $t (i32.const 6) (ref.null func) (i32.const 0))
    (call $set (i32.const 6)))
  (func $one (type $v) (i32.const 1))
  (func $two (type $v) (i32.const 2))
  (func $set (param $i i32)
    (table.set $t (local.get $i) (ref.func $one))))
