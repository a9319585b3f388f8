(module
  (func)
  (import "env" "f" (func)))
