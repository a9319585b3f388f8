//! Error messages people read: every `.wat` input under
//! `tests/cli/parse-errors/` (also used by the CLI golden tests) fails with
//! exactly the message listed here.

use std::path::Path;

const CASES: &[(&str, &str)] = &[
    ("alignment", "4:15: alignment must be a power of two"),
    (
        "bad-escape",
        "3:25: malformed string: invalid string escape",
    ),
    ("constant-out-of-range", "3:16: constant out of range"),
    ("duplicate-func", "3:9: duplicate func $f"),
    ("expected-rparen", "3:28: expected `)`, found `i32.const`"),
    ("float-out-of-range", "3:16: constant out of range"),
    (
        "import-after-function",
        "3:4: import after function: imports must come first",
    ),
    (
        "inline-function-type",
        "3:9: inline function type does not match the referenced type",
    ),
    (
        "lane-index",
        "3:27: malformed lane index: must be below 256",
    ),
    ("malformed-utf8", "2:17: malformed UTF-8 encoding"),
    ("mismatching-label", "4:9: mismatching label"),
    ("missing-then", "4:12: expected `(then`, found `)`"),
    ("stray-end", "4:5: unexpected token `end`"),
    ("unclosed-comment", "2:3: unclosed block comment"),
    (
        "unclosed-paren",
        "5:1: unexpected end of input, unclosed `(` opened at 3:5",
    ),
    ("unclosed-string", "3:23: unclosed string literal"),
    ("unknown-field", "2:4: expected a module field, found `fun`"),
    ("unknown-func", "3:11: unknown func $missing"),
    ("unknown-label", "4:11: unknown label $inner"),
    ("unknown-local", "3:16: unknown local $b"),
    ("unknown-operator", "3:6: unknown operator `i32.ad`"),
];

#[test]
fn golden_parse_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/cli/parse-errors");
    let mut seen = 0;
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixture directory") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("wat") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let src = std::fs::read(&path).expect("read fixture");
        let got = match wtool_text::parse_module(&src) {
            Ok(_) => "parsed without error".to_string(),
            Err(e) => {
                let (l, c) = e.line_col(&src);
                format!("{l}:{c}: {e}")
            }
        };
        match CASES.iter().find(|(n, _)| *n == name) {
            Some((_, want)) => {
                seen += 1;
                if got != *want {
                    wrong.push(format!("{name}: got `{got}`, want `{want}`"));
                }
            }
            None => wrong.push(format!("{name}: not listed (message: `{got}`)")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(seen, CASES.len(), "some listed fixtures are missing");
}
