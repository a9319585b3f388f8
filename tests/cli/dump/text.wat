;; Text input is recognised by content (no \0asm magic); offsets are source offsets.
;; RUN: wtool dump --instructions %s
(module
  (func $double (export "double") (param $x i32) (result i32)
    local.get $x
    i32.const 2
    i32.mul))
