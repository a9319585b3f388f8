//! The scored directives of the Component Model reference tests'
//! `test/binary` and `test/validation` (584: components, component
//! definitions, `assert_invalid`, `assert_malformed`), counted as the spec
//! runners count them, with wtool's own front ends: text and quote forms
//! parsed by `wtool_text::component`, binary forms decoded, then
//! validated. (The `wast` oracle only splits the script into directives.)

use wtool_ast::Features;
use wtool_testsupport::{component_model_files, oracle_components, Expect, Form};

/// What wasm-tools' runner enables for these tests: its defaults and the
/// gated Component Model proposals the tests use.
const FEATURES: Features = wtool_testsupport::CM_REFERENCE_FEATURES;

/// Decode and validate: `Err(message)` for the first failure. The
/// streaming path (`validate_bytes`) must say exactly the same.
fn check(bytes: &[u8]) -> Result<(), String> {
    let whole = wtool_component::decode_with_offsets(bytes, FEATURES)
        .map_err(|e| (Some(e.offset()), e.to_string()))
        .and_then(|(c, offsets)| {
            wtool_component::validate(&c, Some(&offsets), FEATURES)
                .map_err(|e| (e.offset, e.message))
        });
    let streamed =
        wtool_component::validate_bytes(bytes, FEATURES, 2).map_err(|e| (e.offset, e.message));
    assert_eq!(
        whole, streamed,
        "validate_bytes disagrees with decode + validate"
    );
    whole.map_err(|e| e.1)
}

#[test]
fn binary_and_validation_directives() {
    let (mut passed, mut failed) = (0, 0);
    let mut failures = Vec::new();
    for (path, text) in component_model_files() {
        if !(path.starts_with("binary/") || path.starts_with("validation/")) {
            continue;
        }
        for c in oracle_components(&text).expect("the oracle parses the reference tests") {
            if !c.scored {
                continue;
            }
            // Our bytes: the binary form as written, or our parser's
            // encoding of the text (a parse error is the verdict).
            let ours: Result<Vec<u8>, String> = match (&c.form, &c.bytes) {
                (Form::Binary, Ok(b)) => Ok(b.clone()),
                (Form::Binary, Err(e)) => Err(format!("the oracle cannot split it out: {e}")),
                _ => wtool_text::component::parse_component(c.source.as_bytes())
                    .map(|comp| wtool_component::encode(&comp))
                    .map_err(|e| e.to_string()),
            };
            let verdict = ours.and_then(|b| check(&b));
            let outcome = match (&c.expect, verdict) {
                (Expect::Valid, Ok(())) => Ok(()),
                (Expect::Valid, Err(e)) => Err(format!("refused: {e}")),
                (Expect::Invalid(m) | Expect::Malformed(m), Ok(())) => {
                    Err(format!("accepted, expected \"{m}\""))
                }
                (Expect::Invalid(m) | Expect::Malformed(m), Err(e)) if e.contains(m.as_str()) => {
                    Ok(())
                }
                (Expect::Invalid(m) | Expect::Malformed(m), Err(e)) => {
                    Err(format!("\"{e}\", expected \"{m}\""))
                }
                _ => continue,
            };
            match outcome {
                Ok(()) => passed += 1,
                Err(e) => {
                    failed += 1;
                    failures.push(format!("{path}:{}: {e}", c.line));
                }
            }
        }
    }
    eprintln!("{passed} passed, {failed} failed");
    for f in &failures {
        eprintln!("  {f}");
    }
    assert_eq!(passed + failed, 584, "scored directives");
    assert!(failed == 0, "{failed} failures");
}
