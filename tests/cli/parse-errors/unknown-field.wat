(module
  (fun $f))
