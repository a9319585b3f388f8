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
use common::{mutate, seeds, wasm_tools_stricter, wasmparser_features, GATED};

/// What wasm-tools' runner enables for these tests: its defaults and the
/// gated Component Model proposals the tests use.
const FEATURES: Features = wtool_testsupport::CM_REFERENCE_FEATURES;

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
    let r = compare(FEATURES, wasmparser_features(FEATURES), 10_000, 0x7661_6c69);
    eprintln!(
        "{} compared, {} valid for both, {} disagree",
        r.compared,
        r.valid,
        r.mismatches.len()
    );
    r.show();
    assert!(r.mismatches.is_empty());
}

/// Verdicts with each side's defaults: `wtool validate`'s set against
/// wasmparser's `WasmFeatures::default()`; then, from every gated
/// proposal on, each one turned off in turn. On the reference components
/// themselves, a refusal by a gate names the same proposal on both sides.
#[test]
fn gated_features_agree_with_wasmparser() {
    let defaults = WasmFeatures::default() | WasmFeatures::LEGACY_EXCEPTIONS;
    assert_eq!(wasmparser_features(Features::WASM3_THREADS), defaults);
    let r = compare(Features::WASM3_THREADS, defaults, 10_000, 0x6465_6661);
    eprintln!(
        "defaults: {} compared, {} valid for both, {} refused by a gate, {} disagree",
        r.compared,
        r.valid,
        r.gated,
        r.mismatches.len()
    );
    r.show();
    let mut failed = r.mismatches.len();
    let all = Features::WASM3_THREADS.union(Features::COMPONENT_ALL);
    for (i, (f, _)) in GATED.iter().enumerate() {
        let ours = all.without(*f);
        let r = compare(
            ours,
            wasmparser_features(ours),
            5_000,
            0x6f66_6600 + i as u64,
        );
        eprintln!(
            "-{}: {} compared, {} valid for both, {} refused by a gate, {} disagree",
            f.flag_name().unwrap_or("?"),
            r.compared,
            r.valid,
            r.gated,
            r.mismatches.len()
        );
        r.show();
        failed += r.mismatches.len();
    }
    assert_eq!(failed, 0);
}

/// What one run of [`compare`] found.
struct Compared {
    compared: u32,
    valid: u32,
    /// Reference components wasmparser refused with a feature gate.
    gated: u32,
    mismatches: Vec<String>,
}

impl Compared {
    fn show(&self) {
        for m in self.mismatches.iter().take(20) {
            eprintln!("  {m}");
        }
    }
}

/// Validates every reference component and `mutants` mutants of them with
/// `ours` and with wasmparser under `theirs`, collecting disagreements.
fn compare(ours: Features, theirs: WasmFeatures, mutants: usize, seed: u64) -> Compared {
    let seeds = seeds();
    let mut rng = Rng::new(seed);
    let mut r = Compared {
        compared: 0,
        valid: 0,
        gated: 0,
        mismatches: Vec::new(),
    };
    let inputs = seeds
        .iter()
        .map(|s| (s.clone(), true))
        .chain((0..mutants).map(|_| {
            let s = &seeds[rng.below(seeds.len())];
            (mutate(s, &mut rng), false)
        }));
    for (bytes, is_seed) in inputs {
        let verdict = wtool_component::decode_with_offsets(&bytes, ours)
            .map_err(|e| e.to_string())
            .and_then(|(c, o)| {
                wtool_component::validate(&c, Some(&o), ours).map_err(|e| e.to_string())
            });
        let theirs = wasmparser::Validator::new_with_features(theirs).validate_all(&bytes);
        r.compared += 1;
        match (&verdict, &theirs) {
            (Ok(()), Ok(_)) => r.valid += 1,
            (Err(e), Err(t)) => {
                let gate = wtool_component::gated_feature(t.message());
                if is_seed && gate.is_some() {
                    r.gated += 1;
                    if wtool_component::gated_feature(e) != gate {
                        r.mismatches
                            .push(format!("we refuse ({e}), wasmparser: {t}"));
                    }
                }
            }
            (Ok(()), Err(e)) if wasm_tools_stricter(&e.to_string()) => {}
            (Ok(()), Err(e)) => r.mismatches.push(format!("we accept, wasmparser: {e}")),
            (Err(e), Ok(_)) => r
                .mismatches
                .push(format!("we refuse ({e}), wasmparser accepts")),
        }
    }
    r
}
