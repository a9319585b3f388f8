//! The scored directives of the Component Model reference tests'
//! `test/binary` and `test/validation` (584: components, component
//! definitions, `assert_invalid`, `assert_malformed`), counted as the spec
//! runners count them. Components come from the `wast` oracle's encoding;
//! text-form `assert_malformed` (which only a text parser can fail) are
//! reported separately.

use wtool_ast::Features;
use wtool_testsupport::{component_model_files, oracle_components, Expect, Form};

const FEATURES: Features = Features::WASM3_THREADS;

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
    let (mut passed, mut failed, mut text_malformed) = (0, 0, 0);
    let mut failures = Vec::new();
    for (path, text) in component_model_files() {
        if !(path.starts_with("binary/") || path.starts_with("validation/")) {
            continue;
        }
        for c in oracle_components(&text).expect("the oracle parses the reference tests") {
            if !c.scored {
                continue;
            }
            let outcome = match (&c.expect, &c.bytes) {
                (Expect::Malformed(_), Err(_)) if c.form != Form::Binary => {
                    text_malformed += 1;
                    continue;
                }
                (_, Err(e)) => Err(format!("the oracle cannot encode it: {e}")),
                (Expect::Valid, Ok(b)) => check(b).map_err(|e| format!("refused: {e}")),
                (Expect::Invalid(m) | Expect::Malformed(m), Ok(b)) => match check(b) {
                    Ok(()) => Err(format!("accepted, expected \"{m}\"")),
                    Err(e) if e.contains(m.as_str()) => Ok(()),
                    Err(e) => Err(format!("\"{e}\", expected \"{m}\"")),
                },
                (_, Ok(_)) => continue,
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
    eprintln!("{passed} passed, {failed} failed, {text_malformed} text assert_malformed left to the text parser");
    for f in &failures {
        eprintln!("  {f}");
    }
    assert_eq!(passed + failed + text_malformed, 584, "scored directives");
    assert!(failed == 0, "{failed} failures");
}
