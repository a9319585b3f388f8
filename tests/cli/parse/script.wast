;; A .wast file is a script: refused with a hint to use `wtool wast`.
;; RUN: wtool parse %s -o %t/out.wasm
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
