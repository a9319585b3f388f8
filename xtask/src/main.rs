//! Developer tasks, run as `cargo xtask TASK` (alias in `.cargo/config.toml`).
//!
//! - `fixtures [--check]`: rebuild the clang-built fixtures from their C sources
//!   (`fixtures/c/`), regenerating `fixtures/c/big.c` with `fixtures/gen_big.py`
//!   first. Needs clang with the wasm32-wasi target and wasi-libc (Debian:
//!   `apt-get install clang lld wasi-libc libclang-rt-dev-wasm32`). With `--check`
//!   the fixtures are built into a scratch directory and compared with the
//!   committed ones instead (clang output is deterministic for a given version).
//! - `bench`: builds the release `wtool` and times its commands on the fixtures.
//! - `bench-run [--runs N] [--only NAME]`: builds the release `wtool` and times
//!   whole `wtool run` processes against the `wasmi` 2.0 CLI (installed with
//!   `cargo install wasmi_cli --version 2.0.0` when missing) on real programs;
//!   see `bench_run.rs`.
//! - `bench-big [--runs N] [--only NAME] [--wasm-opt]`: time and peak RSS of
//!   `print`, `dump`, `validate` and `opt -O2` on big real modules from npm
//!   and PyPI next to `wasm-tools` and `wasm-opt`; see `bench_big.rs`.
//! - `bench-opt [--runs N] [--only NAME]`: builds the release `wtool` and
//!   compares `wtool opt -Oz` with binaryen's `wasm-opt -Oz` (when installed:
//!   `apt-get install binaryen`) on the fixtures, CoreMark and real modules
//!   from npm and PyPI: stripped sizes, times, and the share of wasm-opt's
//!   size reduction that wtool achieves; then `-O3`: the run time of CoreMark,
//!   sha256 and nbody after each optimizer under `wtool run` and `wasmi`
//!   (`--only O3` for that table alone); see `bench_opt.rs`.
//! - `fuzz TARGET|all [--seconds N] [--jobs J]`: a cargo-fuzz campaign on
//!   `fuzz/` (see `fuzz.rs` and `fuzz/README.md`).
//!
//! - `gen [--check]`: generate code from the instruction table (see `gen/mod.rs`).
//!
//! The committed fixtures never need clang: tests only read them.

mod fuzz;
mod gen;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

mod bench_big;
mod bench_opt;
mod bench_opt_o3;
mod bench_run;
mod fetch;

/// Number of generated functions in `big.c` (about 1.5 MB of wasm at -O2).
const BIG_FUNCTIONS: &str = "4000";

/// Linker flags for every fixture: no debug sections, and minimal LEB128s.
/// wasm-ld otherwise pads relocated indices (calls, globals) to 5 bytes, and
/// a padded module cannot re-encode to identical bytes; the fixtures are the
/// modules the round-trip tests hold to byte identity.
const LINK_FLAGS: &[&str] = &["-Wl,--strip-debug", "-Wl,--compress-relocations"];

/// Each clang-built fixture: C source, output, clang flags beyond the target.
const C_FIXTURES: &[(&str, &str, &[&str])] = &[
    (
        "c/kernels.c",
        "kernels.wasm",
        &["-O2", "-mexec-model=reactor"],
    ),
    ("c/hello.c", "hello.wasm", &["-O2"]),
    // Auto-vectorised: real SIMD code for the interpreter, optimizer and
    // mutation tests.
    (
        "c/kernels.c",
        "kernels-simd.wasm",
        &["-O3", "-msimd128", "-mexec-model=reactor"],
    ),
    // -fwrapv: the generated code overflows signed integers on purpose.
    ("c/big.c", "big.wasm", &["-O2", "-fwrapv", "-w", "-lm"]),
    // -O0 builds: what the optimizer benchmark (`bench-opt`) shrinks. big-O0
    // is left out while it would exceed MAX_O0_SIZE (see below).
    (
        "c/kernels.c",
        "kernels-O0.wasm",
        &["-O0", "-mexec-model=reactor"],
    ),
    ("c/hello.c", "hello-O0.wasm", &["-O0"]),
    ("c/big.c", "big-O0.wasm", &["-O0", "-fwrapv", "-w", "-lm"]),
    // Threads: atomics on an imported shared memory, no libc.
    (
        "c/atomics.c",
        "atomics.wasm",
        &[
            "-O2",
            "-nostdlib",
            "-matomics",
            "-mbulk-memory",
            "-msimd128",
            "-Wl,--no-entry",
            "-Wl,--shared-memory",
            "-Wl,--import-memory",
            "-Wl,--max-memory=131072",
        ],
    ),
];

/// -O0 fixtures larger than this are not committed (the repository stays small).
const MAX_O0_SIZE: u64 = 4 << 20;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("fixtures") => fixtures(args.iter().any(|a| a == "--check")),
        Some("bench") => bench(),
        Some("bench-opt") => bench_opt::main(&args[1..]),
        Some("gen") => gen::run(&root(), args.iter().any(|a| a == "--check")),
        Some("fuzz") => fuzz::fuzz(&root(), &args[1..]),
        Some("bench-run") => bench_run::main(&args[1..]),
        Some("bench-big") => bench_big::main(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask fixtures [--check] | gen [--check] | bench | bench-opt [--runs N] [--only NAME] \
                 | bench-run [--runs N] [--only NAME] \
                 | bench-big [--runs N] [--only NAME] [--wasm-opt] | fuzz TARGET [--seconds N]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

fn have_clang() -> bool {
    Command::new("clang")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn fixtures(check: bool) -> Result<(), String> {
    let fixtures = root().join("fixtures");
    if !have_clang() {
        return Err(
            "clang is not installed; the committed fixtures are usable as they are. \
             To rebuild them install clang with the wasm32-wasi target \
             (Debian: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32)"
                .into(),
        );
    }
    let out_dir = if check {
        let d = std::env::temp_dir().join(format!("wtool-fixtures-{}", std::process::id()));
        std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
        d
    } else {
        fixtures.clone()
    };

    // Regenerate big.c (in place, or in the scratch directory for --check).
    let big_c = if check {
        out_dir.join("big.c")
    } else {
        fixtures.join("c/big.c")
    };
    let generated = Command::new("python3")
        .arg(fixtures.join("gen_big.py"))
        .arg(BIG_FUNCTIONS)
        .output()
        .map_err(|e| format!("cannot run python3 fixtures/gen_big.py: {e}"))?;
    if !generated.status.success() {
        return Err(format!(
            "gen_big.py failed: {}",
            String::from_utf8_lossy(&generated.stderr)
        ));
    }
    std::fs::write(&big_c, &generated.stdout).map_err(|e| e.to_string())?;

    let no_wasm_opt = wasm_opt_stub()?;
    let mut mismatches = Vec::new();
    for (source, output, flags) in C_FIXTURES {
        let source = if *source == "c/big.c" {
            big_c.clone()
        } else {
            fixtures.join(source)
        };
        let out = out_dir.join(output);
        println!("clang {} -> {}", source.display(), out.display());
        run(Command::new("clang")
            .arg("--target=wasm32-wasi")
            .arg(format!("-B{}", no_wasm_opt.display()))
            .args(*flags)
            .args(LINK_FLAGS)
            .arg("-o")
            .arg(&out)
            .arg(&source))?;
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!("  {output}: {size} bytes");
        if output.contains("-O0") && size > MAX_O0_SIZE {
            println!("  {output}: over {MAX_O0_SIZE} bytes, not kept");
            let _ = std::fs::remove_file(&out);
            continue;
        }
        if check {
            let committed = std::fs::read(fixtures.join(output)).map_err(|e| e.to_string())?;
            let built = std::fs::read(&out).map_err(|e| e.to_string())?;
            if committed != built {
                mismatches.push(*output);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&no_wasm_opt);
    if check {
        let _ = std::fs::remove_dir_all(&out_dir);
        if !mismatches.is_empty() {
            return Err(format!(
                "rebuilt fixtures differ from the committed ones: {} (another clang version?)",
                mismatches.join(", ")
            ));
        }
        println!("all clang-built fixtures reproduce byte for byte");
    } else {
        println!("add.wasm comes from add.wat: BLESS=1 cargo test -p wtool --test fixtures");
    }
    Ok(())
}

/// A directory holding a `wasm-opt` that does nothing, passed to clang with
/// `-B`: clang's wasm driver runs binaryen's `wasm-opt` on `-O1`+ output
/// whenever it finds one, so without this the fixtures would depend on
/// whether binaryen is installed (and which version).
fn wasm_opt_stub() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("wtool-no-wasm-opt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let stub = dir.join("wasm-opt");
    std::fs::write(&stub, "#!/bin/sh\nexit 0\n").map_err(|e| e.to_string())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
    }
    Ok(dir)
}

/// Builds the release `wtool` binary (only that package) and returns its path.
pub(crate) fn release_wtool() -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(Command::new(&cargo)
        .current_dir(root())
        .args(["build", "--release", "-p", "wtool"]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    Ok(target.join("release").join("wtool"))
}

/// Times release-build `wtool` commands on the fixtures (median of several runs).
fn bench() -> Result<(), String> {
    let wtool = release_wtool()?;
    let help = Command::new(&wtool)
        .arg("--help")
        .output()
        .map_err(|e| e.to_string())?;
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let has = |sub: &str| {
        help.lines()
            .any(|l| l.trim_start().starts_with(&format!("{sub} ")))
    };

    let mut commands: Vec<Vec<&str>> = vec![vec!["dump"], vec!["dump", "--instructions"]];
    if has("validate") {
        commands.push(vec!["validate"]);
    }
    if has("print") {
        commands.push(vec!["print"]);
    }
    println!(
        "{:<28} {:<14} {:>10} {:>12}",
        "command", "fixture", "size", "median"
    );
    for fixture in ["kernels.wasm", "hello.wasm", "big.wasm"] {
        let path = root().join("fixtures").join(fixture);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        for cmd in &commands {
            let mut times = Vec::new();
            for _ in 0..5 {
                let start = Instant::now();
                let out = Command::new(&wtool)
                    .args(cmd)
                    .arg(&path)
                    .output()
                    .map_err(|e| e.to_string())?;
                if !out.status.success() {
                    return Err(format!(
                        "wtool {} {fixture} failed: {}",
                        cmd.join(" "),
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
                times.push(start.elapsed());
            }
            times.sort();
            let median: Duration = times[times.len() / 2];
            println!(
                "{:<28} {:<14} {:>10} {:>10.1}ms",
                format!("wtool {}", cmd.join(" ")),
                fixture,
                size,
                median.as_secs_f64() * 1e3
            );
        }
    }
    Ok(())
}
