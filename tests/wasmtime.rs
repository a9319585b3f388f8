//! Comparison with wasmtime (`pip install wasmtime`, the embedding API;
//! `tests/wasmtime_run.py` runs a WASI program with it): programs whose
//! features wabt and wasmi cannot run, such as C++ exceptions. Like
//! `tests/anchors.rs`, a missing wasmtime skips with a note, or fails when
//! `WTOOL_REQUIRE_ANCHORS` is set (as `.ci/run` does).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const WTOOL: &str = env!("CARGO_BIN_EXE_wtool");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(exe: &str, args: &[&str]) -> Output {
    Command::new(exe)
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{exe}: {e}"))
}

/// The exit status and standard error, for failure messages.
fn status(o: &Output) -> String {
    format!(
        "{:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The C++ exception fixture prints under wtool what it prints under
/// wasmtime, and that is the committed expectation `tests/wasi.rs` checks.
/// wasmtime runs exnref only; the legacy build must print the same.
#[test]
fn cxx_exceptions_print_what_wasmtime_prints() {
    if !wtool_testsupport::wasmtime_available() {
        return;
    }
    let theirs = run(
        "python3",
        &["tests/wasmtime_run.py", "fixtures/cxx/throw-exnref.wasm"],
    );
    assert!(theirs.status.success(), "wasmtime: {}", status(&theirs));
    let committed = std::fs::read(root().join("fixtures/cxx/throw.stdout")).unwrap();
    assert_eq!(theirs.stdout, committed, "wasmtime against throw.stdout");
    for kind in ["exnref", "legacy"] {
        let file = format!("fixtures/cxx/throw-{kind}.wasm");
        let ours = run(WTOOL, &["run", &file]);
        assert_eq!(
            ours.status.code(),
            theirs.status.code(),
            "{kind}: {}",
            status(&ours)
        );
        assert_eq!(ours.stdout, theirs.stdout, "{kind}");
    }
}
