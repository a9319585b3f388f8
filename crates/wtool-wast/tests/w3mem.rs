//! WebAssembly 3.0 memory features end to end (issue 13): the snapshot's
//! memory64/table64 files (`*64.wast`), the multi-memory files (`*N.wast`,
//! `memory-multi`, `simd_memory-multi`), and the threads, custom-page-sizes
//! and wide-arithmetic proposal folders, each run as is and with every
//! module optimized at -O3 and at -Oz. Every scored directive must pass.

use wtool_ast::Features;
use wtool_testsupport::{snapshot_files, SpecFile};
use wtool_wast::{run_script, OptLevel, Report, RunOptions};

/// The files this test covers, with the features each runs with.
fn files() -> Vec<(SpecFile, Features)> {
    // The threads folder predates reference types and multi-memory: its
    // scripts expect "multiple tables" / "multiple memories" errors.
    let threads = Features::ALL
        .without(Features::MULTI_MEMORY)
        .without(Features::REFERENCE_TYPES);
    let mut out = Vec::new();
    for f in snapshot_files() {
        let stem = f.name.trim_end_matches(".wast");
        let chosen = match f.suite.as_str() {
            "testsuite" => {
                let memory64 = (stem.ends_with("64") || stem == "memory64-imports")
                    && !stem.starts_with("simd_")
                    && !matches!(stem, "f64" | "i64")
                    // Its last module needs GC (struct types): not covered here.
                    && stem != "table_init64";
                let multi_memory = stem.ends_with(|c: char| c.is_ascii_digit())
                    && !stem.ends_with("64")
                    && !stem.starts_with("simd_")
                    && !matches!(stem, "f32" | "i32" | "i31" | "binary-leb128")
                    || stem.ends_with("memory-multi");
                (memory64 || multi_memory).then_some(Features::ALL)
            }
            "testsuite/proposals/threads" => Some(threads),
            "testsuite/proposals/custom-page-sizes" | "testsuite/proposals/wide-arithmetic" => {
                Some(Features::ALL)
            }
            _ => None,
        };
        if let Some(features) = chosen {
            out.push((f, features));
        }
    }
    out
}

fn run(opt: Option<OptLevel>) -> Report {
    let files = files();
    assert!(files.len() >= 70, "only {} files found", files.len());
    let mut report = Report::default();
    for (f, features) in files {
        let opts = RunOptions {
            features,
            opt,
            ..RunOptions::default()
        };
        report.add(run_script(&f.path(), f.text.as_bytes(), &opts));
    }
    let label = opt.map_or("as is".to_string(), |l| format!("-{}", l.name()));
    println!(
        "w3mem files ({label}): {} ({} files)",
        report.summary(),
        report.files.len()
    );
    for f in &report.files {
        println!("  {}: {} passed, {} failed", f.file, f.passed, f.failed);
    }
    let mismatches: usize = report.files.iter().map(|f| f.message_mismatches).sum();
    println!("  {mismatches} rejections with another message than the script's");
    for f in &report.files {
        for d in f.directives.iter().filter(|d| {
            d.passed
                && d.kind.starts_with("assert_")
                && d.kind != "assert_unlinkable"
                && !d.got.is_empty()
        }) {
            let exp = d.expected.split_once(": ").map_or("", |x| x.1);
            let got = d.got.split_once(": ").map_or(d.got.as_str(), |x| x.1);
            if !(got.starts_with(exp) || exp.starts_with(got)) {
                println!(
                    "  mismatch {}:{}: expected {}, got {}",
                    f.file, d.line, d.expected, d.got
                );
            }
        }
    }
    for line in report.failure_lines().iter().take(50) {
        println!("  {line}");
    }
    report
}

#[test]
fn memory64_multi_memory_threads_page_sizes_wide_arithmetic_pass() {
    let r = run(None);
    assert_eq!(r.failed, 0, "{}", r.summary());
}

#[test]
fn the_same_files_pass_optimized_at_o3() {
    let r = run(Some(OptLevel::O3));
    assert_eq!(r.failed, 0, "{}", r.summary());
}

#[test]
fn the_same_files_pass_optimized_at_oz() {
    let r = run(Some(OptLevel::OZ));
    assert_eq!(r.failed, 0, "{}", r.summary());
}
