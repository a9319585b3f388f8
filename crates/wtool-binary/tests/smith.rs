//! Differential round trip on generated modules: `wasm-smith` (through
//! `wasm-encoder`, which writes canonical encodings) builds valid modules
//! using everything the AST can hold; each must decode and re-encode to the
//! same bytes.

mod common;

use arbitrary::Unstructured;
use common::Rng;
use wasm_smith::{Config, Module as SmithModule};
use wtool_ast::Features;
use wtool_binary::{decode_with_features, encode};

fn config() -> Config {
    Config {
        // Not in the AST yet: GC types, exception instructions, tail calls,
        // atomics, wide arithmetic, the compact import encoding.
        gc_enabled: false,
        exceptions_enabled: false,
        tail_call_enabled: false,
        threads_enabled: false,
        wide_arithmetic_enabled: false,
        compact_imports_enabled: false,
        // Held by the AST: exercise them.
        memory64_enabled: true,
        max_memories: 3,
        multi_value_enabled: true,
        custom_page_sizes_enabled: true,
        generate_custom_sections: true,
        ..Config::default()
    }
}

#[test]
fn wasm_smith_modules_round_trip() {
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut checked = 0;
    let mut instrs = 0usize;
    for case in 0..400 {
        let len = 4096 + rng.below(200_000);
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let mut u = Unstructured::new(&data);
        let Ok(m) = SmithModule::new(config(), &mut u) else {
            continue;
        };
        let bytes = m.to_bytes();
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
