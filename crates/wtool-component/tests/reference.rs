//! The Component Model's reference tests (vendor/component-model): every
//! component the `wast` oracle encodes decodes and re-encodes to the same
//! bytes, and every binary `assert_malformed` is refused with the expected
//! message. Every component expected to be valid (in every folder,
//! run-time tests included) validates.

use wtool_ast::Features;
use wtool_testsupport::{component_model_files, oracle_components, Expect, Form};

/// What wasm-tools' runner enables for these tests: its defaults and the
/// gated Component Model proposals the tests use.
const FEATURES: Features = wtool_testsupport::CM_REFERENCE_FEATURES;

/// Decode, re-encode, and check the bytes: identical for text-form input
/// (the oracle writes the canonical form), stable after one round for
/// hand-written binaries (which may pad their integers).
fn round_trip(bytes: &[u8], canonical: bool, valid: bool) -> Result<(), String> {
    let (c, offsets) = wtool_component::decode_with_offsets(bytes, FEATURES)
        .map_err(|e| format!("at {}: {e}", e.offset()))?;
    if valid {
        wtool_component::validate(&c, Some(&offsets), FEATURES)
            .map_err(|e| format!("invalid at {:?}: {e}", e.offset))?;
    }
    let once = wtool_component::encode(&c);
    if canonical && once != bytes {
        let at = once
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(once.len().min(bytes.len()));
        return Err(format!(
            "re-encoding differs from the oracle's bytes at offset {at}"
        ));
    }
    let again =
        wtool_component::decode(&once, FEATURES).map_err(|e| format!("re-decoding: {e}"))?;
    if wtool_component::encode(&again) != once {
        return Err("second round trip differs".into());
    }
    Ok(())
}

#[test]
fn every_reference_component_decodes_and_round_trips() {
    let mut failures = Vec::new();
    let (mut checked, mut malformed) = (0, 0);
    for (path, text) in component_model_files() {
        let comps = match oracle_components(&text) {
            Ok(c) => c,
            // The oracle (wast 263) no longer parses the legacy
            // `cancellable` keyword this file uses.
            Err(_) if path.ends_with("cancellable.wast") => continue,
            Err(e) => panic!("{path}: the oracle cannot parse it: {e}"),
        };
        for c in comps {
            let Ok(bytes) = &c.bytes else { continue };
            match &c.expect {
                // A binary assert_invalid may already fail to decode (the
                // reference tests do not separate the phases everywhere);
                // then the message must be the expected one.
                Expect::Invalid(msg) if wtool_component::decode(bytes, FEATURES).is_err() => {
                    let e = wtool_component::decode(bytes, FEATURES).unwrap_err();
                    if !e.to_string().contains(msg.as_str()) {
                        failures.push(format!("{path}:{}: \"{e}\", expected \"{msg}\"", c.line));
                    }
                }
                Expect::Malformed(msg) => {
                    malformed += 1;
                    match wtool_component::decode(bytes, FEATURES) {
                        Ok(_) => {
                            failures.push(format!("{path}:{}: decoded, expected \"{msg}\"", c.line))
                        }
                        Err(e) if !e.to_string().contains(msg.as_str()) => {
                            failures.push(format!("{path}:{}: \"{e}\", expected \"{msg}\"", c.line))
                        }
                        Err(_) => {}
                    }
                }
                _ => {
                    checked += 1;
                    let valid = c.expect == Expect::Valid;
                    if let Err(e) = round_trip(bytes, c.form == Form::Text, valid) {
                        failures.push(format!("{path}:{}: {e}", c.line));
                    }
                }
            }
        }
    }
    eprintln!("{checked} components round-tripped, {malformed} malformed binaries refused");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 666 components and 70 binary assert_malformed when this was written.
    assert!(
        checked >= 660 && malformed >= 70,
        "too few components found"
    );
}
