//! WIT: arbitrary text through the parser and resolver, arbitrary bytes
//! behind a component preamble through the component-to-WIT decoder, and
//! wit-smith packages through decode, print, parse and encode. Nothing
//! panics; what parses prints, and the printed text parses back to the same
//! text and encodes to a package that decodes to it again. Also `component
//! new`'s adapter trimming on wasm-smith modules: what it keeps validates.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use wtool_wit::{parse_source, print::print_resolve, ParseOptions, Resolve};

const PREAMBLE: &[u8] = b"\0asm\x0d\x00\x01\x00";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let opts = ParseOptions {
        features: Vec::new(),
        all_features: mode & 4 != 0,
    };
    match mode % 4 {
        3 => trim_adapter(rest),
        0 => {
            let Ok(text) = std::str::from_utf8(rest) else {
                return;
            };
            let mut r = Resolve::default();
            if let Ok(main) = parse_source(&mut r, "fuzz.wit", text, &opts) {
                round_trip(&r, main, &opts);
            }
        }
        1 => {
            let bytes = [PREAMBLE, rest].concat();
            if let Ok(d) = wtool_wit::decode(&bytes) {
                let _ = print_resolve(d.resolve(), d.package());
            }
        }
        _ => {
            let mut u = Unstructured::new(rest);
            let Ok(config) = wit_smith::Config::arbitrary(&mut u) else {
                return;
            };
            let Ok(bytes) = wit_smith::smith(&config, &mut u) else {
                return;
            };
            let d = wtool_wit::decode(&bytes).expect("wit-smith packages decode");
            round_trip(
                d.resolve(),
                d.package(),
                &ParseOptions {
                    features: Vec::new(),
                    all_features: true,
                },
            );
        }
    }
});

/// A wasm-smith module trimmed as an adapter to some of its exports (with
/// or without a main-module realloc): an error or a module that validates.
fn trim_adapter(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut u = Unstructured::new(rest);
    let config = wasm_smith::Config {
        max_data_segments: 0,
        max_element_segments: 0,
        max_memories: 1,
        ..wasm_smith::Config::default()
    };
    let Ok(m) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let Ok(module) = wtool_binary::decode_with_features(&m.to_bytes(), wtool_ast::Features::ALL)
    else {
        return;
    };
    let required: Vec<String> = module
        .exports
        .iter()
        .enumerate()
        .filter(|(i, _)| pick >> (i % 7) & 1 == 1)
        .map(|(_, e)| e.name.clone())
        .collect();
    if required.is_empty() {
        return;
    }
    let realloc = (pick & 0x80 != 0).then_some("cabi_realloc");
    if let Ok(trimmed) = wtool_wit::new::gc::trim_adapter(&module, &required, realloc) {
        let bytes = wtool_binary::encode(&trimmed);
        let mut v = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
        if let Err(e) = v.validate_all(&bytes) {
            panic!("a trimmed adapter does not validate: {e}");
        }
    }
}

/// Printed text parses back to a package that prints the same, and the
/// package encodes to a component that decodes to the same text.
fn round_trip(r: &Resolve, main: wtool_wit::model::PackageId, opts: &ParseOptions) {
    let text = print_resolve(r, main);
    let mut again = Resolve::default();
    let main2 = parse_source(&mut again, "printed.wit", &text, opts)
        .unwrap_or_else(|e| panic!("printed WIT parses: {e}\n{text}"));
    assert_eq!(print_resolve(&again, main2), text, "printing is stable");
    if let Ok(bytes) = wtool_wit::encode(&again, main2) {
        let d = wtool_wit::decode(&bytes).expect("an encoded package decodes");
        assert_eq!(
            print_resolve(d.resolve(), d.package()),
            text,
            "encoding keeps the text"
        );
    }
}
