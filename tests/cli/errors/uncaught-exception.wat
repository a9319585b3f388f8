;; RUN: wtool run --features wasm3 %s
;; An uncaught exception ends the run like a trap: the tag, its values and
;; the backtrace.
(module
  (tag $boom (export "boom") (param i32 f64))
  (func $inner i32.const 7 f64.const 2.5 throw $boom)
  (func $middle
    (block $h
      (try_table (catch_all $h) i32.const 1 drop)
      call $inner))
  (func (export "_start") call $middle))
