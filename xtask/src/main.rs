//! Developer tasks, run as `cargo xtask TASK` (alias in `.cargo/config.toml`).
//!
//! - `fixtures [--check]`: rebuild the clang-built fixtures from their C sources
//!   (`fixtures/c/`), regenerating `fixtures/c/big.c` with `fixtures/gen_big.py`
//!   first. Needs clang with the wasm32-wasi target and wasi-libc (Debian:
//!   `apt-get install clang lld wasi-libc libclang-rt-dev-wasm32`). With `--check`
//!   the fixtures are built into a scratch directory and compared with the
//!   committed ones instead (clang output is deterministic for a given version).
//! - `bench`: builds the release `wtool` and times its commands on the fixtures.
//!
//! The committed fixtures never need clang: tests only read them.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

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
    // -fwrapv: the generated code overflows signed integers on purpose.
    ("c/big.c", "big.wasm", &["-O2", "-fwrapv", "-w", "-lm"]),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("fixtures") => fixtures(args.iter().any(|a| a == "--check")),
        Some("bench") => bench(),
        _ => {
            eprintln!("usage: cargo xtask fixtures [--check] | cargo xtask bench");
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

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn run(cmd: &mut Command) -> Result<(), String> {
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
            .args(*flags)
            .args(LINK_FLAGS)
            .arg("-o")
            .arg(&out)
            .arg(&source))?;
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!("  {output}: {size} bytes");
        if check {
            let committed = std::fs::read(fixtures.join(output)).map_err(|e| e.to_string())?;
            let built = std::fs::read(&out).map_err(|e| e.to_string())?;
            if committed != built {
                mismatches.push(*output);
            }
        }
    }
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

/// Times release-build `wtool` commands on the fixtures (median of several runs).
fn bench() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(Command::new(&cargo)
        .current_dir(root())
        .args(["build", "--release", "-p", "wtool"]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let wtool = target.join("release").join("wtool");
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
