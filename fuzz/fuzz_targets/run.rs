//! The interpreter against wasmi: a wasm-smith module (3.0 without GC,
//! exceptions and threads, which wasmi lacks; SIMD on) instantiated in
//! both with fuel and the same limits, every export called; results,
//! traps, final globals and memories must agree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wtool_fuzz::exec::{compare, run_wasmi, run_wtool};
use wtool_fuzz::{smith_module, wtool_features, Purpose};

fuzz_target!(|data: &[u8]| {
    let Some(bytes) = smith_module(Purpose::Oracle, data) else {
        return;
    };
    let module = wtool_binary::decode_with_features(&bytes, wtool_features())
        .unwrap_or_else(|e| panic!("wasm-smith module does not decode: {e}"));
    wtool_validate::validate(&module, wtool_features())
        .unwrap_or_else(|e| panic!("wasm-smith module does not validate: {e}"));
    let ours = run_wtool(&module);
    let theirs = run_wasmi(&bytes, &module);
    if let Err(d) = compare(&ours, &theirs) {
        panic!("wtool and wasmi differ: {d}");
    }
});
