//! Frames live in the value stack, and handlers address their slots
//! without bounds checks: every call checks that the callee's whole frame
//! fits below the configured limit. These tests recurse with large frames
//! under a small limit and a call depth that would never stop them; if the
//! check were missing, the frames would run past the limit (and past the
//! stack) instead of trapping.

use wtool_interp::{Config, Imports, Store, TrapKind, Value};

/// A function with `n` locals that recurses `depth` times, touching its
/// last local on the way in and out.
fn module(n: usize) -> wtool_ast::Module {
    let locals = "(local i64) ".repeat(n);
    let wat = format!(
        r#"(module
          (func $f (export "f") (param i32) (result i64) {locals}
            local.get 0 i64.extend_i32_u local.set {last}
            local.get 0 i32.eqz if (result i64) i64.const 7 else
              local.get 0 i32.const 1 i32.sub call $f
            end
            local.get {last} i64.add))"#,
        last = n
    );
    wtool_binary::decode(&wat::parse_str(&wat).expect("wat")).expect("decode")
}

fn store(max_stack_slots: u32) -> Store {
    Store::with_config(Config {
        max_call_depth: u32::MAX,
        max_stack_slots,
        ..Config::default()
    })
}

#[test]
fn deep_recursion_with_big_frames_traps_at_the_slot_limit() {
    let m = module(200);
    let mut s = store(64 * 1024);
    let i = s.instantiate(&m, &Imports::new()).expect("instantiate");
    // 100 frames of ~200 slots fit in 64 Ki slots.
    let r = s.invoke(i, "f", &[Value::I32(100)]).expect("shallow call");
    assert_eq!(r, vec![Value::I64(7 + 100 * 101 / 2)]);
    // 1,000,000 frames would need ~200 M slots: the limit stops them.
    let t = s
        .invoke(i, "f", &[Value::I32(1_000_000)])
        .expect_err("must trap");
    assert_eq!(t.kind, TrapKind::CallStackExhausted);
    // The store is still usable afterwards.
    let r = s.invoke(i, "f", &[Value::I32(3)]).expect("after the trap");
    assert_eq!(r, vec![Value::I64(13)]);
}

#[test]
fn a_frame_larger_than_the_limit_traps_at_entry() {
    let m = module(5000);
    let mut s = store(4096);
    let i = s.instantiate(&m, &Imports::new()).expect("instantiate");
    let t = s.invoke(i, "f", &[Value::I32(1)]).expect_err("must trap");
    assert_eq!(t.kind, TrapKind::CallStackExhausted);
}
