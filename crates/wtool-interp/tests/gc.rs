//! The GC heap and its collector: objects reachable only from each kind of
//! root survive collections with their contents intact, garbage is
//! reclaimed (cycles too) so a churning loop runs in bounded heap, and a
//! reference the host kept past its object's collection fails cleanly.

use wtool_ast::Features;
use wtool_interp::{AnyRef, Config, Imports, InstanceId, Store, Value};

/// Bytes a collection is triggered after at least (`gc::MIN_TRIGGER`).
const TRIGGER: usize = 8 << 20;

fn inst(src: &str) -> (Store, InstanceId) {
    let bytes = wat::parse_str(src).expect("wat");
    let m = wtool_binary::decode_with_features(&bytes, Features::ALL).expect("decode");
    wtool_validate::validate(&m, Features::ALL).expect("valid");
    let mut s = Store::with_config(Config::default());
    let i = s.instantiate(&m, &Imports::new()).expect("instantiate");
    (s, i)
}

fn call(s: &mut Store, i: InstanceId, name: &str, args: &[Value]) -> Vec<Value> {
    s.invoke(i, name, args)
        .unwrap_or_else(|t| panic!("{name}: trap {t}"))
}

/// `$churn` allocates `n` cyclic pairs of garbage; every other function
/// keeps an object alive through one kind of root across a churn that
/// collects several times, then reads it back.
const ROOTS: &str = r#"(module
  (type $box (struct (field $v (mut i64)) (field $next (mut (ref null $box)))))
  (type $vec (array (mut (ref null $box))))
  (tag $t (param (ref $box)))
  (global $g (mut (ref null $box)) (ref.null $box))
  (table $tab 1 (ref null $box))

  ;; Pairs pointing at each other: only a tracing collector frees them.
  (func $churn (param $n i32)
    (local $a (ref null $box))
    (loop $l
      (local.set $a (struct.new $box (i64.const 0) (ref.null $box)))
      (struct.set $box $next (local.get $a) (struct.new $box (i64.const 1) (local.get $a)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))

  (func (export "local") (param $n i32) (result i64)
    (local $keep (ref null $box))
    (local.set $keep (struct.new $box (i64.const 41) (struct.new $box (i64.const 1) (ref.null $box))))
    (call $churn (local.get $n))
    (i64.add (struct.get $box $v (local.get $keep))
             (struct.get $box $v (struct.get $box $next (local.get $keep)))))

  ;; An operand below the churning call's frame.
  (func (export "operand") (param $n i32) (result i64)
    (struct.new $box (i64.const 7) (ref.null $box))
    (call $churn (local.get $n))
    (struct.get $box $v))

  (func (export "global") (param $n i32) (result i64)
    (global.set $g (struct.new $box (i64.const 5) (ref.null $box)))
    (call $churn (local.get $n))
    (struct.get $box $v (global.get $g)))

  (func (export "table") (param $n i32) (result i64)
    (table.set $tab (i32.const 0) (struct.new $box (i64.const 6) (ref.null $box)))
    (call $churn (local.get $n))
    (struct.get $box $v (table.get $tab (i32.const 0))))

  (func (export "array") (param $n i32) (result i64)
    (local $a (ref $vec))
    (local.set $a (array.new_default $vec (i32.const 3)))
    (array.set $vec (local.get $a) (i32.const 2) (struct.new $box (i64.const 8) (ref.null $box)))
    (call $churn (local.get $n))
    (struct.get $box $v (array.get $vec (local.get $a) (i32.const 2))))

  ;; An exception's payload, thrown before the churn and caught after.
  (func (export "exception") (param $n i32) (result i64)
    (local $e exnref)
    (local.set $e
      (block $h (result exnref)
        (try_table (catch_all_ref $h)
          (throw $t (struct.new $box (i64.const 9) (ref.null $box))))
        (unreachable)))
    (call $churn (local.get $n))
    (block $got (result (ref $box))
      (try_table (catch $t $got) (throw_ref (local.get $e)))
      (unreachable))
    (struct.get $box $v))

  (func (export "make") (result (ref $box)) (struct.new $box (i64.const 3) (ref.null $box)))
  (func (export "read") (param anyref) (result i64)
    (struct.get $box $v (ref.cast (ref $box) (local.get 0))))
  (func (export "churn") (param i32) (call $churn (local.get 0)))
)"#;

/// Pairs that fill the heap past the trigger three times over.
fn churn_pairs() -> i32 {
    (3 * TRIGGER / 100) as i32
}

#[test]
fn objects_held_by_each_kind_of_root_survive_collections() {
    let (mut s, i) = inst(ROOTS);
    let n = Value::I32(churn_pairs());
    for (name, want) in [
        ("local", 42),
        ("operand", 7),
        ("global", 5),
        ("table", 6),
        ("array", 8),
        ("exception", 9),
    ] {
        let before = s.gc_stats().collections;
        assert_eq!(
            call(&mut s, i, name, &[n]),
            vec![Value::I64(want)],
            "{name}"
        );
        assert!(
            s.gc_stats().collections >= before + 2,
            "{name}: the churn should have collected ({:?})",
            s.gc_stats()
        );
    }
}

#[test]
fn garbage_cycles_are_reclaimed_and_the_heap_stays_bounded() {
    let (mut s, i) = inst(ROOTS);
    for n in [churn_pairs(), 10 * churn_pairs()] {
        call(&mut s, i, "churn", &[Value::I32(n)]);
        let st = s.gc_stats();
        // Never more than the trigger's worth of garbage on top of what
        // lives (nothing here): the cycles were freed.
        assert!(st.bytes <= TRIGGER + 4096, "{st:?}");
    }
    assert!(s.gc_stats().collections >= 30, "{:?}", s.gc_stats());
}

#[test]
fn a_reference_kept_only_by_the_host_goes_stale_without_harm() {
    let (mut s, i) = inst(ROOTS);
    let kept = call(&mut s, i, "make", &[]);
    assert!(
        matches!(kept[0], Value::AnyRef(Some(AnyRef::Struct(_)))),
        "{kept:?}"
    );
    // While nothing collected, the handle still names its object.
    assert_eq!(call(&mut s, i, "read", &kept), vec![Value::I64(3)]);
    call(&mut s, i, "churn", &[Value::I32(churn_pairs())]);
    // The object was garbage (only the host knew it): the old handle must
    // not read whatever reuses its entry.
    let r = s.invoke(i, "read", &kept);
    assert!(r.is_err(), "stale handle read {r:?}");
}

#[test]
fn packed_fields_wrap_on_write_and_extend_on_read() {
    let (mut s, i) = inst(
        r#"(module
          (type $p (struct (field (mut i8)) (field (mut i16))))
          (type $a (array (mut i8)))
          (func (export "s") (result i32 i32 i32 i32)
            (local $x (ref $p))
            (local.set $x (struct.new $p (i32.const 0x1ff) (i32.const 0x18765)))
            (struct.get_s $p 0 (local.get $x)) (struct.get_u $p 0 (local.get $x))
            (struct.get_s $p 1 (local.get $x)) (struct.get_u $p 1 (local.get $x)))
          (func (export "a") (result i32 i32)
            (local $x (ref $a))
            (local.set $x (array.new $a (i32.const 0x80) (i32.const 2)))
            (array.get_s $a (local.get $x) (i32.const 1)) (array.get_u $a (local.get $x) (i32.const 1))))"#,
    );
    assert_eq!(
        call(&mut s, i, "s", &[]),
        vec![
            Value::I32(-1),
            Value::I32(0xff),
            Value::I32(0x8765u16 as i16 as i32),
            Value::I32(0x8765)
        ]
    );
    assert_eq!(
        call(&mut s, i, "a", &[]),
        vec![Value::I32(-128), Value::I32(128)]
    );
}

#[test]
fn an_allocation_past_the_heap_limit_traps() {
    let bytes = wat::parse_str(
        r#"(module (type $a (array (mut i64)))
          (func (export "big") (param i32) (result i32)
            (array.len (array.new_default $a (local.get 0)))))"#,
    )
    .unwrap();
    let m = wtool_binary::decode_with_features(&bytes, Features::ALL).unwrap();
    let mut s = Store::with_config(Config {
        max_heap_bytes: 1 << 20,
        ..Config::default()
    });
    let i = s.instantiate(&m, &Imports::new()).unwrap();
    assert_eq!(
        call(&mut s, i, "big", &[Value::I32(1000)]),
        vec![Value::I32(1000)]
    );
    let t = s.invoke(i, "big", &[Value::I32(1 << 20)]).unwrap_err();
    assert_eq!(t.kind, wtool_interp::TrapKind::HeapExhausted, "{t}");
    // 2^32 - 1 elements of 8 bytes, under the default 4 GiB limit: a trap,
    // not an abort.
    let mut s = Store::new();
    let i = s.instantiate(&m, &Imports::new()).unwrap();
    let t = s.invoke(i, "big", &[Value::I32(-1)]).unwrap_err();
    assert_eq!(t.kind, wtool_interp::TrapKind::HeapExhausted, "{t}");
}

/// The committed GC workloads (`fixtures/gc/`): their `.wasm` is the `wat`
/// crate's encoding of their `.wat`, and they compute what their comments
/// promise, collecting along the way.
fn fixture(name: &str) -> (Store, InstanceId) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/gc");
    let wasm = std::fs::read(dir.join(format!("{name}.wasm"))).expect("fixture");
    let wat = wat::parse_file(dir.join(format!("{name}.wat"))).expect("wat");
    assert_eq!(wasm, wat, "{name}.wasm is not the encoding of {name}.wat");
    let m = wtool_binary::decode_with_features(&wasm, Features::ALL).expect("decode");
    wtool_validate::validate(&m, Features::ALL).expect("valid");
    let mut s = Store::new();
    let i = s.instantiate(&m, &Imports::new()).expect("instantiate");
    (s, i)
}

#[test]
fn binary_trees_counts_every_node() {
    let (mut s, i) = fixture("binary-trees");
    let max = 12u32;
    let nodes = |d: u32| (1i64 << (d + 1)) - 1;
    let mut want = nodes(max + 1) + nodes(max);
    for d in (4..=max).step_by(2) {
        want += (1i64 << (max - d + 4)) * nodes(d);
    }
    assert_eq!(
        call(&mut s, i, "run", &[Value::I32(max as i32)]),
        vec![Value::I64(want)]
    );
    assert!(s.gc_stats().collections > 0, "{:?}", s.gc_stats());
}

#[test]
fn list_churn_sums_every_cell() {
    let (mut s, i) = fixture("list-churn");
    let (rounds, len) = (4000i64, 50i64);
    let want: i64 = (0..rounds)
        .map(|r| len * (len - 1) / 2 + len * r + (r & 127))
        .sum();
    assert_eq!(
        call(
            &mut s,
            i,
            "run",
            &[Value::I32(rounds as i32), Value::I32(len as i32)]
        ),
        vec![Value::I64(want)]
    );
    let st = s.gc_stats();
    assert!(st.collections > 0 && st.bytes <= TRIGGER + 4096, "{st:?}");
}

#[test]
fn caught_exceptions_are_reclaimed() {
    let (mut s, i) = inst(
        r#"(module
          (tag $t (param i64 i64))
          (func (export "throws") (param $n i32) (result i64)
            (local $sum i64)
            (loop $l
              (block $h (result i64 i64)
                (try_table (catch $t $h)
                  (throw $t (i64.extend_i32_u (local.get $n)) (i64.const 1)))
                (unreachable))
              (local.set $sum (i64.add (local.get $sum) (i64.add)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $l (local.get $n)))
            (local.get $sum)))"#,
    );
    // Each exception is charged 48 bytes: ten times the trigger's worth.
    let n = (10 * TRIGGER / 48) as i64;
    assert_eq!(
        call(&mut s, i, "throws", &[Value::I32(n as i32)]),
        vec![Value::I64(n * (n + 1) / 2 + n)]
    );
    let st = s.gc_stats();
    assert!(st.collections >= 5 && st.bytes <= TRIGGER + 4096, "{st:?}");
}
