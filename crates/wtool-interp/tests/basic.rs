//! Execution tests on small modules built with the `wat` oracle and decoded
//! by wtool-binary.

use wtool_ast::{FuncType, ValType};
use wtool_interp::{Config, Extern, Imports, InstantiateError, Store, TrapKind, Value};

fn inst(src: &str) -> (Store, wtool_interp::InstanceId) {
    inst_cfg(src, Config::default())
}

fn inst_cfg(src: &str, cfg: Config) -> (Store, wtool_interp::InstanceId) {
    let bytes = wat::parse_str(src).expect("wat");
    let m = wtool_binary::decode(&bytes).expect("decode");
    let mut s = Store::with_config(cfg);
    let i = s.instantiate(&m, &Imports::new()).expect("instantiate");
    (s, i)
}

fn call(s: &mut Store, i: wtool_interp::InstanceId, name: &str, args: &[Value]) -> Vec<Value> {
    s.invoke(i, name, args)
        .unwrap_or_else(|t| panic!("{name}: trap {t}"))
}

#[test]
fn add_and_fib() {
    let (mut s, i) = inst(
        r#"(module
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func $fib (export "fib") (param i32) (result i32)
            local.get 0 i32.const 2 i32.lt_u
            if (result i32) local.get 0
            else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end))"#,
    );
    assert_eq!(
        call(&mut s, i, "add", &[Value::I32(1), Value::I32(2)]),
        vec![Value::I32(3)]
    );
    assert_eq!(
        call(&mut s, i, "fib", &[Value::I32(20)]),
        vec![Value::I32(6765)]
    );
}

#[test]
fn loops_blocks_br_table_multivalue() {
    let (mut s, i) = inst(
        r#"(module
          (func (export "sum") (param i32) (result i64) (local i64)
            block loop
              local.get 0 i32.eqz br_if 1
              local.get 1 local.get 0 i64.extend_i32_u i64.add local.set 1
              local.get 0 i32.const 1 i32.sub local.set 0
              br 0 end end local.get 1)
          (func (export "bt") (param i32) (result i32)
            block block block
              local.get 0 br_table 0 1 2
            end i32.const 10 return end i32.const 11 return end i32.const 12)
          (func (export "swap") (param i32 i32) (result i32 i32)
            local.get 1 local.get 0)
          (func (export "blk") (result i32)
            i32.const 1 i32.const 2
            block (param i32 i32) (result i32) i32.add end)
          (func (export "keep") (result i32)
            block (result i32) i32.const 7 i32.const 8 i32.const 9 br 0 end))"#,
    );
    assert_eq!(
        call(&mut s, i, "sum", &[Value::I32(100)]),
        vec![Value::I64(5050)]
    );
    for (a, r) in [(0, 10), (1, 11), (2, 12), (7, 12)] {
        assert_eq!(call(&mut s, i, "bt", &[Value::I32(a)]), vec![Value::I32(r)]);
    }
    assert_eq!(
        call(&mut s, i, "swap", &[Value::I32(1), Value::I32(2)]),
        vec![Value::I32(2), Value::I32(1)]
    );
    assert_eq!(call(&mut s, i, "blk", &[]), vec![Value::I32(3)]);
    assert_eq!(call(&mut s, i, "keep", &[]), vec![Value::I32(9)]);
}

#[test]
fn traps_and_backtrace() {
    let (mut s, i) = inst(
        r#"(module
          (memory 1)
          (table 2 funcref)
          (elem (i32.const 0) $f)
          (func $f (result i32) i32.const 1)
          (func $g (param i32) (result i32) local.get 0 i32.const 0 i32.div_s)
          (func (export "div") (param i32) (result i32) local.get 0 call $g)
          (func (export "oob") (result i32) i32.const 65536 i32.load)
          (func (export "ci") (param i32) (result i32) local.get 0 call_indirect (result i32))
          (func (export "ci2") (param i32) (result i64) local.get 0 call_indirect (result i64))
          (func $rec (export "rec") call $rec)
          (func (export "conv") (param f32) (result i32) local.get 0 i32.trunc_f32_s))"#,
    );
    let t = s.invoke(i, "div", &[Value::I32(1)]).unwrap_err();
    assert_eq!(t.message(), "integer divide by zero");
    assert_eq!(t.backtrace.len(), 2);
    assert_eq!(t.backtrace[0].func_name.as_deref(), Some("g"));
    assert!(t.backtrace[0].offset.is_some());
    assert_eq!(
        s.invoke(i, "oob", &[]).unwrap_err().message(),
        "out of bounds memory access"
    );
    assert_eq!(call(&mut s, i, "ci", &[Value::I32(0)]), vec![Value::I32(1)]);
    assert_eq!(
        s.invoke(i, "ci", &[Value::I32(1)]).unwrap_err().message(),
        "uninitialized element"
    );
    assert_eq!(
        s.invoke(i, "ci", &[Value::I32(2)]).unwrap_err().message(),
        "undefined element"
    );
    assert_eq!(
        s.invoke(i, "ci2", &[Value::I32(0)]).unwrap_err().message(),
        "indirect call type mismatch"
    );
    assert_eq!(
        s.invoke(i, "rec", &[]).unwrap_err().kind,
        TrapKind::CallStackExhausted
    );
    assert_eq!(
        s.invoke(i, "conv", &[Value::f32(f32::NAN)])
            .unwrap_err()
            .message(),
        "invalid conversion to integer"
    );
    assert_eq!(
        s.invoke(i, "conv", &[Value::f32(3e9)])
            .unwrap_err()
            .message(),
        "integer overflow"
    );
    // The store still works after traps.
    assert_eq!(call(&mut s, i, "ci", &[Value::I32(0)]), vec![Value::I32(1)]);
}

#[test]
fn fuel_limits_loops() {
    let src = r#"(module (func (export "spin") (loop br 0)))"#;
    let (mut s, i) = inst_cfg(
        src,
        Config {
            fuel: Some(10_000),
            ..Config::default()
        },
    );
    assert_eq!(
        s.invoke(i, "spin", &[]).unwrap_err().kind,
        TrapKind::OutOfFuel
    );
    assert_eq!(s.fuel_remaining(), Some(0));
}

#[test]
fn host_functions_and_memory() {
    let bytes = wat::parse_str(
        r#"(module
          (import "env" "add3" (func $h (param i32) (result i32)))
          (import "env" "g" (global $g i32))
          (memory (export "memory") 1)
          (data (i32.const 8) "hello")
          (func (export "run") (param i32) (result i32) local.get 0 call $h global.get $g i32.add))"#,
    )
    .unwrap();
    let m = wtool_binary::decode(&bytes).unwrap();
    let mut s = Store::new();
    let h = s.add_host_func(
        FuncType::new([ValType::I32], [ValType::I32]),
        |c, args, res| {
            let mem = c.exported_memory_mut("memory").expect("memory");
            let Value::I32(x) = args[0] else {
                unreachable!()
            };
            res[0] = Value::I32(x + 3 + mem[8] as i32);
            Ok(())
        },
    );
    let g = s.add_global(
        wtool_ast::GlobalType {
            ty: ValType::I32,
            mutable: false,
        },
        Value::I32(100),
    );
    let mut imps = Imports::new();
    assert!(matches!(
        s.instantiate(&m, &imps),
        Err(InstantiateError::Link {
            message: "unknown import",
            ..
        })
    ));
    imps.define("env", "add3", Extern::Global(g));
    assert!(matches!(
        s.instantiate(&m, &imps),
        Err(InstantiateError::Link {
            message: "incompatible import type",
            ..
        })
    ));
    imps.define("env", "add3", Extern::Func(h));
    imps.define("env", "g", Extern::Global(g));
    let i = s.instantiate(&m, &imps).unwrap();
    assert_eq!(
        call(&mut s, i, "run", &[Value::I32(1)]),
        vec![Value::I32(1 + 3 + 104 + 100)]
    );
}

#[test]
fn simd_basics() {
    let (mut s, i) = inst(
        r#"(module
          (memory 1)
          (func (export "add") (param v128 v128) (result v128) local.get 0 local.get 1 i32x4.add)
          (func (export "lane") (param v128) (result i32) local.get 0 i32x4.extract_lane 2)
          (func (export "shuf") (param v128 v128) (result v128)
            local.get 0 local.get 1 i8x16.shuffle 16 17 18 19 0 1 2 3 20 21 22 23 4 5 6 7)
          (func (export "ls") (result v128)
            i32.const 0 v128.const i32x4 1 2 3 4 v128.store
            i32.const 4 v128.load32_splat))"#,
    );
    let a = Value::V128(0x0000_0004_0000_0003_0000_0002_0000_0001);
    let b = Value::V128(0x0000_0010_0000_0010_0000_0010_0000_0010);
    assert_eq!(
        call(&mut s, i, "add", &[a, b]),
        vec![Value::V128(0x0000_0014_0000_0013_0000_0012_0000_0011)]
    );
    assert_eq!(call(&mut s, i, "lane", &[a]), vec![Value::I32(3)]);
    assert_eq!(
        call(&mut s, i, "shuf", &[a, b]),
        vec![Value::V128(0x0000_0002_0000_0010_0000_0001_0000_0010)]
    );
    assert_eq!(
        call(&mut s, i, "ls", &[]),
        vec![Value::V128(0x0000_0002_0000_0002_0000_0002_0000_0002)]
    );
}

#[test]
fn reference_locals_and_tables_start_null() {
    let (mut s, i) = inst(
        r#"(module
          (table 3 externref)
          (func (export "loc") (result i32 i32) (local externref funcref)
            local.get 0 ref.is_null local.get 1 ref.is_null)
          (func (export "tab") (result externref) i32.const 2 table.get 0)
          (func (export "put") (param externref) i32.const 1 local.get 0 table.set 0)
          (func (export "get") (result externref) i32.const 1 table.get 0))"#,
    );
    assert_eq!(
        call(&mut s, i, "loc", &[]),
        vec![Value::I32(1), Value::I32(1)]
    );
    assert_eq!(call(&mut s, i, "tab", &[]), vec![Value::ExternRef(None)]);
    call(&mut s, i, "put", &[Value::ExternRef(Some(0))]);
    assert_eq!(call(&mut s, i, "get", &[]), vec![Value::ExternRef(Some(0))]);
}

/// An instruction the interpreter does not execute yet (custom
/// descriptors' `ref.get_desc`) reaches the compiler only when validation
/// was skipped; it must come back as a typed error naming the instruction,
/// not a panic or a string.
#[test]
fn unvalidated_unsupported_instruction_is_a_typed_compile_error() {
    // (type (struct)) (type (func (result i32)))
    // (func (export "f") (type 1) ref.null 0 ref.get_desc 0 drop i32.const 0)
    let bytes = [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
        0x01, 0x07, 0x02, 0x5f, 0x00, 0x60, 0x00, 0x01, 0x7f, // types
        0x03, 0x02, 0x01, 0x01, // funcs
        0x07, 0x05, 0x01, 0x01, b'f', 0x00, 0x00, // exports
        0x0a, 0x0c, 0x01, 0x0a, 0x00, 0xd0, 0x00, 0xfb, 0x22, 0x00, 0x1a, 0x41, 0x00, 0x0b,
    ];
    let m = wtool_binary::decode_with_features(&bytes, wtool_ast::Features::ALL).expect("decode");
    let mut s = Store::new();
    let i = s.instantiate(&m, &Imports::new()).expect("instantiate");
    let t = s.invoke(i, "f", &[]).unwrap_err();
    let TrapKind::Compile(e) = &t.kind else {
        panic!("expected a compile error, got {t}");
    };
    assert_eq!(e.func, 0);
    assert_eq!(
        e.kind,
        wtool_interp::CompileErrorKind::Unsupported("ref.get_desc")
    );
    assert!(
        t.to_string().contains("not supported yet: ref.get_desc"),
        "{t}"
    );
}
