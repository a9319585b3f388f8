;; Input of new.case: `[method]bucket.get` lowered takes (i32 i32 i32 i32), not (i32 i32).
(module
  (import "demo:app/store" "[method]bucket.get" (func (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "run") (param i32 i32) (result i32) unreachable)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) unreachable))
