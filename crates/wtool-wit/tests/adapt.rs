//! `component new` with adapter modules, differentially against
//! wit-component's `ComponentEncoder::adapter`: every adapter case of
//! wit-component's own test directory (read from the oracle crate's source,
//! never copied here) is built by both; the verdicts must agree, and when
//! both succeed ours must validate (wasmparser and our validator) and
//! decode to the same WIT.

#[path = "common/inputs.rs"]
mod inputs;

#[path = "common/check.rs"]
mod check;
use check::{validate, wit_of};
use std::path::{Path, PathBuf};
use wit_component::{ComponentEncoder, StringEncoding};
use wit_parser::{PackageId, Resolve};

/// A test module with the world of its file's stem embedded, as
/// wit-component's test harness prepares it.
fn core_module(path: &Path, resolve: &Resolve, pkg: PackageId) -> Result<Vec<u8>, String> {
    let mut wasm = wat::parse_file(path).map_err(|e| e.to_string())?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let world = resolve
        .select_world(&[pkg], Some(stem))
        .map_err(|e| e.to_string())?;
    wit_component::embed_component_metadata(&mut wasm, resolve, world, StringEncoding::UTF8, false)
        .map_err(|e| e.to_string())?;
    Ok(wasm)
}

/// The adapter's import name: `;; module name: X` in its header, else the
/// file stem after `adapt-`.
fn adapter_name(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with(";;"))
        .find_map(|l| l.strip_prefix(";; module name: "))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            stem.trim_start_matches("adapt-").to_string()
        })
}

/// The adapter cases: directories with a `module.wat` and `adapt-*.wat`.
fn cases() -> Vec<PathBuf> {
    let dir = inputs::crate_dir("wit-component-0.263.0").join("tests/components");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("wit-component's tests read")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.join("module.wat").is_file()
                && std::fs::read_dir(p).is_ok_and(|mut d| {
                    d.any(|e| {
                        e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("adapt-"))
                    })
                })
        })
        .collect();
    out.sort();
    out
}

enum Outcome {
    Same,
    BothReject,
    /// Ours refuses, saying what is not supported.
    Unsupported(String),
}

fn run_case(dir: &Path) -> Result<Outcome, String> {
    let mut resolve = Resolve::default();
    let (pkg, _) = resolve.push_dir(dir).map_err(|e| format!("{e:#}"))?;
    let module = core_module(&dir.join("module.wat"), &resolve, pkg)?;
    let mut adapters = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "wat")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("adapt-"))
        })
        .collect();
    paths.sort();
    for p in &paths {
        adapters.push((adapter_name(p), core_module(p, &resolve, pkg)?));
    }
    // The harness's per-test options (`;;! realloc-via-memory-grow = true`).
    let grow = paths
        .iter()
        .chain(std::iter::once(&dir.join("module.wat")))
        .any(|p| {
            std::fs::read_to_string(p)
                .is_ok_and(|t| t.contains(";;! realloc-via-memory-grow = true"))
        });
    let theirs = (|| {
        // In the order `wasm-tools component new` configures it: the
        // adapters, then the module.
        let mut enc = ComponentEncoder::default();
        enc.realloc_via_memory_grow(grow);
        for (name, bytes) in &adapters {
            enc.adapter(name, bytes)?;
        }
        enc.module(&module)?.encode()
    })()
    .map_err(|e| format!("{e:#}"));
    let inputs: Vec<wtool_wit::new::AdapterInput> = adapters
        .iter()
        .map(|(name, bytes)| wtool_wit::new::AdapterInput { name, bytes })
        .collect();
    let opts = wtool_wit::new::NewOptions {
        realloc_via_memory_grow: grow,
        ..Default::default()
    };
    let ours =
        wtool_wit::new::new_component_with(&module, &inputs, &opts).map_err(|e| e.to_string());
    match (theirs, ours) {
        (Ok(t), Ok(o)) => {
            validate(&o).map_err(|e| format!("ours does not validate: {e}"))?;
            let (tw, ow) = (wit_of(&t)?, wit_of(&o)?);
            if tw != ow {
                return Err(format!("WIT differs:\n--- theirs\n{tw}\n--- ours\n{ow}"));
            }
            Ok(Outcome::Same)
        }
        (Err(_), Err(_)) => Ok(Outcome::BothReject),
        (Ok(_), Err(e)) if e.contains("not supported") => Ok(Outcome::Unsupported(e)),
        (Ok(_), Err(e)) => Err(format!("only ours fails: {e}")),
        (Err(e), Ok(_)) => Err(format!("only wit-component fails: {e}")),
    }
}

#[test]
fn wit_component_adapter_cases() {
    let (mut same, mut both_reject) = (0, 0);
    let mut unsupported = Vec::new();
    let mut failed = Vec::new();
    let cases = cases();
    for dir in &cases {
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        match run_case(dir) {
            Ok(Outcome::Same) => same += 1,
            Ok(Outcome::BothReject) => both_reject += 1,
            Ok(Outcome::Unsupported(e)) => unsupported.push(format!("{name}: {e}")),
            Err(e) => failed.push(format!("{name}: {e}")),
        }
    }
    println!(
        "adapter cases: {} in all, {same} same WIT, {both_reject} rejected by both, {} unsupported, {} failed",
        cases.len(),
        unsupported.len(),
        failed.len()
    );
    for u in &unsupported {
        println!("unsupported: {u}");
    }
    assert!(
        cases.len() >= 20,
        "wit-component's adapter cases were found"
    );
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
    // Custom page sizes are the one known refusal (our core decoder does
    // not read that proposal's memory limits).
    assert!(unsupported.len() <= 2, "{unsupported:?}");
}
