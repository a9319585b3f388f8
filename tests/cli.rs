//! CLI tests: the golden-file harness over `tests/cli/`, plus behaviours a
//! golden file cannot show (atomic `-o`, multi-call names).
//!
//! # Golden cases
//!
//! Every file under `tests/cli/` with a `RUN:` line is a case; so is every
//! file in a directory holding a `RUN` file (one line: the command for each
//! input in that directory, e.g. `wtool parse %s`). A `*.case` file holds
//! only RUN lines. The expected result sits beside the case as `NAME.out`
//! (`x.wat` → `x.wat.out`, `x.case` → `x.out`): for each RUN line, the command,
//! the exit code, stdout and stderr. `BLESS=1 cargo test --test cli`
//! (re)writes the `.out` files.
//!
//! In a RUN line, `%s` is the case file (relative to the repository root, the
//! working directory), `%S` its directory, `%t` a fresh scratch directory
//! for the case and `%R` the repository root as an absolute path; `< FILE`
//! feeds stdin; a first word `@cwd=DIR` runs the command in DIR instead of
//! the root. The program is `wtool` or one of its multi-call names
//! (`wasm2wat`, …), nothing else: no shell is involved.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const WTOOL: &str = env!("CARGO_BIN_EXE_wtool");
const ALIASES: &[&str] = &[
    "wat2wasm",
    "wasm2wat",
    "wasm-validate",
    "wasm-opt",
    "wasm-interp",
    "wasm-objdump",
    "wasm-strip",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch directory unique to this test process and `name`.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wtool-cli-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A directory with `wtool` installed under each multi-call name.
fn alias_dir(name: &str) -> PathBuf {
    let dir = scratch(name);
    for alias in ALIASES {
        let link = dir.join(alias);
        #[cfg(unix)]
        std::os::unix::fs::symlink(WTOOL, &link).unwrap();
        #[cfg(not(unix))]
        fs::copy(WTOOL, &link).unwrap();
    }
    dir
}

struct Case {
    path: PathBuf,
    runs: Vec<String>,
}

impl Case {
    fn expected_path(&self) -> PathBuf {
        if self.path.extension().is_some_and(|e| e == "case") {
            self.path.with_extension("out")
        } else {
            let mut p = self.path.clone().into_os_string();
            p.push(".out");
            PathBuf::from(p)
        }
    }
}

/// RUN lines of a file: the text after `RUN:` on any line.
fn run_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_once("RUN:"))
        .map(|(_, cmd)| cmd.trim().trim_end_matches(";)").trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

fn collect_cases(dir: &Path, out: &mut Vec<Case>, ignored: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let dir_runs = fs::read_to_string(dir.join("RUN"))
        .map(|t| run_lines_or_plain(&t))
        .ok();
    for path in entries {
        if path.is_dir() {
            collect_cases(&path, out, ignored);
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "RUN" || name.ends_with(".out") || name.starts_with('.') || name.ends_with(".md")
        {
            continue;
        }
        let own = fs::read(&path)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map(|t| run_lines(&t));
        let runs = match (own, &dir_runs) {
            (Some(r), _) if !r.is_empty() => r,
            (_, Some(d)) => d.clone(),
            _ => {
                ignored.push(path);
                continue;
            }
        };
        out.push(Case { path, runs });
    }
}

/// A directory `RUN` file may hold bare command lines or `RUN:` lines.
fn run_lines_or_plain(text: &str) -> Vec<String> {
    let r = run_lines(text);
    if !r.is_empty() {
        return r;
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// Splits a command line on whitespace, honouring '…' and "…" quoting.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Runs one RUN line and renders its result in the `.out` format.
fn run_one(case: &Case, line: &str, tmp: &Path, aliases: &Path) -> String {
    let rel = case.path.strip_prefix(root()).unwrap_or(&case.path);
    let rel_s = rel.to_string_lossy().replace('\\', "/");
    let dir_s = rel
        .parent()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let tmp_s = tmp.to_string_lossy().into_owned();
    let root_s = root().to_string_lossy().into_owned();
    let mut words = split_words(line).into_iter().map(|w| {
        w.replace("%s", &rel_s)
            .replace("%S", &dir_s)
            .replace("%t", &tmp_s)
            .replace("%R", &root_s)
    });
    let mut program = words.next().unwrap_or_default();
    let mut cwd = root();
    if let Some(dir) = program.strip_prefix("@cwd=") {
        cwd = PathBuf::from(dir);
        program = words.next().unwrap_or_default();
    }
    let exe = if program == "wtool" {
        PathBuf::from(WTOOL)
    } else if ALIASES.contains(&program.as_str()) {
        aliases.join(&program)
    } else {
        panic!(
            "{}: RUN line must start with wtool or a multi-call name: {line}",
            rel_s
        )
    };
    let mut args = Vec::new();
    let mut stdin_file = None;
    while let Some(w) = words.next() {
        if w == "<" {
            stdin_file = words.next();
        } else {
            args.push(w);
        }
    }
    let stdin = match &stdin_file {
        Some(f) => Stdio::from(
            fs::File::open(root().join(f))
                .unwrap_or_else(|e| panic!("{rel_s}: cannot open stdin file {f}: {e}")),
        ),
        None => Stdio::null(),
    };
    let output = Command::new(exe)
        .args(&args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .stdin(stdin)
        .output()
        .unwrap();
    let exe_s = fs::canonicalize(WTOOL)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| WTOOL.to_string());
    let norm = |bytes: &[u8]| -> String {
        // A module (`\0asm…`) is binary even when its bytes happen to be UTF-8.
        match std::str::from_utf8(bytes) {
            Ok(s) if !s.contains('\0') => mask_times(
                &s.replace(&tmp_s, "%t")
                    .replace(&exe_s, "<wtool>")
                    .replace(&root_s, "%R"),
            ),
            _ => hex_dump(bytes),
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "$ {line}");
    let code = output
        .status
        .code()
        .map_or("signal".to_string(), |c| c.to_string());
    let _ = writeln!(out, "exit: {code}");
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if !bytes.is_empty() {
            let text = norm(bytes);
            let _ = writeln!(out, "--- {name}");
            out.push_str(&text);
            if !text.ends_with('\n') {
                out.push_str("\n(no newline at end)\n");
            }
        }
    }
    out
}

/// Wall times (`12.345ms`, as `wtool opt --timings` prints them) differ from
/// run to run: each, with the spaces that right-align it, becomes ` <time>`.
fn mask_times(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        while let Some(i) = rest.find("ms") {
            let before = &rest[..i];
            let number = before
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
                .len();
            let is_time = before[number..].contains('.')
                && before[number..].starts_with(|c: char| c.is_ascii_digit())
                && !rest[i + 2..].starts_with(|c: char| c.is_alphanumeric());
            if is_time {
                // Keep the column width, so masked tables stay aligned.
                let spaces = before[..number].trim_end_matches(' ').len();
                let width = i + 2 - spaces;
                out.push_str(&before[..spaces]);
                out.push_str(&format!("{:>width$}", " <time>"));
            } else {
                out.push_str(before);
                out.push_str("ms");
            }
            rest = &rest[i + 2..];
        }
        out.push_str(rest);
    }
    out
}

/// Binary output, shown as 16 bytes of hex per line.
fn hex_dump(bytes: &[u8]) -> String {
    let mut s = format!("(binary, {} bytes)\n", bytes.len());
    for chunk in bytes.chunks(16) {
        let line: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        s.push_str(&line.join(" "));
        s.push('\n');
    }
    s
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(expected: &str, actual: &str) -> String {
    let (mut e, mut a) = (expected.lines(), actual.lines());
    for n in 1.. {
        match (e.next(), a.next()) {
            (None, None) => break,
            (x, y) if x == y => continue,
            (x, y) => {
                return format!(
                    "line {n}:\n  expected: {}\n  actual:   {}",
                    x.unwrap_or("<end>"),
                    y.unwrap_or("<end>")
                )
            }
        }
    }
    "(texts differ only in trailing newlines)".into()
}

#[test]
fn golden() {
    // BLESS=1 rewrites every case; any other value rewrites only the cases
    // whose path contains it (BLESS=parse-errors), leaving the others checked.
    let bless = std::env::var("BLESS")
        .ok()
        .filter(|v| !v.is_empty() && v != "0");
    let mut cases = Vec::new();
    let mut ignored = Vec::new();
    collect_cases(&root().join("tests/cli"), &mut cases, &mut ignored);
    assert!(!cases.is_empty(), "no golden cases found under tests/cli");
    let aliases = alias_dir("golden-aliases");
    let mut failures = Vec::new();
    let mut runs = 0;
    for (i, case) in cases.iter().enumerate() {
        let tmp = scratch(&format!("case{i}"));
        let mut actual = String::new();
        for (k, line) in case.runs.iter().enumerate() {
            if k > 0 {
                actual.push('\n');
            }
            actual.push_str(&run_one(case, line, &tmp, &aliases));
            runs += 1;
        }
        let _ = fs::remove_dir_all(&tmp);
        let expected_path = case.expected_path();
        if let Some(filter) = &bless {
            if filter == "1" || case.path.to_string_lossy().contains(filter.as_str()) {
                fs::write(&expected_path, &actual).unwrap();
                continue;
            }
        }
        match fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: output differs, {}",
                case.path.display(),
                first_difference(&expected, &actual)
            )),
            Err(_) => failures.push(format!(
                "{}: no expected output {} (run with BLESS=1 to create it)",
                case.path.display(),
                expected_path.display()
            )),
        }
    }
    let _ = fs::remove_dir_all(&aliases);
    println!(
        "cli golden: {} cases, {runs} command runs, {} failed",
        cases.len(),
        failures.len()
    );
    for p in &ignored {
        println!(
            "note: {} has no RUN line and no directory RUN file; not a case",
            p.display()
        );
    }
    assert!(
        failures.is_empty(),
        "{} golden case(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn harness_splits_words_and_reads_run_lines() {
    assert_eq!(
        split_words(r#"wtool dump 'a b' "c" d"#),
        ["wtool", "dump", "a b", "c", "d"]
    );
    assert_eq!(split_words("  x  ''  "), ["x", ""]);
    assert_eq!(
        run_lines(";; RUN: wtool parse %s\n(module)\n(; RUN: wtool dump %s ;)"),
        ["wtool parse %s", "wtool dump %s"]
    );
    assert_eq!(
        run_lines_or_plain("# comment\nwtool parse %s\n"),
        ["wtool parse %s"]
    );
    assert_eq!(
        mask_times("dce      0.084ms  yes\ntotal   12.5ms\nx 1.5ms\nsims 3 items\n"),
        "dce       <time>  yes\ntotal   <time>\nx <time>\nsims 3 items\n"
    );
}

/// The acceptance example of `wtool parse`: byte-identical to the `wat` crate.
#[test]
fn parse_matches_the_wat_crate() {
    let dir = scratch("parse-add");
    let out = dir.join("add.wasm");
    let r = wtool(&["parse", "fixtures/add.wat", "-o", out.to_str().unwrap()]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let ours = fs::read(&out).unwrap();
    let oracle = wat::parse_file(root().join("fixtures/add.wat")).unwrap();
    assert_eq!(ours, oracle);
    // Names too: a module full of `$id`s gives the `wat` crate's name section.
    let src = root().join("tests/cli/parse/names.wat");
    let r = wtool(&["parse", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0));
    assert_eq!(fs::read(&out).unwrap(), wat::parse_file(&src).unwrap());
    // And a component, with its component-name section.
    let src = root().join("tests/cli/component/hello.wat");
    let r = wtool(&["parse", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0));
    assert_eq!(fs::read(&out).unwrap(), wat::parse_file(&src).unwrap());
    fs::remove_dir_all(&dir).unwrap();
}

/// `wtool opt -Oz` output validates (wasmparser) and is never larger than its input.
#[test]
fn opt_output_is_valid_and_not_larger() {
    let dir = scratch("opt");
    for fixture in ["add.wasm", "kernels.wasm", "hello.wasm"] {
        let input = fs::read(root().join("fixtures").join(fixture)).unwrap();
        let out = dir.join(fixture);
        let r = wtool(&[
            "opt",
            "-Oz",
            &format!("fixtures/{fixture}"),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            r.status.code(),
            Some(0),
            "{fixture}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        let bytes = fs::read(&out).unwrap();
        assert!(bytes.len() <= input.len(), "{fixture} grew");
        wasmparser::Validator::new()
            .validate_all(&bytes)
            .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    }
    fs::remove_dir_all(&dir).unwrap();
}

fn wtool(args: &[&str]) -> std::process::Output {
    Command::new(WTOOL)
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A failing run leaves an existing output file exactly as it was, and a
/// successful one replaces it without leaving temporary files behind.
#[test]
fn output_is_atomic() {
    let dir = scratch("atomic");
    let out = dir.join("out.json");
    fs::write(&out, "precious").unwrap();
    let bad = dir.join("bad.wasm");
    fs::write(&bad, b"\0asm\x01\0\0\0\x01\x05\x01\x60").unwrap();
    let r = wtool(&["dump", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&out).unwrap(), "precious");

    let r = wtool(&["dump", "fixtures/add.wasm", "-o", out.to_str().unwrap()]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(r.stdout.is_empty(), "-o writes nothing to stdout");
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["exports"][0]["name"], "add");

    // Writing into a directory that does not exist fails cleanly, naming the path.
    let missing = dir.join("nope/out.json");
    let r = wtool(&["dump", "fixtures/add.wasm", "-o", missing.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).starts_with("error: cannot write"));

    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "only bad.wasm and out.json remain: {names:?}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Each multi-call name runs its subcommand: its help is the subcommand's,
/// under the alias's name, with the anchor's own flags under their heading.
#[test]
fn multicall_names_dispatch() {
    let dir = alias_dir("multicall-aliases");
    for (alias, sub, flag) in [
        ("wat2wasm", "parse", "--debug-names"),
        ("wasm2wat", "print", "--enable-threads"),
        ("wasm-validate", "validate", "--enable-all"),
        ("wasm-opt", "opt", "--strip-debug"),
        ("wasm-interp", "run", "--run-all-exports"),
        ("wasm-objdump", "objdump", "--details"),
        ("wasm-strip", "strip", "--keep"),
    ] {
        let r = Command::new(dir.join(alias))
            .arg("--help")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&r.stdout);
        let stderr = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(0), "{alias}: {stderr}");
        assert!(
            stdout.contains(&format!("Usage: {alias} ")),
            "{alias}: {stdout}"
        );
        assert!(
            stdout.contains(flag),
            "{alias} --help shows {flag}: {stdout}"
        );
        // The same options as `wtool SUB` (its own flags are all there).
        let own = String::from_utf8(wtool(&[sub, "--help"]).stdout).unwrap();
        for line in own.lines().filter(|l| l.trim_start().starts_with("--")) {
            let long = line.split_whitespace().next().unwrap();
            assert!(stdout.contains(long), "{alias} lacks {long}");
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn completions_cover_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = wtool(&["completions", shell]);
        assert_eq!(r.status.code(), Some(0), "{shell}");
        let s = String::from_utf8(r.stdout).unwrap();
        assert!(s.contains("dump") && s.contains("instructions"), "{shell}");
        // The alias names, with their tools' flags.
        for (alias, flag) in [
            ("wat2wasm", "debug-names"),
            ("wasm-opt", "strip-debug"),
            ("wasm-interp", "run-all-exports"),
            ("wasm-objdump", "disassemble"),
        ] {
            assert!(
                s.contains(alias) && s.contains(flag),
                "{shell}: {alias} {flag}"
            );
        }
        let one = wtool(&["completions", shell, "--name", "wasm-opt"]);
        let one = String::from_utf8(one.stdout).unwrap();
        assert!(
            one.contains("wasm-opt") && !one.contains("wat2wasm"),
            "{shell}"
        );
    }
    assert_eq!(
        wtool(&["completions", "bash", "--name", "nope"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(wtool(&["completions", "tcsh"]).status.code(), Some(2));
}

/// `wtool dump` reads stdin for `-` and gives the same JSON as for the path,
/// except `file_size`… which is the same too: the JSON is a function of the bytes.
#[test]
fn stdin_input_matches_path_input() {
    let from_path = wtool(&["dump", "fixtures/kernels.wasm"]).stdout;
    let r = Command::new(WTOOL)
        .args(["dump", "-"])
        .current_dir(root())
        .stdin(fs::File::open(root().join("fixtures/kernels.wasm")).unwrap())
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
    assert_eq!(r.stdout, from_path);
}

/// Binary output to a terminal is refused before any work (no progress bar
/// drawn first). Needs a pseudo-terminal: util-linux `script` provides one;
/// without it there is nothing to run this against.
#[test]
fn binary_output_to_a_terminal_is_refused() {
    if Command::new("script").arg("--version").output().is_err() {
        println!("note: `script` (util-linux) is not installed; no terminal to test with");
        return;
    }
    for cmd in ["opt fixtures/add.wasm", "parse fixtures/add.wat"] {
        let r = Command::new("script")
            .args(["-qec", &format!("{WTOOL} {cmd}"), "/dev/null"])
            .current_dir(root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&r.stdout);
        assert_eq!(r.status.code(), Some(2), "{cmd}: {out}");
        assert!(
            out.starts_with("error: refusing to write a binary module to a terminal"),
            "{cmd}: {out}"
        );
    }
    // Text output is fine on a terminal.
    let r = Command::new("script")
        .args([
            "-qec",
            &format!("{WTOOL} opt -t fixtures/add.wasm"),
            "/dev/null",
        ])
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&r.stdout).contains("(module"));
}
