//! WebAssembly 3.0 memory features in the interpreter: memory64 addresses
//! past 4 GiB and offsets that would wrap, table64 indices past 2^32,
//! lane accesses on other memories, atomics (alignment traps, waits and
//! notifies without other threads) and wide arithmetic.

use wtool_ast::Features;
use wtool_interp::{Config, Imports, InstanceId, Store, TrapKind, Value};

/// Decodes, validates (all features) and instantiates `wat`.
fn instantiate(store: &mut Store, wat: &str) -> InstanceId {
    let bytes = wat::parse_str(wat).expect("wat");
    let module = wtool_binary::decode_with_features(&bytes, Features::ALL).expect("decode");
    wtool_validate::validate(&module, Features::ALL).expect("valid");
    store
        .instantiate(&module, &Imports::new())
        .expect("instantiate")
}

fn trap(store: &mut Store, inst: InstanceId, name: &str, args: &[Value]) -> TrapKind {
    store.invoke(inst, name, args).expect_err(name).kind
}

#[test]
fn memory64_grows_past_4_gib_and_addresses_all_of_it() {
    let mut store = Store::with_config(Config {
        max_memory_bytes: 5 << 30,
        ..Config::default()
    });
    let inst = instantiate(
        &mut store,
        r#"(module
          (memory i64 1)
          (func (export "grow") (param i64) (result i64) local.get 0 memory.grow)
          (func (export "size") (result i64) memory.size)
          (func (export "store") (param i64 i64) local.get 0 local.get 1 i64.store)
          (func (export "load") (param i64) (result i64) local.get 0 i64.load)
          (func (export "load_off") (param i64) (result i64)
            local.get 0 i64.load offset=0xffffffffffff0000)
          ;; the register forms see the new length right after the grow
          (func (export "grow_then_access") (result i64)
            (drop (memory.grow (i64.const 1)))
            (i64.store16 (i64.sub (i64.shl (memory.size) (i64.const 16)) (i64.const 2))
              (i64.const 0x3344))
            (i64.load16_s (i64.sub (i64.shl (memory.size) (i64.const 16)) (i64.const 2)))))"#,
    );
    let r = store.invoke(inst, "grow", &[Value::I64(65536)]).unwrap();
    assert_eq!(r, vec![Value::I64(1)]);
    assert_eq!(
        store.invoke(inst, "size", &[]).unwrap(),
        vec![Value::I64(65537)]
    );
    // Past the configured 5 GiB: -1 as i64.
    let r = store.invoke(inst, "grow", &[Value::I64(65536)]).unwrap();
    assert_eq!(r, vec![Value::I64(-1)]);
    let high = (1i64 << 32) + 8;
    store
        .invoke(inst, "store", &[Value::I64(high), Value::I64(0x1122)])
        .unwrap();
    assert_eq!(
        store.invoke(inst, "load", &[Value::I64(high)]).unwrap(),
        vec![Value::I64(0x1122)]
    );
    // The low 32 bits of the address alone name another, untouched byte.
    assert_eq!(
        store.invoke(inst, "load", &[Value::I64(8)]).unwrap(),
        vec![Value::I64(0)]
    );
    let end = (65537i64 << 16) - 8;
    assert_eq!(
        trap(&mut store, inst, "load", &[Value::I64(end + 1)]),
        TrapKind::MemoryOutOfBounds
    );
    // address + offset overflows u64: out of bounds, not a wrapped address.
    assert_eq!(
        trap(&mut store, inst, "load_off", &[Value::I64(0x20000)]),
        TrapKind::MemoryOutOfBounds
    );
}

#[test]
fn table64_index_past_2_pow_32_is_undefined_not_wrapped() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module
          (table i64 2 funcref)
          (func $seven (result i32) i32.const 7)
          (elem (i64.const 0) func $seven)
          (func (export "call") (param i64) (result i32)
            local.get 0 call_indirect (result i32))
          (func (export "get_is_null") (param i64) (result i32)
            local.get 0 table.get 0 ref.is_null))"#,
    );
    assert_eq!(
        store.invoke(inst, "call", &[Value::I64(0)]).unwrap(),
        vec![Value::I32(7)]
    );
    assert_eq!(
        trap(&mut store, inst, "call", &[Value::I64(1 << 32)]),
        TrapKind::UndefinedElement
    );
    assert_eq!(
        trap(&mut store, inst, "get_is_null", &[Value::I64(1 << 32)]),
        TrapKind::TableOutOfBounds
    );
}

#[test]
fn lane_accesses_on_a_second_memory_and_a_memory64() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module
          (memory $a 1)
          (memory $b i64 1)
          (memory $c 1)
          (func (export "go") (result i32)
            (v128.store32_lane $c 2 (i32.const 100) (v128.const i32x4 1 2 3 4))
            (v128.store16_lane $b 0 (i64.const 200) (v128.const i16x8 9 0 0 0 0 0 0 0))
            (i32x4.extract_lane 1
              (v128.load32_lane $c 1 (i32.const 100) (v128.const i64x2 0 0)))
            (i16x8.extract_lane_u 7
              (v128.load16_lane $b 7 (i64.const 200) (v128.const i64x2 0 0)))
            i32.add
            (i32.load $a (i32.const 100))
            i32.add)
          (func (export "oob") (result i32)
            (i32x4.extract_lane 0
              (v128.load32_lane $b 0 (i64.const 65533) (v128.const i64x2 0 0)))))"#,
    );
    // 3 from memory $c, 9 from memory $b, 0 from the untouched memory $a.
    assert_eq!(store.invoke(inst, "go", &[]).unwrap(), vec![Value::I32(12)]);
    assert_eq!(
        trap(&mut store, inst, "oob", &[]),
        TrapKind::MemoryOutOfBounds
    );
}

#[test]
fn atomics_rmw_cmpxchg_wait_and_notify() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module
          (memory 1)
          (memory $s i64 1 1 shared)
          (func (export "rmw") (result i64)
            (drop (i64.atomic.rmw8.add_u $s (i64.const 3) (i64.const 0x1ff)))
            (drop (i64.atomic.rmw8.cmpxchg_u $s (i64.const 3) (i64.const 0x1ff) (i64.const 5)))
            (i64.atomic.rmw8.cmpxchg_u $s (i64.const 3) (i64.const 0xff) (i64.const 0x107)))
          (func (export "after") (result i32) (i32.atomic.load8_u $s (i64.const 3)))
          (func (export "wait") (param i64) (result i32)
            (memory.atomic.wait32 $s (i64.const 8) (i32.const 0) (local.get 0)))
          (func (export "wait_unshared") (result i32)
            (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
          (func (export "notify") (param i64) (result i32)
            (memory.atomic.notify $s (local.get 0) (i32.const 1)))
          (func (export "unaligned") (result i32)
            (i32.atomic.rmw.add (i32.const 2) (i32.const 1))))"#,
    );
    // The add wraps to the byte 0xff; the first cmpxchg compares only the
    // expected value's low byte (0xff) and so writes 5; the second finds 5,
    // not 0xff, writes nothing and returns 5.
    assert_eq!(store.invoke(inst, "rmw", &[]).unwrap(), vec![Value::I64(5)]);
    assert_eq!(
        store.invoke(inst, "after", &[]).unwrap(),
        vec![Value::I32(5)]
    );
    // The value matches and nobody can notify: times out (2).
    assert_eq!(
        store.invoke(inst, "wait", &[Value::I64(1000)]).unwrap(),
        vec![Value::I32(2)]
    );
    assert_eq!(
        trap(&mut store, inst, "wait", &[Value::I64(-1)]),
        TrapKind::WaitWouldDeadlock
    );
    assert_eq!(
        trap(&mut store, inst, "wait_unshared", &[]),
        TrapKind::ExpectedSharedMemory
    );
    assert_eq!(
        store.invoke(inst, "notify", &[Value::I64(4)]).unwrap(),
        vec![Value::I32(0)]
    );
    assert_eq!(
        trap(&mut store, inst, "notify", &[Value::I64(2)]),
        TrapKind::UnalignedAtomic
    );
    assert_eq!(
        trap(&mut store, inst, "notify", &[Value::I64(65536)]),
        TrapKind::MemoryOutOfBounds
    );
    assert_eq!(
        trap(&mut store, inst, "unaligned", &[]),
        TrapKind::UnalignedAtomic
    );
}

#[test]
fn wide_arithmetic_carries_and_borrows() {
    let mut store = Store::new();
    let inst = instantiate(
        &mut store,
        r#"(module
          (func (export "add") (param i64 i64 i64 i64) (result i64 i64)
            local.get 0 local.get 1 local.get 2 local.get 3 i64.add128)
          (func (export "sub") (param i64 i64 i64 i64) (result i64 i64)
            local.get 0 local.get 1 local.get 2 local.get 3 i64.sub128)
          (func (export "mul_s") (param i64 i64) (result i64 i64)
            local.get 0 local.get 1 i64.mul_wide_s)
          (func (export "mul_u") (param i64 i64) (result i64 i64)
            local.get 0 local.get 1 i64.mul_wide_u))"#,
    );
    let v = |xs: &[i64]| xs.iter().map(|&x| Value::I64(x)).collect::<Vec<_>>();
    assert_eq!(
        store.invoke(inst, "add", &v(&[-1, 0, 1, 0])).unwrap(),
        v(&[0, 1])
    );
    assert_eq!(
        store.invoke(inst, "sub", &v(&[0, 1, 1, 0])).unwrap(),
        v(&[-1, 0])
    );
    assert_eq!(
        store.invoke(inst, "mul_s", &v(&[-2, 3])).unwrap(),
        v(&[-6, -1])
    );
    assert_eq!(
        store.invoke(inst, "mul_u", &v(&[-1, 2])).unwrap(),
        v(&[-2, 1])
    );
}
