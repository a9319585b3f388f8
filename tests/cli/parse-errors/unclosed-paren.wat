(module
  (func
    (block
      (nop)
