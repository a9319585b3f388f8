//! Differential round trip on random modules: `wasm-smith` generates
//! modules with every feature the AST holds (WebAssembly 3.0 with GC and
//! exceptions, threads, wide arithmetic, custom page sizes; half of them
//! with invalid function bodies and custom sections), ours decodes and
//! prints them (flat and folded), and both the `wat` oracle and our own
//! parser must read the text back: to the same bytes, or (where wasm-smith
//! wrote empty sections, which text cannot hold, or a data count section no
//! instruction needs, which text omits, or adjacent local groups of one
//! type, which text merges) to a module equal but for positions.
//! `WTOOL_SMITH_SEEDS=20000` for a long run.

mod common;

use wtool_ast::{Features, LocalGroup, Module};
use wtool_print::{print, PrintOptions};
use wtool_testsupport::smith;

/// What text cannot hold, removed from both sides before comparing.
fn strip(mut m: Module) -> Module {
    m.data_count = None;
    for f in &mut m.funcs {
        let mut merged: Vec<LocalGroup> = Vec::new();
        for g in f.locals.iter().filter(|g| g.count > 0) {
            match merged.last_mut() {
                Some(last) if last.ty == g.ty => last.count += g.count,
                _ => merged.push(*g),
            }
        }
        f.locals = merged;
    }
    common::norm(m)
}

#[test]
fn wasm_smith_modules_round_trip() {
    let (mut done, mut exact, mut ours_ok, mut skipped, mut undecodable) = (0, 0, 0, 0, 0);
    for case in 0..smith::count_from_env("WTOOL_SMITH_SEEDS", 600) {
        let invalid = case % 2 == 1;
        let Some(bytes) = smith::module(case, smith::syntax_config(invalid)) else {
            skipped += 1;
            continue;
        };
        let module = match wtool_binary::decode_with_features(&bytes, Features::ALL) {
            Ok(m) => m,
            // Invalid bodies may be random bytes that do not even decode.
            Err(_) if invalid => {
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
                .unwrap_or_else(|e| panic!("case {case} fold={fold}: wat: {e}\n{text}"));
            if back == bytes {
                exact += 1;
            } else {
                let again = wtool_binary::decode_with_features(&back, Features::ALL)
                    .unwrap_or_else(|e| panic!("case {case}: {e}"));
                let (a, b) = (strip(again), strip(module.clone()));
                assert!(
                    a == b,
                    "case {case} fold={fold}: wat reads another module: {}\n{text}",
                    common::first_diff(&a, &b)
                );
            }
            let ours = wtool_text::parse_module_with(text.as_bytes(), Features::ALL)
                .unwrap_or_else(|e| panic!("case {case} fold={fold}: wtool-text: {e}\n{text}"));
            let (a, b) = (strip(ours), strip(module.clone()));
            assert!(
                a == b,
                "case {case} fold={fold}: our parser reads another module: {}\n{text}",
                common::first_diff(&a, &b)
            );
            ours_ok += 1;
            done += 1;
        }
    }
    println!(
        "{done} wasm-smith prints round-tripped through wat ({exact} byte-exact) and {ours_ok} \
         through our parser ({skipped} seeds gave no module, {undecodable} invalid ones do not decode)"
    );
    assert!(done > 600, "{done}");
}
