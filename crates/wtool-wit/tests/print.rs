//! Differential tests of the WIT printer against wit-component's `WitPrinter`
//! (what `wasm-tools component wit` prints): the same model, converted index
//! by index, must print to the same bytes.

#[path = "common/check.rs"]
mod check;
#[path = "common/inputs.rs"]
mod inputs;
use check::component_for;
#[path = "common/oracle.rs"]
mod oracle;

use std::path::PathBuf;

use wtool_testsupport::rng::Rng;
use wtool_testsupport::smith::count_from_env;

/// The oracle's text for `pkg` with every other package nested, as the CLI prints it.
fn oracle_text(r: &wit_parser::Resolve, pkg: wit_parser::PackageId, docs: bool) -> String {
    check::oracle_print(r, pkg, docs).expect("oracle prints")
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

/// The inputs wit-parser's own UI runner parses successfully: files and package directories.
fn ui_inputs() -> Vec<PathBuf> {
    let dir = inputs::wit_parser_dir().join("tests/ui");
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

/// A wit-smith package (a WIT package in binary form) from `seed`, if the generator accepts the bytes.
fn smith_package(config: &wit_smith::Config, seed: u64) -> Option<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let len = 256 + rng.below(16384);
    let data = rng.bytes(len);
    // With `world_include` wit-smith (0.263) occasionally writes an include
    // its own resolver rejects and panics (its `Arbitrary` config keeps the
    // feature off for that reason); such seeds count as not generated.
    std::panic::catch_unwind(|| wit_smith::smith(config, &mut arbitrary::Unstructured::new(&data)))
        .ok()?
        .ok()
}

fn check_smith(name: &str, config: &wit_smith::Config, seed_base: u64) {
    let n = count_from_env("WTOOL_WIT_SMITH_COUNT", 10_000);
    let (mut same, mut not_generated) = (0u64, 0u64);
    for seed in 0..n {
        let Some(wasm) = smith_package(config, seed_base + seed) else {
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

/// Components decode differently from packages (a `root:component` package
/// holding the world, anonymous interfaces), so they get their own run: every
/// world of a wit-smith package becomes a component, decoded and printed.
#[test]
fn smith_components_print_as_the_oracle() {
    let n = count_from_env("WTOOL_WIT_COMPONENT_COUNT", 2_000);
    let (mut same, mut not_built) = (0u64, 0u64);
    for seed in 0..n {
        let Some(wasm) = smith_package(&all_features_config(), (2 << 32) + seed) else {
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

/// Hand-written corner cases the generators do not reach (escapes in
/// `@external-id`, blank doc lines, statement docs, gates on `use`s).
const CORNER_CASES: &str = r#"/// Package docs.
///
/// After a blank doc line.
package %use:%world@1.2.3-rc.1+build;

@since(version = 1.0.0)
@deprecated(version = 1.2.0)
interface %interface {
  @external-id("q\"x\\y\u{1F600}\tz\n")
  type t = u32;
  resource r {
    constructor() -> result<r, t>;
    %static: static async func(%own: borrow<r>) -> option<own<r>>;
    m: async func() -> stream;
  }
  type own-r = own<r>;
  type f = future;
  type l = list<list<u8, 3>>;
  type m = map<string, result<_, t>>;
  type ec = error-context;
  x: set(value: u32);
  @unstable(feature = my-feature)
  @deprecated(version = 1.2.0)
  unstable-f: func();
  x: get() -> u32;
}

interface user {
  @since(version = 1.1.0)
  use %interface.{t, r};
  @since(version = 1.1.0)
  use %interface.{t as t2};
  use %interface.{l};
  /// Doc on a function.
  f: func(a: t, b: t2, c: l) -> tuple<u8>;
}

world w {
  /// Statement docs win.
  import %interface;
  /** Block docs
      on two lines */
  import inline: interface {
    g: func();
  }
  use user.{t};
  import h: func(x: t);
  export user;
  export x: interface {}
}
"#;

#[test]
fn corner_cases_print_as_the_oracle() {
    for all_features in [false, true] {
        let mut r = wit_parser::Resolve {
            all_features,
            ..Default::default()
        };
        let pkg = r.push_str("corner.wit", CORNER_CASES).unwrap();
        compare(&r, pkg, true).unwrap();
        compare(&r, pkg, false).unwrap();
    }
}

/// The real CLI (`wasm-tools component wit`, when installed) agrees with
/// `print_resolve`: same main package, same nesting of the others.
#[test]
fn cli_agrees_on_files_and_directories() {
    let Ok(version) = std::process::Command::new("wasm-tools")
        .arg("--version")
        .output()
    else {
        println!("wasm-tools not installed: skipped");
        return;
    };
    println!("{}", String::from_utf8_lossy(&version.stdout).trim());
    let dir = std::env::temp_dir().join(format!("wtool-wit-print-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let corner = dir.join("corner.wit");
    std::fs::write(&corner, CORNER_CASES).unwrap();
    let mut inputs: Vec<PathBuf> = ui_inputs()
        .into_iter()
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "wit"))
        .collect();
    inputs.push(corner);
    let (mut same, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for path in &inputs {
        let out = std::process::Command::new("wasm-tools")
            .args(["component", "wit"])
            .arg(path)
            .output()
            .unwrap();
        let mut r = wit_parser::Resolve::default();
        let parsed = r.push_path(path);
        let pkg = match (parsed, out.status.success()) {
            (Ok((pkg, _)), true) => pkg,
            (parsed, _) => {
                let why = parsed.err().map(|e| e.root_cause().to_string());
                let cli = String::from_utf8_lossy(&out.stderr);
                println!(
                    "  refused: {}: {why:?} / cli: {}",
                    path.display(),
                    cli.trim()
                );
                skipped += 1;
                continue;
            }
        };
        let want = String::from_utf8(out.stdout).unwrap();
        let ours = oracle::from_oracle(&r);
        let got = wtool_wit::print::print_resolve(&ours, oracle::package_id(pkg));
        if want == got {
            same += 1;
        } else {
            failures.push(format!(
                "{}:\n--- cli ---\n{want}\n--- ours ---\n{got}",
                path.display()
            ));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    println!(
        "cli: {same} identical, {} different, {skipped} refused",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The real CLI agrees on binaries too: wit-smith packages and components
/// built from their worlds, written to files and printed by `wasm-tools`.
#[test]
fn cli_agrees_on_binaries() {
    if std::process::Command::new("wasm-tools")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("wasm-tools not installed: skipped");
        return;
    }
    let n = count_from_env("WTOOL_WIT_CLI_COUNT", 30);
    let dir = std::env::temp_dir().join(format!("wtool-wit-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("input.wasm");
    let mut same = 0;
    for seed in 0..n {
        let Some(wasm) = smith_package(&all_features_config(), (3 << 32) + seed) else {
            continue;
        };
        let decoded = wit_component::decode(&wasm).unwrap();
        let mut binaries = vec![wasm.clone()];
        let r = decoded.resolve();
        binaries.extend(r.worlds.iter().filter_map(|(w, _)| component_for(r, w)));
        for bytes in binaries {
            std::fs::write(&file, &bytes).unwrap();
            let out = std::process::Command::new("wasm-tools")
                .args(["component", "wit"])
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "seed {seed}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let want = String::from_utf8(out.stdout).unwrap();
            let decoded = wit_component::decode(&bytes).unwrap();
            let ours = oracle::from_oracle(decoded.resolve());
            let got = wtool_wit::print::print_resolve(&ours, oracle::package_id(decoded.package()));
            assert_eq!(want, got, "seed {seed}");
            same += 1;
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    println!("cli: {same} binaries (packages and components) identical from {n} seeds");
}

/// A malformed model (an unnamed record used as a type) still prints through
/// `print_package`, while `WitPrinter::print` reports it, as the oracle refuses it.
#[test]
fn malformed_models_are_reported() {
    use wtool_wit::model::*;
    let mut r = Resolve::default();
    let pkg = r.push_package(Package {
        name: PackageName {
            namespace: "a".into(),
            name: "b".into(),
            version: None,
        },
        docs: Docs::default(),
        interfaces: Default::default(),
        worlds: Default::default(),
    });
    let iface = r.push_interface(Interface {
        name: Some("i".into()),
        types: Default::default(),
        functions: Default::default(),
        docs: Docs::default(),
        stability: Stability::Unknown,
        package: Some(pkg),
    });
    r.packages[pkg.index()].interfaces.insert("i".into(), iface);
    let record = r.push_type(TypeDef {
        name: None,
        kind: TypeDefKind::Record(Vec::new()),
        owner: TypeOwner::None,
        docs: Docs::default(),
        stability: Stability::Unknown,
        external_id: None,
    });
    let f = Function {
        name: "f".into(),
        kind: FunctionKind::Freestanding,
        params: vec![("x".into(), Type::Id(record))],
        result: None,
        docs: Docs::default(),
        stability: Stability::Unknown,
        external_id: None,
    };
    r.interfaces[iface.index()].functions.insert("f".into(), f);
    let text = wtool_wit::print::print_package(&r, pkg, &[]);
    assert!(
        text.starts_with("package a:b;\n\ninterface i {\n  f: func(x: "),
        "{text}"
    );
    let err = wtool_wit::print::WitPrinter::new()
        .print(&r, pkg, &[])
        .unwrap_err();
    assert!(err.to_string().contains("unnamed"), "{err}");
}
