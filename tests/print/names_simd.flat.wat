(module $golden
  (@custom "before-all" (before first) "\00\01hello")
  (type $binop (;0;) (func (param i32 i32) (result i32)))
  (type $v (;1;) (func (param v128) (result v128)))
  (type (;2;) (func (param i32)))
  (type (;3;) (func (result f64)))
  (import "env" "log" (func $log (;0;) (type 2) (param i32)))
  (import "env" "mem" (memory $mem (;0;) 1 2))
  (func $add (;1;) (type $binop) (param $a i32) (param $b i32) (result i32)
    (local $tmp i32)
    local.get $a
    local.get $b
    i32.add
    local.set $tmp
    block $done
      loop $again
        local.get $tmp
        i32.eqz
        br_if 1 (;$done;)
        local.get $tmp
        i32.const 1
        i32.sub
        local.set $tmp
        global.get $counter
        i32.const 1
        i32.add
        global.set $counter
        br 0 (;$again;)
      end
    end
    local.get $a
    i32.const -1
    i32.gt_s
    if (result i32)
      local.get $a
      call $log
      local.get $a
    else
      i32.const 2147483647
    end)
  (func $simd (;2;) (type $v) (param $x v128) (result v128)
    (local $f f32)
    f32.const -1e-45
    local.set $f
    i32.const 0
    local.get $x
    v128.store offset=16 align=4
    i32.const 0
    v128.load offset=16
    v128.const i32x4 0x00000001 0xffffffff 0x80000000 0x7fffffff
    local.get $f
    f32x4.splat
    i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    i32x4.add)
  (func $consts (;3;) (type 3) (result f64)
    f32.const nan:0x200000
    drop
    f64.const -inf
    drop
    i64.const -9223372036854775808
    drop
    i32.const 8
    v128.load32_zero
    i32x4.extract_lane 3
    drop
    global.get $pi
    f64.const 1e-300
    f64.add)
  (@custom "meta" (after func) "after the function section")
  (table $tab (;0;) 2 funcref)
  (global $counter (;0;) (mut i32) i32.const 0)
  (global $pi (;1;) f64 f64.const 3.141592653589793)
  (export "add" (func $add))
  (elem $funcs (;0;) (table $tab) (i32.const 0) func $add $consts)
  (data $greeting (;0;) (i32.const 64) "Hello, \"wtool\"!\0a\00\ff")
  (@custom "producers-like" (after last) "trailing"))
