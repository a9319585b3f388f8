//! Exceptions are caught across calls, across instances and through host
//! frames; an uncaught one ends the invocation like a trap, naming its tag
//! and values, with a backtrace.

use wtool_ast::{FuncType, ValType};
use wtool_interp::{Extern, Imports, Store, TrapKind, Value};

fn parse(wat: &str) -> wtool_ast::Module {
    let bytes = wat::parse_str(wat).expect("wat");
    wtool_binary::decode_with_features(&bytes, wtool_ast::Features::ALL).expect("decode")
}

const THROWER: &str = r#"(module
  (tag $e (export "e") (param i32))
  (func $deep (param i32)
    local.get 0 i32.eqz if local.get 0 i32.const 42 i32.add throw $e end
    local.get 0 i32.const 1 i32.sub call $deep)
  (func (export "throw") (param i32) local.get 0 call $deep))"#;

#[test]
fn caught_across_calls_and_instances() {
    let mut s = Store::new();
    let a = s.instantiate(&parse(THROWER), &Imports::new()).expect("a");
    let mut imps = Imports::new();
    for n in ["e", "throw"] {
        imps.define("a", n, s.get_export(a, n).expect("export"));
    }
    let b = parse(
        r#"(module
          (tag $e (import "a" "e") (param i32))
          (tag $other (param i32))
          (import "a" "throw" (func $throw (param i32)))
          (func (export "catch") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $other $h) (catch $e $h)
                local.get 0 call $throw)
              i32.const -1)))"#,
    );
    let b = s.instantiate(&b, &imps).expect("b");
    for depth in [0, 5, 1000] {
        let r = s.invoke(b, "catch", &[Value::I32(depth)]).expect("caught");
        assert_eq!(r, vec![Value::I32(42)]);
    }
}

#[test]
fn uncaught_exception_names_tag_and_values() {
    let mut s = Store::new();
    let a = s.instantiate(&parse(THROWER), &Imports::new()).expect("a");
    let t = s
        .invoke(a, "throw", &[Value::I32(3)])
        .expect_err("uncaught");
    assert!(matches!(t.kind, TrapKind::Exception(_)), "{t}");
    let msg = t.to_string();
    assert!(msg.contains("uncaught exception"), "{msg}");
    assert!(msg.contains("\"e\"") && msg.contains("42:i32"), "{msg}");
    // The frames of `$deep` (4 of them) and the export are listed.
    assert!(t.backtrace.len() >= 5, "{:?}", t.backtrace);
}

#[test]
fn caught_through_a_host_frame() {
    let mut s = Store::new();
    let a = s.instantiate(&parse(THROWER), &Imports::new()).expect("a");
    // The host function calls back into wasm, which throws; the exception
    // leaves the inner run as the host's error and is caught outside.
    let h = s.add_host_func(FuncType::new([ValType::I32], []), move |c, args, _| {
        c.store().invoke(a, "throw", args).map(drop)
    });
    let mut imps = Imports::new();
    imps.define("a", "e", s.get_export(a, "e").expect("e"));
    imps.define("host", "h", Extern::Func(h));
    let b = parse(
        r#"(module
          (tag $e (import "a" "e") (param i32))
          (import "host" "h" (func $h (param i32)))
          (func (export "catch") (param i32) (result i32)
            (block $h (result i32 exnref)
              (try_table (catch_ref $e $h)
                local.get 0 call $h)
              i32.const -1 ref.null exn)
            drop))"#,
    );
    let b = s.instantiate(&b, &imps).expect("b");
    let r = s.invoke(b, "catch", &[Value::I32(7)]).expect("caught");
    assert_eq!(r, vec![Value::I32(42)]);
}

#[test]
fn many_throws_in_a_loop_and_rethrow() {
    let m = parse(
        r#"(module
          (tag $e (param i64))
          (func (export "sum") (param i32) (result i64) (local i64)
            (loop $l
              (block $h (result i64)
                (block $r (result exnref)
                  (try_table (catch_all_ref $r)
                    local.get 0 i64.extend_i32_u throw $e)
                  unreachable)
                (try_table (param exnref) (catch $e $h) throw_ref)
                unreachable)
              local.get 1 i64.add local.set 1
              local.get 0 i32.const 1 i32.sub local.tee 0
              br_if $l)
            local.get 1)
          (func (export "legacy") (param i32) (result i32)
            try (result i32)
              try (result i32)
                local.get 0 i64.extend_i32_u throw $e
              catch $e
                rethrow 0
              end
            catch_all
              i32.const 5
            end))"#,
    );
    let mut s = Store::new();
    let i = s.instantiate(&m, &Imports::new()).expect("instantiate");
    let r = s.invoke(i, "sum", &[Value::I32(100_000)]).expect("sum");
    assert_eq!(r, vec![Value::I64(100_000 * 100_001 / 2)]);
    let r = s.invoke(i, "legacy", &[Value::I32(3)]).expect("legacy");
    assert_eq!(r, vec![Value::I32(5)]);
}

#[test]
fn legacy_rethrow_after_a_call_from_the_handler() {
    // The caught exception waits in its slot while the handler calls a
    // function with locals of its own (a C++ destructor, say) before
    // `rethrow`: the callee's frame must not overwrite that slot.
    let m = parse(
        r#"(module
          (tag $e (param i32))
          (func $busy (local i32 i32 i32 i32 i32 i32 i32 i32)
            (local.set 0 (i32.const 111)) (local.set 3 (i32.const 444))
            (local.set 7 (i32.const 888)))
          (func $thrower (throw $e (i32.const 7)))
          (func $inner
            try
              call $thrower
            catch_all
              call $busy
              rethrow 0
            end)
          (func $nested (local i32)
            try
              call $thrower
            catch_all
              call $busy
              try
                rethrow 1
              catch $e
                local.set 0
                call $busy
                rethrow 0
              end
            end)
          (func (export "f") (param i32) (result i32)
            try (result i32)
              local.get 0
              if
                call $nested
              else
                call $inner
              end
              i32.const -1
            catch $e
              i32.const 100
              i32.add
            end))"#,
    );
    let mut s = Store::new();
    let a = s.instantiate(&m, &Imports::new()).expect("instantiate");
    for which in [0, 1] {
        let r = s.invoke(a, "f", &[Value::I32(which)]).expect("caught");
        assert_eq!(r, vec![Value::I32(107)], "variant {which}");
    }
}
