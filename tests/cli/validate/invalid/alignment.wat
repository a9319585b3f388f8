(module
  (memory 1)
  (func $load (result i32)
    (i32.load align=8 (i32.const 0))))
