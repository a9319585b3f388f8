//! The runner on small inline scripts: every assertion kind, and honest
//! failure reporting.

use wtool_wast::{run_script, RunOptions};

const SCRIPT: &str = r#"
(module $m
  (import "spectest" "global_i32" (global i32))
  (import "spectest" "print_i32" (func $print (param i32)))
  (memory 1)
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "g") (result i32) global.get 0)
  (func (export "div") (param i32) (result i32) i32.const 1 local.get 0 i32.div_u)
  (func $r (export "rec") call $r)
  (func (export "nan") (result f32) f32.const 0 f32.const 0 f32.div)
  (func (export "v") (result v128) v128.const f32x4 1 2 3 4)
  (func (export "null") (result externref) ref.null extern)
  (func (export "id") (param externref) (result externref) local.get 0)
  (global (export "glob") i32 (i32.const 42))
)
(register "m" $m)
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "g") (i32.const 666))
(assert_return (get "glob") (i32.const 42))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "v") (v128.const f32x4 1 2 3 4))
(assert_return (invoke "null") (ref.null extern))
(assert_return (invoke "id" (ref.extern 7)) (ref.extern 7))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (either (i32.const 4) (i32.const 3)))
(assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke "rec") "call stack exhausted")
(assert_invalid (module (func (result i32) i64.const 0)) "type mismatch")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(assert_unlinkable (module (import "m" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "m" "add" (func))) "incompatible import type")
(assert_trap (module (memory 1) (data (i32.const 70000) "x")) "out of bounds memory access")
(module (import "m" "glob" (global i32)) (func (export "h") (result i32) global.get 0))
(assert_return (invoke "h") (i32.const 42))
(assert_return (invoke $m "add" (i32.const 1) (i32.const 2)) (i32.const 4))
"#;

#[test]
fn every_assertion_kind() {
    let r = run_script("inline.wast", SCRIPT.as_bytes(), &RunOptions::default());
    for d in &r.directives {
        println!(
            "{}: {} {} | {} | {}",
            d.line, d.kind, d.passed, d.expected, d.got
        );
    }
    assert!(r.parse_error.is_none(), "{:?}", r.parse_error);
    // The last directive is deliberately wrong: the runner must say so.
    assert_eq!(r.failed, 1, "{:?}", r.failures().collect::<Vec<_>>());
    let last = r.directives.last().unwrap();
    assert!(!last.passed && last.got.contains("3:i32"), "{last:?}");
    assert_eq!(r.passed + r.failed, r.directives.len());
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("\"assert_exhaustion\""));
}

#[test]
fn failed_module_fails_following_directives() {
    let src = r#"
(module (func (export "f") (result i32) i64.const 0))
(assert_return (invoke "f") (i32.const 0))
"#;
    let r = run_script("bad.wast", src.as_bytes(), &RunOptions::default());
    assert_eq!((r.passed, r.failed), (0, 2));
}
