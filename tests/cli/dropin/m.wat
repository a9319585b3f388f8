(module $m
  (memory (export "mem") 1)
  (global $counter (mut i32) (i32.const 0))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)
  (func (export "seven") (result i32)
    i32.const 7)
  (func $count (export "count") (param i32) (result i32) (local i32)
    block
      loop
        local.get 0
        i32.eqz
        br_if 1
        local.get 0
        i32.const 1
        i32.sub
        local.set 0
        local.get 1
        i32.const 1
        i32.add
        local.set 1
        br 0
      end
    end
    local.get 1)
  (func (export "trap") (result i32)
    unreachable)
  (func $unused (result i32)
    i32.const 1
    i32.const 2
    i32.add
    drop
    i32.const 3)
  (data (i32.const 16) "hello"))
