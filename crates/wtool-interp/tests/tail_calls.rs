//! Tail calls run in constant stack: a `return_call` reuses the caller's
//! frame. A mutual recursion 10,000,000 deep finishes under limits (1,000
//! frames, 4 Ki slots) that stop the same recursion written with `call`
//! at once; the `return_call_indirect` and `return_call_ref` forms, tail
//! calls into host functions and `call_ref` behave the same way.

use wtool_ast::{FuncType, ValType};
use wtool_interp::{Config, Extern, Imports, Store, TrapKind, Value};

/// `even`/`odd` by mutual recursion, the recursive step written as `op`.
fn module(op_even: &str, op_odd: &str) -> wtool_ast::Module {
    let wat = format!(
        r#"(module
          (type $t (func (param i64) (result i32)))
          (table funcref (elem $even $odd))
          (elem declare func $even $odd)
          (func $even (export "even") (type $t)
            local.get 0 i64.eqz if (result i32) i32.const 1 else
              local.get 0 i64.const 1 i64.sub {op_even}
            end)
          (func $odd (export "odd") (type $t)
            local.get 0 i64.eqz if (result i32) i32.const 0 else
              local.get 0 i64.const 1 i64.sub {op_odd}
            end))"#
    );
    wtool_binary::decode_with_features(
        &wat::parse_str(&wat).expect("wat"),
        wtool_ast::Features::WASM3,
    )
    .expect("decode")
}

/// A store whose limits a 10,000,000-deep non-tail recursion cannot meet.
fn small_store() -> Store {
    Store::with_config(Config {
        max_call_depth: 1000,
        max_stack_slots: 4096,
        ..Config::default()
    })
}

fn even(m: &wtool_ast::Module, n: i64) -> Result<Vec<Value>, TrapKind> {
    let mut s = small_store();
    let i = s.instantiate(m, &Imports::new()).expect("instantiate");
    s.invoke(i, "even", &[Value::I64(n)]).map_err(|t| t.kind)
}

const DEEP: i64 = 10_000_000;

#[test]
fn return_call_recursion_runs_in_constant_stack() {
    let m = module("return_call $odd", "return_call $even");
    assert_eq!(even(&m, DEEP), Ok(vec![Value::I32(1)]));
    assert_eq!(even(&m, DEEP + 1), Ok(vec![Value::I32(0)]));
    // The same recursion with plain calls exhausts the same limits.
    let plain = module("call $odd", "call $even");
    assert_eq!(even(&plain, DEEP), Err(TrapKind::CallStackExhausted));
    assert_eq!(even(&plain, 10), Ok(vec![Value::I32(1)]));
}

#[test]
fn return_call_indirect_and_ref_run_in_constant_stack() {
    let ind = module(
        "i32.const 1 return_call_indirect (type $t)",
        "i32.const 0 return_call_indirect (type $t)",
    );
    assert_eq!(even(&ind, DEEP), Ok(vec![Value::I32(1)]));
    let r = module(
        "ref.func $odd return_call_ref $t",
        "ref.func $even return_call_ref $t",
    );
    assert_eq!(even(&r, DEEP + 1), Ok(vec![Value::I32(0)]));
    let c = module("ref.func $odd call_ref $t", "ref.func $even call_ref $t");
    assert_eq!(even(&c, 11), Ok(vec![Value::I32(0)]));
    assert_eq!(even(&c, DEEP), Err(TrapKind::CallStackExhausted));
}

#[test]
fn null_function_reference_traps() {
    let m = module("ref.null $t return_call_ref $t", "ref.null $t call_ref $t");
    assert_eq!(even(&m, 1), Err(TrapKind::NullFunctionReference));
    assert_eq!(even(&m, 2), Err(TrapKind::NullFunctionReference));
    assert_eq!(even(&m, 0), Ok(vec![Value::I32(1)]));
}

#[test]
fn a_tail_call_to_a_host_function_returns_its_results() {
    let wat = r#"(module
      (import "env" "twice" (func $h (param i32 i64) (result i64)))
      (func (export "f") (param i64) (result i64)
        i32.const 99 drop
        i32.const 2 local.get 0 return_call $h))"#;
    let m = wtool_binary::decode(&wat::parse_str(wat).expect("wat")).expect("decode");
    let mut s = small_store();
    let h = s.add_host_func(
        FuncType::new([ValType::I32, ValType::I64], [ValType::I64]),
        |_, args, res| {
            let (Value::I32(k), Value::I64(x)) = (args[0], args[1]) else {
                unreachable!()
            };
            res[0] = Value::I64(x * k as i64);
            Ok(())
        },
    );
    let mut imps = Imports::new();
    imps.define("env", "twice", Extern::Func(h));
    let i = s.instantiate(&m, &imps).expect("instantiate");
    let r = s.invoke(i, "f", &[Value::I64(21)]).expect("run");
    assert_eq!(r, vec![Value::I64(42)]);
}

#[test]
fn return_call_indirect_through_a_table64() {
    let wat = r#"(module
      (type $t (func (param i32) (result i32)))
      (table $tab i64 2 funcref)
      (elem (table $tab) (i64.const 0) func $dbl)
      (func $dbl (type $t) local.get 0 i32.const 2 i32.mul)
      (func (export "tail") (param i64 i32) (result i32)
        local.get 1 local.get 0 return_call_indirect $tab (type $t)))"#;
    let m = wtool_binary::decode_with_features(
        &wat::parse_str(wat).expect("wat"),
        wtool_ast::Features::ALL,
    )
    .expect("decode");
    let mut s = small_store();
    let i = s.instantiate(&m, &Imports::new()).expect("instantiate");
    let mut tail = |k: i64| {
        s.invoke(i, "tail", &[Value::I64(k), Value::I32(21)])
            .map_err(|t| t.kind)
    };
    assert_eq!(tail(0), Ok(vec![Value::I32(42)]));
    assert_eq!(tail(1), Err(TrapKind::UninitializedElement));
    // An index past 2^32 must not wrap to 0.
    assert_eq!(tail(1 << 32), Err(TrapKind::UndefinedElement));
}
