//! `cargo xtask fuzz TARGET [--seconds N] [--jobs J] [--keep-going]`: builds
//! and runs one cargo-fuzz target of `fuzz/` (or `all` of them, one after the
//! other) for N seconds. `--keep-going` is for long campaigns: libFuzzer's
//! fork mode, which records each crash, timeout or out-of-memory input in
//! `fuzz/artifacts/TARGET/` and goes on fuzzing instead of stopping.
//!
//! cargo-fuzz passes `-Zsanitizer` and friends to rustc, which only a nightly
//! toolchain accepts; `RUSTC_BOOTSTRAP=1` lets the stable toolchain take them,
//! so no second toolchain is needed. New inputs go to `fuzz/work/TARGET`
//! (not committed); the committed seeds in `fuzz/corpus/TARGET` are read
//! too. A crash leaves its input in `fuzz/artifacts/TARGET/` and fails the
//! task; turn it into a regression test in the crate it concerns.

use std::path::Path;
use std::process::Command;

/// Every target in `fuzz/Cargo.toml`.
pub const TARGETS: &[&str] = &[
    "decode",
    "validate",
    "text_parse",
    "print_roundtrip",
    "opt",
    "run",
    "wasi",
    "component",
    "wit",
];

/// Parses the arguments after `fuzz` and runs the target(s).
pub fn fuzz(root: &Path, args: &[String]) -> Result<(), String> {
    let mut target = None;
    let mut seconds = 60u64;
    let mut jobs = 1u32;
    let mut keep_going = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                seconds = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seconds takes a number")?;
            }
            "--jobs" => {
                jobs = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--jobs takes a number")?;
            }
            "--keep-going" => keep_going = true,
            t if !t.starts_with('-') && target.is_none() => target = Some(t.to_string()),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    let target = target.ok_or_else(|| {
        format!(
            "usage: cargo xtask fuzz TARGET|all [--seconds N] [--jobs J] [--keep-going]; targets: {}",
            TARGETS.join(", ")
        )
    })?;
    let targets: Vec<&str> = if target == "all" {
        TARGETS.to_vec()
    } else if let Some(t) = TARGETS.iter().find(|t| **t == target) {
        vec![*t]
    } else {
        return Err(format!(
            "unknown fuzz target `{target}`; targets: {}",
            TARGETS.join(", ")
        ));
    };
    let fuzz_dir = root.join("fuzz");
    if Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        return Err("cargo-fuzz is not installed: `cargo install cargo-fuzz`".into());
    }
    for t in targets {
        let work = fuzz_dir.join("work").join(t);
        std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
        let seeds = fuzz_dir.join("corpus").join(t);
        eprintln!("==> fuzz {t} for {seconds}s");
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&fuzz_dir)
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", "-O", "--debug-assertions", t])
            .arg(&work)
            .arg(&seeds)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-print_final_stats=1")
            // Generated modules run with fuel; a slow input is a finding,
            // but not one worth minutes.
            .arg("-timeout=20")
            .arg("-rss_limit_mb=2048");
        if keep_going {
            cmd.arg(format!("-fork={jobs}")).args([
                "-ignore_crashes=1",
                "-ignore_timeouts=1",
                "-ignore_ooms=1",
            ]);
        } else if jobs > 1 {
            cmd.arg(format!("-jobs={jobs}"))
                .arg(format!("-workers={jobs}"));
        }
        let status = cmd.status().map_err(|e| format!("cargo fuzz: {e}"))?;
        if !status.success() {
            return Err(format!(
                "fuzz target {t} failed (see fuzz/artifacts/{t}/ for the input)"
            ));
        }
    }
    Ok(())
}
