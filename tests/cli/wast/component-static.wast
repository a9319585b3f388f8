;; RUN: wtool wast %s
;; Static directives only: every form of component, and rejections.
(component $C
  (core module $m (func (export "f") (result i32) i32.const 42))
  (core instance $i (instantiate $m))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))
(component binary "\00asm\0d\00\01\00")
(component definition $D binary "\00asm\0d\00\01\00")
(component quote "(import \"a\" (func))")
(assert_invalid
  (component (type (func (result u32))) (export "t" (type 1)))
  "index out of bounds")
(assert_malformed (component binary "\00asm\0e\00\01\00") "unknown binary version")
(assert_malformed (component quote "(import \"a\" (func") "unexpected")
