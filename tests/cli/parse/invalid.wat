;; Output is validated by default (like wat2wasm); --no-validate skips it.
;; RUN: wtool parse %s -o %t/out.wasm
;; RUN: wtool parse --no-validate %s
(module
  (func $fib (param i64) (result i32)
    local.get 0
    i32.const 1
    i32.add))
