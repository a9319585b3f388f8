//! The store's resource limits, each at, under and over: `max_memory_bytes`
//! (instantiation and `memory.grow`), `max_table_elements` (instantiation and
//! `table.grow`), `max_call_depth`; and lazily committed memory: a memory
//! grown to the whole 32-bit space and used at its top from running code.

use wtool_interp::{Config, Imports, InstantiateError, Store, TrapKind, Value};

fn module(wat: &str) -> wtool_ast::Module {
    wtool_binary::decode(&wat::parse_str(wat).expect("wat")).expect("decode")
}

const M: &str = r#"(module
  (memory 2)
  (table 3 funcref)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "table_grow") (param i32) (result i32)
    (table.grow (ref.null func) (local.get 0)))
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (i32.le_u (local.get 0) (i32.const 1))
      (then (i32.const 1))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1))))))))
"#;

fn store(config: Config) -> Result<(Store, wtool_interp::InstanceId), InstantiateError> {
    let mut s = Store::with_config(config);
    let i = s.instantiate(&module(M), &Imports::new())?;
    Ok((s, i))
}

fn call(s: &mut Store, i: wtool_interp::InstanceId, f: &str, n: i32) -> Result<i32, TrapKind> {
    match s.invoke(i, f, &[Value::I32(n)]) {
        Ok(v) => match v[..] {
            [Value::I32(r)] => Ok(r),
            _ => panic!("{f}: {v:?}"),
        },
        Err(t) => Err(t.kind),
    }
}

const PAGE: u64 = 65536;

#[test]
fn memory_limit() {
    // Over: the memory's minimum (2 pages) does not fit.
    let cfg = |bytes| Config {
        max_memory_bytes: bytes,
        ..Config::default()
    };
    match store(cfg(2 * PAGE - 1)) {
        Err(InstantiateError::Limit {
            what: "memory",
            index: 0,
            needed,
            limit,
        }) => assert_eq!((needed, limit), (2 * PAGE, 2 * PAGE - 1)),
        other => panic!("{other:?}"),
    }
    // At: instantiates, cannot grow.
    let (mut s, i) = store(cfg(2 * PAGE)).unwrap();
    assert_eq!(call(&mut s, i, "grow", 1), Ok(-1));
    assert_eq!(call(&mut s, i, "grow", 0), Ok(2));
    // Under: grows up to the limit (rounded down to whole pages), not past it.
    let (mut s, i) = store(cfg(4 * PAGE + 100)).unwrap();
    assert_eq!(call(&mut s, i, "grow", 3), Ok(-1));
    assert_eq!(call(&mut s, i, "grow", 2), Ok(2));
    assert_eq!(call(&mut s, i, "grow", 1), Ok(-1));
    // The default is the whole 32-bit space.
    let (mut s, i) = store(Config::default()).unwrap();
    assert_eq!(call(&mut s, i, "grow", 65534), Ok(2));
    assert_eq!(call(&mut s, i, "grow", 1), Ok(-1));
}

#[test]
fn table_limit() {
    let cfg = |n| Config {
        max_table_elements: n,
        ..Config::default()
    };
    assert!(matches!(
        store(cfg(2)),
        Err(InstantiateError::Limit {
            what: "table",
            needed: 3,
            limit: 2,
            ..
        })
    ));
    let (mut s, i) = store(cfg(3)).unwrap();
    assert_eq!(call(&mut s, i, "table_grow", 1), Ok(-1));
    let (mut s, i) = store(cfg(5)).unwrap();
    assert_eq!(call(&mut s, i, "table_grow", 1), Ok(3));
    assert_eq!(call(&mut s, i, "table_grow", 2), Ok(-1));
    assert_eq!(call(&mut s, i, "table_grow", 1), Ok(4));
}

#[test]
fn call_depth_limit() {
    let cfg = |n| Config {
        max_call_depth: n,
        ..Config::default()
    };
    let (mut s, i) = store(cfg(50)).unwrap();
    assert_eq!(call(&mut s, i, "depth", 49), Ok(49));
    assert_eq!(call(&mut s, i, "depth", 50), Ok(50));
    assert_eq!(
        call(&mut s, i, "depth", 51),
        Err(TrapKind::CallStackExhausted)
    );
    // One frame: the entry function alone.
    let (mut s, i) = store(cfg(1)).unwrap();
    assert_eq!(call(&mut s, i, "depth", 1), Ok(1));
    assert_eq!(
        call(&mut s, i, "depth", 2),
        Err(TrapKind::CallStackExhausted)
    );
}

/// Grows memory 0 to 65,536 pages inside a running function and stores
/// and loads at its last byte through the register loads and stores (the
/// cached base and length), then checks the bytes from the host.
#[test]
fn grown_to_4_gib_and_used_at_the_top() {
    let m = module(
        r#"(module
      (memory (export "memory") 1)
      (func (export "f") (result i32)
        (if (i32.ne (memory.grow (i32.const 65535)) (i32.const 1)) (then unreachable))
        (i32.store8 (i32.const -1) (i32.const 42))
        (i32.store8 (i32.const 65536) (i32.const 7))
        (i32.add (i32.load8_u (i32.const -1)) (i32.load8_u (i32.const 65536)))))"#,
    );
    let mut s = Store::new();
    let i = s.instantiate(&m, &Imports::new()).unwrap();
    assert_eq!(s.invoke(i, "f", &[]).unwrap(), vec![Value::I32(49)]);
    let Some(wtool_interp::Extern::Memory(mem)) = s.get_export(i, "memory") else {
        panic!("no memory export");
    };
    let data = s.memory_data(mem).unwrap();
    assert_eq!(data.len(), 1 << 32);
    assert_eq!(
        (data[(1 << 32) - 1], data[65536], data[1 << 31]),
        (42, 7, 0)
    );
}
