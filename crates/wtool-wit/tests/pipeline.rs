//! The whole WIT pipeline against the oracles' whole pipeline: WIT text
//! parsed and printed by wtool equals wit-parser + wit-component's printer
//! (what `wasm-tools component wit` shows), and encoded by wtool equals
//! `wit_component::encode` (what `--wasm` writes), on wit-parser's UI inputs
//! and on wit-smith documents.

#[path = "common/check.rs"]
mod check;
#[path = "common/inputs.rs"]
mod inputs;
#[path = "common/producers.rs"]
mod producers;

use producers::normalize;

use wtool_wit::model::{PackageId, Resolve};
use wtool_wit::{parse_path, parse_source, ParseOptions};

/// The oracle's text: main, then every other package nested, in arena order.
fn oracle_text(r: &wit_parser::Resolve, main: wit_parser::PackageId) -> String {
    check::oracle_print(r, main, true).expect("the oracle prints what it parsed")
}

/// What `--wasm` writes for the package (compared with its producers
/// section normalized: each names the tool that wrote it).
fn oracle_bytes(r: &wit_parser::Resolve, main: wit_parser::PackageId) -> Vec<u8> {
    wit_component::encode(r, main, false).expect("the oracle encodes what it parsed")
}

/// Compares both pipelines on one parsed input; `None` when they agree.
fn compare(
    ours: &Resolve,
    main: PackageId,
    theirs: &wit_parser::Resolve,
    tmain: wit_parser::PackageId,
) -> Option<String> {
    let (a, b) = (
        wtool_wit::print::print_resolve(ours, main),
        oracle_text(theirs, tmain),
    );
    if a != b {
        return Some(format!(
            "text differs\n--- ours\n{a}\n--- wit-component\n{b}"
        ));
    }
    let ours = wtool_wit::encode(ours, main).map_err(|e| e.0);
    match ours {
        Ok(bytes) if normalize(&bytes) == normalize(&oracle_bytes(theirs, tmain)) => None,
        Ok(_) => Some("encoded bytes differ".into()),
        Err(e) => Some(format!("ours does not encode: {e}")),
    }
}

/// The one UI input whose deps/ are binary and text components.
const BINARY_DEPS: &str = "kinds-of-deps";

#[test]
fn wit_parser_ui_inputs() {
    let root = inputs::wit_parser_dir().join("tests/ui");
    let opts = ParseOptions {
        features: vec!["active".into()],
        all_features: false,
    };
    let (mut same, mut differ, mut skipped) = (0, Vec::new(), 0);
    for path in inputs::ui_inputs(&root) {
        let mut theirs = wit_parser::Resolve::default();
        theirs.features.insert("active".into());
        let Ok((tmain, _)) = theirs.push_path(&path) else {
            skipped += 1;
            continue;
        };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name == BINARY_DEPS {
            // Its deps/ holds packages encoded as components (.wasm, .wat),
            // which the parser refuses, saying so (see docs/components.md).
            let e = parse_path(&path, &opts).expect_err("binary deps are refused");
            assert!(e.to_string().contains("not supported in deps/"), "{e}");
            skipped += 1;
            continue;
        }
        match parse_path(&path, &opts) {
            Ok((ours, main)) => match compare(&ours, main, &theirs, tmain) {
                None => same += 1,
                Some(why) => differ.push(format!("{name}: {why}")),
            },
            Err(e) => differ.push(format!("{name}: ours rejects: {e}")),
        }
    }
    for d in differ.iter().take(3) {
        println!("{d}\n");
    }
    println!(
        "wit-parser UI inputs: {same} print and encode as the oracles do, {} differ \
         ({skipped} the oracle rejects, or with binary deps/)",
        differ.len()
    );
    assert!(differ.is_empty());
    assert!(same >= 70, "the UI inputs were found");
}

#[test]
fn wit_smith_documents() {
    let n = inputs::smith_count();
    let (mut same, mut differ, mut skipped) = (0u64, Vec::new(), 0);
    for seed in 0..n {
        let Some(wasm) = inputs::smith_package(seed) else {
            skipped += 1;
            continue;
        };
        // The document: the oracle's text of the generated package.
        let decoded = wit_component::decode(&wasm).expect("wit-smith output decodes");
        let text = oracle_text(decoded.resolve(), decoded.package());
        let mut theirs = wit_parser::Resolve {
            all_features: true,
            ..Default::default()
        };
        let tmain = theirs
            .push_str("smith.wit", &text)
            .expect("the oracle reads its own text");
        let mut ours = Resolve::default();
        let opts = ParseOptions {
            features: Vec::new(),
            all_features: true,
        };
        match parse_source(&mut ours, "smith.wit", &text, &opts) {
            Ok(main) => match compare(&ours, main, &theirs, tmain) {
                None => same += 1,
                Some(why) => differ.push(format!("seed {seed}: {why}\n--- input\n{text}")),
            },
            Err(e) => differ.push(format!("seed {seed}: ours rejects: {e}\n--- input\n{text}")),
        }
    }
    for d in differ.iter().take(2) {
        println!("{d}\n");
    }
    println!(
        "wit-smith: {n} seeds, {skipped} not generated; {same} documents print and encode as the \
         oracles do, {} differ",
        differ.len()
    );
    assert!(differ.is_empty());
    assert!(same >= n * 9 / 10, "too few documents generated");
}
