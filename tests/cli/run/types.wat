;; Every value type in and out, with hex, nan and v128 syntax.
;; RUN: wtool run --invoke i64 %s -9223372036854775808 0xffffffffffffffff
;; RUN: wtool run --invoke f32 %s 0x1.8p3 nan:0x1 -inf
;; RUN: wtool run --invoke f64 %s 0.1 -nan 1e308
;; RUN: wtool run --invoke v128 %s i32x4:1,-2,3,4 i8x16:1,1,1,1,0,0,0,0,0,0,0,0,255,255,255,255
;; RUN: wtool run --invoke v128 %s f32x4:1,-0,inf,nan i64x2:-1,0x10
;; RUN: wtool run --invoke refs %s null null
;; RUN: wtool run --invoke none %s
(module
  (func (export "i64") (param i64 i64) (result i64 i64)
    local.get 0 local.get 1 i64.add local.get 1)
  (func (export "f32") (param f32 f32 f32) (result f32 f32 f32 f32)
    local.get 0 local.get 1 local.get 2 local.get 0 local.get 0 f32.div)
  (func (export "f64") (param f64 f64 f64) (result f64 f64 f64)
    local.get 0 local.get 1 local.get 2 local.get 2 f64.mul)
  (func (export "v128") (param v128 v128) (result v128 v128)
    local.get 0 local.get 0 local.get 1 i32x4.add)
  (func (export "refs") (param funcref externref) (result funcref externref i32)
    local.get 0 local.get 1 local.get 0 ref.is_null)
  (func (export "none")))
