;; Resource limits, each at, under and over: --max-memory (2 pages = 128 KiB needed),
;; --max-table-elements (3 needed), --max-stack (call depth); and the defaults.
;; RUN: wtool run --max-memory 64KiB --invoke size %s
;; RUN: wtool run --max-memory 128KiB --invoke size %s
;; RUN: wtool run --max-memory 128KiB --invoke grow %s 1
;; RUN: wtool run --max-memory 192KiB --invoke grow %s 1
;; RUN: wtool run --max-memory 192KiB --invoke grow %s 2
;; RUN: wtool run --invoke grow %s 65534
;; RUN: wtool run --invoke grow %s 65535
;; RUN: wtool run --max-table-elements 2 --invoke size %s
;; RUN: wtool run --max-table-elements 3 --invoke table_grow %s 1
;; RUN: wtool run --max-table-elements 4 --invoke table_grow %s 1
;; RUN: wtool run --max-table-elements 4 --invoke table_grow %s 2
;; RUN: wtool run --max-stack 5 --invoke depth %s 5
;; RUN: wtool run --max-stack 5 --invoke depth %s 6
;; RUN: wtool run --max-stack 6 --invoke depth %s 6
;; RUN: wtool run --invoke depth %s 20000
;; RUN: wtool run --invoke depth %s 20001
;; RUN: wtool run --max-memory 12X --invoke size %s
;; RUN: wtool run --max-stack 0 --invoke size %s
(module
  (memory (export "memory") 2)
  (table 3 funcref)
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "table_grow") (param i32) (result i32)
    (table.grow (ref.null func) (local.get 0)))
  ;; depth(n) = n, by n nested calls.
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (i32.le_u (local.get 0) (i32.const 1))
      (then (i32.const 1))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1))))))))
