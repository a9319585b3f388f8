//! Differential on random modules: wasm-smith makes a module with every
//! feature the AST holds (WebAssembly 3.0 with GC and exceptions, threads,
//! wide arithmetic, custom page sizes), the `wasmprinter` oracle prints it,
//! and our parse + encode of that text must equal the `wat` crate's bytes.
//! `WTOOL_SMITH_SEEDS=20000` for a long run.

use wtool_ast::Features;
use wtool_testsupport::smith;

#[test]
fn smith_modules_match_wat() {
    let mut identical = 0;
    let mut failures = Vec::new();
    for seed in 0..smith::count_from_env("WTOOL_SMITH_SEEDS", 400) {
        let Some(bytes) = smith::module(seed, smith::syntax_config(false)) else {
            continue;
        };
        let Ok(text) = wasmprinter::print_bytes(&bytes) else {
            continue;
        };
        let Ok(theirs) = wat::parse_str(&text) else {
            continue;
        };
        match wtool_text::parse_module_with(text.as_bytes(), Features::ALL) {
            Ok(module) => {
                if wtool_binary::encode(&module) == theirs {
                    identical += 1;
                } else {
                    failures.push(format!("seed {seed}: bytes differ\n{text}"));
                }
            }
            Err(e) => {
                let (l, c) = e.line_col(text.as_bytes());
                failures.push(format!("seed {seed}: {l}:{c}: {e}\n{text}"));
            }
        }
    }
    println!("smith: {identical} identical");
    assert!(
        failures.is_empty(),
        "{} failures, first:\n{}",
        failures.len(),
        failures[0]
    );
    assert!(identical > 100, "only {identical} modules generated");
}

/// The large fixture (a real C program compiled to wasm), printed by the
/// oracle: ~15 MB of text with names, `(@name …)` and `(@producers …)`.
#[test]
fn big_fixture_matches_wat() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/big.wasm");
    let Ok(bytes) = std::fs::read(path) else {
        panic!("fixtures/big.wasm is missing");
    };
    let text = wasmprinter::print_bytes(&bytes).expect("oracle prints the fixture");
    let theirs = wat::parse_str(&text).expect("wat parses it");
    let ours =
        wtool_binary::encode(&wtool_text::parse_module(text.as_bytes()).expect("we parse it"));
    assert!(
        ours == theirs,
        "bytes differ ({} vs {})",
        ours.len(),
        theirs.len()
    );
}
