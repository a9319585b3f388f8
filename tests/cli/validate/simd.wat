;; A feature error names the flag that enables the proposal.
;; RUN: wtool validate --features=-simd %s
;; RUN: wtool validate -v %s
(module
  (func $splat (param i32) (result i32)
    local.get 0
    i32x4.splat
    i32x4.extract_lane 3))
