//! Differential round trip on generated modules: `wasm-smith` (through
//! `wasm-encoder`, which writes canonical encodings) builds valid modules
//! using everything the AST can hold (WebAssembly 3.0 with GC and
//! exceptions, threads, wide arithmetic, custom page sizes); each must
//! decode and re-encode to the same bytes. `WTOOL_SMITH_SEEDS` for long runs.

use wtool_ast::Features;
use wtool_binary::{decode_with_features, encode};
use wtool_testsupport::smith;

#[test]
fn wasm_smith_modules_round_trip() {
    let mut checked = 0;
    let mut instrs = 0usize;
    for case in 0..smith::count_from_env("WTOOL_SMITH_SEEDS", 400) {
        let Some(bytes) = smith::module(case, smith::syntax_config(false)) else {
            continue;
        };
        let module = decode_with_features(&bytes, Features::ALL)
            .unwrap_or_else(|e| panic!("case {case}: {e} at {:#x}", e.offset()));
        instrs += module
            .funcs
            .iter()
            .map(|f| f.body.instrs.len())
            .sum::<usize>();
        let again = encode(&module);
        if again != bytes {
            let at = again
                .iter()
                .zip(&bytes)
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "case {case}: re-encoding differs at {at:#x} ({} vs {} bytes)",
                again.len(),
                bytes.len()
            );
        }
        checked += 1;
    }
    println!("wasm-smith modules round-tripped byte for byte: {checked} ({instrs} instructions)");
    assert!(checked > 300, "{checked}");
}
