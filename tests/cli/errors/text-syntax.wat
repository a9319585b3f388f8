;; A text syntax error: file:line:col and the source line with the span underlined.
;; RUN: wtool dump %s
(module
  (func (result i32)
    i32.const 1
    i32.ad))
