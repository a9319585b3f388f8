//! Differential inputs shared by the tests: wit-parser's own UI inputs (read
//! from the oracle crate's source, never copied here) and wit-smith documents.

#![allow(dead_code)] // each test uses its own subset

use std::path::{Path, PathBuf};

/// wit-parser 0.263.0's source directory.
pub fn wit_parser_dir() -> PathBuf {
    crate_dir("wit-parser-0.263.0")
}

/// A dependency's source directory (`name-version`), found with `cargo metadata`.
pub fn crate_dir(name_version: &str) -> PathBuf {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    let text = String::from_utf8(out.stdout).expect("metadata is UTF-8");
    let needle = format!("{name_version}/Cargo.toml");
    let end = text
        .find(&needle)
        .unwrap_or_else(|| panic!("{name_version} in the metadata"));
    let start = text[..end].rfind('"').expect("a JSON string") + 1;
    PathBuf::from(&text[start..end + name_version.len()])
}

/// The `.wit` files and package directories directly in `dir`.
pub fn ui_inputs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the UI directory reads")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| {
            p.file_name().is_some_and(|n| n != "parse-fail")
                && (p.is_dir() || p.extension().is_some_and(|e| e == "wit"))
        })
        .collect();
    out.sort();
    out
}

/// Deterministic pseudo-random bytes for seed `seed`, so runs are
/// reproducible without a corpus.
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    wtool_testsupport::Rng::new(seed).bytes(len)
}

/// The package wit-smith generates from seed `seed` (as the component
/// `wit_component::encode` writes), or `None` when the bytes run out.
pub fn smith_package(seed: u64) -> Option<Vec<u8>> {
    use arbitrary::{Arbitrary, Unstructured};
    let data = bytes(seed, 2048);
    let mut u = Unstructured::new(&data);
    let config = wit_smith::Config::arbitrary(&mut u).ok()?;
    wit_smith::smith(&config, &mut u).ok()
}

/// How many wit-smith seeds a test runs (`WIT_SMITH_COUNT`, default 10,000).
pub fn smith_count() -> u64 {
    std::env::var("WIT_SMITH_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}
