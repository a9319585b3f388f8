(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (func (;0;) (type 0) (param i32 i32) (result i32)
    (i32.add
      (local.get 0)
      (local.get 1)))
  (export "add" (func 0)))
