//! End to end through the real `wtool` binary: every WASI fixture in
//! `fixtures/wasi/` (exact stdout, stderr and exit status; the host files
//! around the sandbox checked afterwards), and the C fixtures optimized with
//! `wtool_opt` at -O3 and -Oz giving exactly the same results as the originals.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_dir() -> PathBuf {
    root().join("fixtures/wasi")
}

#[derive(Default, Debug)]
struct Spec {
    wasm: Option<String>,
    args: Vec<String>,
    env: Vec<String>,
    stdin: Option<String>,
    dir: bool,
    hostile: bool,
    expect_files: Vec<(String, String)>,
}

/// The `.spec` format of `fixtures/wasi/README.md`.
fn parse_spec(text: &str) -> Spec {
    let mut s = Spec::default();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (cmd, rest) = line.split_once(' ').unwrap_or((line, ""));
        match cmd {
            "wasm" => s.wasm = Some(rest.to_string()),
            "arg" => s.args.push(rest.to_string()),
            "env" => s.env.push(rest.to_string()),
            "stdin" => s.stdin = Some(rest.to_string()),
            "dir" => s.dir = true,
            "layout" => s.hostile = true,
            "expect-file" => {
                let (p, c) = rest.split_once(' ').expect("expect-file PATH CONTENT");
                s.expect_files.push((p.to_string(), c.replace("\\n", "\n")));
            }
            other => panic!("unknown spec line {other:?}"),
        }
    }
    s
}

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    stdout: String,
    stderr: String,
    status: String,
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read_dir")
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Runs fixture `name` with module file `wasm` (the fixture's own, or an
/// optimized copy with the same file name so argv[0] is unchanged).
fn run_fixture(name: &str, wasm: Option<&Path>) -> Outcome {
    let dir = fixtures_dir();
    let spec = parse_spec(&std::fs::read_to_string(dir.join(format!("{name}.spec"))).unwrap());
    let wasm_name = spec.wasm.clone().unwrap_or_else(|| format!("{name}.wasm"));
    let wasm_path = wasm.map_or_else(|| dir.join(&wasm_name), Path::to_path_buf);
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = tmp.path().join("sandbox");
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&sandbox).unwrap();
    if spec.hostile {
        use std::os::unix::fs::symlink;
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), b"top secret\n").unwrap();
        symlink(outside.join("secret.txt"), sandbox.join("link_abs")).unwrap();
        symlink("../outside/secret.txt", sandbox.join("link_rel")).unwrap();
        symlink("../outside", sandbox.join("link_dir")).unwrap();
        symlink("/", sandbox.join("link_root")).unwrap();
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wtool"));
    cmd.arg("run");
    if spec.dir {
        cmd.arg("--dir")
            .arg(format!("{}::/sandbox", sandbox.display()));
    }
    for e in &spec.env {
        cmd.arg("--env").arg(e);
    }
    cmd.arg(&wasm_path).arg("--").args(&spec.args);
    // Host variables must not reach the program even when set.
    cmd.env("HOME", "/home/leak").env("PATH", "/leak");
    cmd.stdin(match &spec.stdin {
        Some(f) => Stdio::from(std::fs::File::open(dir.join(f)).unwrap()),
        None => Stdio::null(),
    });
    let outside_before = spec.hostile.then(|| snapshot(&outside));
    let out = cmd.output().unwrap();
    let mut top: Vec<String> = snapshot(tmp.path()).into_iter().map(|(n, _)| n).collect();
    top.sort();
    let want: Vec<String> = if spec.hostile {
        vec!["outside".into(), "sandbox".into()]
    } else {
        vec!["sandbox".into()]
    };
    assert_eq!(top, want, "{name}: files appeared beside the sandbox");
    if let Some(before) = outside_before {
        assert_eq!(snapshot(&outside), before, "{name}: the outside changed");
    }
    for (p, content) in &spec.expect_files {
        let got = std::fs::read(sandbox.join(p)).unwrap_or_else(|e| panic!("{name}: {p}: {e}"));
        assert_eq!(String::from_utf8_lossy(&got), *content, "{name}: {p}");
    }
    Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out
            .status
            .code()
            .map_or_else(|| "signal".to_string(), |c| c.to_string()),
    }
}

fn specs() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".spec")
                .map(str::to_string)
        })
        .collect();
    v.sort();
    v
}

fn expected(name: &str) -> Outcome {
    let read = |ext: &str| {
        std::fs::read_to_string(fixtures_dir().join(format!("{name}.{ext}")))
            .unwrap_or_else(|e| panic!("{name}.{ext}: {e}"))
    };
    Outcome {
        stdout: read("stdout"),
        stderr: read("stderr"),
        status: read("status").trim().to_string(),
    }
}

#[test]
fn every_wasi_fixture_matches_its_expectations() {
    let names = specs();
    assert!(names.len() >= 11, "fixtures missing: {names:?}");
    for name in &names {
        assert_eq!(run_fixture(name, None), expected(name), "{name}");
    }
}

fn optimized(bytes: &[u8], level: wtool_opt::OptLevel) -> Vec<u8> {
    let mut m =
        wtool_binary::decode_with_features(bytes, wtool_ast::Features::ALL).expect("decode");
    let opts = wtool_opt::PassOptions {
        features: wtool_ast::Features::ALL,
        opt_level: level.opt,
        shrink_level: level.shrink,
        ..wtool_opt::PassOptions::default()
    };
    wtool_opt::optimize(&mut m, level, opts).expect("optimize");
    wtool_binary::encode(&m)
}

const LEVELS: [wtool_opt::OptLevel; 2] = [wtool_opt::OptLevel::O3, wtool_opt::OptLevel::OZ];

#[test]
fn optimized_wasi_fixtures_behave_the_same() {
    for name in specs() {
        let spec = parse_spec(
            &std::fs::read_to_string(fixtures_dir().join(format!("{name}.spec"))).unwrap(),
        );
        let wasm_name = spec.wasm.unwrap_or_else(|| format!("{name}.wasm"));
        let bytes = std::fs::read(fixtures_dir().join(&wasm_name)).unwrap();
        for level in LEVELS {
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().join(&wasm_name);
            std::fs::write(&path, optimized(&bytes, level)).unwrap();
            assert_eq!(
                run_fixture(&name, Some(&path)),
                expected(&name),
                "{name} at -{}",
                level.name()
            );
        }
    }
}

fn wtool(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_wtool"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn hello_runs_and_optimized_c_fixtures_agree() {
    let hello = wtool(&["run", "fixtures/hello.wasm"]);
    assert_eq!(hello.0, "hello from wasm\n");
    let calls: &[&[&str]] = &[
        &["fib", "20"],
        &["fac", "15"],
        &["gcd", "1071", "462"],
        &["sieve", "1000"],
        &["matmul", "0", "8"],
        &["crc32", "0", "256"],
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (file, invocations) in [("hello.wasm", &[][..]), ("kernels.wasm", calls)] {
        let bytes = std::fs::read(root().join("fixtures").join(file)).unwrap();
        let orig = root().join("fixtures").join(file);
        let orig = orig.to_str().unwrap();
        for level in LEVELS {
            let path = tmp.path().join(format!("{}-{file}", level.name()));
            std::fs::write(&path, optimized(&bytes, level)).unwrap();
            let opt = path.to_str().unwrap();
            if invocations.is_empty() {
                let a = wtool(&["run", orig]);
                let b = wtool(&["run", opt]);
                assert_eq!((a.0, a.2), (b.0, b.2), "{file} -{}", level.name());
            }
            for inv in invocations {
                // `wtool run --invoke NAME FILE ARGS…`: options go before FILE.
                let (name, call_args) = inv.split_first().expect("a function name");
                let mut a_args = vec!["run", "--invoke", name, orig];
                a_args.extend_from_slice(call_args);
                let mut b_args = vec!["run", "--invoke", name, opt];
                b_args.extend_from_slice(call_args);
                let a = wtool(&a_args);
                let b = wtool(&b_args);
                assert_eq!(a.2, Some(0), "{file} {inv:?}: {}", a.1);
                assert!(!a.0.is_empty());
                assert_eq!(a, b, "{file} {inv:?} at -{}", level.name());
            }
        }
    }
}

#[test]
fn read_only_preopen_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = tmp.path().join("sandbox");
    std::fs::create_dir(&sandbox).unwrap();
    std::fs::write(sandbox.join("keep.txt"), b"unchanged\n").unwrap();
    let before = snapshot(&sandbox);
    let out = Command::new(env!("CARGO_BIN_EXE_wtool"))
        .arg("run")
        .arg("--dir-ro")
        .arg(format!("{}::/sandbox", sandbox.display()))
        .arg(fixtures_dir().join("files.wasm"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    // files.wasm creates, writes and renames under /sandbox; every attempt must fail.
    assert_ne!(
        out.status.code(),
        Some(0),
        "writes to a read-only preopen succeeded"
    );
    assert_eq!(
        snapshot(&sandbox),
        before,
        "the read-only sandbox was modified"
    );
}

/// `fixtures/cxx`: a C++ program that throws and catches (its own types, a
/// `std::out_of_range` rethrown with `throw;`, destructors run on unwinding,
/// `catch (...)`), built with exnref and with legacy exceptions. Its
/// expected output is what wasmtime prints for the exnref build
/// (`tests/anchors.rs` checks that against wasmtime itself).
#[test]
fn cxx_exceptions_run_as_expected_plain_and_optimized() {
    let want = std::fs::read_to_string(root().join("fixtures/cxx/throw.stdout")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for kind in ["exnref", "legacy"] {
        let file = format!("fixtures/cxx/throw-{kind}.wasm");
        let (out, err, code) = wtool(&["run", &file]);
        assert_eq!(
            (out.as_str(), code),
            (want.as_str(), Some(0)),
            "{file}: {err}"
        );
        let bytes = std::fs::read(root().join(&file)).unwrap();
        for level in LEVELS {
            let path = tmp.path().join(format!("{kind}-{}.wasm", level.name()));
            std::fs::write(&path, optimized(&bytes, level)).unwrap();
            let (out, err, code) = wtool(&["run", path.to_str().unwrap()]);
            assert_eq!(
                (out.as_str(), code),
                (want.as_str(), Some(0)),
                "{file} at -{}: {err}",
                level.name()
            );
        }
    }
}
