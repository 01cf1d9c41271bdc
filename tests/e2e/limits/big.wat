;; big.wat: a memory of 8 pages (512 KiB) from the start, for --max-memory
;; below that: the program refuses to start.
(module
  (memory (export "memory") 8)
  (func $_start (export "_start")))
