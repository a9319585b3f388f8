//! Differential tests of the component codecs against wit-component:
//! wit-smith packages decode and re-encode to the same bytes, embedding
//! gives the same module, and real components decode (when present).

use arbitrary::Unstructured;
use wtool_wit::{decode, encode, DecodedWasm};

#[path = "common/check.rs"]
mod check;
#[path = "common/producers.rs"]
mod producers;
use check::{component_for, oracle_wit, seed_bytes};
use producers::normalize;

/// Equal bytes but for the tool named in `producers` (see `common/producers.rs`).
fn same_bytes(ours: &[u8], theirs: &[u8]) -> bool {
    normalize(ours) == normalize(theirs)
}

/// A wit-smith package for `seed`, or `None` when wit-smith declines it.
fn smith(seed: u64) -> Option<Vec<u8>> {
    smith_with(seed, false)
}

/// [`smith`], optionally with canonical interface names.
fn smith_with(seed: u64, canonical_names: bool) -> Option<Vec<u8>> {
    let data = seed_bytes(seed, 4096);
    let mut u = Unstructured::new(&data);
    let config = wit_smith::Config {
        async_: seed.is_multiple_of(3),
        futures: seed.is_multiple_of(5),
        streams: seed.is_multiple_of(7),
        error_context: seed.is_multiple_of(11),
        fixed_length_lists: seed.is_multiple_of(4),
        implements: seed % 2 == 1,
        canonical_names,
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
                Ok(ours) if same_bytes(&ours, &wasm) => Ok(()),
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

/// With canonical names (`a:b/c@1` plus a `versionsuffix`): the same
/// bytes back, the same model and text as wit-component's.
#[test]
fn wit_smith_canonical_names() {
    let (mut tried, mut failed) = (0, Vec::new());
    for seed in 0..count().min(3_000) {
        let Some(wasm) = smith_with(seed, true) else {
            continue;
        };
        tried += 1;
        let outcome = match decode(&wasm) {
            Ok(DecodedWasm::WitPackage(r, p)) => match wtool_wit::encode_with(&r, p, true) {
                Ok(ours) if same_bytes(&ours, &wasm) => same_model(&wasm).and_then(|()| {
                    (our_wit(&wasm)? == oracle_wit(&wasm)?)
                        .then_some(())
                        .ok_or_else(|| "texts differ".to_string())
                }),
                Ok(_) => Err("bytes differ".into()),
                Err(e) => Err(e.to_string()),
            },
            Ok(_) => Err("not a package".into()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = outcome {
            failed.push(format!("seed {seed}: {e}"));
        }
    }
    println!(
        "canonical names: {tried} packages, {} identical",
        tried - failed.len()
    );
    for f in failed.iter().take(3) {
        println!("  {f}");
    }
    assert!(failed.is_empty());
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
                (Ok(_), Ok(_)) => match guarded(|| same_model(bytes)).and_then(|()| {
                    let theirs = guarded(|| oracle_wit(bytes));
                    let ours = guarded(|| our_wit(bytes));
                    match (ours, theirs) {
                        (Ok(a), Ok(b)) if a != b => Err("texts differ".to_string()),
                        _ => Ok(()),
                    }
                }) {
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
        "reference components: {both_ok} decode to the same model and text, {both_err} refused by both, {} differ",
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
            if !same_bytes(&ours, &theirs) {
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

/// Ours: our decode, our printer.
fn our_wit(wasm: &[u8]) -> Result<String, String> {
    let d = decode(wasm).map_err(|e| e.to_string())?;
    Ok(wtool_wit::print::print_resolve(d.resolve(), d.package()))
}

#[test]
fn wit_smith_text() {
    let (mut tried, mut failed) = (0, Vec::new());
    for seed in 0..count() {
        let Some(wasm) = smith(seed) else { continue };
        tried += 1;
        if our_wit(&wasm) != oracle_wit(&wasm) {
            failed.push(seed);
        }
    }
    println!(
        "wit-smith text: {tried} packages, {} identical",
        tried - failed.len()
    );
    assert!(
        failed.is_empty(),
        "seeds {:?}",
        &failed[..failed.len().min(10)]
    );
}

#[test]
fn real_component_text() {
    for path in REAL {
        let Ok(wasm) = std::fs::read(path) else {
            println!("skipping {path}: not present");
            continue;
        };
        let ours = our_wit(&wasm).unwrap();
        assert_eq!(ours, oracle_wit(&wasm).unwrap(), "{path}");
        // The installed CLI, when there is one, must agree too.
        match std::process::Command::new("wasm-tools")
            .args(["component", "wit", path])
            .output()
        {
            Ok(out) if out.status.success() => {
                assert_eq!(
                    ours,
                    String::from_utf8_lossy(&out.stdout),
                    "{path} vs the CLI"
                );
                println!("{path}: identical to wit-component and `wasm-tools component wit`");
            }
            _ => println!("{path}: identical to wit-component (no wasm-tools CLI)"),
        }
    }
}

#[test]
fn wit_smith_components() {
    let (mut tried, mut failed) = (0, Vec::new());
    for seed in 0..count().min(3_000) {
        let Some(wasm) = smith(seed) else { continue };
        let Ok(wit_component::DecodedWasm::WitPackage(r, pkg)) = wit_component::decode(&wasm)
        else {
            continue;
        };
        for (name, w) in &r.packages[pkg].worlds {
            let Some(component) = component_for(&r, *w) else {
                continue;
            };
            tried += 1;
            let outcome = match (our_wit(&component), oracle_wit(&component)) {
                (Ok(a), Ok(b)) if a == b => guarded(|| same_model(&component)),
                (Err(_), Err(_)) => Ok(()),
                (Ok(_), Ok(_)) => Err("texts differ".into()),
                (a, b) => Err(format!("ours {:?} / theirs {:?}", a.err(), b.err())),
            };
            if let Err(e) = outcome {
                failed.push(format!("seed {seed} world {name}: {e}"));
            }
        }
    }
    println!(
        "wit-smith components: {tried} built, {} identical",
        tried - failed.len()
    );
    for f in failed.iter().take(3) {
        println!("  {f}");
    }
    assert!(failed.is_empty());
    assert!(tried > 0);
}

/// Hand-written packages exercising what wit-smith does not generate: docs
/// (with characters JSON escapes), statement docs, gates on world items,
/// `use` across packages, nested packages.
const DOCUMENTED: &str = r#"
/// The package: "quoted", tab	here, a backslash \ and ünïcödé.
package foo:bar@1.0.0;

/// Types.
@since(version = 1.0.0)
interface types {
  /// A record
  /// on two lines.
  record r {
    /// Field a.
    a: u32,
    b: list<u8>,
  }
  /// A resource.
  resource res {
    /// Makes one.
    constructor(x: u32);
    /// A method.
    m: func() -> string;
    /// A static function.
    s: static func() -> res;
  }
  /// Cases.
  variant v { /** case one */ one, two(r) }
  enum e { /// first
    a, b }
  flags fl { /// flag x
    x, y }
  @unstable(feature = shiny)
  f: func(x: r) -> option<res>;
  @deprecated(version = 1.0.0)
  @since(version = 0.9.0)
  old: func();
}

/// Uses types.
interface user {
  use types.{r, res};
  use wasi:io/streams@0.2.0.{input-stream};
  g: func(a: borrow<res>, s: input-stream) -> list<u8>;
}

/// The world.
world w {
  /// Imports user.
  import user;
  @since(version = 1.0.0)
  import wasi:io/streams@0.2.0;
  /// A type of the world.
  type t = u32;
  /// Exported function.
  export h: func(t: t);
  /// An inline interface.
  import x: interface { /// z docs
    z: func(); }
  export y: interface { q: func(); }
}

package wasi:io@0.2.0 {
  /// Streams.
  interface streams { resource input-stream; }
}
"#;

#[test]
fn documented_package() {
    let mut r = wit_parser::Resolve {
        all_features: true,
        ..Default::default()
    };
    let pkg = r.push_str("documented.wit", DOCUMENTED).unwrap();
    let wasm = wit_component::encode(&r, pkg, false).unwrap();
    let Ok(DecodedWasm::WitPackage(ours, op)) = decode(&wasm) else {
        panic!("not decoded as a package")
    };
    assert_eq!(normalize(&encode(&ours, op).unwrap()), normalize(&wasm));
    same_model(&wasm).unwrap();
    assert_eq!(our_wit(&wasm).unwrap(), oracle_wit(&wasm).unwrap());
    // And as world metadata, with every encoding.
    let (ow, tw) = (ours.package(op).worlds["w"], r.packages[pkg].worlds["w"]);
    let module = core_module();
    let mut theirs = module.clone();
    let enc = wit_component::StringEncoding::CompactUTF16;
    wit_component::embed_component_metadata(&mut theirs, &r, tw, enc, false).unwrap();
    let embedded = wtool_wit::embed(&module, &ours, ow, wtool_wit::StringEncoding::CompactUtf16);
    assert_eq!(normalize(&embedded.unwrap()), normalize(&theirs));
}

/// Mutated packages and components never make the decoder panic: it either
/// decodes them or says why.
#[test]
fn mutants_do_not_panic() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (mut tried, mut panics) = (0, Vec::new());
    for seed in 0..count().min(2_000) {
        let Some(wasm) = smith(seed) else { continue };
        let noise = seed_bytes(seed ^ 0xdead_beef, 16);
        for k in 0..4 {
            let mut m = wasm.clone();
            let at = 8
                + (u32::from_le_bytes([
                    noise[4 * k],
                    noise[4 * k + 1],
                    noise[4 * k + 2],
                    noise[4 * k + 3],
                ]) as usize)
                    % (m.len() - 8);
            m[at] ^= noise[k] | 1;
            tried += 1;
            if std::panic::catch_unwind(|| decode(&m).map(drop)).is_err() {
                panics.push((seed, k));
            }
        }
    }
    std::panic::set_hook(hook);
    println!(
        "mutants: {tried} decoded without a panic: {}",
        tried - panics.len()
    );
    assert!(
        panics.is_empty(),
        "panicked on {:?}",
        &panics[..panics.len().min(5)]
    );
}

/// An error names the byte offset of what is at fault: here an imported
/// instance re-exported under another name (its resource would be defined
/// twice), which is valid but has no WIT form.
#[test]
fn errors_carry_offsets() {
    use wasm_encoder::{ComponentExportKind, ComponentTypeRef, TypeBounds};
    let mut c = wasm_encoder::Component::new();
    let mut t = wasm_encoder::ComponentTypeSection::new();
    let mut inst = wasm_encoder::InstanceType::new();
    inst.export("r", ComponentTypeRef::Type(TypeBounds::SubResource));
    t.instance(&inst);
    c.section(&t);
    let mut i = wasm_encoder::ComponentImportSection::new();
    i.import("a:b/c", ComponentTypeRef::Instance(0));
    c.section(&i);
    let exports_at = c.as_slice().len();
    let mut x = wasm_encoder::ComponentExportSection::new();
    x.export("a:b/d", ComponentExportKind::Instance, 0, None);
    c.section(&x);
    let wasm = c.finish();
    assert!(wit_component::decode(&wasm).is_err());
    let e = decode(&wasm).unwrap_err();
    println!("{e}");
    assert!(e.message.contains("appears more than once"), "{e}");
    assert!(e.offset > exports_at && e.offset < wasm.len(), "{e}");
}
