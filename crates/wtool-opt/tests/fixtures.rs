//! The committed fixtures (C programs compiled with clang, the ≥1 MB
//! module): every level gives a valid module, `-Oz` never grows it; sizes
//! and times are printed (run with `--nocapture`).

use std::path::PathBuf;
use std::time::Instant;
use wtool_ast::Features;
use wtool_opt::{OptLevel, PassManager, PassOptions};

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "wasm"));
    v.sort();
    v
}

#[test]
fn fixtures_optimize_validly() {
    let files = fixtures();
    assert!(!files.is_empty(), "no fixtures found");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        // The threads and exceptions fixtures need their proposals.
        let m = wtool_binary::decode_with_features(&bytes, Features::ALL)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        wtool_validate::validate(&m, Features::ALL)
            .unwrap_or_else(|e| panic!("{name}: input invalid: {e}"));
        let mut line = format!("{name}: {} bytes", bytes.len());
        for level in [OptLevel::O2, OptLevel::O3, OptLevel::OZ] {
            let mut out = m.clone();
            let t = Instant::now();
            let mut pm = PassManager::for_level(level, PassOptions::default());
            // Per-pass validation of a 1.6 MB module is slow in test builds;
            // validate the result once instead.
            pm.validate_after_each(false);
            pm.run(&mut out)
                .unwrap_or_else(|e| panic!("{name} -{level}: {e}"));
            let elapsed = t.elapsed();
            wtool_validate::validate(&out, Features::ALL).unwrap_or_else(|e| {
                panic!("{name} -{level}: output invalid: {e} (func {:?})", e.func)
            });
            let size = wtool_binary::encode(&out).len();
            if level == OptLevel::OZ {
                assert!(
                    size <= wtool_binary::encode(&m).len(),
                    "{name}: -Oz grew the module"
                );
            }
            line.push_str(&format!(
                ", -{level} {size} ({:.0} ms)",
                elapsed.as_secs_f64() * 1000.0
            ));
        }
        eprintln!("{line}");
    }
}
