(module $c
  (@custom "producers" (after type) "\00")
  (@custom ".debug_info" (after func) "\01\02")
  (@custom "target_features" (after func) "\00")
  (@custom "keep.me" (after func) "!")
  (type (func))
  (func $f (type 0)))
