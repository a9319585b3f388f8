//! The syntax of WebAssembly 3.0 on the vendored testsuite snapshot
//! (`vendor/testsuite`: the 3.0 core suite with GC and exceptions, legacy
//! exceptions, threads, wide arithmetic, custom page sizes, custom
//! descriptors), every feature on. For every module of every script, as the
//! `wast` oracle reads it:
//!
//! - text and quote modules: our parse + encode gives the `wat` crate's bytes;
//! - binary modules: `encode(decode(b)) == b`;
//! - every module that decodes: printed flat and folded, our parser gives
//!   the same module back;
//! - every `assert_malformed` module is rejected by our parser or decoder.
//!
//! Each exception is listed below with its reason; the test fails on an
//! unlisted difference and on a listed one that no longer differs.

mod common;

use std::collections::BTreeMap;

use wtool_ast::{Features, Module};
use wtool_print::{print, PrintOptions};
use wtool_testsupport::{oracle_modules, snapshot_files, Expect, Form, OracleModule};

/// Differences, keyed `suite/file.wast:line`, with the reason.
const KNOWN: &[(&str, &str)] = &[
    ("testsuite/align.wast:949", NONCANONICAL),
    ("testsuite/annotations.wast:129", SOURCE_CUT),
    ("testsuite/annotations.wast:154", SOURCE_CUT),
    ("testsuite/annotations.wast:98", SOURCE_CUT),
    ("testsuite/binary-leb128.wast:1002", NONCANONICAL),
    ("testsuite/binary-leb128.wast:1010", NONCANONICAL),
    ("testsuite/binary-leb128.wast:1019", NONCANONICAL),
    ("testsuite/binary-leb128.wast:1030", NONCANONICAL),
    ("testsuite/binary-leb128.wast:1038", NONCANONICAL),
    ("testsuite/binary-leb128.wast:1047", NONCANONICAL),
    ("testsuite/binary-leb128.wast:1056", NONCANONICAL),
    ("testsuite/binary-leb128.wast:111", NONCANONICAL),
    ("testsuite/binary-leb128.wast:12", NONCANONICAL),
    ("testsuite/binary-leb128.wast:120", NONCANONICAL),
    ("testsuite/binary-leb128.wast:133", NONCANONICAL),
    ("testsuite/binary-leb128.wast:146", NONCANONICAL),
    ("testsuite/binary-leb128.wast:158", NONCANONICAL),
    ("testsuite/binary-leb128.wast:165", NONCANONICAL),
    ("testsuite/binary-leb128.wast:172", NONCANONICAL),
    ("testsuite/binary-leb128.wast:179", NONCANONICAL),
    ("testsuite/binary-leb128.wast:18", NONCANONICAL),
    ("testsuite/binary-leb128.wast:187", NONCANONICAL),
    ("testsuite/binary-leb128.wast:194", NONCANONICAL),
    ("testsuite/binary-leb128.wast:2", NONCANONICAL),
    ("testsuite/binary-leb128.wast:201", NONCANONICAL),
    ("testsuite/binary-leb128.wast:208", NONCANONICAL),
    ("testsuite/binary-leb128.wast:24", NONCANONICAL),
    ("testsuite/binary-leb128.wast:32", NONCANONICAL),
    ("testsuite/binary-leb128.wast:41", NONCANONICAL),
    ("testsuite/binary-leb128.wast:49", NONCANONICAL),
    ("testsuite/binary-leb128.wast:57", NONCANONICAL),
    ("testsuite/binary-leb128.wast:66", NONCANONICAL),
    ("testsuite/binary-leb128.wast:7", NONCANONICAL),
    ("testsuite/binary-leb128.wast:75", NONCANONICAL),
    ("testsuite/binary-leb128.wast:87", NONCANONICAL),
    ("testsuite/binary-leb128.wast:964", NONCANONICAL),
    ("testsuite/binary-leb128.wast:99", NONCANONICAL),
    ("testsuite/binary.wast:194", ZERO_LOCALS),
    ("testsuite/binary.wast:296", DATA_COUNT),
    ("testsuite/binary0.wast:2", NONCANONICAL),
    ("testsuite/binary0.wast:36", NONCANONICAL),
    ("testsuite/binary0.wast:8", NONCANONICAL),
    ("testsuite/comments.wast:57", SOURCE_CUT),
    ("testsuite/custom/branch_hint.wast:1", BRANCH_HINTS),
    ("testsuite/float_literals.wast:224", NONCANONICAL),
    ("testsuite/inline-module.wast:1", SOURCE_CUT),
    (
        "testsuite/proposals/custom-descriptors/binary.wast:194",
        ZERO_LOCALS,
    ),
    (
        "testsuite/proposals/custom-descriptors/binary.wast:296",
        DATA_COUNT,
    ),
    (
        "testsuite/proposals/custom-page-sizes/binary.wast:194",
        ZERO_LOCALS,
    ),
    (
        "testsuite/proposals/custom-page-sizes/binary.wast:296",
        DATA_COUNT,
    ),
    (
        "testsuite/proposals/threads/memory.wast:84",
        THREADS_MEMORY64,
    ),
    (
        "testsuite/proposals/threads/memory.wast:88",
        THREADS_MEMORY64,
    ),
    (
        "testsuite/proposals/threads/memory.wast:92",
        THREADS_MEMORY64,
    ),
    (
        "testsuite/proposals/wide-arithmetic/wide-arithmetic.wast:326",
        NONCANONICAL,
    ),
];

const NONCANONICAL: &str = "binary input with non-minimal encodings (padded LEB128 integers \
     and sizes, the test checks they are accepted): decoding keeps the module, encoding \
     writes the canonical form";
const SOURCE_CUT: &str = "the module text wtool-testsupport cuts out of the script is not the \
     module (an annotation or comment between `(` and `module`, or bare module fields)";
const ZERO_LOCALS: &str = "`(local)` groups of count zero: the text form drops empty groups, \
     as the wat crate does";
const DATA_COUNT: &str = "a data count section no instruction needs has no text form: the \
     parser emits one only for instructions that need it, as the wat crate does";
const THREADS_MEMORY64: &str = "the threads suite predates memory64: with memory64 on, a \
     32-bit limit of 2^32 is read as a u64 and refused by validation (memory size), not as \
     malformed";
const BRANCH_HINTS: &str = "`(@metadata.code.branch_hint …)` annotations are not turned into \
     the branch hint custom section (the binary section itself is kept)";

#[derive(Default)]
struct Counts {
    text_identical: usize,
    binary_identical: usize,
    printed_flat: usize,
    printed_folded: usize,
    malformed_rejected: usize,
    oracle_refused: usize,
}

fn parse(src: &[u8]) -> Result<Module, String> {
    wtool_text::parse_module_with(src, Features::ALL).map_err(|e| e.to_string())
}

fn decode(b: &[u8]) -> Result<Module, String> {
    wtool_binary::decode_with_features(b, Features::ALL).map_err(|e| e.to_string())
}

/// Our module for a script module, by its form.
fn ours(m: &OracleModule) -> Result<Module, String> {
    match m.form {
        // `(module definition …)` is a script form of `(module …)`.
        Form::Text => parse(
            m.source
                .replacen("(module definition", "(module", 1)
                .as_bytes(),
        ),
        Form::Quote => parse(m.quoted.as_deref().unwrap_or_default()),
        Form::Binary => decode(m.bytes.as_deref().map_err(|e| e.clone())?),
    }
}

/// Prints `module` flat and folded; our parser must give it back.
fn print_round_trip(module: &Module, c: &mut Counts) -> Result<(), String> {
    for fold in [false, true] {
        let text = print(
            module,
            &PrintOptions {
                fold,
                ..Default::default()
            },
        );
        match parse(text.as_bytes()) {
            Ok(back) if common::norm(back.clone()) == common::norm(module.clone()) => {
                if fold {
                    c.printed_folded += 1;
                } else {
                    c.printed_flat += 1;
                }
            }
            Ok(back) => {
                return Err(format!(
                    "fold={fold}: printed text parses to another module: {}\n{text}",
                    common::first_diff(&common::norm(back), &common::norm(module.clone()))
                ))
            }
            Err(e) => {
                return Err(format!(
                    "fold={fold}: printed text does not parse: {e}\n{text}"
                ))
            }
        }
    }
    Ok(())
}

/// The checks of a script the oracle cannot read, on our own parse of it:
/// malformed modules rejected, binary modules re-encoded exactly, every
/// module printed and parsed back.
fn own_script(
    file: &wtool_testsupport::SpecFile,
    c: &mut Counts,
    problems: &mut BTreeMap<String, String>,
) {
    use wtool_text::script::{parse_script_with, CommandKind, ModuleSource};
    let script = match parse_script_with(file.text.as_bytes(), Features::ALL) {
        Ok(s) => s,
        Err(e) => {
            problems.insert(file.path(), format!("script does not parse: {e}"));
            return;
        }
    };
    for cmd in script.commands {
        let key = format!("{}:{}", file.path(), cmd.line);
        let (module, malformed) = match cmd.kind {
            CommandKind::AssertMalformed { module, .. } => (module, true),
            CommandKind::Module { module, .. }
            | CommandKind::AssertInvalid { module, .. }
            | CommandKind::AssertUnlinkable { module, .. }
            | CommandKind::AssertUninstantiable { module, .. }
            | CommandKind::AssertModuleTrap { module, .. } => (module, false),
            _ => continue,
        };
        let (ours, binary) = match module.source {
            ModuleSource::Text(m) => (Ok(*m), None),
            ModuleSource::TextError(e) => (Err(e.to_string()), None),
            ModuleSource::Quote(q) => (parse(&q), None),
            ModuleSource::Binary(b) => (decode(&b), Some(b)),
        };
        let result = match (ours, malformed) {
            (Err(_), true) => {
                c.malformed_rejected += 1;
                Ok(())
            }
            (Ok(_), true) => Err("malformed but accepted".to_string()),
            (Err(e), false) => Err(format!("refused: {e}")),
            (Ok(m), false) => {
                let exact = binary
                    .as_ref()
                    .is_none_or(|b| *b == wtool_binary::encode(&m));
                if binary.is_some() && exact {
                    c.binary_identical += 1;
                }
                if exact {
                    print_round_trip(&m, c)
                } else {
                    Err("Binary: re-encoding differs".to_string())
                }
            }
        };
        if let Err(e) = result {
            problems.insert(key, e);
        }
    }
}

#[test]
fn snapshot_syntax_round_trips() {
    let mut c = Counts::default();
    let mut problems: BTreeMap<String, String> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for file in snapshot_files() {
        let mods = match oracle_modules(&file) {
            Ok(m) => m,
            Err(e) => {
                // No oracle bytes: our own script parser gives the modules,
                // and the round trips are checked without byte identity.
                unreadable.push(format!(
                    "{}: {}",
                    file.path(),
                    e.lines().next().unwrap_or("")
                ));
                own_script(&file, &mut c, &mut problems);
                continue;
            }
        };
        for m in mods {
            let key = format!("{}:{}", file.path(), m.line);
            let mut fail = |what: String| {
                problems.entry(key.clone()).or_insert(what);
            };
            if let Expect::Malformed(msg) = &m.expect {
                match ours(&m) {
                    Ok(_) => fail(format!("malformed ({msg}) but accepted")),
                    Err(_) => c.malformed_rejected += 1,
                }
                continue;
            }
            let module = match ours(&m) {
                Ok(x) => x,
                Err(e) => {
                    fail(format!("{:?} module refused: {e}", m.form));
                    continue;
                }
            };
            let bytes = wtool_binary::encode(&module);
            match (&m.bytes, m.form) {
                (Err(_), _) => c.oracle_refused += 1,
                (Ok(b), Form::Binary) if *b == bytes => c.binary_identical += 1,
                (Ok(b), Form::Text | Form::Quote) if *b == bytes => c.text_identical += 1,
                (Ok(_), Form::Binary) => {
                    // Listed as non-canonical input only if nothing but the
                    // encoding changed.
                    let again = decode(&bytes).map(common::norm);
                    if again == Ok(common::norm(module.clone())) {
                        fail("Binary: non-canonical encoding, re-encoded canonically".into());
                    } else {
                        fail("Binary: re-encoding changes the module".into());
                    }
                }
                (Ok(_), f) => fail(format!("{f:?}: encoding differs from the oracle's")),
            }
            if let Err(e) = print_round_trip(&module, &mut c) {
                fail(e);
            }
        }
    }
    println!(
        "snapshot: {} text/quote modules identical to wat, {} binary modules re-encode exactly, \
         {} printed flat and {} folded parse back to the same module, {} malformed rejected, \
         {} the oracle could not encode",
        c.text_identical,
        c.binary_identical,
        c.printed_flat,
        c.printed_folded,
        c.malformed_rejected,
        c.oracle_refused
    );
    for u in &unreadable {
        println!("  oracle cannot read {u}");
    }
    let mut report = Vec::new();
    for (k, why) in &problems {
        if !KNOWN.iter().any(|(x, _)| x == k) {
            report.push(format!("{k}: {why}"));
        }
    }
    for (k, _) in KNOWN {
        if !problems.contains_key(*k) {
            report.push(format!("{k}: listed but no longer differs"));
        }
    }
    // Every problem on one line; the full text of the first few.
    for r in &report {
        println!("---- {}", r.lines().next().unwrap_or(""));
    }
    // WTOOL_SNAPSHOT_SHOW=<substring> prints the full text of matching problems.
    let show = std::env::var("WTOOL_SNAPSHOT_SHOW").unwrap_or_default();
    for r in report
        .iter()
        .filter(|r| !show.is_empty() && r.contains(&show))
        .take(5)
    {
        println!("==== {r}");
    }
    assert!(report.is_empty(), "{} unexpected results", report.len());
}
