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

/// `component new --adapt` with the WASI preview 1 command adapter turns
/// preview 1 programs into preview 2 components that run under wasmtime:
/// arguments, environment and output cross the adapter as the committed
/// expectations of the preview 1 runs say. Preview 2's `exit` only tells
/// success from failure, so a failing status stays a failure.
#[test]
fn adapted_preview1_programs_run_under_wasmtime() {
    if !wtool_testsupport::wasmtime_available() {
        return;
    }
    let dir = tempfile_dir("adapt");
    for name in ["args_env", "exit_code", "exit_code_default"] {
        let spec = std::fs::read_to_string(root().join(format!("fixtures/wasi/{name}.spec")))
            .expect("the spec reads");
        let mut wasm = format!("fixtures/wasi/{name}.wasm");
        let (mut args, mut env): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        for line in spec
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "arg" => args.push(value.to_string()),
                "env" => env.extend(["--env".to_string(), value.to_string()]),
                "wasm" => wasm = format!("fixtures/wasi/{value}"),
                other => panic!("{name}: spec line {other} is not used here"),
            }
        }
        let component = dir.join(format!("{name}.wasm"));
        let component = component.to_str().expect("a UTF-8 path");
        let made = run(
            WTOOL,
            &[
                "component",
                "new",
                &wasm,
                "--adapt",
                "fixtures/component/wasi_snapshot_preview1.command.wasm",
                "-o",
                component,
            ],
        );
        assert!(made.status.success(), "{name}: {}", status(&made));
        let mut cmd: Vec<&str> = vec!["tests/wasmtime_component.py", component];
        cmd.extend(env.iter().map(String::as_str));
        cmd.push("--");
        cmd.extend(args.iter().map(String::as_str));
        let ran = run("python3", &cmd);
        let stdout = std::fs::read(root().join(format!("fixtures/wasi/{name}.stdout"))).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ran.stdout),
            String::from_utf8_lossy(&stdout),
            "{name}: {}",
            status(&ran)
        );
        let want =
            std::fs::read_to_string(root().join(format!("fixtures/wasi/{name}.status"))).unwrap();
        let want_ok = want.trim() == "0";
        assert_eq!(ran.status.success(), want_ok, "{name}: {}", status(&ran));
    }
}

/// A fresh directory under the target directory for one test's files.
fn tempfile_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temp directory is made");
    dir
}
