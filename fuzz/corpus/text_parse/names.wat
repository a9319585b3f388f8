;; Names are kept in the name section by default (like the `wat` crate);
;; --no-names leaves it out; -t prints the parsed module back as text.
;; RUN: wtool parse %s
;; RUN: wtool parse --no-names %s
;; RUN: wtool parse -t %s
(module $m
  (memory $mem 1)
  (global $counter (mut i32) (i32.const 0))
  (func $bump (export "bump") (param $by i32) (result i32)
    (local $old i32)
    (local.set $old (global.get $counter))
    (global.set $counter (i32.add (local.get $old) (local.get $by)))
    (global.get $counter))
  (@custom "producers" "wtool"))
