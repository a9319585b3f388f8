//! The executor caches the current function's memory 0 for its loads and
//! stores. These tests move or switch that memory under running code:
//! `memory.grow` in the same function, a host function whose callback into
//! wasm grows it, and calls between instances with memories of their own.

use std::cell::Cell;
use std::rc::Rc;

use wtool_ast::FuncType;
use wtool_interp::{Extern, Imports, InstanceId, Store, Value};

fn module(wat: &str) -> wtool_ast::Module {
    wtool_binary::decode(&wat::parse_str(wat).expect("wat")).expect("decode")
}

const A: &str = r#"(module
  (import "host" "grow_by_callback" (func $h))
  (import "b" "poke" (func $poke (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "grow") (result i32) i32.const 3 memory.grow)
  ;; the new pages are usable right after the grow
  (func (export "grow_then_access") (result i32)
    i32.const 2 memory.grow drop
    i32.const 131072 i32.const 77 i32.store
    i32.const 131072 i32.load)
  ;; before the host call, 300000 is out of bounds (3 pages); after it, in bounds
  (func (export "host_grows") (result i32)
    call $h
    i32.const 300000 i32.const 5 i32.store
    i32.const 300000 i32.load)
  ;; the callee writes its own memory at the same address
  (func (export "cross") (result i32)
    i32.const 0 i32.const 1 i32.store8
    i32.const 0 call $poke
    i32.const 0 i32.load8_u
    i32.const 8 i32.shl i32.or))
"#;

const B: &str = r#"(module
  (memory 1)
  (func (export "poke") (param i32) (result i32)
    local.get 0 i32.const 2 i32.store8
    local.get 0 i32.load8_u))
"#;

#[test]
fn loads_and_stores_follow_memory_changes() {
    let mut store = Store::new();
    let b = store
        .instantiate(&module(B), &Imports::new())
        .expect("instantiate b");
    let poke = store.get_export(b, "poke").expect("poke");

    // The host function grows A's memory by calling back into A.
    let a_id: Rc<Cell<Option<InstanceId>>> = Rc::new(Cell::new(None));
    let seen = Rc::clone(&a_id);
    let h = store.add_host_func(FuncType::new([], []), move |c, _, _| {
        let inst = seen.get().expect("instance set");
        let r = c.store().invoke(inst, "grow", &[])?;
        assert_eq!(r, vec![Value::I32(3)], "grow returns the old size");
        Ok(())
    });
    let mut imports = Imports::new();
    imports.define("host", "grow_by_callback", Extern::Func(h));
    imports.define("b", "poke", poke);
    let a = store
        .instantiate(&module(A), &imports)
        .expect("instantiate a");
    a_id.set(Some(a));

    assert_eq!(
        store.invoke(a, "grow_then_access", &[]).expect("grow"),
        vec![Value::I32(77)]
    );
    // Memory is 3 pages now; the callback makes it 6, so 300000 is in bounds.
    assert_eq!(
        store.invoke(a, "host_grows", &[]).expect("host grows"),
        vec![Value::I32(5)]
    );
    // A's byte stays 1 and B's is 2: (1 << 8) | 2.
    assert_eq!(
        store.invoke(a, "cross", &[]).expect("cross"),
        vec![Value::I32(0x102)]
    );
    let Some(Extern::Memory(m)) = store.get_export(a, "memory") else {
        panic!("memory export")
    };
    assert_eq!(store.memory_data(m).map(|d| d.len()), Some(6 * 65536));
}
