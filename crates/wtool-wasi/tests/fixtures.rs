//! End to end: the C fixtures in `fixtures/wasi/` run with the `wasmi` oracle as
//! the engine and wtool-wasi as the WASI host, through the generic import table
//! and dispatcher exactly as the interpreter's glue will use them. Each run's
//! stdout, stderr and exit status must equal the committed expectations, and
//! the host files around the sandbox are checked afterwards. `BLESS=1`
//! rewrites the expectation files.

use std::path::{Path, PathBuf};

use wtool_wasi::{InputStream, OutputBuffer, OutputStream, Preopen, WasiCtx};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/wasi")
}

#[derive(Default, Debug)]
struct Spec {
    wasm: Option<String>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
    dir: bool,
    hostile: bool,
    expect_files: Vec<(String, String)>,
}

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
            "env" => {
                let (k, v) = rest.split_once('=').expect("env KEY=VALUE");
                s.env.push((k.to_string(), v.to_string()));
            }
            "stdin" => s.stdin = Some(rest.to_string()),
            "dir" => {
                assert_eq!(rest, "sandbox");
                s.dir = true;
            }
            "layout" => {
                assert_eq!(rest, "hostile");
                s.hostile = true;
            }
            "expect-file" => {
                let (p, c) = rest.split_once(' ').expect("expect-file PATH CONTENT");
                s.expect_files.push((p.to_string(), c.replace("\\n", "\n")));
            }
            other => panic!("unknown spec line {other:?}"),
        }
    }
    s
}

struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: String,
}

/// Runs a WASI command under wasmi with `ctx` as its WASI state.
fn run(wasm: &[u8], ctx: WasiCtx) -> String {
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, wasm).expect("module");
    let mut store = wasmi::Store::new(&engine, ctx);
    let linker = wtool_testsupport::wasmi_wasi::linker(&engine);
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .expect("instantiate");
    let start = instance
        .get_typed_func::<(), ()>(&store, "_start")
        .expect("_start");
    match start.call(&mut store, ()) {
        Ok(()) => "0".to_string(),
        Err(e) => match e.i32_exit_status() {
            Some(code) => (code as u32).to_string(),
            None => format!("trap: {e}"),
        },
    }
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read_dir")
        .flatten()
        .map(|e| {
            let p = e.path();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

fn run_fixture(name: &str) -> Outcome {
    let dir = fixtures_dir();
    let spec =
        parse_spec(&std::fs::read_to_string(dir.join(format!("{name}.spec"))).expect("spec"));
    let wasm_name = spec.wasm.clone().unwrap_or_else(|| format!("{name}.wasm"));
    let wasm = std::fs::read(dir.join(&wasm_name)).expect("wasm");
    let root = tempfile::tempdir().expect("tempdir");
    let sandbox = root.path().join("sandbox");
    let outside = root.path().join("outside");
    std::fs::create_dir(&sandbox).expect("mkdir");
    if spec.hostile {
        std::fs::create_dir(&outside).expect("mkdir");
        std::fs::write(outside.join("secret.txt"), b"top secret\n").expect("write");
        use std::os::unix::fs::symlink;
        symlink(outside.join("secret.txt"), sandbox.join("link_abs")).expect("symlink");
        symlink("../outside/secret.txt", sandbox.join("link_rel")).expect("symlink");
        symlink("../outside", sandbox.join("link_dir")).expect("symlink");
        symlink("/", sandbox.join("link_root")).expect("symlink");
    }
    let out = OutputBuffer::new();
    let err = OutputBuffer::new();
    let stdin = match &spec.stdin {
        Some(f) => InputStream::bytes(std::fs::read(dir.join(f)).expect("stdin file")),
        None => InputStream::Empty,
    };
    let mut b = WasiCtx::builder()
        .arg(&wasm_name)
        .args(&spec.args)
        .stdin(stdin)
        .stdout(OutputStream::Buffer(out.clone()))
        .stderr(OutputStream::Buffer(err.clone()));
    for (k, v) in &spec.env {
        b = b.env(k, v);
    }
    if spec.dir {
        b = b.preopen(Preopen::parse(&format!("{}::/sandbox", sandbox.display())));
    }
    let outside_before = spec.hostile.then(|| snapshot(&outside));
    let status = run(&wasm, b.build().expect("ctx"));
    // Nothing appeared next to the sandbox, nothing outside changed.
    let mut top: Vec<String> = snapshot(root.path()).into_iter().map(|(n, _)| n).collect();
    top.sort();
    let want: Vec<String> = if spec.hostile {
        vec!["outside".into(), "sandbox".into()]
    } else {
        vec!["sandbox".into()]
    };
    assert_eq!(top, want, "{name}: files appeared beside the sandbox");
    if let Some(before) = outside_before {
        assert_eq!(snapshot(&outside), before, "{name}: the outside changed");
        assert_eq!(
            std::fs::read(outside.join("secret.txt")).expect("secret"),
            b"top secret\n"
        );
    }
    for (p, content) in &spec.expect_files {
        let got = std::fs::read(sandbox.join(p)).unwrap_or_else(|e| panic!("{name}: {p}: {e}"));
        assert_eq!(String::from_utf8_lossy(&got), *content, "{name}: {p}");
    }
    Outcome {
        stdout: out.contents(),
        stderr: err.contents(),
        status,
    }
}

fn check(name: &str) {
    let o = run_fixture(name);
    let dir = fixtures_dir();
    let files = [
        (format!("{name}.stdout"), o.stdout.clone()),
        (format!("{name}.stderr"), o.stderr.clone()),
        (
            format!("{name}.status"),
            format!("{}\n", o.status).into_bytes(),
        ),
    ];
    if std::env::var_os("BLESS").is_some() {
        for (f, data) in &files {
            std::fs::write(dir.join(f), data).expect("bless");
        }
        return;
    }
    for (f, data) in &files {
        let want =
            std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e} (run with BLESS=1)"));
        assert_eq!(
            String::from_utf8_lossy(data),
            String::from_utf8_lossy(&want),
            "{f} differs"
        );
    }
}

#[test]
fn every_spec_has_a_test() {
    let mut specs: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".spec")
                .map(str::to_string)
        })
        .collect();
    specs.sort();
    assert_eq!(specs, FIXTURES);
}

const FIXTURES: &[&str] = &[
    "args_env",
    "clock_random",
    "exit_code",
    "exit_code_default",
    "files",
    "hash_bench",
    "hello_stdio",
    "hostile_memory",
    "hostile_paths",
    "hostile_swap",
    "stdin_echo",
];

#[test]
fn args_env() {
    check("args_env");
}

#[test]
fn clock_random() {
    check("clock_random");
}

#[test]
fn exit_code() {
    check("exit_code");
}

#[test]
fn exit_code_default() {
    check("exit_code_default");
}

#[test]
fn files() {
    check("files");
}

#[test]
fn hash_bench() {
    check("hash_bench");
}

#[test]
fn hello_stdio() {
    check("hello_stdio");
}

#[test]
fn hostile_memory() {
    check("hostile_memory");
}

#[test]
fn hostile_paths() {
    check("hostile_paths");
}

#[test]
fn hostile_swap() {
    check("hostile_swap");
}

#[test]
fn stdin_echo() {
    check("stdin_echo");
}
