;; Traps: message, wasm backtrace, exit 1; fuel; recursion ends cleanly.
;; RUN: wtool run --invoke div %s 1 0
;; RUN: wtool run --invoke outer %s 7
;; RUN: wtool run --invoke recurse %s
;; RUN: wtool run --invoke spin %s
;; RUN: wtool run --fuel 1000 --invoke loop %s
(module
  (func $div (export "div") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_s)
  (func $middle (param i32) (result i32)
    local.get 0 i32.const 0 call $div)
  (func (export "outer") (param i32) (result i32)
    local.get 0 call $middle)
  (func $recurse (export "recurse") (result i32)
    call $recurse i32.const 1 i32.add)
  (func (export "spin") unreachable)
  (func (export "loop") (loop $l br $l)))
