;; tools/fuzz/run found this at -O2 (seed 101, module 4272): event 10 (result): binaryen ['36893488145068781568'], wasmaot ['f64:0x41f73e8f5d400000']
;; reduced by wasm-reduce. LLVM 19's SLP vectorizer narrowed the two uitofp (sext i32) to uitofp i32
;; (compiler/lower/convert.c, CONVERT_U, explains the fix).
(module
 (type $none_=>_f64 (func (result f64)))
 (memory $0 16 17)
 (data (i32.const 39) "\b9")
 (export "func_2" (func $0))
 (func $0 (result f64)
  (f64.add
   (f64.convert_i64_u
    (i64.load32_s align=2
     (i32.const 36)
    )
   )
   (f64.convert_i64_u
    (i64.load32_s align=2
     (i32.const 36)
    )
   )
  )
 )
)

