//! Helpers shared by the component tests: the reference tests'
//! components as seeds, their mutants, and where wasm-tools is stricter
//! than the reference tests.
#![allow(dead_code)] // each test binary uses some of them

use wasmparser::WasmFeatures;
use wtool_ast::Features;
use wtool_testsupport::{component_model_files, oracle_components, Rng};

/// Every component of the reference tests the `wast` oracle encodes.
pub fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (_, text) in component_model_files() {
        let Ok(comps) = oracle_components(&text) else {
            continue;
        };
        out.extend(comps.into_iter().filter_map(|c| c.bytes.ok()));
    }
    out
}

/// `seed` with one to three bytes replaced, inserted or deleted, or cut
/// short, all past the 8-byte preamble so most mutants reach the sections.
pub fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut m = seed.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = 8 + rng.below(m.len().saturating_sub(8).max(1));
        match rng.below(10) {
            0 => m.insert(at.min(m.len()), rng.next_u64() as u8),
            1 if at < m.len() => drop(m.remove(at)),
            2 => m.truncate(at),
            _ if at < m.len() => m[at] = rng.next_u64() as u8,
            _ => {}
        }
    }
    m
}

/// Where wasm-tools 1.263 refuses what the reference tests accept: the
/// `cancellable` flag byte, and names that differ only by `-` (wasmparser
/// drops hyphens when comparing names; the explainer and the reference
/// tests, `kebab.wast`, only ignore case).
pub fn wasm_tools_stricter(message: &str) -> bool {
    message.contains("historically accepted as `cancellable`")
        || (message.contains("conflicts with previous") && hyphen_only(message))
}

/// Whether the two backquoted names of a conflict message differ only by
/// `-` (and case).
fn hyphen_only(message: &str) -> bool {
    let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    match names.as_slice() {
        [a, b, ..] => {
            let norm = |s: &str| s.replace('-', "").to_lowercase();
            norm(a) == norm(b) && !a.eq_ignore_ascii_case(b)
        }
        _ => false,
    }
}

/// The gated Component Model proposals with wasmparser's flag for each.
pub const GATED: &[(Features, WasmFeatures)] = &[
    (Features::CM_VALUES, WasmFeatures::CM_VALUES),
    (Features::CM_NESTED_NAMES, WasmFeatures::CM_NESTED_NAMES),
    (Features::CM_ASYNC, WasmFeatures::CM_ASYNC),
    (Features::CM_ASYNC_STACKFUL, WasmFeatures::CM_ASYNC_STACKFUL),
    (
        Features::CM_MORE_ASYNC_BUILTINS,
        WasmFeatures::CM_MORE_ASYNC_BUILTINS,
    ),
    (Features::CM_THREADING, WasmFeatures::CM_THREADING),
    (Features::CM_ERROR_CONTEXT, WasmFeatures::CM_ERROR_CONTEXT),
    (
        Features::CM_FIXED_LENGTH_LISTS,
        WasmFeatures::CM_FIXED_LENGTH_LISTS,
    ),
    (Features::CM_GC, WasmFeatures::CM_GC),
    (Features::CM_MAP, WasmFeatures::CM_MAP),
    (Features::CM64, WasmFeatures::CM64),
    (Features::CM_IMPLEMENTS, WasmFeatures::CM_IMPLEMENTS),
    (Features::CM_CANON_NAMES, WasmFeatures::CM_CANON_NAMES),
    (Features::CM_FORWARD, WasmFeatures::CM_FORWARD),
    (Features::CM_ACCESSORS, WasmFeatures::CM_ACCESSORS),
];

/// Our feature set in wasmparser's terms: its defaults plus legacy
/// exceptions (what our `WASM3_THREADS` means for core modules), with the
/// Component Model proposals switched as in `ours`.
pub fn wasmparser_features(ours: Features) -> WasmFeatures {
    let mut wp = WasmFeatures::default() | WasmFeatures::LEGACY_EXCEPTIONS;
    for (f, w) in GATED {
        wp.set(*w, ours.contains(*f));
    }
    wp
}
