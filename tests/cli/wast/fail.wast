;; RUN: wtool wast %s
;; RUN: wtool wast -v %s tests/cli/wast/pass.wast
(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
(assert_trap (invoke "add" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 4))
