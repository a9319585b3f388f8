//! The committed fixtures (real compiler output, including the ≥1 MB
//! big.wasm): our verdict matches wasmparser's, and parallel validation
//! agrees with sequential validation.

use wtool_ast::Features;

#[test]
fn fixtures_validate_like_wasmparser() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("wasm") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read fixture");
        // Every feature: the fixtures include threads and exceptions modules.
        let theirs = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&bytes);
        let module = match wtool_binary::decode_with_features(&bytes, Features::ALL) {
            Ok(m) => m,
            Err(e) => panic!("{}: decode failed: {e}", path.display()),
        };
        let ours = wtool_validate::validate(&module, Features::ALL);
        assert_eq!(
            ours.is_ok(),
            theirs.is_ok(),
            "{}: ours {ours:?}, wasmparser {:?}",
            path.display(),
            theirs.as_ref().err()
        );
        assert_eq!(
            wtool_validate::validate_parallel(&module, Features::ALL, 4),
            ours,
            "{}",
            path.display()
        );
        seen += 1;
    }
    println!("{seen} fixtures validated");
    assert!(seen > 0);
}
