//! Differential test on the spec testsuite: our parse + the wtool encoder
//! against the `wat` crate (through `wast`'s encoding in wtool-testsupport).

use std::collections::BTreeSet;

use wtool_testsupport::{oracle_modules, v2_files, Expect, Form};

/// Known differences: (suite/file, line of the module, reason). The test
/// fails if a listed case matches the oracle or an unlisted one differs.
const KNOWN_DIFFS: &[(&str, usize, &str)] = &[
    // The module text that wtool-testsupport cuts out of the script is not
    // the module: a comment between `(` and `module`, and a script that is
    // bare module fields (only the first field is cut out).
    ("wasm-v1/comments.wast", 52, SOURCE_CUT),
    ("wasm-v2/comments.wast", 57, SOURCE_CUT),
    ("wasm-v1/inline-module.wast", 1, SOURCE_CUT),
    ("wasm-v2/inline-module.wast", 1, SOURCE_CUT),
];

const SOURCE_CUT: &str = "wtool-testsupport's module source extraction";

fn first_diff(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

#[test]
fn spec_differential() {
    let mut identical = 0usize;
    let mut listed = 0usize;
    let mut malformed_rejected = 0usize;
    // How often our `spec_message` is the suite's phrase (reported, not required).
    let mut malformed_same_words = 0usize;
    let mut invalid_parsed = 0usize;
    let mut problems = Vec::new();
    let mut listed_hit = BTreeSet::new();
    let mut oracle_refused = Vec::new();
    for file in v2_files() {
        let mods = match oracle_modules(&file) {
            Ok(m) => m,
            Err(e) => {
                // No oracle bytes to compare with; `every_script_parses` still covers the file.
                oracle_refused.push(format!(
                    "{}: {}",
                    file.path(),
                    e.lines().next().unwrap_or("")
                ));
                continue;
            }
        };
        let path = file.path();
        for m in mods {
            let known = KNOWN_DIFFS
                .iter()
                .find(|(p, l, _)| *p == path && *l == m.line);
            match (m.form, &m.expect) {
                (Form::Quote, Expect::Malformed(msg)) => {
                    let q = m.quoted.as_deref().unwrap_or_default();
                    match wtool_text::parse_module(q) {
                        Err(e) => {
                            malformed_rejected += 1;
                            let ours = e.spec_message();
                            if msg.starts_with(ours) || ours.starts_with(msg.as_str()) {
                                malformed_same_words += 1;
                            }
                        }
                        Ok(_) => problems.push(format!(
                            "{path}:{}: malformed quote module accepted (expected `{msg}`)",
                            m.line
                        )),
                    }
                }
                (Form::Text, expect) => {
                    let ours = wtool_text::parse_module(m.source.as_bytes());
                    if let Expect::Invalid(_) = expect {
                        match &ours {
                            Ok(_) => invalid_parsed += 1,
                            Err(_) if known.is_some() => {}
                            Err(e) => problems.push(format!(
                                "{path}:{}: assert_invalid module does not parse: {e}",
                                m.line
                            )),
                        }
                    }
                    let Ok(oracle) = &m.bytes else { continue };
                    let result = match ours {
                        Ok(module) => {
                            let bytes = wtool_binary::encode(&module);
                            if &bytes == oracle {
                                Ok(())
                            } else {
                                let at = first_diff(&bytes, oracle);
                                Err(format!(
                                    "bytes differ at {at:#x} (ours {} bytes, oracle {})",
                                    bytes.len(),
                                    oracle.len()
                                ))
                            }
                        }
                        Err(e) => Err(format!("parse error: {e} at {}", e.offset())),
                    };
                    match (result, known) {
                        (Ok(()), None) => identical += 1,
                        (Ok(()), Some(_)) => problems
                            .push(format!("{path}:{}: listed difference now matches", m.line)),
                        (Err(_), Some(_)) => {
                            listed += 1;
                            listed_hit.insert((path.clone(), m.line));
                        }
                        (Err(why), None) => problems.push(format!("{path}:{}: {why}", m.line)),
                    }
                }
                _ => {}
            }
        }
    }
    for (p, l, _) in KNOWN_DIFFS {
        if !listed_hit.contains(&(p.to_string(), *l))
            && !problems.iter().any(|x| x.starts_with(&format!("{p}:{l}:")))
        {
            problems.push(format!("{p}:{l}: listed difference not found"));
        }
    }
    println!("files the oracle refuses: {oracle_refused:?}");
    println!(
        "identical: {identical}, listed differences: {listed}, malformed rejected: {malformed_rejected} ({malformed_same_words} with the suite's wording), invalid parsed: {invalid_parsed}"
    );
    if !problems.is_empty() {
        panic!("{} problems:\n{}", problems.len(), problems.join("\n"));
    }
}

#[test]
fn every_script_parses() {
    use wtool_text::script::{CommandKind, ModuleSource};
    let mut n = 0;
    let mut bad = Vec::new();
    for file in v2_files() {
        let path = file.path();
        match wtool_text::script::parse_script(file.text.as_bytes()) {
            Ok(s) => {
                n += s.commands.len();
                for c in &s.commands {
                    let m = match &c.kind {
                        CommandKind::AssertMalformed { .. } => continue,
                        CommandKind::Module { module, .. }
                        | CommandKind::AssertInvalid { module, .. }
                        | CommandKind::AssertUnlinkable { module, .. }
                        | CommandKind::AssertUninstantiable { module, .. }
                        | CommandKind::AssertModuleTrap { module, .. } => module,
                        _ => continue,
                    };
                    if let ModuleSource::TextError(e) = &m.source {
                        let line = wtool_text::line_col(file.text.as_bytes(), m.offset).0;
                        if !KNOWN_DIFFS.iter().any(|(p, l, _)| *p == path && *l == line) {
                            bad.push(format!("{path}:{line}: module does not parse: {e}"));
                        }
                    }
                }
            }
            Err(e) => {
                let (l, c) = e.line_col(file.text.as_bytes());
                bad.push(format!("{}:{l}:{c}: {e}", file.path()));
            }
        }
    }
    println!("commands parsed: {n}");
    assert!(
        bad.is_empty(),
        "{} scripts fail:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Differences only the printed-text test meets (same exactness rules).
const PRINTED_KNOWN: &[(&str, usize, &str)] = &[
    // The older simd proposal calls `offset=2^32` on a 32-bit memory invalid;
    // WebAssembly 2.0 (wasm-v2/address.wast) calls it malformed, as we do.
    (
        "proposals/simd/simd_address.wast",
        144,
        "offset=2^32 is malformed in 2.0",
    ),
    (
        "proposals/simd/simd_address.wast",
        152,
        "offset=2^32 is malformed in 2.0",
    ),
];

/// Every module the oracle encodes, printed back by `wasmprinter` (names,
/// `(@name …)`, quoted ids and all): our bytes must equal `wat`'s for that text.
#[test]
fn spec_modules_printed_by_oracle() {
    let mut identical = 0usize;
    let mut listed = 0usize;
    let mut problems = Vec::new();
    for file in v2_files() {
        let Ok(mods) = oracle_modules(&file) else {
            continue;
        };
        for m in mods {
            // Malformed modules the oracle still encodes are not text we must accept.
            if matches!(m.expect, Expect::Malformed(_)) {
                continue;
            }
            let Ok(bytes) = &m.bytes else { continue };
            let Ok(text) = wasmprinter::print_bytes(bytes) else {
                continue;
            };
            let Ok(theirs) = wat::parse_str(&text) else {
                continue;
            };
            let path = file.path();
            // Source-cutting differences do not apply: this text comes from the bytes.
            let known = KNOWN_DIFFS
                .iter()
                .filter(|(_, _, why)| *why != SOURCE_CUT)
                .chain(PRINTED_KNOWN)
                .any(|(p, l, _)| *p == path && *l == m.line);
            let result = match wtool_text::parse_module(text.as_bytes()) {
                Ok(module) if wtool_binary::encode(&module) == theirs => Ok(()),
                Ok(_) => Err("bytes differ".to_string()),
                Err(e) => Err(e.to_string()),
            };
            match (result, known) {
                (Ok(()), false) => identical += 1,
                (Err(_), true) => listed += 1,
                (Ok(()), true) => problems.push(format!("{path}:{}: listed but matches", m.line)),
                (Err(e), false) => problems.push(format!("{path}:{}: {e}", m.line)),
            }
        }
    }
    println!("printed spec modules identical: {identical}, listed differences: {listed}");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
