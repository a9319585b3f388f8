//! Bodies read straight from the binary on first call (`BinaryBodies`, what
//! `wtool run` uses) give what decoded bodies give, including the bodies the
//! streaming compiler hands back to the decoded path (legacy `try`, whose
//! slots are counted before compiling).

use std::rc::Rc;

use wtool_ast::Features;
use wtool_interp::{BinaryBodies, CompiledModule, Imports, Store, Value};

const WAT: &str = r#"(module
  (tag $e (param i32))
  (func $thrower (param i32) (result i32)
    (if (i32.gt_s (local.get 0) (i32.const 10)) (then (throw $e (local.get 0))))
    (i32.mul (local.get 0) (i32.const 3)))
  (func (export "legacy_try") (param i32) (result i32)
    try (result i32)
      local.get 0
      call $thrower
    catch $e
      i32.const 1000
      i32.add
    end)
  (func (export "unreachable_tail") (param i32) (result i32)
    (block $b (result i32)
      (br $b (i32.add (local.get 0) (i32.const 5)))
      (drop (block (result i32) (loop (br 0)) (i32.const 9)))
      (i32.const 7)))
  (func (export "loop_sum") (param i32) (result i32) (local i32)
    (block $out
      (loop $l
        (br_if $out (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get 1)))"#;

fn run_all(lazy: bool) -> Vec<Vec<Value>> {
    let wasm = wat::parse_str(WAT).expect("wat");
    let features = Features::ALL;
    let mut store = Store::new();
    let inst = if lazy {
        let (m, ranges) = wtool_binary::decode_lazy(&wasm, features).expect("decode");
        let has_data_count = m.data_count.is_some();
        let bodies = BinaryBodies {
            bytes: Box::new(wasm.clone()),
            ranges,
            features,
            has_data_count,
        };
        let c = CompiledModule::with_lazy_bodies(m, bodies);
        store.instantiate_compiled(&Rc::new(c), &Imports::new())
    } else {
        let m = wtool_binary::decode_with_features(&wasm, features).expect("decode");
        store.instantiate(&m, &Imports::new())
    }
    .expect("instantiate");
    let mut out = Vec::new();
    for name in ["legacy_try", "unreachable_tail", "loop_sum"] {
        for arg in [0, 4, 11, 40] {
            out.push(store.invoke(inst, name, &[Value::I32(arg)]).expect(name));
        }
    }
    out
}

#[test]
fn bodies_read_on_first_call_run_as_decoded_ones() {
    let lazy = run_all(true);
    assert_eq!(lazy, run_all(false));
    // The thrown value reaches the legacy handler: 11 and 40 throw.
    assert_eq!(lazy[2], vec![Value::I32(1011)]);
    assert_eq!(lazy[1], vec![Value::I32(12)]);
}
