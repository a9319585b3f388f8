(module
  (type (;0;) (func))
  (type (;1;) (func (param i32) (result i32)))
  (type (;2;) (func (param i32) (result i64)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i32 i32) (result f64)))
  (type (;5;) (func (param i32 i32 i32) (result i32)))
  (func $__wasm_call_ctors (;0;) (type 0))
  (func $_initialize (;1;) (type 0)
    call $__wasm_call_ctors)
  (func $fib (;2;) (type 1) (param i32) (result i32)
    (local i32 i32 i32)
    block
      local.get 0
      i32.const 2
      i32.ge_s
      br_if 0
      local.get 0
      i32.const 0
      i32.add
      return
    end
    i32.const 0
    local.set 1
    loop
      local.get 0
      i32.const -1
      i32.add
      call $fib
      local.get 1
      i32.add
      local.set 1
      local.get 0
      i32.const 3
      i32.gt_u
      local.set 2
      local.get 0
      i32.const -2
      i32.add
      local.tee 3
      local.set 0
      local.get 2
      br_if 0
    end
    local.get 3
    local.get 1
    i32.add)
  (func $fac (;3;) (type 2) (param i32) (result i64)
    (local i64 i64 i64 i64)
    i64.const 1
    local.set 1
    block
      local.get 0
      i32.const 2
      i32.lt_s
      br_if 0
      local.get 0
      i32.const 1
      i32.add
      i64.extend_i32_u
      local.tee 2
      i64.const -2
      i64.add
      local.tee 1
      i64.const 7
      i64.and
      local.set 3
      block
        block
          local.get 2
          i64.const -3
          i64.add
          i64.const 7
          i64.ge_u
          br_if 0
          i64.const 1
          local.set 1
          i64.const 2
          local.set 2
          br 1
        end
        i64.const 0
        local.get 1
        i64.const -8
        i64.and
        i64.sub
        local.set 4
        i64.const 1
        local.set 1
        i64.const 9
        local.set 2
        loop
          local.get 1
          local.get 2
          i64.const -7
          i64.add
          i64.mul
          local.get 2
          i64.const -6
          i64.add
          i64.mul
          local.get 2
          i64.const -5
          i64.add
          i64.mul
          local.get 2
          i64.const -4
          i64.add
          i64.mul
          local.get 2
          i64.const -3
          i64.add
          i64.mul
          local.get 2
          i64.const -2
          i64.add
          i64.mul
          local.get 2
          i64.const -1
          i64.add
          i64.mul
          local.get 2
          i64.mul
          local.set 1
          local.get 4
          local.get 2
          i64.const 8
          i64.add
          local.tee 2
          i64.add
          i64.const 9
          i64.ne
          br_if 0
        end
        local.get 2
        i64.const -7
        i64.add
        local.set 2
      end
      local.get 3
      i64.eqz
      br_if 0
      loop
        local.get 1
        local.get 2
        i64.mul
        local.set 1
        local.get 2
        i64.const 1
        i64.add
        local.set 2
        local.get 3
        i64.const -1
        i64.add
        local.tee 3
        i64.const 0
        i64.ne
        br_if 0
      end
    end
    local.get 1)
  (func $gcd (;4;) (type 3) (param i32 i32) (result i32)
    (local i32)
    block
      local.get 1
      br_if 0
      local.get 0
      return
    end
    loop
      local.get 0
      local.get 1
      local.tee 2
      i32.rem_u
      local.set 1
      local.get 2
      local.set 0
      local.get 1
      br_if 0
    end
    local.get 2)
  (func $sieve (;5;) (type 1) (param i32) (result i32)
    (local i32 i32 i32) (local i64 i64) (local i32 i32)
    i32.const 0
    local.set 1
    block
      local.get 0
      i32.const 1048576
      local.get 0
      i32.const 1048576
      i32.lt_s
      select
      local.tee 2
      i32.const 2
      i32.lt_s
      br_if 0
      i32.const 1024
      i32.const 1
      local.get 2
      call $memset
      local.set 3
      i32.const 0
      local.set 1
      i32.const 0
      i32.const 0
      i32.store16 offset=1024
      block
        local.get 2
        i32.const 5
        i32.lt_u
        br_if 0
        local.get 2
        i64.extend_i32_u
        local.set 4
        i64.const 2
        local.set 5
        loop
          block
            local.get 5
            i32.wrap_i64
            local.tee 6
            local.get 3
            i32.add
            i32.load8_u
            i32.eqz
            br_if 0
            local.get 6
            local.get 6
            i32.mul
            local.tee 7
            local.get 2
            i32.ge_s
            br_if 0
            loop
              local.get 7
              local.get 3
              i32.add
              i32.const 0
              i32.store8
              local.get 7
              local.get 6
              i32.add
              local.tee 7
              local.get 2
              i32.lt_s
              br_if 0
            end
          end
          local.get 5
          i64.const 1
          i64.add
          local.tee 5
          local.get 5
          i64.mul
          local.get 4
          i64.lt_u
          br_if 0
        end
      end
      local.get 0
      i32.const 1
      i32.lt_s
      br_if 0
      local.get 2
      i32.const 1
      local.get 2
      i32.const 1
      i32.gt_s
      select
      local.tee 7
      i32.const 3
      i32.and
      local.set 6
      block
        block
          local.get 7
          i32.const -1
          i32.add
          i32.const 3
          i32.ge_u
          br_if 0
          i32.const 0
          local.set 7
          i32.const 0
          local.set 1
          br 1
        end
        local.get 7
        i32.const 2147483644
        i32.and
        local.set 2
        i32.const 0
        local.set 7
        i32.const 0
        local.set 1
        loop
          local.get 1
          local.get 7
          i32.const 1024
          i32.add
          i32.load8_u
          i32.add
          local.get 7
          i32.const 1025
          i32.add
          i32.load8_u
          i32.add
          local.get 7
          i32.const 1026
          i32.add
          i32.load8_u
          i32.add
          local.get 7
          i32.const 1027
          i32.add
          i32.load8_u
          i32.add
          local.set 1
          local.get 2
          local.get 7
          i32.const 4
          i32.add
          local.tee 7
          i32.ne
          br_if 0
        end
      end
      local.get 6
      i32.eqz
      br_if 0
      local.get 7
      i32.const 1024
      i32.add
      local.set 7
      loop
        local.get 1
        local.get 7
        i32.load8_u
        i32.add
        local.set 1
        local.get 7
        i32.const 1
        i32.add
        local.set 7
        local.get 6
        i32.const -1
        i32.add
        local.tee 6
        br_if 0
      end
    end
    local.get 1)
  (func $matmul (;6;) (type 4) (param i32 i32) (result f64)
    (local f64) (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    f64.const 0.0
    local.set 2
    block
      local.get 0
      i32.const 64
      local.get 0
      i32.const 64
      i32.lt_s
      select
      local.tee 3
      i32.const 1
      i32.lt_s
      br_if 0
      local.get 3
      local.get 3
      i32.mul
      local.set 4
      i32.const 0
      local.set 5
      loop
        local.get 5
        i32.const 1049600
        i32.add
        local.get 1
        i32.const 1103515245
        i32.mul
        i32.const 12345
        i32.add
        local.tee 1
        i32.const 16
        i32.shr_u
        f64.convert_i32_u
        f64.const 1.52587890625e-5
        f64.mul
        f64.store
        local.get 5
        i32.const 1082368
        i32.add
        local.get 1
        i32.const 1103515245
        i32.mul
        i32.const 12345
        i32.add
        local.tee 1
        i32.const 16
        i32.shr_u
        f64.convert_i32_u
        f64.const 1.52587890625e-5
        f64.mul
        f64.const -0.5
        f64.add
        f64.store
        local.get 5
        i32.const 8
        i32.add
        local.set 5
        local.get 4
        i32.const -1
        i32.add
        local.tee 4
        br_if 0
      end
      local.get 0
      i32.const 1
      i32.lt_s
      br_if 0
      local.get 3
      i32.const 4
      i32.shl
      local.set 6
      local.get 3
      i32.const 3
      i32.shl
      local.set 7
      local.get 3
      i32.const -2
      i32.and
      local.set 8
      local.get 3
      i32.const 1
      i32.and
      local.set 9
      i32.const 0
      local.set 10
      i32.const 1049600
      local.set 11
      loop
        local.get 10
        local.get 3
        i32.mul
        local.set 12
        i32.const 1082368
        local.set 13
        i32.const 0
        local.set 14
        loop
          block
            block
              local.get 3
              i32.const 1
              i32.ne
              br_if 0
              f64.const 0.0
              local.set 2
              i32.const 0
              local.set 4
              br 1
            end
            f64.const 0.0
            local.set 2
            i32.const 0
            local.set 4
            local.get 13
            local.set 5
            local.get 11
            local.set 1
            loop
              local.get 1
              i32.const 8
              i32.add
              f64.load
              local.get 5
              local.get 7
              i32.add
              f64.load
              f64.mul
              local.get 1
              f64.load
              local.get 5
              f64.load
              f64.mul
              local.get 2
              f64.add
              f64.add
              local.set 2
              local.get 5
              local.get 6
              i32.add
              local.set 5
              local.get 1
              i32.const 16
              i32.add
              local.set 1
              local.get 8
              local.get 4
              i32.const 2
              i32.add
              local.tee 4
              i32.ne
              br_if 0
            end
          end
          block
            local.get 9
            i32.eqz
            br_if 0
            local.get 4
            local.get 12
            i32.add
            i32.const 3
            i32.shl
            i32.const 1049600
            i32.add
            f64.load
            local.get 4
            local.get 3
            i32.mul
            local.get 14
            i32.add
            i32.const 3
            i32.shl
            i32.const 1082368
            i32.add
            f64.load
            f64.mul
            local.get 2
            f64.add
            local.set 2
          end
          local.get 14
          local.get 12
          i32.add
          i32.const 3
          i32.shl
          i32.const 1115136
          i32.add
          local.get 2
          f64.store
          local.get 13
          i32.const 8
          i32.add
          local.set 13
          local.get 14
          i32.const 1
          i32.add
          local.tee 14
          local.get 3
          i32.ne
          br_if 0
        end
        local.get 11
        local.get 7
        i32.add
        local.set 11
        local.get 10
        i32.const 1
        i32.add
        local.tee 10
        local.get 3
        i32.ne
        br_if 0
      end
      block
        local.get 0
        i32.const 1
        i32.ge_s
        br_if 0
        f64.const 0.0
        return
      end
      local.get 3
      i32.const 1
      local.get 3
      i32.const 1
      i32.gt_s
      select
      local.tee 5
      i32.const 3
      i32.and
      local.set 1
      block
        block
          local.get 5
          i32.const -1
          i32.add
          i32.const 3
          i32.ge_u
          br_if 0
          f64.const 0.0
          local.set 2
          i32.const 0
          local.set 5
          br 1
        end
        i32.const 0
        local.get 5
        i32.const -4
        i32.and
        i32.sub
        local.set 7
        local.get 3
        i32.const 24
        i32.mul
        i32.const 24
        i32.add
        local.set 6
        local.get 3
        i32.const 3
        i32.shl
        i32.const 8
        i32.add
        local.set 8
        local.get 3
        i32.const 5
        i32.shl
        i32.const 32
        i32.add
        local.set 14
        local.get 3
        i32.const 4
        i32.shl
        i32.const 16
        i32.add
        local.set 13
        f64.const 0.0
        local.set 2
        i32.const 1115136
        local.set 5
        i32.const 1
        local.set 4
        loop
          local.get 2
          local.get 5
          f64.load
          f64.add
          local.get 5
          local.get 8
          i32.add
          f64.load
          f64.add
          local.get 5
          local.get 13
          i32.add
          f64.load
          f64.add
          local.get 5
          local.get 6
          i32.add
          f64.load
          f64.add
          local.set 2
          local.get 5
          local.get 14
          i32.add
          local.set 5
          local.get 7
          local.get 4
          i32.const 4
          i32.add
          local.tee 4
          i32.add
          i32.const 1
          i32.ne
          br_if 0
        end
        local.get 4
        i32.const -1
        i32.add
        local.set 5
      end
      local.get 1
      i32.eqz
      br_if 0
      local.get 3
      i32.const 3
      i32.shl
      i32.const 8
      i32.add
      local.set 4
      local.get 5
      local.get 3
      i32.const 1
      i32.add
      i32.mul
      i32.const 3
      i32.shl
      i32.const 1115136
      i32.add
      local.set 5
      loop
        local.get 2
        local.get 5
        f64.load
        f64.add
        local.set 2
        local.get 5
        local.get 4
        i32.add
        local.set 5
        local.get 1
        i32.const -1
        i32.add
        local.tee 1
        br_if 0
      end
    end
    local.get 2)
  (func $crc32 (;7;) (type 3) (param i32 i32) (result i32)
    (local i32 i32)
    block
      local.get 0
      i32.const 1
      i32.ge_s
      br_if 0
      i32.const 0
      return
    end
    i32.const -1
    local.set 2
    loop
      i32.const 0
      i32.const 0
      i32.const 0
      i32.const 0
      local.get 1
      i32.const 1664525
      i32.mul
      i32.const 1013904223
      i32.add
      local.tee 1
      i32.const 24
      i32.shr_u
      local.get 2
      i32.xor
      local.tee 2
      i32.const 1
      i32.shr_u
      local.tee 3
      i32.const 1
      i32.and
      i32.sub
      i32.const -306674912
      i32.and
      i32.const 0
      local.get 2
      i32.const 1
      i32.and
      i32.sub
      i32.const -306674912
      i32.and
      local.get 3
      i32.xor
      i32.const 1
      i32.shr_u
      local.tee 2
      i32.xor
      i32.const 1
      i32.shr_u
      local.tee 3
      i32.const 1
      i32.and
      i32.sub
      i32.const -306674912
      i32.and
      i32.const 0
      local.get 2
      i32.const 1
      i32.and
      i32.sub
      i32.const -306674912
      i32.and
      local.get 3
      i32.xor
      i32.const 1
      i32.shr_u
      local.tee 2
      i32.xor
      i32.const 1
      i32.shr_u
      local.tee 3
      i32.const 1
      i32.and
      i32.sub
      i32.const -306674912
      i32.and
      i32.const 0
      local.get 2
      i32.const 1
      i32.and
      i32.sub
      i32.const -306674912
      i32.and
      local.get 3
      i32.xor
      i32.const 1
      i32.shr_u
      local.tee 2
      i32.xor
      i32.const 1
      i32.shr_u
      local.tee 3
      i32.const 1
      i32.and
      i32.sub
      i32.const -306674912
      i32.and
      i32.const 0
      local.get 2
      i32.const 1
      i32.and
      i32.sub
      i32.const -306674912
      i32.and
      local.get 3
      i32.xor
      i32.const 1
      i32.shr_u
      i32.xor
      local.set 2
      local.get 0
      i32.const -1
      i32.add
      local.tee 0
      br_if 0
    end
    local.get 2
    i32.const -1
    i32.xor)
  (func $memset (;8;) (type 5) (param i32 i32 i32) (result i32)
    (local i32 i32 i32) (local i64)
    block
      local.get 2
      i32.eqz
      br_if 0
      local.get 0
      local.get 1
      i32.store8
      local.get 2
      local.get 0
      i32.add
      local.tee 3
      i32.const -1
      i32.add
      local.get 1
      i32.store8
      local.get 2
      i32.const 3
      i32.lt_u
      br_if 0
      local.get 0
      local.get 1
      i32.store8 offset=2
      local.get 0
      local.get 1
      i32.store8 offset=1
      local.get 3
      i32.const -3
      i32.add
      local.get 1
      i32.store8
      local.get 3
      i32.const -2
      i32.add
      local.get 1
      i32.store8
      local.get 2
      i32.const 7
      i32.lt_u
      br_if 0
      local.get 0
      local.get 1
      i32.store8 offset=3
      local.get 3
      i32.const -4
      i32.add
      local.get 1
      i32.store8
      local.get 2
      i32.const 9
      i32.lt_u
      br_if 0
      local.get 0
      i32.const 0
      local.get 0
      i32.sub
      i32.const 3
      i32.and
      local.tee 4
      i32.add
      local.tee 3
      local.get 1
      i32.const 255
      i32.and
      i32.const 16843009
      i32.mul
      local.tee 1
      i32.store
      local.get 3
      local.get 2
      local.get 4
      i32.sub
      i32.const -4
      i32.and
      local.tee 4
      i32.add
      local.tee 2
      i32.const -4
      i32.add
      local.get 1
      i32.store
      local.get 4
      i32.const 9
      i32.lt_u
      br_if 0
      local.get 3
      local.get 1
      i32.store offset=8
      local.get 3
      local.get 1
      i32.store offset=4
      local.get 2
      i32.const -8
      i32.add
      local.get 1
      i32.store
      local.get 2
      i32.const -12
      i32.add
      local.get 1
      i32.store
      local.get 4
      i32.const 25
      i32.lt_u
      br_if 0
      local.get 3
      local.get 1
      i32.store offset=24
      local.get 3
      local.get 1
      i32.store offset=20
      local.get 3
      local.get 1
      i32.store offset=16
      local.get 3
      local.get 1
      i32.store offset=12
      local.get 2
      i32.const -16
      i32.add
      local.get 1
      i32.store
      local.get 2
      i32.const -20
      i32.add
      local.get 1
      i32.store
      local.get 2
      i32.const -24
      i32.add
      local.get 1
      i32.store
      local.get 2
      i32.const -28
      i32.add
      local.get 1
      i32.store
      local.get 4
      local.get 3
      i32.const 4
      i32.and
      i32.const 24
      i32.or
      local.tee 5
      i32.sub
      local.tee 2
      i32.const 32
      i32.lt_u
      br_if 0
      local.get 1
      i64.extend_i32_u
      i64.const 4294967297
      i64.mul
      local.set 6
      local.get 3
      local.get 5
      i32.add
      local.set 1
      loop
        local.get 1
        local.get 6
        i64.store
        local.get 1
        i32.const 24
        i32.add
        local.get 6
        i64.store
        local.get 1
        i32.const 16
        i32.add
        local.get 6
        i64.store
        local.get 1
        i32.const 8
        i32.add
        local.get 6
        i64.store
        local.get 1
        i32.const 32
        i32.add
        local.set 1
        local.get 2
        i32.const -32
        i32.add
        local.tee 2
        i32.const 31
        i32.gt_u
        br_if 0
      end
    end
    local.get 0)
  (@custom "name" (after code) "\01N\09\00\11__wasm_call_ctors\01\0b_initialize\02\03fib\03\03fac\04\03gcd\05\05sieve\06\06matmul\07\05crc32\08\06memset\07\12\01\00\0f__stack_pointer")
  (@custom "producers" (after code) "\02\08language\01\03C99\00\0cprocessed-by\01\0cDebian clang\0614.0.6")
  (table (;0;) 1 1 funcref)
  (memory (;0;) 19)
  (global $__stack_pointer (;0;) (mut i32) i32.const 1213440)
  (export "memory" (memory 0))
  (export "_initialize" (func $_initialize))
  (export "fib" (func $fib))
  (export "fac" (func $fac))
  (export "gcd" (func $gcd))
  (export "sieve" (func $sieve))
  (export "matmul" (func $matmul))
  (export "crc32" (func $crc32)))
