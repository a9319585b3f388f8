(module
  (global $g i32 (i32.clz (i32.const 1))))
