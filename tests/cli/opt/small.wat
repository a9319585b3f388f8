;; -Oz on a small module: dead code, constant folding, unused functions and locals,
;; and the name section stripped (-Oz) unless --keep-names.
;; RUN: wtool opt -Oz -t %s
;; RUN: wtool opt -Oz --keep-names -t %s
;; RUN: wtool opt -O0 -t %s
;; RUN: wtool opt --passes precompute,vacuum -t %s
;; RUN: wtool opt -Oz %s --timings -o %t/out.wasm
(module
  (func $unused (result i32) (i32.const 7))
  (func $compute (export "compute") (param $x i32) (result i32)
    (local $tmp i32)
    (local $dead i32)
    (local.set $tmp (i32.add (i32.const 2) (i32.const 3)))
    (if (i32.eqz (i32.eqz (i32.const 1)))
      (then (local.set $x (i32.mul (local.get $x) (i32.const 1)))))
    (i32.add (local.get $x) (local.get $tmp))
    return
    drop
    (i32.const 0)))
