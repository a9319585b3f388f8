//! Differential tests of the component codecs against wit-component:
//! wit-smith packages decode and re-encode to the same bytes, embedding
//! gives the same module, and real components decode (when present).

use arbitrary::Unstructured;
use wtool_wit::{decode, encode, DecodedWasm};

/// Deterministic pseudo-random bytes for wit-smith (xorshift64*).
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

/// A wit-smith package for `seed`, or `None` when wit-smith declines it.
fn smith(seed: u64) -> Option<Vec<u8>> {
    let data = bytes(seed, 4096);
    let mut u = Unstructured::new(&data);
    let config = wit_smith::Config {
        async_: seed.is_multiple_of(3),
        futures: seed.is_multiple_of(5),
        streams: seed.is_multiple_of(7),
        error_context: seed.is_multiple_of(11),
        fixed_length_lists: seed.is_multiple_of(4),
        implements: seed % 2 == 1,
        ..wit_smith::Config::default()
    };
    wit_smith::smith(&config, &mut u).ok()
}

fn count() -> u64 {
    std::env::var("WIT_SMITH_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn wit_smith_roundtrip() {
    let (mut tried, mut same, mut failed) = (0, 0, Vec::new());
    let want = count();
    for seed in 0.. {
        if tried >= want {
            break;
        }
        let Some(wasm) = smith(seed) else { continue };
        tried += 1;
        let outcome = match decode(&wasm) {
            Ok(DecodedWasm::WitPackage(resolve, pkg)) => match encode(&resolve, pkg) {
                Ok(ours) if ours == wasm => Ok(()),
                Ok(ours) => Err({
                    if let Ok(dir) = std::env::var("WIT_DUMP") {
                        let _ = std::fs::write(format!("{dir}/{seed}-theirs.wasm"), &wasm);
                        let _ = std::fs::write(format!("{dir}/{seed}-ours.wasm"), &ours);
                    }
                    format!(
                        "bytes differ (ours {} bytes, theirs {}; first difference at {})",
                        ours.len(),
                        wasm.len(),
                        ours.iter()
                            .zip(&wasm)
                            .position(|(a, b)| a != b)
                            .unwrap_or(ours.len().min(wasm.len()))
                    )
                }),
                Err(e) => Err(format!("encode: {e}")),
            },
            Ok(DecodedWasm::Component(..)) => Err("decoded as a component".into()),
            Err(e) => Err(format!("decode: {e}")),
        };
        match outcome {
            Ok(()) => same += 1,
            Err(e) => failed.push((seed, e)),
        }
    }
    println!("wit-smith: {tried} packages, {same} re-encoded identically");
    for (seed, e) in failed.iter().take(10) {
        println!("  seed {seed}: {e}");
    }
    assert!(failed.is_empty(), "{} of {tried} failed", failed.len());
    assert!(tried > 0);
}

#[path = "common/oracle.rs"]
mod oracle;

/// Our decode and wit-component's, compared as models (arena by arena).
fn same_model(wasm: &[u8]) -> Result<(), String> {
    let theirs = wit_component::decode(wasm).map_err(|e| format!("oracle: {e:#}"))?;
    let ours = decode(wasm).map_err(|e| format!("ours: {e}"))?;
    let (a, b) = (
        format!("{:#?}", ours.resolve()),
        format!("{:#?}", oracle::from_oracle(theirs.resolve())),
    );
    if a != b {
        let line = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        let ctx = |s: &str| {
            s.lines()
                .skip(line.saturating_sub(8))
                .take(12)
                .collect::<Vec<_>>()
                .join("\n")
        };
        return Err(format!(
            "models differ at line {line}:\nours:\n{}\ntheirs:\n{}",
            ctx(&a),
            ctx(&b)
        ));
    }
    if ours.package().index() != theirs.package().index() {
        return Err("main packages differ".into());
    }
    Ok(())
}

#[test]
fn wit_smith_models() {
    let (mut tried, mut failed) = (0, Vec::new());
    for seed in 0..count().min(2_000) {
        let Some(wasm) = smith(seed) else { continue };
        tried += 1;
        if let Err(e) = same_model(&wasm) {
            failed.push((seed, e));
        }
    }
    println!(
        "wit-smith models: {tried} packages, {} identical",
        tried - failed.len()
    );
    for (seed, e) in failed.iter().take(3) {
        println!("  seed {seed}: {e}");
    }
    assert!(failed.is_empty(), "{} of {tried} differ", failed.len());
}

/// Real components, when present on this machine (they are not committed).
const REAL: &[&str] = &[
    "/tmp/real/wcp2.wasm",
    "/tmp/real/sm.wasm",
    "/tmp/real/splicer.wasm",
];

#[test]
fn real_component_models() {
    for path in REAL {
        let Ok(wasm) = std::fs::read(path) else {
            println!("skipping {path}: not present");
            continue;
        };
        match same_model(&wasm) {
            Ok(()) => println!("{path}: identical model"),
            Err(e) => panic!("{path}: {e}"),
        }
    }
}

/// Runs `f`, turning a panic into an error (wit-component panics on some
/// components it cannot express in WIT).
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("panicked".into()))
}

#[test]
fn reference_components() {
    use wtool_testsupport::{component_model_files, oracle_components, Expect};
    let (mut both_ok, mut both_err, mut differ) = (0, 0, Vec::new());
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for (path, text) in component_model_files() {
        let Ok(comps) = oracle_components(&text) else {
            continue;
        };
        for c in comps {
            let (Ok(bytes), Expect::Valid) = (&c.bytes, &c.expect) else {
                continue;
            };
            let theirs = guarded(|| wit_component::decode(bytes).map_err(|e| format!("{e:#}")));
            let ours = guarded(|| decode(bytes).map_err(|e| e.to_string()));
            match (theirs, ours) {
                (Ok(_), Ok(_)) => match guarded(|| same_model(bytes)) {
                    Ok(()) => both_ok += 1,
                    Err(e) => differ.push(format!("{path}:{}: {e}", c.line)),
                },
                (Err(_), Err(_)) => both_err += 1,
                (Ok(_), Err(e)) => {
                    if let Ok(dir) = std::env::var("WIT_DUMP") {
                        let _ = std::fs::write(format!("{dir}/ref-{}.wasm", c.line), bytes);
                    }
                    differ.push(format!("{path}:{}: only ours fails: {e}", c.line))
                }
                (Err(e), Ok(_)) => {
                    differ.push(format!("{path}:{}: only theirs fails: {e}", c.line))
                }
            }
        }
    }
    std::panic::set_hook(hook);
    println!(
        "reference components: {both_ok} decode to the same model, {both_err} refused by both, {} differ",
        differ.len()
    );
    for d in &differ {
        println!("  {d}");
    }
    // Valid by the reference tests, refused by wit-component: wasmparser
    // rejects the legacy `cancellable` byte and `a-1` beside `a1`, and
    // wit-parser panics on the extern-names file's first component.
    let known = [
        "binary/binary.wast:974: only theirs fails",
        "validation/extern-names.wast:8: only theirs fails",
        "validation/kebab.wast:4: only theirs fails",
    ];
    let unexpected: Vec<_> = differ
        .iter()
        .filter(|d| {
            !known
                .iter()
                .any(|k| d.ends_with(k) || d.contains(&format!("{k}:")))
        })
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
}

/// A small core module: one function type, one function, one export.
fn core_module() -> Vec<u8> {
    let mut m = wasm_encoder::Module::new();
    let mut types = wasm_encoder::TypeSection::new();
    types.ty().function([], []);
    m.section(&types);
    let mut funcs = wasm_encoder::FunctionSection::new();
    funcs.function(0);
    m.section(&funcs);
    let mut exports = wasm_encoder::ExportSection::new();
    exports.export("f", wasm_encoder::ExportKind::Func, 0);
    m.section(&exports);
    let mut code = wasm_encoder::CodeSection::new();
    let mut f = wasm_encoder::Function::new([]);
    f.instructions().end();
    code.function(&f);
    m.section(&code);
    m.finish()
}

#[test]
fn embed_matches_wit_component() {
    use wit_component::StringEncoding as Theirs;
    use wtool_wit::StringEncoding as Ours;
    let module = core_module();
    let encodings = [
        (Theirs::UTF8, Ours::Utf8),
        (Theirs::UTF16, Ours::Utf16),
        (Theirs::CompactUTF16, Ours::CompactUtf16),
    ];
    let (mut worlds, mut failed) = (0, Vec::new());
    for seed in 0..count().min(3_000) {
        let Some(wasm) = smith(seed) else { continue };
        let Ok(wit_component::DecodedWasm::WitPackage(tr, tp)) = wit_component::decode(&wasm)
        else {
            panic!("seed {seed}: wit-component cannot decode its own package");
        };
        let Ok(wtool_wit::DecodedWasm::WitPackage(or, op)) = decode(&wasm) else {
            panic!("seed {seed}: we cannot decode the package");
        };
        for (name, tw) in &tr.packages[tp].worlds {
            let ow = or.package(op).worlds[name];
            let (te, oe) = encodings[seed as usize % 3];
            let mut theirs = module.clone();
            wit_component::embed_component_metadata(&mut theirs, &tr, *tw, te, false).unwrap();
            let ours = wtool_wit::embed(&module, &or, ow, oe).unwrap();
            worlds += 1;
            if ours != theirs {
                failed.push(format!("seed {seed} world {name}"));
            }
        }
    }
    println!(
        "embed: {worlds} worlds, {} identical",
        worlds - failed.len()
    );
    assert!(failed.is_empty(), "{:?}", &failed[..failed.len().min(5)]);
    assert!(worlds > 0);
}
