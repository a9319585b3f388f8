(module
  (func
    (if (i32.const 1)
      (nop))))
