;; The smallest useful module: `add` returns the sum of two i32s.
;; add.wasm beside it is the `wat` crate's encoding of this file (and wat2wasm's:
;; no symbolic names are used, so neither tool emits a name section).
(module
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add))
