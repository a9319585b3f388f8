//! WIT: arbitrary text through the parser and resolver, arbitrary bytes
//! behind a component preamble through the component-to-WIT decoder, and
//! wit-smith packages through decode, print, parse and encode. Nothing
//! panics; what parses prints, and the printed text parses back to the same
//! text and encodes to a package that decodes to it again.
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
    match mode % 3 {
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
