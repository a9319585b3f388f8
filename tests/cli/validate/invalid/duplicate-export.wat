(module
  (func $a)
  (func $b)
  (export "run" (func $a))
  (export "run" (func $b)))
