(module
  (func (result f32)
    (f64.const 1.5)))
