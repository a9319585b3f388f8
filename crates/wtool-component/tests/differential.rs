//! Decode verdicts against wasmparser's on 10,000+ components: mutants of
//! every component of the reference tests (bytes replaced, inserted,
//! deleted, cut short). Where the reference tests and wasm-tools 1.263
//! disagree about an encoding (see the crate docs), the reference tests win
//! and the disagreement is recognised by what the component contains.

use wasmparser::WasmFeatures;
use wtool_ast::Features;
use wtool_component::ast::{Canon, FlagOp, Section};
use wtool_component::{Component, ErrorKind};
use wtool_testsupport::oracle::{wasmparser_decode_error, wasmparser_decodes};
use wtool_testsupport::Rng;

mod common;
use common::{mutate, seeds, wasm_tools_stricter};

const FEATURES: Features = Features::WASM3_THREADS;

/// Canonical definitions whose encoding the reference tests allow and
/// wasm-tools 1.263 refuses: a set `cancellable` flag, and the `shared?`
/// byte of the shared-everything-threads built-ins.
fn spec_only(c: &Component) -> bool {
    c.sections.iter().any(|s| match s {
        Section::Component(c) => spec_only(c),
        Section::Canons(cs) => cs.iter().any(|c| match c {
            Canon::WaitableSet { cancellable, .. } => *cancellable,
            Canon::Flagged { op, flag } => *op != FlagOp::SubtaskCancel && *flag,
            Canon::Spawn { .. } => true,
            _ => false,
        }),
        _ => false,
    })
}

/// Errors on encodings wasm-tools 1.263 accepts and the reference tests
/// refuse (`stream.forward`, `future.forward`), or on the `shared?` byte
/// wasm-tools does not read.
fn wasm_tools_only(e: &wtool_component::DecodeError, bytes: &[u8]) -> bool {
    match e.kind() {
        ErrorKind::InvalidLeadingByte {
            byte: 0x2e | 0x2f,
            what: "canonical function",
        } => true,
        _ => bytes[..e.offset().min(bytes.len())]
            .iter()
            .rev()
            .take(8)
            .any(|b| (0x40..=0x42).contains(b)),
    }
}

#[test]
fn decode_verdicts_agree_with_wasmparser() {
    let seeds = seeds();
    assert!(seeds.len() > 600, "reference components missing");
    let mut rng = Rng::new(0x636f_6d70);
    let (mut compared, mut accepted, mut explained) = (0u32, 0u32, 0u32);
    let mut mismatches = Vec::new();
    // What our WASM3_THREADS means, in wasmparser's terms.
    let all = WasmFeatures::default() | WasmFeatures::LEGACY_EXCEPTIONS;
    // Every seed as it is, then mutants.
    let inputs = seeds.iter().cloned().chain((0..10_000).map(|_| {
        let s = &seeds[rng.below(seeds.len())];
        mutate(s, &mut rng)
    }));
    for bytes in inputs {
        let ours = wtool_component::decode(&bytes, FEATURES);
        let theirs = wasmparser_decodes(&bytes, all);
        let why = wasmparser_decode_error(&bytes, all);
        compared += 1;
        match (&ours, theirs) {
            (Ok(_), true) => accepted += 1,
            (Err(_), false) => {}
            (Ok(c), false) if spec_only(c) => explained += 1,
            // The reference tests make a repeated name attribute a
            // validation error (binary.wast), wasmparser a decoding one.
            (Ok(_), false) if why.as_deref().is_some_and(|w| w.contains("option in name")) => {
                explained += 1
            }
            (Err(e), true) if wasm_tools_only(e, &bytes) => explained += 1,
            // Stack switching's `contref`/`nocont` shorthands (0x68, 0x75):
            // wasmparser reads them whatever the features, our core decoder
            // only knows the proposals it implements.
            (Err(e), true) if matches!(bytes.get(e.offset()), Some(0x68 | 0x75)) => explained += 1,
            (Ok(_), false) => mismatches.push(format!(
                "we accept, wasmparser refuses ({why:?}): {bytes:02x?}"
            )),
            (Err(e), true) => mismatches.push(format!(
                "we refuse at {} ({e}), wasmparser accepts: {bytes:02x?}",
                e.offset()
            )),
        }
    }
    eprintln!(
        "{compared} compared, {accepted} accepted by both, {explained} explained differences"
    );
    let shown: Vec<_> = mismatches.iter().take(5).collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first: {shown:#?}",
        mismatches.len()
    );
    assert!(compared >= 10_000);
}

/// Validation verdicts against wasmparser's validator on the same inputs
/// (every reference component and 10,000 mutants).
#[test]
fn validate_verdicts_agree_with_wasmparser() {
    let seeds = seeds();
    let mut rng = Rng::new(0x7661_6c69);
    // The gated component features the reference tests use (their README
    // runs wasmtime with the same set).
    let features = WasmFeatures::default()
        | WasmFeatures::LEGACY_EXCEPTIONS
        | WasmFeatures::CM_ASYNC_STACKFUL
        | WasmFeatures::CM_MORE_ASYNC_BUILTINS
        | WasmFeatures::CM_THREADING
        | WasmFeatures::CM_ERROR_CONTEXT
        | WasmFeatures::CM_FIXED_LENGTH_LISTS;
    let (mut compared, mut valid) = (0u32, 0u32);
    let mut mismatches = Vec::new();
    let inputs = seeds.iter().cloned().chain((0..10_000).map(|_| {
        let s = &seeds[rng.below(seeds.len())];
        mutate(s, &mut rng)
    }));
    for bytes in inputs {
        let ours = wtool_component::decode_with_offsets(&bytes, FEATURES)
            .map_err(|e| e.to_string())
            .and_then(|(c, o)| {
                wtool_component::validate(&c, Some(&o), FEATURES).map_err(|e| e.to_string())
            });
        let theirs = wasmparser::Validator::new_with_features(features).validate_all(&bytes);
        compared += 1;
        match (&ours, &theirs) {
            (Ok(()), Ok(_)) => valid += 1,
            (Err(_), Err(_)) => {}
            (Ok(()), Err(e)) if wasm_tools_stricter(&e.to_string()) => {}
            (Ok(()), Err(e)) => mismatches.push(format!("we accept, wasmparser: {e}")),
            (Err(e), Ok(_)) => mismatches.push(format!("we refuse ({e}), wasmparser accepts")),
        }
    }
    eprintln!(
        "{compared} compared, {valid} valid for both, {} disagree",
        mismatches.len()
    );
    for m in mismatches.iter().take(200) {
        eprintln!("  {m}");
    }
    assert!(mismatches.is_empty());
}
