//! The binary decoder on arbitrary bytes: never a panic; what it accepts
//! re-encodes to bytes that decode to the same module.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(module) = wtool_binary::decode_with_features(data, wtool_fuzz::wtool_features()) else {
        return;
    };
    let bytes = wtool_binary::encode(&module);
    let again = wtool_binary::decode_with_features(&bytes, wtool_fuzz::wtool_features())
        .unwrap_or_else(|e| panic!("re-encoded module does not decode: {e}"));
    assert!(
        wtool_binary::encode(&again) == bytes,
        "encode(decode(encode(m))) differs from encode(m)"
    );
});
