(module
  (func
    (block $outer
      (br $inner))))
