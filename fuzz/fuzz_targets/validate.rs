//! Our validator's verdict against wasmparser's, on wasm-smith modules
//! (valid, or with invalid bodies) and on raw bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wtool_fuzz::{smith_module, wasmparser_features, wtool_features, Purpose};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    // Mostly generated modules (libFuzzer mutates the generator's choices);
    // a quarter raw bytes, which reach the decoder's error paths.
    let bytes = match mode % 4 {
        0 => rest.to_vec(),
        1 => match smith_module(Purpose::Static { invalid: true }, rest) {
            Some(b) => b,
            None => return,
        },
        _ => match smith_module(Purpose::Static { invalid: false }, rest) {
            Some(b) => b,
            None => return,
        },
    };
    let theirs =
        wasmparser::Validator::new_with_features(wasmparser_features()).validate_all(&bytes);
    let ours = wtool_binary::decode_with_features(&bytes, wtool_features())
        .map_err(|e| e.to_string())
        .and_then(|m| wtool_validate::validate(&m, wtool_features()).map_err(|e| e.to_string()));
    // The streaming validator must agree with decode-then-validate.
    let streaming = wtool_validate::validate_binary(&bytes, wtool_features());
    assert_eq!(
        ours.is_ok(),
        streaming.is_ok(),
        "validate {ours:?} vs validate_binary {:?}",
        streaming.err().map(|e| e.to_string())
    );
    match (&ours, &theirs) {
        (Ok(()), Ok(_)) | (Err(_), Err(_)) => {}
        _ => panic!(
            "verdicts differ: wtool {ours:?}, wasmparser {:?}",
            theirs.err().map(|e| e.to_string())
        ),
    }
});
