//! The spec testsuite round trip: every module the `wast` oracle encodes
//! decodes and re-encodes to the same bytes, and every binary module under
//! `assert_malformed` is rejected (with the suite's message, counted).
//!
//! Run with `--nocapture` to see the counts.

use std::collections::BTreeMap;

use wtool_ast::Features;
use wtool_binary::{decode, decode_with_features, encode};
use wtool_testsupport::{oracle_modules, v2_files, Expect, Form};

/// Modules whose bytes are not the canonical encoding, so re-encoding them
/// legitimately gives different (shorter or normalized) bytes. Key:
/// `suite/file:line`. The test fails if one of these starts to round-trip
/// or if any module not listed here fails to.
const NON_CANONICAL: &[(&str, &str)] = &[
    ("wasm-v1/binary-leb128.wast:2", LEB),
    ("wasm-v1/binary-leb128.wast:7", LEB),
    ("wasm-v1/binary-leb128.wast:12", LEB),
    ("wasm-v1/binary-leb128.wast:18", LEB),
    ("wasm-v1/binary-leb128.wast:24", LEB),
    ("wasm-v1/binary-leb128.wast:32", LEB),
    ("wasm-v1/binary-leb128.wast:40", LEB),
    ("wasm-v1/binary-leb128.wast:48", LEB),
    ("wasm-v1/binary-leb128.wast:56", LEB),
    ("wasm-v1/binary-leb128.wast:65", LEB),
    ("wasm-v1/binary-leb128.wast:74", LEB),
    ("wasm-v1/binary-leb128.wast:86", LEB),
    ("wasm-v1/binary-leb128.wast:98", LEB),
    ("wasm-v1/binary-leb128.wast:110", LEB),
    ("wasm-v1/binary-leb128.wast:119", LEB),
    ("wasm-v1/binary-leb128.wast:132", LEB),
    ("wasm-v1/binary-leb128.wast:145", LEB),
    ("wasm-v1/binary-leb128.wast:157", LEB),
    ("wasm-v1/binary-leb128.wast:164", LEB),
    ("wasm-v1/binary-leb128.wast:171", LEB),
    ("wasm-v1/binary-leb128.wast:178", LEB),
    ("wasm-v1/binary-leb128.wast:186", LEB),
    ("wasm-v1/binary-leb128.wast:193", LEB),
    ("wasm-v1/binary-leb128.wast:200", LEB),
    ("wasm-v1/binary-leb128.wast:207", LEB),
    ("wasm-v2/binary-leb128.wast:2", LEB),
    ("wasm-v2/binary-leb128.wast:7", LEB),
    ("wasm-v2/binary-leb128.wast:12", LEB),
    ("wasm-v2/binary-leb128.wast:18", LEB),
    ("wasm-v2/binary-leb128.wast:24", LEB),
    ("wasm-v2/binary-leb128.wast:32", LEB),
    ("wasm-v2/binary-leb128.wast:41", LEB),
    ("wasm-v2/binary-leb128.wast:49", LEB),
    ("wasm-v2/binary-leb128.wast:57", LEB),
    ("wasm-v2/binary-leb128.wast:66", LEB),
    ("wasm-v2/binary-leb128.wast:75", LEB),
    ("wasm-v2/binary-leb128.wast:87", LEB),
    ("wasm-v2/binary-leb128.wast:99", LEB),
    ("wasm-v2/binary-leb128.wast:111", LEB),
    ("wasm-v2/binary-leb128.wast:120", LEB),
    ("wasm-v2/binary-leb128.wast:133", LEB),
    ("wasm-v2/binary-leb128.wast:146", LEB),
    ("wasm-v2/binary-leb128.wast:158", LEB),
    ("wasm-v2/binary-leb128.wast:165", LEB),
    ("wasm-v2/binary-leb128.wast:172", LEB),
    ("wasm-v2/binary-leb128.wast:179", LEB),
    ("wasm-v2/binary-leb128.wast:187", LEB),
    ("wasm-v2/binary-leb128.wast:194", LEB),
    ("wasm-v2/binary-leb128.wast:201", LEB),
    ("wasm-v2/binary-leb128.wast:208", LEB),
    ("wasm-v2/binary-leb128.wast:969", LEB),
    ("wasm-v2/binary-leb128.wast:1007", LEB),
    ("wasm-v2/binary-leb128.wast:1015", LEB),
    ("wasm-v2/binary-leb128.wast:1024", LEB),
    ("wasm-v2/binary-leb128.wast:1035", LEB),
    ("wasm-v2/binary-leb128.wast:1043", LEB),
    ("wasm-v2/binary-leb128.wast:1052", LEB),
    ("wasm-v2/binary-leb128.wast:1061", LEB),
    ("proposals/reference-types/binary-leb128.wast:2", LEB),
    ("proposals/reference-types/binary-leb128.wast:7", LEB),
    ("proposals/reference-types/binary-leb128.wast:12", LEB),
    ("proposals/reference-types/binary-leb128.wast:18", LEB),
    ("proposals/reference-types/binary-leb128.wast:24", LEB),
    ("proposals/reference-types/binary-leb128.wast:32", LEB),
    ("proposals/reference-types/binary-leb128.wast:41", LEB),
    ("proposals/reference-types/binary-leb128.wast:49", LEB),
    ("proposals/reference-types/binary-leb128.wast:57", LEB),
    ("proposals/reference-types/binary-leb128.wast:66", LEB),
    ("proposals/reference-types/binary-leb128.wast:75", LEB),
    ("proposals/reference-types/binary-leb128.wast:87", LEB),
    ("proposals/reference-types/binary-leb128.wast:99", LEB),
    ("proposals/reference-types/binary-leb128.wast:111", LEB),
    ("proposals/reference-types/binary-leb128.wast:120", LEB),
    ("proposals/reference-types/binary-leb128.wast:133", LEB),
    ("proposals/reference-types/binary-leb128.wast:146", LEB),
    ("proposals/reference-types/binary-leb128.wast:158", LEB),
    ("proposals/reference-types/binary-leb128.wast:165", LEB),
    ("proposals/reference-types/binary-leb128.wast:172", LEB),
    ("proposals/reference-types/binary-leb128.wast:179", LEB),
    ("proposals/reference-types/binary-leb128.wast:187", LEB),
    ("proposals/reference-types/binary-leb128.wast:194", LEB),
    ("proposals/reference-types/binary-leb128.wast:201", LEB),
    ("proposals/reference-types/binary-leb128.wast:208", LEB),
    ("proposals/reference-types/binary.wast:48", LEB),
    ("proposals/reference-types/binary.wast:53", LEB),
    ("proposals/reference-types/binary.wast:60", LEB),
    ("proposals/reference-types/binary.wast:67", LEB),
    ("proposals/reference-types/binary.wast:74", LEB),
    ("proposals/reference-types/binary.wast:81", LEB),
    ("proposals/reference-types/binary.wast:89", LEB),
    ("proposals/reference-types/binary.wast:96", LEB),
    ("proposals/reference-types/binary.wast:103", LEB),
    ("proposals/reference-types/binary.wast:110", LEB),
    ("proposals/reference-types/binary.wast:137", LEB),
    ("proposals/reference-types/binary.wast:147", LEB),
    (
        "wasm-v1/float_literals.wast:192",
        "section and body sizes padded to 5-byte LEB128 (wat2wasm output)",
    ),
    (
        "wasm-v2/float_literals.wast:224",
        "section and body sizes padded to 5-byte LEB128 (wat2wasm output)",
    ),
];

const LEB: &str =
    "non-minimal LEB128 integers (the test checks that padded encodings are accepted)";

/// Well-formed modules that the AST cannot hold, so decoding rejects them
/// (none since the AST holds every instruction of the table, typed `select`
/// with any number of types and GC types included).
const DECODE_REJECTS_INVALID: &[(&str, &str)] = &[];

/// `assert_malformed` binaries of older suites that are well formed in
/// later versions (this test decodes with every feature on).
const MALFORMED_BUT_WELL_FORMED_IN_2_0: &[(&str, &str)] = &[
    (
        "proposals/multi-value/binary.wast:50",
        "call_indirect with reserved byte 1: since reference types (2.0) that byte is a table index \
         (the module is invalid, not malformed)",
    ),
    (
        "proposals/reference-types/binary.wast:1074",
        "opcode 0xd3 in an element expression: `ref.eq` since GC (3.0); the module is invalid \
         (not a constant expression), not malformed",
    ),
];

#[test]
fn spec_round_trip_and_malformed() {
    let mut round_tripped = 0usize;
    let mut by_form: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unexpected: Vec<String> = Vec::new();
    let mut noncanonical_seen: Vec<String> = Vec::new();
    let mut rejected_invalid_seen: Vec<String> = Vec::new();
    let mut malformed_total = 0usize;
    let mut malformed_rejected = 0usize;
    let mut malformed_msg_match = 0usize;
    let mut msg_mismatches: Vec<String> = Vec::new();
    let mut files = 0usize;
    let mut well_formed_seen: Vec<String> = Vec::new();
    // Suite → (rejected, message matches).
    let mut per_suite: BTreeMap<String, (usize, usize)> = BTreeMap::new();

    for file in v2_files() {
        let Ok(mods) = oracle_modules(&file) else {
            continue;
        };
        files += 1;
        for m in mods {
            let key = format!("{}:{}", file.path(), m.line);
            match (&m.expect, m.form) {
                (Expect::Malformed(msg), Form::Binary) => {
                    malformed_total += 1;
                    let Ok(bytes) = &m.bytes else {
                        unexpected.push(format!("{key}: oracle could not produce binary bytes"));
                        continue;
                    };
                    match decode(bytes) {
                        Ok(_)
                            if MALFORMED_BUT_WELL_FORMED_IN_2_0
                                .iter()
                                .any(|(k, _)| *k == key) =>
                        {
                            well_formed_seen.push(key.clone());
                        }
                        Ok(_) => unexpected.push(format!(
                            "{key}: malformed module decoded (expected {msg:?})"
                        )),
                        Err(e) => {
                            malformed_rejected += 1;
                            assert!(e.offset() <= bytes.len(), "{key}: offset past input");
                            let per = per_suite.entry(file.suite.clone()).or_default();
                            per.0 += 1;
                            if e.to_string().starts_with(msg.as_str()) {
                                malformed_msg_match += 1;
                                per.1 += 1;
                            } else {
                                msg_mismatches.push(format!(
                                    "{key}: expected {msg:?}, got {:?} at {:#x}",
                                    e.to_string(),
                                    e.offset()
                                ));
                            }
                        }
                    }
                }
                (Expect::Malformed(_), _) => {}
                _ => {
                    let Ok(bytes) = &m.bytes else { continue };
                    // Some files of the 2.0 folders use 3.0 encodings (e.g. the
                    // multi-memory SIMD tests), so well-formed modules decode with
                    // every encoding the AST can hold.
                    let module = match decode_with_features(bytes, Features::ALL) {
                        Ok(module) => module,
                        Err(e) => {
                            if DECODE_REJECTS_INVALID.iter().any(|(k, _)| *k == key) {
                                rejected_invalid_seen.push(key);
                            } else {
                                unexpected.push(format!(
                                    "{key}: decode failed: {e} at {:#x} ({:?})",
                                    e.offset(),
                                    m.expect
                                ));
                            }
                            continue;
                        }
                    };
                    let again = encode(&module);
                    if &again == bytes {
                        round_tripped += 1;
                        *by_form.entry(form_name(m.form)).or_default() += 1;
                    } else if NON_CANONICAL.iter().any(|(k, _)| *k == key) {
                        noncanonical_seen.push(key.clone());
                    } else {
                        let at = again
                            .iter()
                            .zip(bytes.iter())
                            .position(|(a, b)| a != b)
                            .unwrap_or(again.len().min(bytes.len()));
                        unexpected.push(format!(
                            "{key}: re-encoding differs at byte {at:#x} ({} vs {} bytes)",
                            again.len(),
                            bytes.len()
                        ));
                    }
                    // The re-encoded form is canonical: it must round-trip exactly.
                    if let Ok(m2) = decode_with_features(&again, Features::ALL) {
                        if encode(&m2) != again {
                            unexpected
                                .push(format!("{key}: canonical re-encoding is not a fixed point"));
                        }
                    } else {
                        unexpected.push(format!("{key}: re-encoded bytes do not decode"));
                    }
                }
            }
        }
    }

    for (k, why) in NON_CANONICAL {
        if !noncanonical_seen.iter().any(|s| s == k) {
            unexpected.push(format!(
                "{k}: listed as non-canonical ({why}) but round-trips (or is gone)"
            ));
        }
    }
    for (k, why) in DECODE_REJECTS_INVALID {
        if !rejected_invalid_seen.iter().any(|s| s == k) {
            unexpected.push(format!(
                "{k}: listed as rejected by decode ({why}) but decodes (or is gone)"
            ));
        }
    }

    for (k, why) in MALFORMED_BUT_WELL_FORMED_IN_2_0 {
        if !well_formed_seen.iter().any(|s| s == k) {
            unexpected.push(format!(
                "{k}: listed as well formed in 2.0 ({why}) but rejected (or gone)"
            ));
        }
    }

    println!("spec files read: {files}");
    println!("modules round-tripped byte for byte: {round_tripped} ({by_form:?})");
    println!("listed non-canonical inputs: {}", noncanonical_seen.len());
    println!(
        "listed invalid modules the AST cannot hold: {}",
        rejected_invalid_seen.len()
    );
    println!(
        "assert_malformed binary modules: {malformed_total}, rejected: {malformed_rejected}, \
         listed as well formed in 2.0: {}, message matches (prefix): {malformed_msg_match}",
        well_formed_seen.len()
    );
    for (suite, (rejected, matched)) in &per_suite {
        println!("  {suite}: {matched}/{rejected} messages match");
    }
    for m in &msg_mismatches {
        println!("  message mismatch: {m}");
    }
    for u in &unexpected {
        println!("UNEXPECTED: {u}");
    }
    assert!(
        round_tripped > 5000,
        "suspiciously few modules: {round_tripped}"
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected results (see output)",
        unexpected.len()
    );
}

fn form_name(f: Form) -> &'static str {
    match f {
        Form::Text => "text",
        Form::Binary => "binary",
        Form::Quote => "quote",
    }
}
