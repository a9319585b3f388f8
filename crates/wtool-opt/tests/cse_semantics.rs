//! local-cse on hand-written functions where reusing a value would be wrong
//! (a store, a call, a loop's back edge, an `else` arm, a skipped block or a
//! local write comes between the two computations) and where it is right,
//! run in the `wasmi` oracle before and after the pass alone with arguments
//! of both signs. Random modules seldom compute a tree again after its inputs
//! changed, so a stale value (memory not forgotten after a store, a loop that
//! does not forget what it writes, an arm's values kept in the other arm or
//! after a skipped block) went unnoticed by `tests/semantics.rs`; here it
//! changes a result.

use wasmi::{Engine, Linker, Module as WModule, Store, Val};
use wtool_opt::{PassManager, PassOptions};

const SRC: &str = r#"(module
  (memory 1)
  (global $g (mut i32) (i32.const 5))
  (func $bump (global.set $g (i32.add (global.get $g) (i32.const 1))))
  (func (export "store_between") (param i32) (result i32) (local i32)
    (local.set 1 (i32.and (local.get 0) (i32.const 0xfc)))
    (i32.store (local.get 1) (i32.const 40))
    (i32.add (i32.load (local.get 1)) (i32.const 1))
    (i32.store (local.get 1) (i32.mul (local.get 0) (i32.const 3)))
    (i32.add (i32.load (local.get 1)) (i32.const 1))
    i32.sub)
  (func (export "loop_writes") (param i32) (result i32) (local i32 i32)
    (local.set 2 (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1)))
    (loop
      (local.set 2 (i32.add (local.get 2)
        (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1))))
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get 1) (i32.const 4))))
    (local.get 2))
  (func (export "loop_invariant") (param i32) (result i32) (local i32 i32)
    (local.set 2 (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1)))
    (loop
      (local.set 2 (i32.add (local.get 2)
        (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1))))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get 1) (i32.const 4))))
    (local.get 2))
  (func (export "else_arm") (param i32) (result i32)
    (if (result i32) (i32.gt_s (local.get 0) (i32.const 0))
      (then (i32.add (i32.mul (local.get 0) (i32.const 7)) (i32.const 3)))
      (else (i32.sub (i32.add (i32.mul (local.get 0) (i32.const 7)) (i32.const 3))
                     (i32.const 1)))))
  (func (export "skipped_block") (param i32) (result i32)
    (block
      (br_if 0 (i32.lt_s (local.get 0) (i32.const 0)))
      (drop (i32.xor (i32.mul (local.get 0) (i32.const 9)) (i32.const 5))))
    (i32.xor (i32.mul (local.get 0) (i32.const 9)) (i32.const 5)))
  (func (export "call_writes_global") (param i32) (result i32)
    (i32.mul (global.get $g) (i32.add (local.get 0) (i32.const 2)))
    (call $bump)
    (i32.mul (global.get $g) (i32.add (local.get 0) (i32.const 2)))
    i32.sub)
  (func (export "local_written_in_arm") (param i32) (result i32) (local i32)
    (local.set 1 (i32.shl (local.get 0) (i32.const 3)))
    (if (local.get 0) (then (local.set 1 (i32.const 1))))
    (i32.add (local.get 1) (i32.shl (local.get 0) (i32.const 3))))
  (func (export "division_in_arm") (param i32) (result i32)
    (if (i32.gt_s (local.get 0) (i32.const 100))
      (then (drop (i32.add (i32.div_s (i32.const 1000) (local.get 0)) (i32.const 1)))))
    (i32.add (i32.div_s (i32.const 1000) (local.get 0)) (i32.const 1)))
  (func (export "reused") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1))
    (block (br_if 0 (i32.eqz (local.get 0))))
    (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.const 1))
    i32.add))"#;

/// Each export's result (or trap message) on `arg`.
fn run(bytes: &[u8], arg: i32) -> Vec<String> {
    let engine = Engine::default();
    let module = WModule::new(&engine, bytes).expect("module");
    let mut store = Store::new(&engine, ());
    let instance = Linker::<()>::new(&engine)
        .instantiate_and_start(&mut store, &module)
        .expect("instantiate");
    let names: Vec<String> = module.exports().map(|e| e.name().to_string()).collect();
    names
        .iter()
        .map(|name| {
            let f = instance.get_func(&store, name).expect("func");
            let mut out = [Val::I32(0)];
            match f.call(&mut store, &[Val::I32(arg)], &mut out) {
                Ok(()) => format!("{name}: {:?}", out[0].i32()),
                Err(e) => format!("{name}: trap {e}"),
            }
        })
        .collect()
}

#[test]
fn reused_values_behave_the_same() {
    let bytes = wat::parse_str(SRC).expect("wat");
    let m = wtool_binary::decode(&bytes).expect("decode");
    for shrink_level in [0, 2] {
        let mut out = m.clone();
        let opts = PassOptions {
            shrink_level,
            ..PassOptions::default()
        };
        PassManager::with_passes(&["local-cse"], opts)
            .expect("known pass")
            .run(&mut out)
            .expect("valid");
        assert_ne!(out, m, "local-cse had nothing to do");
        let opt_bytes = wtool_binary::encode(&out);
        for arg in [0, 1, 3, 200, -5, -1000] {
            assert_eq!(
                run(&bytes, arg),
                run(&opt_bytes, arg),
                "shrink {shrink_level} arg {arg}"
            );
        }
    }
}
