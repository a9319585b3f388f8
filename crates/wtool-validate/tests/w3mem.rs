//! Typing rules of the threads proposal's atomics and of wide arithmetic:
//! exact natural alignment, address types per memory (memory64,
//! multi-memory), two-result wide ops, and the feature gates.

use wtool_ast::Features;
use wtool_validate::{validate, ErrorKind};

/// Validates `wat` with `features`; the error kind when invalid.
fn check(wat: &str, features: Features) -> Result<(), ErrorKind> {
    let bytes = wat::parse_str(wat).expect("wat");
    let module = wtool_binary::decode_with_features(&bytes, Features::ALL).expect("decode");
    validate(&module, features).map_err(|e| e.kind)
}

fn body(memories: &str, code: &str) -> String {
    format!("(module {memories} (func {code}))")
}

#[test]
fn atomics_need_exactly_natural_alignment() {
    let m = "(memory 1 1 shared)";
    let ok = body(m, "(drop (i32.atomic.load align=4 (i32.const 0)))");
    assert_eq!(check(&ok, Features::ALL), Ok(()));
    for align in [1, 2, 8] {
        let bad = body(
            m,
            &format!("(drop (i32.atomic.load align={align} (i32.const 0)))"),
        );
        assert_eq!(
            check(&bad, Features::ALL),
            Err(ErrorKind::AlignmentNotNatural),
            "align={align}"
        );
    }
    let bad = body(
        m,
        "(drop (memory.atomic.wait64 align=4 (i32.const 0) (i64.const 0) (i64.const 0)))",
    );
    assert_eq!(
        check(&bad, Features::ALL),
        Err(ErrorKind::AlignmentNotNatural)
    );
    assert_eq!(
        ErrorKind::AlignmentNotNatural.to_string(),
        "alignment must be equal to natural"
    );
}

#[test]
fn atomic_addresses_follow_the_memory_type() {
    let ms = "(memory 1) (memory $w i64 1 1 shared)";
    let ok = body(
        ms,
        "(drop (i64.atomic.rmw.cmpxchg $w (i64.const 0) (i64.const 1) (i64.const 2)))
         (drop (i32.atomic.rmw8.add_u (i32.const 0) (i32.const 1)))
         (drop (memory.atomic.notify $w (i64.const 0) (i32.const 1)))",
    );
    assert_eq!(check(&ok, Features::ALL), Ok(()));
    // An i32 address on the 64-bit memory.
    let bad = body(ms, "(drop (i32.atomic.load $w (i32.const 0)))");
    assert!(matches!(
        check(&bad, Features::ALL),
        Err(ErrorKind::TypeMismatch { .. })
    ));
    // The operand types of the row itself still hold.
    let bad = body(
        ms,
        "(drop (i64.atomic.rmw.add (i32.const 0) (i32.const 1)))",
    );
    assert!(matches!(
        check(&bad, Features::ALL),
        Err(ErrorKind::TypeMismatch { .. })
    ));
}

#[test]
fn threads_instructions_need_the_feature() {
    let no_threads = Features::ALL.without(Features::THREADS);
    for code in ["(atomic.fence)", "(drop (i32.atomic.load (i32.const 0)))"] {
        let m = body("(memory 1)", code);
        assert_eq!(check(&m, Features::ALL), Ok(()), "{code}");
        assert!(
            matches!(
                check(&m, no_threads),
                Err(ErrorKind::FeatureDisabled { .. })
            ),
            "{code}"
        );
    }
}

#[test]
fn wide_arithmetic_has_two_results() {
    let ok = "(module (func (param i64 i64) (result i64 i64)
        (i64.mul_wide_s (local.get 0) (local.get 1))
        (i64.const 1) (i64.const 0) i64.add128))";
    assert_eq!(check(ok, Features::ALL), Ok(()));
    let one_result = "(module (func (param i64 i64) (result i64)
        (i64.mul_wide_u (local.get 0) (local.get 1))))";
    assert!(check(one_result, Features::ALL).is_err());
    let i32_operand = "(module (func (result i64 i64)
        (i64.sub128 (i64.const 0) (i32.const 0) (i64.const 0) (i64.const 0))))";
    assert!(matches!(
        check(i32_operand, Features::ALL),
        Err(ErrorKind::TypeMismatch { .. })
    ));
    assert!(matches!(
        check(ok, Features::ALL.without(Features::WIDE_ARITHMETIC)),
        Err(ErrorKind::FeatureDisabled { .. })
    ));
}
