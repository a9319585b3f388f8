//! Running runs of function-local passes function by function (the
//! default) gives the very module that running them one after the other
//! does, on the committed fixtures and on random valid modules, at every
//! level.

use arbitrary::Unstructured;
use std::path::PathBuf;
use wtool_ast::{Features, Module};
use wtool_opt::{OptLevel, PassManager, PassOptions};

const LEVELS: [OptLevel; 5] = [
    OptLevel::O1,
    OptLevel::O2,
    OptLevel::O3,
    OptLevel::OS,
    OptLevel::OZ,
];

/// `m` optimized at `level`, by function or pass by pass.
fn optimized(m: &Module, level: OptLevel, features: Features, by_function: bool) -> Module {
    let mut out = m.clone();
    let options = PassOptions {
        features,
        ..PassOptions::default()
    };
    let mut pm = PassManager::for_level(level, options);
    pm.validate_after_each(false).by_function(by_function);
    pm.run(&mut out).unwrap();
    out
}

fn same_both_ways(name: &str, m: &Module, features: Features) {
    for level in LEVELS {
        let a = optimized(m, level, features, false);
        let b = optimized(m, level, features, true);
        assert!(a == b, "{name} -{level}: by-function run differs");
        assert_eq!(wtool_binary::encode(&a), wtool_binary::encode(&b));
    }
}

#[test]
fn fixtures_optimize_the_same_by_function() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    files.sort();
    assert!(files.len() > 5);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        // Decoded without offsets, as `wtool opt` does, so bodies are packed.
        let m = wtool_binary::decode_without_offsets(&bytes, Features::ALL).unwrap();
        same_both_ways(&name, &m, Features::ALL);
    }
}

#[test]
fn random_modules_optimize_the_same_by_function() {
    let config = wasm_smith::Config {
        max_tables: 2,
        max_memory32_bytes: 1 << 20,
        ..wtool_testsupport::smith::wasm2_config(false)
    };
    let mut checked = 0;
    for seed in 0..300u64 {
        let data = wtool_testsupport::rng::Rng::new(seed).bytes(1024 + (seed as usize % 8) * 2048);
        let Ok(sm) = wasm_smith::Module::new(config.clone(), &mut Unstructured::new(&data)) else {
            continue;
        };
        let Ok(m) = wtool_binary::decode_without_offsets(&sm.to_bytes(), Features::WASM2) else {
            continue;
        };
        if wtool_validate::validate(&m, Features::WASM2).is_err() {
            continue;
        }
        same_both_ways(&format!("seed {seed}"), &m, Features::WASM2);
        checked += 1;
    }
    assert!(checked > 100, "only {checked} modules checked");
}
