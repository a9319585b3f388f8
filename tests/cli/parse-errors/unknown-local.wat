(module
  (func (param $a i32) (result i32)
    (local.get $b)))
