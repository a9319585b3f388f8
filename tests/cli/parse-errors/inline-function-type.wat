(module
  (type $t (func (param i32)))
  (func (type $t) (param i64)))
