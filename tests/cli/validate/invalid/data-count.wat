(module
  (memory 1)
  (func $drop
    data.drop 0))
