(module
  (func (param v128) (result i32)
    (i8x16.extract_lane_s 16000 (local.get 0))))
