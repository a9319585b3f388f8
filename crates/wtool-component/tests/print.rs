//! The component printer against `wasmprinter` 0.263 (the oracle): every
//! component of the reference tests that decodes, and mutants of them that
//! both decoders accept, print byte for byte the same text.

use wasmparser::WasmFeatures;
use wtool_ast::Features;
use wtool_component::ast::{Component, Section};
use wtool_component::print::PrintOptions;
use wtool_testsupport::oracle::wasmparser_decodes;
use wtool_testsupport::Rng;

mod common;
use common::{mutate, seeds};

/// What wasm-tools' runner enables for these tests: its defaults and the
/// gated Component Model proposals the tests use.
const FEATURES: Features = wtool_testsupport::CM_REFERENCE_FEATURES;

/// What the printer knowingly prints differently (see the `print` module
/// docs): value sections, which wasmprinter cannot print, and custom
/// sections wasmprinter reads or prints in syntax of its own.
fn known_difference(c: &Component) -> Option<&'static str> {
    c.sections.iter().find_map(|s| match s {
        Section::Component(c) => known_difference(c),
        Section::Values(_) => Some("value section"),
        Section::Custom(c) if matches!(c.name.as_str(), "name" | "producers" | "dylink.0") => {
            Some("custom section wasmprinter interprets")
        }
        _ => None,
    })
}

/// The first line where two texts differ, with its neighbours.
fn first_difference(ours: &str, theirs: &str) -> String {
    let (a, b): (Vec<_>, Vec<_>) = (ours.lines().collect(), theirs.lines().collect());
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(2);
    format!(
        "line {}:\n  ours:   {:?}\n  theirs: {:?}",
        at + 1,
        &a[from..(at + 2).min(a.len())],
        &b[from..(at + 2).min(b.len())]
    )
}

/// Outcome counts of a comparison run.
#[derive(Default, Debug)]
struct Counts {
    identical: u32,
    oracle_failed: u32,
    known: u32,
    mismatches: Vec<String>,
}

impl Counts {
    fn compare(&mut self, bytes: &[u8], c: &Component) {
        let theirs = match wasmprinter::print_bytes(bytes) {
            Ok(t) => t,
            Err(_) => {
                self.oracle_failed += 1;
                return;
            }
        };
        if known_difference(c).is_some() {
            self.known += 1;
            return;
        }
        let ours = wtool_component::print::print(c);
        assert_eq!(
            streamed(c, &PrintOptions::default()),
            ours,
            "streamed print differs"
        );
        assert_eq!(
            lazy(bytes, &PrintOptions::default()),
            ours,
            "print from the input (bodies left there) differs"
        );
        if ours == theirs {
            self.identical += 1;
        } else {
            self.mismatches.push(format!(
                "{}\n  bytes: {bytes:02x?}",
                first_difference(&ours, &theirs)
            ));
        }
    }

    fn check(&self, what: &str, limit: usize) {
        eprintln!(
            "{what}: {} identical, {} skipped (wasmprinter fails), {} known differences, {} mismatches",
            self.identical,
            self.oracle_failed,
            self.known,
            self.mismatches.len()
        );
        // PRINT_DIFFS=1 shows every difference, not only the first five.
        let shown = if std::env::var_os("PRINT_DIFFS").is_some() {
            usize::MAX
        } else {
            5
        };
        for m in self.mismatches.iter().take(shown) {
            eprintln!("{m}");
        }
        // Ratchet for mutants: the remaining differences are all inside
        // nested core modules whose name section the mutation broke
        // (wasmprinter keeps the names before the break, wtool-binary none),
        // and quoted identifiers (escaped `\hh` by wtool-print, `\u{h}` by
        // wasmprinter).
        assert!(
            self.mismatches.len() <= limit,
            "{what}: {} printed texts differ",
            self.mismatches.len()
        );
    }
}

#[test]
fn reference_components_print_like_wasmprinter() {
    let mut counts = Counts::default();
    let mut undecoded = 0;
    for bytes in seeds() {
        match wtool_component::decode(&bytes, FEATURES) {
            Ok(c) => counts.compare(&bytes, &c),
            Err(_) => undecoded += 1,
        }
    }
    eprintln!("{undecoded} reference components do not decode");
    counts.check("reference components", 0);
    assert!(counts.identical > 600);
}

#[test]
fn mutants_print_like_wasmprinter() {
    let seeds = seeds();
    let mut rng = Rng::new(0x7072_696e);
    let all = WasmFeatures::all();
    let mut counts = Counts::default();
    let mut tried = 0u32;
    while counts.identical + counts.oracle_failed + counts.known < 5_000 && tried < 500_000 {
        tried += 1;
        let bytes = mutate(&seeds[rng.below(seeds.len())], &mut rng);
        let Ok(c) = wtool_component::decode(&bytes, FEATURES) else {
            continue;
        };
        if !wasmparser_decodes(&bytes, all) {
            continue;
        }
        counts.compare(&bytes, &c);
    }
    eprintln!("{tried} mutants tried");
    counts.check("mutants", 150);
    assert!(counts.identical >= 5_000 - counts.oracle_failed - counts.known);
}

/// wasm-smith's components use every kind of type and declaration, some
/// the reference tests do not (module types with every import kind,
/// nested instance and component types, GC core types).
#[test]
fn smith_components_print_like_wasmprinter() {
    let mut rng = Rng::new(0x736d_7072);
    let config = wasm_smith::Config {
        compact_imports_enabled: false,
        ..wasm_smith::Config::default()
    };
    let mut counts = Counts::default();
    let mut generated = 0u32;
    while generated < 2_000 {
        let len = 64 + rng.below(4096);
        let data = rng.bytes(len);
        let mut u = arbitrary::Unstructured::new(&data);
        let Ok(c) = wasm_smith::Component::new(config.clone(), &mut u) else {
            continue;
        };
        generated += 1;
        let bytes = c.to_bytes();
        if let Ok(c) = wtool_component::decode(&bytes, FEATURES) {
            counts.compare(&bytes, &c);
        }
    }
    counts.check("wasm-smith components", 0);
}

/// `--fold` reaches nested core modules: folded instructions as
/// wasmprinter's `fold_instructions` prints them.
#[test]
fn reference_components_print_folded_like_wasmprinter() {
    let opts = wtool_component::print::PrintOptions {
        fold: true,
        ..Default::default()
    };
    let (mut identical, mut differ) = (0u32, Vec::new());
    for bytes in seeds() {
        let Ok(c) = wtool_component::decode(&bytes, FEATURES) else {
            continue;
        };
        let mut theirs = String::new();
        let mut cfg = wasmprinter::Config::new();
        cfg.fold_instructions(true);
        if cfg
            .print(&bytes, &mut wasmprinter::PrintFmtWrite(&mut theirs))
            .is_err()
        {
            continue;
        }
        let ours = wtool_component::print::print_with(&c, &opts);
        if ours == theirs {
            identical += 1;
        } else {
            differ.push(first_difference(&ours, &theirs));
        }
    }
    eprintln!("folded: {identical} identical, {} differ", differ.len());
    for d in differ.iter().take(5) {
        eprintln!("{d}");
    }
    assert!(differ.is_empty(), "folded texts differ");
    assert!(identical > 600);
}

/// The text [`wtool_component::print::print_to_io`] streams.
fn streamed(c: &Component, opts: &PrintOptions) -> String {
    let mut out = Vec::new();
    wtool_component::print::print_to_io(c, opts, &mut out).expect("a Vec takes every write");
    String::from_utf8(out).expect("the printer writes UTF-8")
}

/// The text [`wtool_component::print::print_lazy_to_io`] streams for a
/// component decoded with its core bodies, data and custom sections left
/// in `bytes` (what `wtool print` does).
fn lazy(bytes: &[u8], opts: &PrintOptions) -> String {
    let (c, cores) = wtool_component::decode_for_print(bytes, FEATURES).expect("it decodes");
    let mut out = Vec::new();
    wtool_component::print::print_lazy_to_io(&c, bytes, &cores, FEATURES, opts, &mut out)
        .expect("it prints");
    String::from_utf8(out).expect("the printer writes UTF-8")
}

/// A core body that does not decode stops printing from the input with
/// the decoder's error at its offset in the component (the eager decoder
/// refuses the component there too).
#[test]
fn lazy_print_reports_a_bad_body() {
    let bytes = wat::parse_str("(component (core module (func (result i32) i32.const 7)))")
        .expect("the oracle parses it");
    // `i32.const` (0x41 0x07) becomes the reserved opcode 0xff.
    let at = bytes
        .windows(2)
        .position(|w| w == [0x41, 0x07])
        .expect("the body is there");
    let mut bad = bytes.clone();
    bad[at] = 0xff;
    let eager = wtool_component::decode(&bad, FEATURES).expect_err("a bad body is refused");
    let (c, cores) = wtool_component::decode_for_print(&bad, FEATURES).expect("bodies wait");
    let mut out = Vec::new();
    let err = wtool_component::print::print_lazy_to_io(
        &c,
        &bad,
        &cores,
        FEATURES,
        &PrintOptions::default(),
        &mut out,
    )
    .expect_err("the body does not decode");
    let wtool_component::print::PrintError::Decode(e) = err else {
        panic!("a decode error, not {err:?}");
    };
    assert_eq!(e.offset(), eager.offset());
    assert_eq!(e.offset(), at);
}

/// A nested module whose text is many streaming chunks long, with functions
/// spanning chunk boundaries: streamed and in-memory printing agree with
/// wasmprinter, flat and folded.
#[test]
fn streamed_big_nested_module() {
    let mut body = String::new();
    for i in 0..6_000 {
        body.push_str(&format!(
            "(block (drop (i32.add (local.get 0) (i32.const {i}))))\n"
        ));
    }
    let text = format!(
        "(component (core module (func (param i32) {body}) (func (param i32) {body}) (memory 1)))"
    );
    let bytes = wat::parse_str(&text).expect("the oracle parses the component");
    let c = wtool_component::decode(&bytes, FEATURES).expect("the component decodes");
    for fold in [false, true] {
        let opts = PrintOptions {
            fold,
            ..PrintOptions::default()
        };
        let mut theirs = String::new();
        let mut cfg = wasmprinter::Config::new();
        cfg.fold_instructions(fold);
        cfg.print(&bytes, &mut wasmprinter::PrintFmtWrite(&mut theirs))
            .expect("wasmprinter prints it");
        assert!(theirs.len() > 4 << 16, "the text spans several chunks");
        assert_eq!(wtool_component::print::print_with(&c, &opts), theirs);
        assert_eq!(streamed(&c, &opts), theirs);
        assert_eq!(lazy(&bytes, &opts), theirs);
    }
}
