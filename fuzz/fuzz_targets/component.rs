//! Components: wasm-smith components and raw bytes behind a component
//! preamble. Decoding and validation never panic; what decodes re-encodes
//! to bytes that decode and encode identically; the validation verdict on
//! generated components equals wasmparser's.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use wtool_ast::Features;

const PREAMBLE: &[u8] = b"\0asm\x0d\x00\x01\x00";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let features = Features::WASM3_THREADS;
    let generated = mode % 2 == 1;
    let bytes = if generated {
        // Compact imports and wide arithmetic: core proposals wtool lacks.
        let config = wasm_smith::Config {
            compact_imports_enabled: false,
            wide_arithmetic_enabled: false,
            ..wasm_smith::Config::default()
        };
        match wasm_smith::Component::new(config, &mut Unstructured::new(rest)) {
            Ok(c) => c.to_bytes(),
            Err(_) => return,
        }
    } else {
        [PREAMBLE, rest].concat()
    };
    let ours = match wtool_component::decode_with_offsets(&bytes, features) {
        Ok((c, offsets)) => {
            let once = wtool_component::encode(&c);
            let again =
                wtool_component::decode(&once, features).expect("re-encoded component decodes");
            assert_eq!(wtool_component::encode(&again), once, "encoding is stable");
            wtool_component::validate(&c, Some(&offsets), features).map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    };
    if generated {
        let wp = wasmparser::WasmFeatures::default() | wasmparser::WasmFeatures::LEGACY_EXCEPTIONS;
        let theirs = wasmparser::Validator::new_with_features(wp).validate_all(&bytes);
        // Where wasm-tools is stricter than the reference tests (names that
        // differ only by `-`; the legacy `cancellable` byte), we accept.
        let stricter = theirs
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .is_some_and(|m| {
                m.contains("cancellable")
                    || (m.contains("conflicts with previous") && hyphen_only(&m))
            });
        if !(ours.is_ok() && stricter) {
            assert_eq!(
                ours.is_ok(),
                theirs.is_ok(),
                "ours {ours:?}, wasmparser {:?}",
                theirs.err()
            );
        }
    }
});

/// The two backquoted names of a conflict message differ only by `-`.
fn hyphen_only(m: &str) -> bool {
    let n: Vec<String> = m
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.replace('-', "").to_lowercase())
        .collect();
    n.len() >= 2 && n[0] == n[1]
}
