;; Validation honours --features, and the error names the flag.
;; RUN: wtool parse --features=-sign-extension %s -o %t/out.wasm
;; RUN: wtool parse %s
(module
  (func $ext (param i32) (result i32)
    (i32.extend8_s (local.get 0))))
