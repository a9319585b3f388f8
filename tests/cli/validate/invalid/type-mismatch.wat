(module
  (func $add (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func $double (param i32) (result i32)
    local.get 0
    i32.const 2
    i32.mul)
  (func $fib (param i64) (result i32)
    local.get 0
    i32.const 1
    i32.add))
