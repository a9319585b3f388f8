//! The committed fixtures are what they claim to be: `add.wasm` is the `wat`
//! crate's encoding of `add.wat`, every C fixture has its source beside it,
//! `big.wasm` is at least 1 MB, and every `.wasm` is valid (wasmparser, the
//! oracle), decodes with our decoder and re-encodes to the identical bytes.
//!
//! `BLESS=1 cargo test --test fixtures` rewrites `add.wasm` from `add.wat`.
//! The clang-built fixtures are rebuilt by `cargo xtask fixtures`.

use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn wasm_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    v.sort();
    v
}

#[test]
fn add_wasm_is_the_wat_encoding_of_add_wat() {
    wat_fixture("add");
}

#[test]
fn the_component_fixture_is_the_wat_encoding_of_its_source() {
    wat_fixture(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/component/add"));
}

/// `fixtures/NAME.wasm` must be the `wat` crate's encoding of `NAME.wat`.
fn wat_fixture(name: impl AsRef<Path>) {
    let name = fixtures().join(name);
    let expected = wat::parse_file(name.with_extension("wat")).unwrap();
    let path = name.with_extension("wasm");
    if std::env::var_os("BLESS").is_some_and(|v| v != "0") {
        fs::write(&path, &expected).unwrap();
    }
    assert_eq!(
        fs::read(&path).unwrap(),
        expected,
        "run BLESS=1 cargo test --test fixtures"
    );
}

#[test]
fn clang_fixtures_have_their_source() {
    for (wasm, source) in [
        ("big.wasm", "c/big.c"),
        ("kernels.wasm", "c/kernels.c"),
        ("kernels-simd.wasm", "c/kernels.c"),
        ("hello.wasm", "c/hello.c"),
        ("atomics.wasm", "c/atomics.c"),
        ("exceptions.wasm", "exceptions.wat"),
        ("cxx/throw-exnref.wasm", "cxx/throw.cpp"),
        ("cxx/throw-legacy.wasm", "cxx/throw.cpp"),
    ] {
        assert!(fixtures().join(wasm).is_file(), "{wasm}");
        assert!(fixtures().join(source).is_file(), "{source}");
    }
    assert!(fixtures().join("gen_big.py").is_file());
    let big = fs::metadata(fixtures().join("big.wasm")).unwrap().len();
    assert!(
        big >= 1 << 20,
        "big.wasm must be at least 1 MiB, is {big} bytes"
    );
}

#[test]
fn every_fixture_validates_decodes_and_round_trips() {
    let mut report = Vec::new();
    for path in wasm_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(&path).unwrap();
        // Fixtures include threads and (legacy) exceptions modules.
        let validator =
            || wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
        validator()
            .validate_all(&bytes)
            .unwrap_or_else(|e| panic!("{name}: not valid per wasmparser: {e}"));
        let module = wtool_binary::decode_with_features(&bytes, wtool_ast::Features::ALL)
            .unwrap_or_else(|e| panic!("{name}: decode failed at {:#x}: {e}", e.offset()));
        let encoded = wtool_binary::encode(&module);
        if let Some(i) = encoded.iter().zip(&bytes).position(|(a, b)| a != b) {
            panic!("{name}: re-encoding differs at offset {i:#x}");
        }
        assert_eq!(encoded.len(), bytes.len(), "{name}: re-encoded length");
        validator()
            .validate_all(&encoded)
            .unwrap_or_else(|e| panic!("{name}: re-encoded module invalid: {e}"));
        report.push(format!(
            "{name} ({} bytes, {} functions)",
            bytes.len(),
            module.funcs.len()
        ));
    }
    assert!(report.len() >= 4);
    println!("round-tripped: {}", report.join(", "));
}
