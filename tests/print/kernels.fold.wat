(module
  (type (;0;) (func))
  (type (;1;) (func (param i32) (result i32)))
  (type (;2;) (func (param i32) (result i64)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i32 i32) (result f64)))
  (type (;5;) (func (param i32 i32 i32) (result i32)))
  (func $__wasm_call_ctors (;0;) (type 0))
  (func $_initialize (;1;) (type 0)
    (call $__wasm_call_ctors))
  (func $fib (;2;) (type 1) (param i32) (result i32)
    (local i32 i32 i32)
    (block
      (br_if 0
        (i32.ge_s
          (local.get 0)
          (i32.const 2)))
      (return
        (i32.add
          (local.get 0)
          (i32.const 0))))
    (local.set 1
      (i32.const 0))
    (loop
      (local.set 1
        (i32.add
          (call $fib
            (i32.add
              (local.get 0)
              (i32.const -1)))
          (local.get 1)))
      (local.set 2
        (i32.gt_u
          (local.get 0)
          (i32.const 3)))
      (local.set 0
        (local.tee 3
          (i32.add
            (local.get 0)
            (i32.const -2))))
      (br_if 0
        (local.get 2)))
    (i32.add
      (local.get 3)
      (local.get 1)))
  (func $fac (;3;) (type 2) (param i32) (result i64)
    (local i64 i64 i64 i64)
    (local.set 1
      (i64.const 1))
    (block
      (br_if 0
        (i32.lt_s
          (local.get 0)
          (i32.const 2)))
      (local.set 3
        (i64.and
          (local.tee 1
            (i64.add
              (local.tee 2
                (i64.extend_i32_u
                  (i32.add
                    (local.get 0)
                    (i32.const 1))))
              (i64.const -2)))
          (i64.const 7)))
      (block
        (block
          (br_if 0
            (i64.ge_u
              (i64.add
                (local.get 2)
                (i64.const -3))
              (i64.const 7)))
          (local.set 1
            (i64.const 1))
          (local.set 2
            (i64.const 2))
          (br 1))
        (local.set 4
          (i64.sub
            (i64.const 0)
            (i64.and
              (local.get 1)
              (i64.const -8))))
        (local.set 1
          (i64.const 1))
        (local.set 2
          (i64.const 9))
        (loop
          (local.set 1
            (i64.mul
              (i64.mul
                (i64.mul
                  (i64.mul
                    (i64.mul
                      (i64.mul
                        (i64.mul
                          (i64.mul
                            (local.get 1)
                            (i64.add
                              (local.get 2)
                              (i64.const -7)))
                          (i64.add
                            (local.get 2)
                            (i64.const -6)))
                        (i64.add
                          (local.get 2)
                          (i64.const -5)))
                      (i64.add
                        (local.get 2)
                        (i64.const -4)))
                    (i64.add
                      (local.get 2)
                      (i64.const -3)))
                  (i64.add
                    (local.get 2)
                    (i64.const -2)))
                (i64.add
                  (local.get 2)
                  (i64.const -1)))
              (local.get 2)))
          (br_if 0
            (i64.ne
              (i64.add
                (local.get 4)
                (local.tee 2
                  (i64.add
                    (local.get 2)
                    (i64.const 8))))
              (i64.const 9))))
        (local.set 2
          (i64.add
            (local.get 2)
            (i64.const -7))))
      (br_if 0
        (i64.eqz
          (local.get 3)))
      (loop
        (local.set 1
          (i64.mul
            (local.get 1)
            (local.get 2)))
        (local.set 2
          (i64.add
            (local.get 2)
            (i64.const 1)))
        (br_if 0
          (i64.ne
            (local.tee 3
              (i64.add
                (local.get 3)
                (i64.const -1)))
            (i64.const 0)))))
    (local.get 1))
  (func $gcd (;4;) (type 3) (param i32 i32) (result i32)
    (local i32)
    (block
      (br_if 0
        (local.get 1))
      (return
        (local.get 0)))
    (loop
      (local.set 1
        (i32.rem_u
          (local.get 0)
          (local.tee 2
            (local.get 1))))
      (local.set 0
        (local.get 2))
      (br_if 0
        (local.get 1)))
    (local.get 2))
  (func $sieve (;5;) (type 1) (param i32) (result i32)
    (local i32 i32 i32) (local i64 i64) (local i32 i32)
    (local.set 1
      (i32.const 0))
    (block
      (br_if 0
        (i32.lt_s
          (local.tee 2
            (select
              (local.get 0)
              (i32.const 1048576)
              (i32.lt_s
                (local.get 0)
                (i32.const 1048576))))
          (i32.const 2)))
      (local.set 3
        (call $memset
          (i32.const 1024)
          (i32.const 1)
          (local.get 2)))
      (local.set 1
        (i32.const 0))
      (i32.store16 offset=1024
        (i32.const 0)
        (i32.const 0))
      (block
        (br_if 0
          (i32.lt_u
            (local.get 2)
            (i32.const 5)))
        (local.set 4
          (i64.extend_i32_u
            (local.get 2)))
        (local.set 5
          (i64.const 2))
        (loop
          (block
            (br_if 0
              (i32.eqz
                (i32.load8_u
                  (i32.add
                    (local.tee 6
                      (i32.wrap_i64
                        (local.get 5)))
                    (local.get 3)))))
            (br_if 0
              (i32.ge_s
                (local.tee 7
                  (i32.mul
                    (local.get 6)
                    (local.get 6)))
                (local.get 2)))
            (loop
              (i32.store8
                (i32.add
                  (local.get 7)
                  (local.get 3))
                (i32.const 0))
              (br_if 0
                (i32.lt_s
                  (local.tee 7
                    (i32.add
                      (local.get 7)
                      (local.get 6)))
                  (local.get 2)))))
          (br_if 0
            (i64.lt_u
              (i64.mul
                (local.tee 5
                  (i64.add
                    (local.get 5)
                    (i64.const 1)))
                (local.get 5))
              (local.get 4)))))
      (br_if 0
        (i32.lt_s
          (local.get 0)
          (i32.const 1)))
      (local.set 6
        (i32.and
          (local.tee 7
            (select
              (local.get 2)
              (i32.const 1)
              (i32.gt_s
                (local.get 2)
                (i32.const 1))))
          (i32.const 3)))
      (block
        (block
          (br_if 0
            (i32.ge_u
              (i32.add
                (local.get 7)
                (i32.const -1))
              (i32.const 3)))
          (local.set 7
            (i32.const 0))
          (local.set 1
            (i32.const 0))
          (br 1))
        (local.set 2
          (i32.and
            (local.get 7)
            (i32.const 2147483644)))
        (local.set 7
          (i32.const 0))
        (local.set 1
          (i32.const 0))
        (loop
          (local.set 1
            (i32.add
              (i32.add
                (i32.add
                  (i32.add
                    (local.get 1)
                    (i32.load8_u
                      (i32.add
                        (local.get 7)
                        (i32.const 1024))))
                  (i32.load8_u
                    (i32.add
                      (local.get 7)
                      (i32.const 1025))))
                (i32.load8_u
                  (i32.add
                    (local.get 7)
                    (i32.const 1026))))
              (i32.load8_u
                (i32.add
                  (local.get 7)
                  (i32.const 1027)))))
          (br_if 0
            (i32.ne
              (local.get 2)
              (local.tee 7
                (i32.add
                  (local.get 7)
                  (i32.const 4)))))))
      (br_if 0
        (i32.eqz
          (local.get 6)))
      (local.set 7
        (i32.add
          (local.get 7)
          (i32.const 1024)))
      (loop
        (local.set 1
          (i32.add
            (local.get 1)
            (i32.load8_u
              (local.get 7))))
        (local.set 7
          (i32.add
            (local.get 7)
            (i32.const 1)))
        (br_if 0
          (local.tee 6
            (i32.add
              (local.get 6)
              (i32.const -1))))))
    (local.get 1))
  (func $matmul (;6;) (type 4) (param i32 i32) (result f64)
    (local f64) (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 2
      (f64.const 0.0))
    (block
      (br_if 0
        (i32.lt_s
          (local.tee 3
            (select
              (local.get 0)
              (i32.const 64)
              (i32.lt_s
                (local.get 0)
                (i32.const 64))))
          (i32.const 1)))
      (local.set 4
        (i32.mul
          (local.get 3)
          (local.get 3)))
      (local.set 5
        (i32.const 0))
      (loop
        (f64.store
          (i32.add
            (local.get 5)
            (i32.const 1049600))
          (f64.mul
            (f64.convert_i32_u
              (i32.shr_u
                (local.tee 1
                  (i32.add
                    (i32.mul
                      (local.get 1)
                      (i32.const 1103515245))
                    (i32.const 12345)))
                (i32.const 16)))
            (f64.const 1.52587890625e-5)))
        (f64.store
          (i32.add
            (local.get 5)
            (i32.const 1082368))
          (f64.add
            (f64.mul
              (f64.convert_i32_u
                (i32.shr_u
                  (local.tee 1
                    (i32.add
                      (i32.mul
                        (local.get 1)
                        (i32.const 1103515245))
                      (i32.const 12345)))
                  (i32.const 16)))
              (f64.const 1.52587890625e-5))
            (f64.const -0.5)))
        (local.set 5
          (i32.add
            (local.get 5)
            (i32.const 8)))
        (br_if 0
          (local.tee 4
            (i32.add
              (local.get 4)
              (i32.const -1)))))
      (br_if 0
        (i32.lt_s
          (local.get 0)
          (i32.const 1)))
      (local.set 6
        (i32.shl
          (local.get 3)
          (i32.const 4)))
      (local.set 7
        (i32.shl
          (local.get 3)
          (i32.const 3)))
      (local.set 8
        (i32.and
          (local.get 3)
          (i32.const -2)))
      (local.set 9
        (i32.and
          (local.get 3)
          (i32.const 1)))
      (local.set 10
        (i32.const 0))
      (local.set 11
        (i32.const 1049600))
      (loop
        (local.set 12
          (i32.mul
            (local.get 10)
            (local.get 3)))
        (local.set 13
          (i32.const 1082368))
        (local.set 14
          (i32.const 0))
        (loop
          (block
            (block
              (br_if 0
                (i32.ne
                  (local.get 3)
                  (i32.const 1)))
              (local.set 2
                (f64.const 0.0))
              (local.set 4
                (i32.const 0))
              (br 1))
            (local.set 2
              (f64.const 0.0))
            (local.set 4
              (i32.const 0))
            (local.set 5
              (local.get 13))
            (local.set 1
              (local.get 11))
            (loop
              (local.set 2
                (f64.add
                  (f64.mul
                    (f64.load
                      (i32.add
                        (local.get 1)
                        (i32.const 8)))
                    (f64.load
                      (i32.add
                        (local.get 5)
                        (local.get 7))))
                  (f64.add
                    (f64.mul
                      (f64.load
                        (local.get 1))
                      (f64.load
                        (local.get 5)))
                    (local.get 2))))
              (local.set 5
                (i32.add
                  (local.get 5)
                  (local.get 6)))
              (local.set 1
                (i32.add
                  (local.get 1)
                  (i32.const 16)))
              (br_if 0
                (i32.ne
                  (local.get 8)
                  (local.tee 4
                    (i32.add
                      (local.get 4)
                      (i32.const 2)))))))
          (block
            (br_if 0
              (i32.eqz
                (local.get 9)))
            (local.set 2
              (f64.add
                (f64.mul
                  (f64.load
                    (i32.add
                      (i32.shl
                        (i32.add
                          (local.get 4)
                          (local.get 12))
                        (i32.const 3))
                      (i32.const 1049600)))
                  (f64.load
                    (i32.add
                      (i32.shl
                        (i32.add
                          (i32.mul
                            (local.get 4)
                            (local.get 3))
                          (local.get 14))
                        (i32.const 3))
                      (i32.const 1082368))))
                (local.get 2))))
          (f64.store
            (i32.add
              (i32.shl
                (i32.add
                  (local.get 14)
                  (local.get 12))
                (i32.const 3))
              (i32.const 1115136))
            (local.get 2))
          (local.set 13
            (i32.add
              (local.get 13)
              (i32.const 8)))
          (br_if 0
            (i32.ne
              (local.tee 14
                (i32.add
                  (local.get 14)
                  (i32.const 1)))
              (local.get 3))))
        (local.set 11
          (i32.add
            (local.get 11)
            (local.get 7)))
        (br_if 0
          (i32.ne
            (local.tee 10
              (i32.add
                (local.get 10)
                (i32.const 1)))
            (local.get 3))))
      (block
        (br_if 0
          (i32.ge_s
            (local.get 0)
            (i32.const 1)))
        (return
          (f64.const 0.0)))
      (local.set 1
        (i32.and
          (local.tee 5
            (select
              (local.get 3)
              (i32.const 1)
              (i32.gt_s
                (local.get 3)
                (i32.const 1))))
          (i32.const 3)))
      (block
        (block
          (br_if 0
            (i32.ge_u
              (i32.add
                (local.get 5)
                (i32.const -1))
              (i32.const 3)))
          (local.set 2
            (f64.const 0.0))
          (local.set 5
            (i32.const 0))
          (br 1))
        (local.set 7
          (i32.sub
            (i32.const 0)
            (i32.and
              (local.get 5)
              (i32.const -4))))
        (local.set 6
          (i32.add
            (i32.mul
              (local.get 3)
              (i32.const 24))
            (i32.const 24)))
        (local.set 8
          (i32.add
            (i32.shl
              (local.get 3)
              (i32.const 3))
            (i32.const 8)))
        (local.set 14
          (i32.add
            (i32.shl
              (local.get 3)
              (i32.const 5))
            (i32.const 32)))
        (local.set 13
          (i32.add
            (i32.shl
              (local.get 3)
              (i32.const 4))
            (i32.const 16)))
        (local.set 2
          (f64.const 0.0))
        (local.set 5
          (i32.const 1115136))
        (local.set 4
          (i32.const 1))
        (loop
          (local.set 2
            (f64.add
              (f64.add
                (f64.add
                  (f64.add
                    (local.get 2)
                    (f64.load
                      (local.get 5)))
                  (f64.load
                    (i32.add
                      (local.get 5)
                      (local.get 8))))
                (f64.load
                  (i32.add
                    (local.get 5)
                    (local.get 13))))
              (f64.load
                (i32.add
                  (local.get 5)
                  (local.get 6)))))
          (local.set 5
            (i32.add
              (local.get 5)
              (local.get 14)))
          (br_if 0
            (i32.ne
              (i32.add
                (local.get 7)
                (local.tee 4
                  (i32.add
                    (local.get 4)
                    (i32.const 4))))
              (i32.const 1))))
        (local.set 5
          (i32.add
            (local.get 4)
            (i32.const -1))))
      (br_if 0
        (i32.eqz
          (local.get 1)))
      (local.set 4
        (i32.add
          (i32.shl
            (local.get 3)
            (i32.const 3))
          (i32.const 8)))
      (local.set 5
        (i32.add
          (i32.shl
            (i32.mul
              (local.get 5)
              (i32.add
                (local.get 3)
                (i32.const 1)))
            (i32.const 3))
          (i32.const 1115136)))
      (loop
        (local.set 2
          (f64.add
            (local.get 2)
            (f64.load
              (local.get 5))))
        (local.set 5
          (i32.add
            (local.get 5)
            (local.get 4)))
        (br_if 0
          (local.tee 1
            (i32.add
              (local.get 1)
              (i32.const -1))))))
    (local.get 2))
  (func $crc32 (;7;) (type 3) (param i32 i32) (result i32)
    (local i32 i32)
    (block
      (br_if 0
        (i32.ge_s
          (local.get 0)
          (i32.const 1)))
      (return
        (i32.const 0)))
    (local.set 2
      (i32.const -1))
    (loop
      (local.set 2
        (i32.xor
          (i32.and
            (i32.sub
              (i32.const 0)
              (i32.and
                (local.tee 3
                  (i32.shr_u
                    (i32.xor
                      (i32.and
                        (i32.sub
                          (i32.const 0)
                          (i32.and
                            (local.tee 3
                              (i32.shr_u
                                (i32.xor
                                  (i32.and
                                    (i32.sub
                                      (i32.const 0)
                                      (i32.and
                                        (local.tee 3
                                          (i32.shr_u
                                            (i32.xor
                                              (i32.and
                                                (i32.sub
                                                  (i32.const 0)
                                                  (i32.and
                                                    (local.tee 3
                                                      (i32.shr_u
                                                        (local.tee 2
                                                          (i32.xor
                                                            (i32.shr_u
                                                              (local.tee 1
                                                                (i32.add
                                                                  (i32.mul
                                                                    (local.get 1)
                                                                    (i32.const 1664525))
                                                                  (i32.const 1013904223)))
                                                              (i32.const 24))
                                                            (local.get 2)))
                                                        (i32.const 1)))
                                                    (i32.const 1)))
                                                (i32.const -306674912))
                                              (local.tee 2
                                                (i32.shr_u
                                                  (i32.xor
                                                    (i32.and
                                                      (i32.sub
                                                        (i32.const 0)
                                                        (i32.and
                                                          (local.get 2)
                                                          (i32.const 1)))
                                                      (i32.const -306674912))
                                                    (local.get 3))
                                                  (i32.const 1))))
                                            (i32.const 1)))
                                        (i32.const 1)))
                                    (i32.const -306674912))
                                  (local.tee 2
                                    (i32.shr_u
                                      (i32.xor
                                        (i32.and
                                          (i32.sub
                                            (i32.const 0)
                                            (i32.and
                                              (local.get 2)
                                              (i32.const 1)))
                                          (i32.const -306674912))
                                        (local.get 3))
                                      (i32.const 1))))
                                (i32.const 1)))
                            (i32.const 1)))
                        (i32.const -306674912))
                      (local.tee 2
                        (i32.shr_u
                          (i32.xor
                            (i32.and
                              (i32.sub
                                (i32.const 0)
                                (i32.and
                                  (local.get 2)
                                  (i32.const 1)))
                              (i32.const -306674912))
                            (local.get 3))
                          (i32.const 1))))
                    (i32.const 1)))
                (i32.const 1)))
            (i32.const -306674912))
          (i32.shr_u
            (i32.xor
              (i32.and
                (i32.sub
                  (i32.const 0)
                  (i32.and
                    (local.get 2)
                    (i32.const 1)))
                (i32.const -306674912))
              (local.get 3))
            (i32.const 1))))
      (br_if 0
        (local.tee 0
          (i32.add
            (local.get 0)
            (i32.const -1)))))
    (i32.xor
      (local.get 2)
      (i32.const -1)))
  (func $memset (;8;) (type 5) (param i32 i32 i32) (result i32)
    (local i32 i32 i32) (local i64)
    (block
      (br_if 0
        (i32.eqz
          (local.get 2)))
      (i32.store8
        (local.get 0)
        (local.get 1))
      (i32.store8
        (i32.add
          (local.tee 3
            (i32.add
              (local.get 2)
              (local.get 0)))
          (i32.const -1))
        (local.get 1))
      (br_if 0
        (i32.lt_u
          (local.get 2)
          (i32.const 3)))
      (i32.store8 offset=2
        (local.get 0)
        (local.get 1))
      (i32.store8 offset=1
        (local.get 0)
        (local.get 1))
      (i32.store8
        (i32.add
          (local.get 3)
          (i32.const -3))
        (local.get 1))
      (i32.store8
        (i32.add
          (local.get 3)
          (i32.const -2))
        (local.get 1))
      (br_if 0
        (i32.lt_u
          (local.get 2)
          (i32.const 7)))
      (i32.store8 offset=3
        (local.get 0)
        (local.get 1))
      (i32.store8
        (i32.add
          (local.get 3)
          (i32.const -4))
        (local.get 1))
      (br_if 0
        (i32.lt_u
          (local.get 2)
          (i32.const 9)))
      (i32.store
        (local.tee 3
          (i32.add
            (local.get 0)
            (local.tee 4
              (i32.and
                (i32.sub
                  (i32.const 0)
                  (local.get 0))
                (i32.const 3)))))
        (local.tee 1
          (i32.mul
            (i32.and
              (local.get 1)
              (i32.const 255))
            (i32.const 16843009))))
      (i32.store
        (i32.add
          (local.tee 2
            (i32.add
              (local.get 3)
              (local.tee 4
                (i32.and
                  (i32.sub
                    (local.get 2)
                    (local.get 4))
                  (i32.const -4)))))
          (i32.const -4))
        (local.get 1))
      (br_if 0
        (i32.lt_u
          (local.get 4)
          (i32.const 9)))
      (i32.store offset=8
        (local.get 3)
        (local.get 1))
      (i32.store offset=4
        (local.get 3)
        (local.get 1))
      (i32.store
        (i32.add
          (local.get 2)
          (i32.const -8))
        (local.get 1))
      (i32.store
        (i32.add
          (local.get 2)
          (i32.const -12))
        (local.get 1))
      (br_if 0
        (i32.lt_u
          (local.get 4)
          (i32.const 25)))
      (i32.store offset=24
        (local.get 3)
        (local.get 1))
      (i32.store offset=20
        (local.get 3)
        (local.get 1))
      (i32.store offset=16
        (local.get 3)
        (local.get 1))
      (i32.store offset=12
        (local.get 3)
        (local.get 1))
      (i32.store
        (i32.add
          (local.get 2)
          (i32.const -16))
        (local.get 1))
      (i32.store
        (i32.add
          (local.get 2)
          (i32.const -20))
        (local.get 1))
      (i32.store
        (i32.add
          (local.get 2)
          (i32.const -24))
        (local.get 1))
      (i32.store
        (i32.add
          (local.get 2)
          (i32.const -28))
        (local.get 1))
      (br_if 0
        (i32.lt_u
          (local.tee 2
            (i32.sub
              (local.get 4)
              (local.tee 5
                (i32.or
                  (i32.and
                    (local.get 3)
                    (i32.const 4))
                  (i32.const 24)))))
          (i32.const 32)))
      (local.set 6
        (i64.mul
          (i64.extend_i32_u
            (local.get 1))
          (i64.const 4294967297)))
      (local.set 1
        (i32.add
          (local.get 3)
          (local.get 5)))
      (loop
        (i64.store
          (local.get 1)
          (local.get 6))
        (i64.store
          (i32.add
            (local.get 1)
            (i32.const 24))
          (local.get 6))
        (i64.store
          (i32.add
            (local.get 1)
            (i32.const 16))
          (local.get 6))
        (i64.store
          (i32.add
            (local.get 1)
            (i32.const 8))
          (local.get 6))
        (local.set 1
          (i32.add
            (local.get 1)
            (i32.const 32)))
        (br_if 0
          (i32.gt_u
            (local.tee 2
              (i32.add
                (local.get 2)
                (i32.const -32)))
            (i32.const 31)))))
    (local.get 0))
  (@custom "name" (after code) "\01N\09\00\11__wasm_call_ctors\01\0b_initialize\02\03fib\03\03fac\04\03gcd\05\05sieve\06\06matmul\07\05crc32\08\06memset\07\12\01\00\0f__stack_pointer")
  (@custom "producers" (after code) "\02\08language\01\03C99\00\0cprocessed-by\01\0cDebian clang\0614.0.6")
  (table (;0;) 1 1 funcref)
  (memory (;0;) 19)
  (global $__stack_pointer (;0;) (mut i32) (i32.const 1213440))
  (export "memory" (memory 0))
  (export "_initialize" (func $_initialize))
  (export "fib" (func $fib))
  (export "fac" (func $fac))
  (export "gcd" (func $gcd))
  (export "sieve" (func $sieve))
  (export "matmul" (func $matmul))
  (export "crc32" (func $crc32)))
