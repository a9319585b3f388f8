//! A direct `call` caches its callee's entry in its own operands after the
//! first call, when the callee's code is its own module's (same instance,
//! module and fuel metering). The code is shared by every instance of the
//! module, so the cache must be right for all of them: these tests run one
//! compiled module's code in several instances, with calls to imports that
//! resolve differently per instance (never cached) and to defined functions
//! (cached, and the same code in every instance), and check that a cached
//! call zeroes the callee's locals however many it has.

use std::rc::Rc;

use wtool_interp::{CompiledModule, Extern, Imports, Store, Value};

/// Whose global `g` each instance of it sets from its argument.
const PROVIDER: &str = r#"(module
  (global $g (mut i32) (i32.const 0))
  (func (export "set") (param i32) global.get $g drop local.get 0 global.set $g)
  (func (export "get") (result i32) global.get $g))"#;

/// Calls an import (per instance) and a defined function reading its own
/// global (per instance, same code). It exports that function as `get`,
/// so that one instance can import another's: the same module's code in
/// another instance, which a call must not take for its own.
const CALLER: &str = r#"(module
  (import "p" "get" (func $get (result i32)))
  (global $mine (mut i32) (i32.const 0))
  (func $own (export "get") (result i32) global.get $mine)
  (func (export "set_mine") (param i32) local.get 0 global.set $mine)
  (func (export "via_import") (result i32) call $get)
  (func (export "via_own") (result i32) call $own))"#;

fn module(wat: &str) -> Rc<CompiledModule> {
    let wasm = wat::parse_str(wat).expect("wat");
    let m = wtool_binary::decode(&wasm).expect("decode");
    Rc::new(CompiledModule::new(m))
}

fn i32_of(v: Vec<Value>) -> i32 {
    match v.as_slice() {
        [Value::I32(x)] => *x,
        other => panic!("expected one i32, got {other:?}"),
    }
}

#[test]
fn cached_calls_stay_right_in_every_instance_of_the_code() {
    let mut store = Store::new();
    let provider = module(PROVIDER);
    let caller = module(CALLER);
    let mut callers = Vec::new();
    // Instances 0 and 1 import a provider's `get`; 2 and 3 the `get` of
    // the caller instance before them (the same code as their own).
    for k in 0..4 {
        let from = if k < 2 {
            let p = store
                .instantiate_compiled(&provider, &Imports::new())
                .expect("provider");
            store.invoke(p, "set", &[Value::I32(10 + k)]).expect("set");
            p
        } else {
            callers[k as usize - 1]
        };
        let mut imports = Imports::new();
        let get = store.get_export(from, "get").expect("get");
        assert!(matches!(get, Extern::Func(_)));
        imports.define("p", "get", get);
        let c = store
            .instantiate_compiled(&caller, &imports)
            .expect("caller");
        store
            .invoke(c, "set_mine", &[Value::I32(100 + k)])
            .expect("set_mine");
        callers.push(c);
    }
    let imported = [10, 11, 101, 102];
    // Twice each: the last instance first (its import is the same code as
    // its own, which must not fill the cache of the call in the shared
    // code), then in order, with the caches the first round filled.
    let order = [3, 2, 1, 0, 0, 1, 2, 3];
    for k in order {
        {
            let c = callers[k];
            let got = i32_of(store.invoke(c, "via_import", &[]).expect("via_import"));
            assert_eq!(got, imported[k], "the import of instance {k}");
            let got = i32_of(store.invoke(c, "via_own", &[]).expect("via_own"));
            assert_eq!(got, 100 + k as i32, "the own function of instance {k}");
        }
    }
}

/// `$dirty` leaves non-zero values in the stack slots a callee's locals
/// take next; `$few` and `$many` must still see their locals at zero,
/// called directly (cached) or through the table.
const LOCALS: &str = r#"(module
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $few $many)
  (func $dirty (param i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 1 (i64.const -1)) (local.set 2 (i64.const -1)) (local.set 3 (i64.const -1))
    (local.set 4 (i64.const -1)) (local.set 5 (i64.const -1)) (local.set 6 (i64.const -1))
    (local.set 7 (i64.const -1)) (local.set 8 (i64.const -1)) (local.set 9 (i64.const -1))
    (local.set 10 (i64.const -1)) (local.set 11 (i64.const -1)) (local.set 12 (i64.const -1))
    (local.set 13 (i64.const -1)) (local.set 14 (i64.const -1)) (local.set 15 (i64.const -1))
    (local.set 16 (i64.const -1))
    (i32.wrap_i64 (i64.add (local.get 16) (local.get 1))))
  (func $few (param i32) (result i32) (local i32 i32 i32)
    (i32.or (i32.or (local.get 1) (local.get 2)) (local.get 3)))
  (func $many (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (i32.or (i32.or (local.get 1) (local.get 6)) (i32.or (local.get 9) (local.get 12))))
  (func (export "run") (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (drop (call $dirty (local.get $i)))
      (local.set $acc (i32.or (local.get $acc) (call $few (local.get $i))))
      (drop (call $dirty (local.get $i)))
      (local.set $acc (i32.or (local.get $acc) (call $many (local.get $i))))
      ;; through the table: the general call path zeroes them too
      (drop (call $dirty (local.get $i)))
      (local.set $acc (i32.or (local.get $acc)
        (call_indirect (type $t) (local.get $i) (i32.const 0))))
      (drop (call $dirty (local.get $i)))
      (local.set $acc (i32.or (local.get $acc)
        (call_indirect (type $t) (local.get $i) (i32.const 1))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 4))))
    (local.get $acc)))"#;

#[test]
fn cached_calls_zero_the_callee_locals() {
    let mut store = Store::new();
    let inst = store
        .instantiate_compiled(&module(LOCALS), &Imports::new())
        .expect("instantiate");
    assert_eq!(i32_of(store.invoke(inst, "run", &[]).expect("run")), 0);
}
