;; A component with a core module, a lifted function and inline exports.
(component $hello
  (core module $M
    (func (export "add") (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.add))
  (core instance $m (instantiate $M))
  (func $add (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "add"))))
