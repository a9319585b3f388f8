//! Inputs shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;
#[allow(unused_imports)]
pub use wtool_testsupport::Rng;

/// `fixtures/` at the workspace root.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every committed `.wasm` fixture (`fixtures/*.wasm`, `fixtures/*/*.wasm`), sorted.
pub fn fixture_modules() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let root = fixtures_dir();
    let mut dirs = vec![root.clone()];
    if let Ok(rd) = std::fs::read_dir(&root) {
        dirs.extend(rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    }
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "wasm") {
                if let Ok(bytes) = std::fs::read(&p) {
                    let name = p.strip_prefix(&root).unwrap_or(&p).display().to_string();
                    out.push((name, bytes));
                }
            }
        }
    }
    out.sort();
    out
}
