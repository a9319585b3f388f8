(component
  (func $f (canon lift (core func $m "add")))
  (export "f" (func $undefined)))
