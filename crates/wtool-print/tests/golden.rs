//! Golden files: the printed form (flat and folded) of a few modules, kept in
//! `tests/print/` at the workspace root. Inputs are `NAME.in.wat` (compiled by
//! the `wat` oracle) or fixture binaries; expected outputs are
//! `NAME.flat.wat` and `NAME.fold.wat`. `BLESS=1` rewrites them.
//! Every printed text is also checked to round-trip (see [`round_trip`]).

mod common;

use std::path::{Path, PathBuf};

use wtool_print::{print, PrintOptions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `text` (printed from `module`, decoded from `bytes`) parses back:
/// with wtool-text, encoding to exactly `encode(module)`; with the `wat`
/// oracle, to exactly `bytes` when the input is canonical (else padded
/// LEB128s from a linker cannot be reproduced, and the re-decoded module must
/// equal the original apart from positions).
fn round_trip(what: &str, module: &wtool_ast::Module, bytes: &[u8], text: &str) {
    let reference = wtool_binary::encode(module);
    // The wat crate no longer reads legacy exception handling (`try`):
    // for such modules only our parser checks the text.
    let legacy = module.funcs.iter().any(|f| {
        f.body
            .instrs
            .iter()
            .any(|i| matches!(i, wtool_ast::Instr::Try(_)))
    });
    if legacy {
        let ours = wtool_text::parse_module(text.as_bytes())
            .unwrap_or_else(|e| panic!("{what}: wtool-text: {e}"));
        assert!(
            wtool_binary::encode(&ours) == reference,
            "{what}: wtool-text + encode differ"
        );
        return;
    }
    let back = wat::parse_str(text).unwrap_or_else(|e| panic!("{what}: wat: {e}"));
    if reference == bytes {
        assert!(back == bytes, "{what}: wat bytes differ");
    } else {
        let again = wtool_binary::decode_with_features(&back, wtool_ast::Features::ALL)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            common::norm(again) == common::norm(module.clone()),
            "{what}: wat gives another module"
        );
    }
    let ours = wtool_text::parse_module(text.as_bytes())
        .unwrap_or_else(|e| panic!("{what}: wtool-text: {e}"));
    assert!(
        wtool_binary::encode(&ours) == reference,
        "{what}: wtool-text + encode differ"
    );
}

fn check(name: &str, bytes: &[u8]) {
    let module = wtool_binary::decode(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let dir = root().join("tests/print");
    for (suffix, fold) in [("flat", false), ("fold", true)] {
        let text = print(
            &module,
            &PrintOptions {
                fold,
                ..Default::default()
            },
        );
        round_trip(&format!("{name}.{suffix}"), &module, bytes, &text);
        let path = dir.join(format!("{name}.{suffix}.wat"));
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with BLESS=1 to create)", path.display()));
        assert!(
            text == want,
            "{} differs (BLESS=1 regenerates); got:\n{text}",
            path.display()
        );
    }
}

#[test]
fn golden_names_custom_simd() {
    let src = root().join("tests/print/names_simd.in.wat");
    let bytes = wat::parse_file(&src).unwrap();
    check("names_simd", &bytes);
}

#[test]
fn golden_fixtures() {
    for name in ["add", "kernels"] {
        let path = root().join(format!("fixtures/{name}.wasm"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check(name, &bytes);
    }
}

/// Every binary fixture (big.wasm and subfolders included) round-trips,
/// flat and folded.
#[test]
fn fixtures_round_trip() {
    let mut n = 0;
    let mut files = Vec::new();
    let mut dirs = vec![root().join("fixtures")];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "wasm") {
                files.push(path);
            }
        }
    }
    files.sort();
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let module = wtool_binary::decode_with_features(&bytes, wtool_ast::Features::ALL)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for fold in [false, true] {
            let text = print(
                &module,
                &PrintOptions {
                    fold,
                    ..Default::default()
                },
            );
            round_trip(
                &format!("{} fold={fold}", path.display()),
                &module,
                &bytes,
                &text,
            );
            n += 1;
        }
    }
    println!("{n} fixture prints round-tripped");
    assert!(n >= 2);
}
