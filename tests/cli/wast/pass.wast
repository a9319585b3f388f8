;; RUN: wtool wast %s
;; RUN: wtool wast -v --json %s
;; RUN: wtool wast --opt O3 %s
;; RUN: wtool wast --opt Oz %s tests/cli/wast/fail.wast
(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_invalid (module (func (result i32) i64.const 0)) "type mismatch")
