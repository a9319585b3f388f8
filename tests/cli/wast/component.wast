;; RUN: wtool wast %s
;; RUN: wtool wast -v tests/cli/wast/component-static.wast %s
;; Components are decoded and validated; running them is not supported yet,
;; so the run-time directives fail with that reason (and are counted).
(component definition $D
  (core module $m (func (export "f") (result i32) i32.const 42))
  (core instance $i (instantiate $m))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))
(component instance $i $D)
(assert_return (invoke "f") (u32.const 42))
(assert_trap (invoke "f" (list.const (str.const "x"))) "unreachable")
(assert_invalid
  (component (core instance (instantiate 0)))
  "unknown module")
