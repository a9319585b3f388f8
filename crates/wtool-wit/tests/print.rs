//! Differential tests of the WIT printer against wit-component's `WitPrinter`
//! (what `wasm-tools component wit` prints): the same model, converted index
//! by index, must print to the same bytes.

#[path = "common/oracle.rs"]
mod oracle;

use std::path::{Path, PathBuf};

use wtool_testsupport::rng::Rng;
use wtool_testsupport::smith::count_from_env;

/// The oracle's text for `pkg` with every other package nested, as the CLI prints it.
fn oracle_text(r: &wit_parser::Resolve, pkg: wit_parser::PackageId, docs: bool) -> String {
    let nested: Vec<_> = r
        .packages
        .iter()
        .map(|(id, _)| id)
        .filter(|id| *id != pkg)
        .collect();
    let mut p = wit_component::WitPrinter::default();
    p.emit_docs(docs);
    p.print(r, pkg, &nested).expect("oracle prints");
    p.output.to_string()
}

/// Ours for the same resolve and package.
fn our_text(r: &wit_parser::Resolve, pkg: wit_parser::PackageId, docs: bool) -> String {
    let ours = oracle::from_oracle(r);
    let mut p = wtool_wit::print::WitPrinter::new();
    p.emit_docs(docs);
    p.print_all(&ours, oracle::package_id(pkg))
        .unwrap_or_else(|(_, e)| panic!("our printer refused: {e}"))
}

/// Compares both printers; on a mismatch returns a short description.
fn compare(r: &wit_parser::Resolve, pkg: wit_parser::PackageId, docs: bool) -> Result<(), String> {
    let want = oracle_text(r, pkg, docs);
    let got = our_text(r, pkg, docs);
    if want == got {
        return Ok(());
    }
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(want.lines().count().min(got.lines().count()));
    Err(format!(
        "first difference at line {}:\n  oracle: {:?}\n  ours:   {:?}\n--- oracle ---\n{want}\n--- ours ---\n{got}",
        line + 1,
        want.lines().nth(line),
        got.lines().nth(line)
    ))
}

/// wit-parser's source directory (its `tests/ui` inputs are our corpus), from `cargo metadata`.
fn wit_parser_dir() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    let json = String::from_utf8(out.stdout).expect("utf-8 metadata");
    // The JSON is one line of packages; the manifest path names the version directory.
    json.split("\"manifest_path\":\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .find(|p| p.ends_with("/wit-parser-0.263.0/Cargo.toml"))
        .map(|p| Path::new(p).parent().unwrap().to_path_buf())
        .expect("wit-parser 0.263.0 in cargo metadata")
}

/// The inputs wit-parser's own UI runner parses successfully: files and package directories.
fn ui_inputs() -> Vec<PathBuf> {
    let dir = wit_parser_dir().join("tests/ui");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/ui exists")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str());
            p.file_name().unwrap() != "parse-fail"
                && (p.is_dir() || matches!(ext, Some("wit" | "md" | "wat" | "wasm")))
        })
        .collect();
    inputs.sort();
    inputs
}

fn check_ui(all_features: bool, docs: bool) {
    let (mut same, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for path in ui_inputs() {
        let mut r = wit_parser::Resolve::default();
        r.features.insert("active".to_string());
        r.all_features = all_features;
        let pkg = match r.push_path(&path) {
            Ok((pkg, _)) => pkg,
            Err(e) => {
                // Inputs that only parse under other feature sets, or that are not WIT.
                println!("  not parsed: {}: {}", path.display(), e.root_cause());
                skipped += 1;
                continue;
            }
        };
        match compare(&r, pkg, docs) {
            Ok(()) => same += 1,
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    println!(
        "wit-parser ui (all_features={all_features}, docs={docs}): {same} identical, {} different, {skipped} not parsed",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(same > 50, "too few inputs: {same}");
}

#[test]
fn ui_inputs_print_as_the_oracle() {
    check_ui(false, true);
}

#[test]
fn ui_inputs_print_as_the_oracle_with_all_features() {
    check_ui(true, true);
}

#[test]
fn ui_inputs_print_as_the_oracle_without_docs() {
    check_ui(false, false);
}

/// Every feature of wit-smith's config that wit-parser 0.263 supports.
fn all_features_config() -> wit_smith::Config {
    wit_smith::Config {
        async_: true,
        futures: true,
        streams: true,
        error_context: true,
        fixed_length_lists: true,
        world_include: true,
        implements: true,
        canonical_names: true,
        ..wit_smith::Config::default()
    }
}

fn check_smith(name: &str, config: &wit_smith::Config, seed_base: u64) {
    let n = count_from_env("WTOOL_WIT_SMITH_COUNT", 10_000);
    let (mut same, mut not_generated) = (0u64, 0u64);
    for seed in 0..n {
        let mut rng = Rng::new(seed_base + seed);
        let len = 256 + rng.below(16384);
        let data = rng.bytes(len);
        let mut u = arbitrary::Unstructured::new(&data);
        let Ok(wasm) = wit_smith::smith(config, &mut u) else {
            not_generated += 1;
            continue;
        };
        let decoded = wit_component::decode(&wasm).expect("wit-smith output decodes");
        if let Err(e) = compare(decoded.resolve(), decoded.package(), true) {
            panic!("{name} seed {}: {e}", seed_base + seed);
        }
        same += 1;
    }
    println!("wit-smith {name}: {same} identical of {n} seeds ({not_generated} not generated)");
    assert!(same * 2 > n, "too few generated packages");
}

#[test]
fn smith_packages_print_as_the_oracle() {
    check_smith("default config", &wit_smith::Config::default(), 0);
}

#[test]
fn smith_packages_with_all_features_print_as_the_oracle() {
    check_smith("all features", &all_features_config(), 1 << 32);
}

#[test]
fn keywords_are_escaped() {
    let mut r = wit_parser::Resolve::default();
    let pkg = r
        .push_str(
            "t.wit",
            "package %use:%type;\ninterface %list { record %record { %own: u32 } %func: func(%map: %record); }\n",
        )
        .unwrap();
    let text = our_text(&r, pkg, true);
    assert!(text.contains("interface %list {"), "{text}");
    assert!(text.contains("%func: func(%map: %record);"), "{text}");
    compare(&r, pkg, true).unwrap();
}

/// A component targeting `world` (a dummy core module, as wit-component's own tests build them).
fn component_for(r: &wit_parser::Resolve, world: wit_parser::WorldId) -> Option<Vec<u8>> {
    let abi = wit_parser::ManglingAndAbi::Legacy(wit_parser::LiftLowerAbi::Sync);
    let mut module = wit_component::dummy_module(r, world, abi);
    let encoding = wit_component::StringEncoding::UTF8;
    wit_component::embed_component_metadata(&mut module, r, world, encoding, false).ok()?;
    wit_component::ComponentEncoder::default()
        .module(&module)
        .ok()?
        .validate(true)
        .encode()
        .ok()
}

/// Components decode differently from packages (a `root:component` package
/// holding the world, anonymous interfaces), so they get their own run: every
/// world of a wit-smith package becomes a component, decoded and printed.
#[test]
fn smith_components_print_as_the_oracle() {
    let n = count_from_env("WTOOL_WIT_COMPONENT_COUNT", 2_000);
    let (mut same, mut not_built) = (0u64, 0u64);
    for seed in 0..n {
        let mut rng = Rng::new((2 << 32) + seed);
        let len = 256 + rng.below(16384);
        let data = rng.bytes(len);
        let mut u = arbitrary::Unstructured::new(&data);
        let Ok(wasm) = wit_smith::smith(&all_features_config(), &mut u) else {
            continue;
        };
        let decoded = wit_component::decode(&wasm).expect("wit-smith output decodes");
        let r = decoded.resolve();
        for (world, _) in r.worlds.iter() {
            let Some(component) = component_for(r, world) else {
                not_built += 1;
                continue;
            };
            let decoded = wit_component::decode(&component).expect("our component decodes");
            if let Err(e) = compare(decoded.resolve(), decoded.package(), true) {
                panic!("component of seed {seed} world {}: {e}", world.index());
            }
            same += 1;
        }
    }
    println!(
        "wit-smith components: {same} identical ({not_built} worlds not encodable) from {n} seeds"
    );
    assert!(same > n / 2, "too few components");
}
