//! Differential on random modules: wasm-smith makes a 2.0 module, the
//! `wasmprinter` oracle prints it, and our parse + encode of that text must
//! equal the `wat` crate's bytes.

fn config() -> wasm_smith::Config {
    wasm_smith::Config {
        exceptions_enabled: false,
        gc_enabled: false,
        compact_imports_enabled: false,
        memory64_enabled: false,
        relaxed_simd_enabled: false,
        tail_call_enabled: false,
        threads_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        custom_page_sizes_enabled: false,
        max_memories: 1,
        ..wasm_smith::Config::default()
    }
}

#[test]
fn smith_modules_match_wat() {
    let mut identical = 0;
    let mut failures = Vec::new();
    for seed in 0..std::env::var("WTOOL_SMITH_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400u64)
    {
        // Deterministic pseudo-random bytes for wasm-smith's `Unstructured`.
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let data: Vec<u8> = (0..32768)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let mut u = arbitrary::Unstructured::new(&data);
        let Ok(m) = wasm_smith::Module::new(config(), &mut u) else {
            continue;
        };
        let bytes = m.to_bytes();
        let Ok(text) = wasmprinter::print_bytes(&bytes) else {
            continue;
        };
        let Ok(theirs) = wat::parse_str(&text) else {
            continue;
        };
        match wtool_text::parse_module(text.as_bytes()) {
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
