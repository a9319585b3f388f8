(module
  (func $main
    (call $missing)))
