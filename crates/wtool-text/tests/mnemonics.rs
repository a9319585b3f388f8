//! Every instruction keyword in the vendored testsuite snapshot is a row of
//! the instruction table: each keyword token of every script is either a
//! mnemonic of `wtool_ast::MNEMONICS` or one of the text format's other
//! keywords listed here (types, module fields, script commands, …), so an
//! instruction the table lacks cannot hide.

use std::collections::{BTreeMap, BTreeSet};

use wtool_text::lexer::{lex, Kind};

/// Keywords of the text and script formats that are not instructions.
const FORMAT_WORDS: &[&str] = &[
    // Module fields and their parts.
    "module",
    "type",
    "func",
    "param",
    "result",
    "local",
    "global",
    "table",
    "memory",
    "elem",
    "data",
    "export",
    "import",
    "start",
    "tag",
    "rec",
    "sub",
    "final",
    "struct",
    "array",
    "field",
    "mut",
    "offset",
    "item",
    "declare",
    "then",
    "do",
    "shared",
    "pagesize",
    "exact",
    "describes",
    "descriptor",
    "definition",
    "instance",
    "binary",
    "quote",
    "catch_ref",
    "catch_all_ref",
    // Value, storage and heap types.
    "i32",
    "i64",
    "f32",
    "f64",
    "v128",
    "i8",
    "i16",
    "funcref",
    "externref",
    "anyref",
    "eqref",
    "i31ref",
    "structref",
    "arrayref",
    "nullref",
    "nullfuncref",
    "nullexternref",
    "exnref",
    "nullexnref",
    "ref",
    "null",
    "any",
    "eq",
    "i31",
    "none",
    "nofunc",
    "extern",
    "noextern",
    "exn",
    "noexn",
    // SIMD shapes of `v128.const` and patterns.
    "i8x16",
    "i16x8",
    "i32x4",
    "i64x2",
    "f32x4",
    "f64x2",
    // Float literals.
    "inf",
    "nan",
    // Script commands and result patterns.
    "register",
    "invoke",
    "get",
    "assert_return",
    "assert_trap",
    "assert_exhaustion",
    "assert_invalid",
    "assert_malformed",
    "assert_unlinkable",
    "assert_uninstantiable",
    "assert_exception",
    "assert_malformed_custom",
    "assert_invalid_custom",
    "either",
    "ref.struct",
    "ref.array",
    "ref.extern",
    "ref.host",
    "ref.exn",
    // Annotation contents in `custom/` (`(@custom "name" (after …))` and
    // branch hints).
    "before",
    "after",
    "first",
    "last",
    "code",
    "datacount",
    "metadata.code.branch_hint",
];

#[test]
fn every_testsuite_instruction_is_in_the_table() {
    let table: BTreeSet<&str> = wtool_ast::MNEMONICS.iter().copied().collect();
    let other: BTreeSet<&str> = FORMAT_WORDS.iter().copied().collect();
    let mut unknown: BTreeMap<String, String> = BTreeMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let files = wtool_testsupport::snapshot_files();
    assert!(files.len() >= 280, "{} files", files.len());
    for f in &files {
        let lexed = lex(f.text.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", f.path()));
        for t in &lexed.tokens {
            if t.kind != Kind::Keyword {
                continue;
            }
            let word = &f.text[t.start as usize..t.end as usize];
            if word.contains('=') || word.starts_with("nan:") {
                continue;
            }
            if table.contains(word) {
                seen.insert(word.to_string());
            } else if !other.contains(word) {
                unknown.entry(word.to_string()).or_insert_with(|| f.path());
            }
        }
    }
    println!(
        "{} files, {} distinct instruction mnemonics used, {} rows in the table",
        files.len(),
        seen.len(),
        table.len()
    );
    assert!(
        unknown.is_empty(),
        "keywords that are neither a table row nor a known format word: {unknown:#?}"
    );
    assert!(seen.len() > 500, "{}", seen.len());
}
