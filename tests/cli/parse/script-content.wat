;; Script directives in a file named .wat: also recognised as a script.
;; RUN: wtool parse %s -o %t/out.wasm
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
