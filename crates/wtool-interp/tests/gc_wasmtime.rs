//! Differential execution of WebAssembly GC against wasmtime (the anchor
//! that runs GC; wasmi does not): wasm-smith modules with GC types and
//! instructions, every function exported, each module's functions called in
//! order on one instance with zero arguments, results and traps compared.
//! wasmtime's Python embedding (`tests/wasmtime_calls.py`) can pass only
//! numbers across, so the functions called are those whose parameters and
//! results are numbers; their bodies use GC freely, and the heap they leave
//! behind is what the next call sees. A missing wasmtime skips with a note,
//! or fails when `WTOOL_REQUIRE_ANCHORS` is set (as `.ci/run` does).
//! `WTOOL_GC_DIFF_MODULES` sets how many modules (default 200).

use std::io::Write;
use std::process::{Command, Stdio};

use arbitrary::Unstructured;
use wtool_ast::{Features, ValType};
use wtool_interp::{Imports, Store, Value};

fn config() -> wasm_smith::Config {
    wtool_testsupport::smith::gc_exec_config()
}

fn module(seed: u64) -> Option<Vec<u8>> {
    let bytes = wtool_testsupport::rng::Rng::new(seed).bytes(8192);
    let mut m = wasm_smith::Module::new(config(), &mut Unstructured::new(&bytes)).ok()?;
    m.ensure_termination(1_000).ok()?;
    Some(m.to_bytes())
}

fn type_name(t: ValType) -> Option<&'static str> {
    Some(match t {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        _ => return None,
    })
}

fn show(v: &Value) -> String {
    match *v {
        Value::I32(x) => x.to_string(),
        Value::I64(x) => x.to_string(),
        Value::F32(b) => format!("{b:08x}"),
        Value::F64(b) => format!("{b:016x}"),
        ref other => format!("{other}"),
    }
}

/// One module's calls: (export position, params, results) in export
/// order, and our outcome of each; a last `-` entry when instantiation
/// trapped.
fn ours(wasm: &[u8]) -> Vec<(String, String, String, String)> {
    let m = wtool_binary::decode_with_features(wasm, Features::ALL).expect("decode");
    wtool_validate::validate(&m, Features::ALL).expect("wasm-smith output validates");
    let mut store = Store::new();
    let inst = store.instantiate(&m, &Imports::new());
    let mut out = Vec::new();
    // Functions by their position among all exports (how the script
    // finds them) and name.
    let funcs: Vec<(usize, String)> = m
        .exports
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == wtool_ast::ExternKind::Func)
        .map(|(i, e)| (i, e.name.clone()))
        .collect();
    for (index, name) in funcs {
        let Ok(inst) = &inst else {
            continue;
        };
        let Some(ft) = store.export_func_type(*inst, &name) else {
            continue;
        };
        let (Some(ps), Some(rs)) = (
            ft.params
                .iter()
                .map(|&t| type_name(t))
                .collect::<Option<Vec<_>>>(),
            ft.results
                .iter()
                .map(|&t| type_name(t))
                .collect::<Option<Vec<_>>>(),
        ) else {
            continue;
        };
        let args: Vec<Value> = ft.params.iter().map(|&t| Value::default_for(t)).collect();
        let outcome = match store.invoke(*inst, &name, &args) {
            Ok(vals) => vals.iter().map(show).collect::<Vec<_>>().join(" "),
            Err(_) => "trap".to_string(),
        };
        out.push((index.to_string(), ps.join(","), rs.join(","), outcome));
    }
    if inst.is_err() {
        out.push((
            "-".into(),
            String::new(),
            String::new(),
            "instantiate-trap".into(),
        ));
    }
    out
}

#[test]
fn gc_programs_agree_with_wasmtime() {
    if !wtool_testsupport::wasmtime_available() {
        return;
    }
    let n: u64 = std::env::var("WTOOL_GC_DIFF_MODULES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let mut manifest = String::new();
    let mut expected = Vec::new();
    let mut gc_modules = 0;
    for seed in 0..n {
        let Some(wasm) = module(seed) else { continue };
        // Count the modules that define struct or array types.
        let m = wtool_binary::decode_with_features(&wasm, Features::ALL).expect("decode");
        if m.types
            .iter()
            .any(|t| !matches!(t.composite, wtool_ast::CompositeType::Func(_)))
        {
            gc_modules += 1;
        }
        let path = dir.path().join(format!("seed{seed}.wasm"));
        std::fs::write(&path, &wasm).unwrap();
        for (name, ps, rs, outcome) in ours(&wasm) {
            let p = path.display().to_string();
            let ps = if ps == "-" { String::new() } else { ps };
            manifest.push_str(&format!("{p}\t{name}\t{ps}\t{rs}\n"));
            expected.push(format!("{p}\t{name}\t{outcome}"));
        }
    }
    let ours_time = started.elapsed();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/wasmtime_calls.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(manifest.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "wasmtime_calls.py failed");
    let theirs: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    let mut compared = 0;
    let mut limits = 0;
    let mut mismatches = Vec::new();
    for (e, t) in expected.iter().zip(&theirs) {
        if e.ends_with("\theap-limit") {
            limits += 1;
            continue;
        }
        // The fallback line of a module that failed to instantiate.
        if t.ends_with("\tcompile-error") {
            mismatches.push(format!("wasmtime refused a module: {t}"));
            continue;
        }
        compared += 1;
        if e != t {
            mismatches.push(format!("ours {e}\n  wasmtime {t}"));
        }
    }
    println!(
        "generating and running ours {ours_time:?}, wasmtime {:?}",
        started.elapsed() - ours_time
    );
    println!(
        "{compared} calls compared over {n} seeds ({gc_modules} modules with struct or array types), \
         {} mismatches; {limits} modules over our heap limit only",
        mismatches.len()
    );
    for m in mismatches.iter().take(20) {
        println!("  {m}");
    }
    assert_eq!(
        theirs.len(),
        expected.len(),
        "wasmtime answered a different number of calls"
    );
    assert!(mismatches.is_empty());
    assert!(
        compared >= 2 * n as usize / 3,
        "only {compared} calls compared"
    );
    assert!(
        limits * 50 <= n as usize,
        "{limits} modules over the heap limit"
    );
}

/// Writes the module of seed `SEED` to /tmp/seed.wasm, to look into a
/// mismatch: `SEED=N cargo test --test gc_wasmtime dump_seed -- --ignored`.
#[test]
#[ignore]
fn dump_seed() {
    let seed: u64 = std::env::var("SEED").unwrap().parse().unwrap();
    std::fs::write("/tmp/seed.wasm", module(seed).unwrap()).unwrap();
}

/// GC modules whose function bodies may be invalid (wasm-smith's
/// `allow_invalid_funcs`), run without validation: the compiler rejects
/// what it cannot run, and no GC instruction on a wrongly typed reference
/// may panic (`WTOOL_GC_DIFF_MODULES` seeds).
#[test]
fn unvalidated_gc_modules_never_panic() {
    let n: u64 = std::env::var("WTOOL_GC_DIFF_MODULES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let mut ran = 0;
    for seed in 0..n {
        let bytes = wtool_testsupport::rng::Rng::new(seed ^ 0x5eed).bytes(8192);
        let cfg = wasm_smith::Config {
            allow_invalid_funcs: true,
            ..config()
        };
        let Ok(mut m) = wasm_smith::Module::new(cfg, &mut Unstructured::new(&bytes)) else {
            continue;
        };
        if m.ensure_termination(1_000).is_err() {
            continue;
        }
        let Ok(ast) = wtool_binary::decode_with_features(&m.to_bytes(), Features::ALL) else {
            continue;
        };
        let mut store = Store::new();
        let Ok(inst) = store.instantiate(&ast, &Imports::new()) else {
            continue;
        };
        for (_, e) in store.exports(inst) {
            let wtool_interp::Extern::Func(f) = e else {
                continue;
            };
            let Some(ty) = store.func_type(f).cloned() else {
                continue;
            };
            let args: Vec<Value> = ty.params.iter().map(|&t| Value::default_for(t)).collect();
            let _ = store.call(f, &args);
            ran += 1;
        }
    }
    println!("{ran} calls ran over {n} seeds");
    assert!(ran * 10 > n as usize, "only {ran} calls ran");
}
