;; add.wat with a lift whose type does not match its core function: invalid.
;; exported with a constructor, and an imported logging function lowered
;; into the core module.
(component
  (import "log" (func $log (param "msg" string)))
  (core module $libc (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0))
  (core instance $libc (instantiate $libc))
  (core func $log (canon lower (func $log) (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core module $m
    (import "host" "log" (func $log (param i32 i32)))
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "new") (param i32) (result i32) local.get 0))
  (core instance $host (export "log" (func $log)))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (type $counter (resource (rep i32)))
  (core func $new (canon resource.new $counter))
  (func $add (param "a" u32) (result u32) (canon lift (core func $i "add")))
  (export "add" (func $add))
  (export $c "counter" (type $counter))
  (func $ctor (param "start" u32) (result (own $c)) (canon lift (core func $new)))
  (export "[constructor]counter" (func $ctor)))
