//! Property tests over random valid modules (wasm-smith): optimizing at
//! every level gives a valid module, the same bytes every time and on any
//! number of threads, and `-Oz` output is never larger than the input.

use arbitrary::Unstructured;
use wtool_ast::Features;
use wtool_opt::{OptLevel, PassManager, PassOptions};

/// A deterministic byte stream (xorshift), so failures reproduce.
fn seed_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn config() -> wasm_smith::Config {
    // WebAssembly 2.0 only: what the optimizer is built for. Small memories
    // and tables keep instantiation and state comparison cheap.
    wasm_smith::Config {
        max_tables: 2,
        max_memory32_bytes: 1 << 20,
        max_table_elements: 1_000,
        ..wtool_testsupport::smith::wasm2_config(false)
    }
}

#[test]
fn random_modules_optimize_deterministically_and_validly() {
    let mut tried = 0;
    let mut optimized = 0;
    for seed in 0..800u64 {
        let data = seed_bytes(seed, 1024 + (seed as usize % 8) * 2048);
        let mut u = Unstructured::new(&data);
        let Ok(sm) = wasm_smith::Module::new(config(), &mut u) else {
            continue;
        };
        let bytes = sm.to_bytes();
        tried += 1;
        let Ok(m) = wtool_binary::decode(&bytes) else {
            continue;
        };
        if wtool_validate::validate(&m, Features::WASM2).is_err() {
            continue;
        }
        optimized += 1;
        let in_size = wtool_binary::encode(&m).len();
        for level in [
            OptLevel::O1,
            OptLevel::O2,
            OptLevel::O3,
            OptLevel::OS,
            OptLevel::OZ,
        ] {
            let run = |threads: usize| {
                let mut out = m.clone();
                let opts = PassOptions {
                    threads,
                    ..PassOptions::default()
                };
                let mut pm = PassManager::for_level(level, opts);
                pm.validate_after_each(true);
                pm.run(&mut out).map(|_| wtool_binary::encode(&out))
            };
            let first = run(1).unwrap_or_else(|e| panic!("seed {seed} -{level}: {e}"));
            let second = run(3).unwrap_or_else(|e| panic!("seed {seed} -{level}: {e}"));
            assert_eq!(
                first, second,
                "seed {seed} -{level}: 1 and 3 threads differ"
            );
            wasmparser::Validator::new()
                .validate_all(&first)
                .unwrap_or_else(|e| {
                    panic!("seed {seed} -{level}: wasmparser rejects the output: {e}")
                });
            if level == OptLevel::OZ {
                assert!(
                    first.len() <= in_size,
                    "seed {seed}: -Oz grew {in_size} → {}",
                    first.len()
                );
            }
            // Optimizing the output again is stable too.
            let m2 = wtool_binary::decode(&first).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            let mut again = m2.clone();
            PassManager::for_level(level, PassOptions::default())
                .run(&mut again)
                .unwrap_or_else(|e| panic!("seed {seed} -{level} (second round): {e}"));
        }
    }
    eprintln!("random modules: {tried} generated, {optimized} optimized at 5 levels");
    assert!(
        optimized >= 150,
        "only {optimized} of {tried} random modules reached the optimizer"
    );
}

/// Real compiler output with a name section (function, local and label
/// names): the same bytes from one thread and from several, at -O3 and
/// -Oz, names kept.
#[test]
fn fixtures_optimize_to_the_same_bytes_on_any_number_of_threads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures");
    for name in ["hello-O0.wasm", "kernels-O0.wasm", "bench/coremark.wasm"] {
        let bytes = std::fs::read(format!("{dir}/{name}")).unwrap();
        let m = wtool_binary::decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        for level in [OptLevel::O3, OptLevel::OZ] {
            let run = |threads: usize| {
                let mut out = m.clone();
                let opts = PassOptions {
                    threads,
                    keep_names: true,
                    ..PassOptions::default()
                };
                PassManager::for_level(level, opts)
                    .run(&mut out)
                    .unwrap_or_else(|e| panic!("{name} -{level}: {e}"));
                wtool_binary::encode(&out)
            };
            let one = run(1);
            assert!(one.len() < bytes.len(), "{name} -{level}: nothing removed");
            assert_eq!(one, run(4), "{name} -{level}: 1 and 4 threads differ");
        }
    }
}
