;; Imports `legacy::flush`, which the adapter does not export.
(module
  (import "legacy" "flush" (func))
  (memory (export "memory") 1)
  (func (export "run")))
