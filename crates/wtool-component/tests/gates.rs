//! Every gate of a Component Model proposal, one small component each:
//! with the proposal off, wtool refuses it as wasmparser 0.263 does (same
//! message, same offset, and the CLI's hint names the flag); with every
//! proposal on, both accept it, except where wtool does not implement what
//! the proposal allows (listed).

use wtool_ast::Features;

mod common;
use common::wasmparser_features;

/// A core module exporting a memory, a function and a `realloc`, with the
/// memory and the realloc aliased as `$mem` and `$re`.
const MEM: &str = r#"(core module $m (memory (export "m") 1) (func (export "f")) (func (export "r") (param i32 i32 i32 i32) (result i32) unreachable)) (core instance $i (instantiate $m)) (alias core export $i "m" (core memory $mem)) (alias core export $i "r" (core func $re))"#;

/// A 64-bit memory aliased as `$mem`.
const MEM64: &str = r#"(core module $m (memory (export "m") i64 1)) (core instance $i (instantiate $m)) (alias core export $i "m" (core memory $mem))"#;

/// (the proposal's flag, the component's body; `$M`/`$M64` stand for
/// [`MEM`]/[`MEM64`]).
const CASES: &[(&str, &str)] = &[
    ("cm-async", r#"(type (stream u8))"#),
    ("cm-async", r#"(type (future))"#),
    ("cm-async", r#"(type (func async))"#),
    ("cm-async", r#"(core func (canon backpressure.inc))"#),
    ("cm-async", r#"(core func (canon task.return))"#),
    ("cm-async", r#"(core func (canon context.get i32 0))"#),
    ("cm-async", r#"(core func (canon waitable-set.new))"#),
    ("cm-async", r#"(core func (canon waitable.join))"#),
    ("cm-async", r#"(core func (canon subtask.drop))"#),
    ("cm-async", r#"(core func (canon subtask.cancel))"#),
    ("cm-async", r#"(core func (canon thread.yield))"#),
    ("cm-async", r#"(core func (canon task.cancel))"#),
    (
        "cm-async",
        r#"(core module $m (memory (export "m") 1) (func (export "f")) (func (export "r") (param i32 i32 i32 i32) (result i32) unreachable)) (core instance $i (instantiate $m)) (alias core export $i "m" (core memory $mem)) (alias core export $i "r" (core func $re)) (core func (canon waitable-set.wait (memory $mem)))"#,
    ),
    (
        "cm-async",
        r#"(import "f" (func $f)) (core func (canon lower (func $f) async))"#,
    ),
    (
        "cm-async-stackful",
        r#"(core module $m (func (export "f"))) (core instance $i (instantiate $m)) (type $t (func async)) (func (export "f") (type $t) (canon lift (core func $i "f") async))"#,
    ),
    (
        "cm-more-async-builtins",
        r#"(core module $m (memory (export "m") 1) (func (export "f")) (func (export "r") (param i32 i32 i32 i32) (result i32) unreachable)) (core instance $i (instantiate $m)) (alias core export $i "m" (core memory $mem)) (alias core export $i "r" (core func $re)) (type $s (stream u8)) (core func (canon stream.read $s (memory $mem) (realloc $re)))"#,
    ),
    (
        "cm-more-async-builtins",
        r#"(core func (canon subtask.cancel async))"#,
    ),
    (
        "cm-more-async-builtins",
        r#"(type $s (stream u8)) (core func (canon stream.cancel-read $s async))"#,
    ),
    ("cm-threading", r#"(core func (canon thread.index))"#),
    ("cm-threading", r#"(core func (canon thread.suspend))"#),
    ("cm-threading", r#"(core func (canon thread.resume-later))"#),
    ("cm-threading", r#"(core func (canon context.get i32 1))"#),
    (
        "cm-threading",
        r#"(core type $ft (func (param i32))) (core module $m (table (export "t") 1 funcref)) (core instance $i (instantiate $m)) (alias core export $i "t" (core table $t)) (core func (canon thread.new-indirect $ft (core table $t)))"#,
    ),
    (
        "cm-error-context",
        r#"(type (func (param "e" error-context)))"#,
    ),
    (
        "cm-error-context",
        r#"(core func (canon error-context.drop))"#,
    ),
    (
        "cm-error-context",
        r#"(core module $m (memory (export "m") 1) (func (export "f")) (func (export "r") (param i32 i32 i32 i32) (result i32) unreachable)) (core instance $i (instantiate $m)) (alias core export $i "m" (core memory $mem)) (alias core export $i "r" (core func $re)) (core func (canon error-context.new (memory $mem)))"#,
    ),
    ("cm-error-context", r#"(type (list error-context))"#),
    ("cm-fixed-length-lists", r#"(type (list u8 4))"#),
    ("cm-map", r#"(type (map string u32))"#),
    (
        "cm-gc",
        r#"(import "f" (func $f)) (core func (canon lower (func $f) gc))"#,
    ),
    (
        "cm64",
        r#"(core module $m (memory (export "m") i64 1)) (core instance $i (instantiate $m)) (alias core export $i "m" (core memory $mem)) (import "f" (func $f (param "s" string))) (core func (canon lower (func $f) (memory $mem)))"#,
    ),
    ("cm64", r#"(type $r (resource (rep i64)))"#),
    ("cm64", r#"(core func (canon context.get i64 0))"#),
    ("cm-values", r#"(import "v" (value u32))"#),
    (
        "cm-implements",
        r#"(import "x" (implements "a:b/c") (instance))"#,
    ),
    ("cm-accessors", r#"(import "[get]x" (func (result u32)))"#),
    ("cm-nested-names", r#"(import "a:b:c/d" (instance))"#),
    (
        "cm-canon-names",
        r#"(import "a:b/c@1" (version-suffix ".0.0") (instance))"#,
    ),
];

/// Cases wasmparser refuses even with every proposal on (for another
/// reason than the gate), and cases wtool refuses there because it does
/// not implement that part of the proposal.
const INVALID_WHEN_ON: &[&str] = &[
    // The `async` option on a function type that is not async.
    "(import \"f\" (func $f)) (core func (canon lower (func $f) async))",
    // `gc` without `core-type`.
    "(import \"f\" (func $f)) (core func (canon lower (func $f) gc))",
    // A value never used.
    "(import \"v\" (value u32))",
];
const NOT_IMPLEMENTED: &[&str] = &[
    // 64-bit context slots (cm64).
    "(core func (canon context.get i64 0))",
];

fn all() -> Features {
    Features::WASM3_THREADS.union(Features::COMPONENT_ALL)
}

/// Ours: `Err((offset, message))` for the first failure.
fn ours(bytes: &[u8], f: Features) -> Result<(), (Option<usize>, String)> {
    let streamed = wtool_component::validate_bytes(bytes, f, 1).map_err(|e| (e.offset, e.message));
    let whole = wtool_component::decode_with_offsets(bytes, f)
        .map_err(|e| (Some(e.offset()), e.to_string()))
        .and_then(|(c, o)| {
            wtool_component::validate(&c, Some(&o), f).map_err(|e| (e.offset, e.message))
        });
    assert_eq!(whole, streamed);
    whole
}

#[test]
fn every_gate_refuses_as_wasmparser_does() {
    let mut failures = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (flag, body) in CASES {
        let body = body
            .replace("$M64", MEM64)
            .replace("$M ", &format!("{MEM} "));
        let text = format!("(component {body})");
        let bytes = wat::parse_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let (feature, _) = Features::parse(flag, Features::empty())
            .map(|f| (f, ()))
            .unwrap_or_else(|e| panic!("{e}"));
        seen.insert(*flag);
        let off = all().without(feature);
        let theirs =
            wasmparser::Validator::new_with_features(wasmparser_features(off)).validate_all(&bytes);
        let Err(t) = theirs else {
            failures.push(format!("-{flag}: wasmparser accepts {text}"));
            continue;
        };
        match ours(&bytes, off) {
            Ok(()) => failures.push(format!("-{flag}: we accept {text}; wasmparser: {t}")),
            Err((at, m)) => {
                // wasmparser puts a name's reason on a second line, we after `: `.
                let want = t.message().replace('\n', ": ");
                if m != want || at != Some(t.offset() as usize) {
                    failures.push(format!(
                        "-{flag}: we say {m:?} at {at:?}, wasmparser {want:?} at {}",
                        t.offset()
                    ));
                }
                // The CLI's hint: every gate but nested names' has wording.
                let named = wtool_component::gated_feature(&m);
                if *flag != "cm-nested-names" && named != Some(feature) {
                    failures.push(format!("-{flag}: {m:?} names {named:?}"));
                }
            }
        }
        let on = all();
        let theirs = wasmparser::Validator::new_with_features(wasmparser_features(on))
            .validate_all(&bytes)
            .is_ok();
        let expect = !INVALID_WHEN_ON.contains(&body.as_str());
        assert_eq!(theirs, expect, "wasmparser with every proposal on: {text}");
        let unimplemented = NOT_IMPLEMENTED.contains(&body.as_str());
        if ours(&bytes, on).is_ok() != (expect && !unimplemented) {
            failures.push(format!("all on: we say {:?} for {text}", ours(&bytes, on)));
        }
    }
    // Every gated proposal has a case (cm-forward's built-ins are not
    // canonical definitions in the reference tests, see the crate docs).
    for (f, name, _) in Features::TABLE {
        if Features::COMPONENT_ALL.contains(*f) && *name != "cm-forward" {
            assert!(seen.contains(name), "no case for {name}");
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
