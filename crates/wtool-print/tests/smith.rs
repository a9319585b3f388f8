//! Differential round trip on random modules: `wasm-smith` generates
//! WebAssembly 2.0 modules (plus extended-const and multi-memory; half of
//! them with invalid function bodies and custom sections), ours
//! decodes and prints them (flat and folded), and the `wat` oracle must parse
//! the text back to the same bytes, or (where wasm-smith wrote empty
//! sections, which text cannot hold, or a data count section no instruction
//! needs, which wat omits, or adjacent local groups of one type, which wat
//! merges) to a module equal but for positions.

mod common;

use arbitrary::Unstructured;
use wtool_print::{print, PrintOptions};

fn config(odd: bool) -> wasm_smith::Config {
    wasm_smith::Config {
        // Every other module has invalid function bodies and custom
        // sections in random places: the printer must handle both.
        allow_invalid_funcs: odd,
        generate_custom_sections: odd,
        exceptions_enabled: false,
        gc_enabled: false,
        compact_imports_enabled: false,
        memory64_enabled: false,
        relaxed_simd_enabled: false,
        tail_call_enabled: false,
        threads_enabled: false,
        wide_arithmetic_enabled: false,
        max_memories: 2,
        max_tables: 3,
        max_funcs: 40,
        max_instructions: 200,
        ..Default::default()
    }
}

#[test]
fn wasm_smith_modules_round_trip() {
    let (mut done, mut exact, mut skipped, mut undecodable) = (0, 0, 0, 0);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for case in 0..600 {
        let mut data = vec![0u8; 8192];
        for b in data.iter_mut() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            *b = (seed >> 24) as u8;
        }
        let mut u = Unstructured::new(&data);
        let Ok(m) = wasm_smith::Module::new(config(case % 2 == 1), &mut u) else {
            skipped += 1;
            continue;
        };
        let bytes = m.to_bytes();
        let module = match wtool_binary::decode_with_features(&bytes, wtool_ast::Features::ALL) {
            Ok(m) => m,
            // Invalid bodies may be random bytes that do not even decode.
            Err(_) if case % 2 == 1 => {
                undecodable += 1;
                continue;
            }
            Err(e) => panic!("case {case}: decode: {e}"),
        };
        for fold in [false, true] {
            let text = print(
                &module,
                &PrintOptions {
                    fold,
                    ..Default::default()
                },
            );
            let back = wat::parse_str(&text)
                .unwrap_or_else(|e| panic!("case {case} fold={fold}: {e}\n{text}"));
            if back == bytes {
                exact += 1;
            } else {
                // wasm-smith writes empty sections, which text cannot hold:
                // the re-decoded module must still be the same.
                let again = wtool_binary::decode_with_features(&back, wtool_ast::Features::ALL)
                    .unwrap_or_else(|e| panic!("case {case}: {e}"));
                // A data count section no instruction needs is dropped by wat.
                // wat also merges adjacent local groups of one type.
                let strip = |mut m: wtool_ast::Module| {
                    m.data_count = None;
                    for f in &mut m.funcs {
                        let mut merged: Vec<wtool_ast::LocalGroup> = Vec::new();
                        for g in f.locals.iter().filter(|g| g.count > 0) {
                            match merged.last_mut() {
                                Some(last) if last.ty == g.ty => last.count += g.count,
                                _ => merged.push(*g),
                            }
                        }
                        f.locals = merged;
                    }
                    common::norm(m)
                };
                let (a, b) = (strip(again), strip(module.clone()));
                assert!(
                    a == b,
                    "case {case} fold={fold}: another module: {}\n{text}",
                    common::first_diff(&a, &b)
                );
            }
            done += 1;
        }
    }
    println!("{done} wasm-smith prints round-tripped, {exact} byte-exact ({skipped} seeds gave no module, {undecodable} invalid ones do not decode)");
    assert!(done > 1000);
}
