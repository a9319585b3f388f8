//! The second table of `cargo xtask bench-opt`: `-O3` for speed. CoreMark,
//! sha256 and nbody (`fixtures/bench/`) are optimized by `wtool opt -O3` and
//! by `wasm-opt -O3`; the table shows both stripped sizes and optimization
//! times, then runs each output under `wtool run` and under the `wasmi` CLI
//! (when installed), minimum wall time of `--runs` interleaved runs, with
//! the ratio after wtool / after binaryen (the issue asks for at most 1.05),
//! and checks that all outputs print the same (for CoreMark: its CRC lines;
//! the rest of its report is timing).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench_opt::{stripped_size, timed, WASM_OPT_FEATURES};
use crate::root;

/// The programs and their arguments.
const PROGRAMS: &[(&str, &[&str])] = &[
    ("coremark", &["0x0", "0x0", "0x66", "1500"]),
    ("sha256", &[]),
    ("nbody", &[]),
];

/// The run time the issue allows after wtool, relative to after binaryen.
const TARGET_RATIO: f64 = 1.05;

/// Runs `cmd` once; its wall time and what it printed on stdout.
fn run_output(cmd: &mut Command) -> Result<(Duration, String), String> {
    let start = Instant::now();
    let o = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let elapsed = start.elapsed();
    if !o.status.success() {
        return Err(format!("{cmd:?} failed ({})", o.status));
    }
    Ok((elapsed, String::from_utf8_lossy(&o.stdout).into_owned()))
}

/// What must agree between the runs of one program.
fn checked_part(program: &str, out: &str) -> String {
    if program == "coremark" {
        out.lines()
            .filter(|l| l.contains("crc"))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        out.to_string()
    }
}

fn wasmi_installed() -> bool {
    Command::new("wasmi")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Prints the `-O3` table (binaryen is required: without it there is
/// nothing to compare against).
pub(crate) fn table(wtool: &Path, scratch: &Path, runs: usize) -> Result<(), String> {
    let wasmi = wasmi_installed();
    println!();
    println!("-O3: run time after each optimizer, minimum of {runs} interleaved runs");
    println!(
        "{:<9} {:>9} {:>9} {:>7} {:>7} {:>20} {:>20} {:>6}",
        "program",
        "wtool -O3",
        "binaryen",
        "wtool",
        "binaryen",
        "under wtool run",
        "under wasmi",
        "output"
    );
    let mut over = Vec::new();
    for &(name, args) in PROGRAMS {
        let input = root().join("fixtures/bench").join(format!("{name}.wasm"));
        let ours = scratch.join(format!("{name}.wtool.wasm"));
        let theirs = scratch.join(format!("{name}.binaryen.wasm"));
        let (mut ours_opt, mut theirs_opt) = (Duration::MAX, Duration::MAX);
        for _ in 0..runs {
            ours_opt = ours_opt.min(timed(
                Command::new(wtool)
                    .args(["opt", "-O3"])
                    .arg(&input)
                    .arg("-o")
                    .arg(&ours),
            )?);
            theirs_opt = theirs_opt.min(timed(
                Command::new("wasm-opt")
                    .arg("-O3")
                    .args(WASM_OPT_FEATURES)
                    .arg(&input)
                    .arg("-o")
                    .arg(&theirs),
            )?);
        }
        let stripped = scratch.join("stripped.wasm");
        let ours_size = stripped_size(wtool, &ours, &stripped)?;
        let theirs_size = stripped_size(wtool, &theirs, &stripped)?;
        // Runtimes: wtool's own interpreter, then wasmi.
        let mut cells = Vec::new();
        let mut outputs: Vec<String> = Vec::new();
        for rt in ["wtool", "wasmi"] {
            if rt == "wasmi" && !wasmi {
                cells.push("(no wasmi)".to_string());
                continue;
            }
            let mut best = [Duration::MAX; 2];
            for _ in 0..runs {
                for (k, module) in [&ours, &theirs].into_iter().enumerate() {
                    let mut cmd = if rt == "wtool" {
                        let mut c = Command::new(wtool);
                        c.arg("run");
                        c
                    } else {
                        Command::new("wasmi")
                    };
                    let (t, out) = run_output(cmd.arg(module).args(args))?;
                    best[k] = best[k].min(t);
                    outputs.push(checked_part(name, &out));
                }
            }
            let ratio = best[0].as_secs_f64() / best[1].as_secs_f64();
            if ratio > TARGET_RATIO {
                over.push(format!("{name} under {rt}"));
            }
            cells.push(format!(
                "{:.2}/{:.2}s={ratio:.2}",
                best[0].as_secs_f64(),
                best[1].as_secs_f64()
            ));
        }
        let same = outputs.windows(2).all(|w| w[0] == w[1]);
        println!(
            "{:<9} {:>9} {:>9} {:>6}ms {:>6}ms {:>20} {:>20} {:>6}",
            name,
            ours_size,
            theirs_size,
            ours_opt.as_millis(),
            theirs_opt.as_millis(),
            cells[0],
            cells[1],
            if same { "same" } else { "DIFFERS" }
        );
        if !same {
            over.push(format!("{name}: outputs differ"));
        }
    }
    println!(
        "(sizes in bytes, custom sections stripped; run cells: after wtool / after binaryen = ratio, \
         the issue allows up to {TARGET_RATIO})"
    );
    if !over.is_empty() {
        println!("outside the target: {}", over.join(", "));
    }
    Ok(())
}
