(module
  (global $g i32 (i32.const 0))
  (func $set
    i32.const 1
    global.set $g))
