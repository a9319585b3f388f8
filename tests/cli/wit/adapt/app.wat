;; The program: prints through the old ABI's `legacy::print` and exports
;; `run` for the component to lift.
(module
  (import "legacy" "print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (func (export "run")
    (call $print (i32.const 16) (i32.const 5)))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    i32.const 1024))
