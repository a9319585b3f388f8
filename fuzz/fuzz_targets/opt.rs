//! The optimizer at every level: the output validates, and running it gives
//! what running the input gives (same results, traps, final globals and
//! memories), in our interpreter with fuel.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wtool_fuzz::exec::{compare, run_wtool};
use wtool_fuzz::{smith_module, wtool_features, Purpose};
use wtool_opt::pipeline::LEVELS;
use wtool_opt::{optimize, PassOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&level, rest)) = data.split_first() else {
        return;
    };
    let Some(bytes) = smith_module(Purpose::Exec, rest) else {
        return;
    };
    let module = wtool_binary::decode_with_features(&bytes, wtool_features())
        .unwrap_or_else(|e| panic!("wasm-smith module does not decode: {e}"));
    let before = run_wtool(&module);
    // One level per input, chosen by its first byte: every level is fuzzed,
    // and the fuzzer learns which paths each one takes.
    let level = LEVELS[level as usize % LEVELS.len()];
    let mut out = module.clone();
    let opts = PassOptions {
        features: wtool_features(),
        ..PassOptions::default()
    };
    if let Err(e) = optimize(&mut out, level, opts) {
        panic!("-{level} failed on a valid module: {e}");
    }
    wtool_validate::validate(&out, wtool_features())
        .unwrap_or_else(|e| panic!("-{level} output does not validate: {e}"));
    // The output survives encoding (what `wtool opt` writes).
    let encoded = wtool_binary::encode(&out);
    let out = wtool_binary::decode_with_features(&encoded, wtool_features())
        .unwrap_or_else(|e| panic!("-{level} output does not decode: {e}"));
    let after = run_wtool(&out);
    if let Err(d) = compare(&before, &after) {
        panic!("-{level} changed behaviour: {d}");
    }
});
