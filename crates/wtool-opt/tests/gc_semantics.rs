//! The optimizer on GC programs: wasm-smith modules with GC types and
//! instructions (every function exported, termination ensured) are
//! optimized at -O3 and -Oz; the result must validate (ours and the
//! wasmparser oracle), and wtool's interpreter must see every exported
//! function of the original and the optimized module behave alike, called
//! in order with zero arguments: results (references by kind, `i31` by
//! value), traps and instantiation. `WTOOL_GC_OPT_MODULES` sets how many
//! modules (default 150).

use arbitrary::Unstructured;
use wtool_ast::{Features, Module};
use wtool_interp::{AnyRef, Extern, Imports, Store, Value};
use wtool_opt::{OptLevel, PassManager, PassOptions};

/// A value as far as two runs can agree on it: objects have no identity
/// across modules, only a kind.
fn observe(v: &Value) -> String {
    match v {
        Value::AnyRef(Some(AnyRef::Struct(_))) => "struct".into(),
        Value::AnyRef(Some(AnyRef::Array(_))) => "array".into(),
        Value::ExternAny(a) => format!("extern {}", observe(&Value::AnyRef(Some(*a)))),
        Value::FuncRef(Some(_)) => "func".into(),
        other => other.to_string(),
    }
}

/// Every exported function's outcome, in export order.
fn run(m: &Module) -> Vec<String> {
    let mut store = Store::new();
    let inst = match store.instantiate(m, &Imports::new()) {
        Ok(i) => i,
        Err(e) => return vec![format!("instantiation failed: {e}")],
    };
    let mut out = Vec::new();
    for (name, e) in store.exports(inst) {
        let Extern::Func(f) = e else { continue };
        let Some(ty) = store.func_type(f).cloned() else {
            continue;
        };
        let args: Vec<Value> = ty.params.iter().map(|&t| Value::default_for(t)).collect();
        out.push(match store.call(f, &args) {
            Ok(vals) => format!(
                "{name}: {}",
                vals.iter().map(observe).collect::<Vec<_>>().join(" ")
            ),
            Err(t) => format!("{name}: trap {}", t.kind.message()),
        });
    }
    out
}

#[test]
fn optimized_gc_programs_stay_valid_and_behave_the_same() {
    let n: u64 = std::env::var("WTOOL_GC_OPT_MODULES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150);
    let mut compared = 0;
    for seed in 0..n {
        let bytes = wtool_testsupport::rng::Rng::new(seed ^ 0x0907).bytes(8192);
        let cfg = wtool_testsupport::smith::gc_exec_config();
        let Ok(mut sm) = wasm_smith::Module::new(cfg, &mut Unstructured::new(&bytes)) else {
            continue;
        };
        if sm.ensure_termination(1_000).is_err() {
            continue;
        }
        let m = wtool_binary::decode_with_features(&sm.to_bytes(), Features::ALL).expect("decode");
        wtool_validate::validate(&m, Features::ALL).expect("wasm-smith output validates");
        let before = run(&m);
        for level in [OptLevel::O3, OptLevel::OZ] {
            let mut out = m.clone();
            let opts = PassOptions {
                features: Features::ALL,
                ..PassOptions::default()
            };
            PassManager::for_level(level, opts)
                .run(&mut out)
                .unwrap_or_else(|e| panic!("seed {seed} -{level}: {e}"));
            let encoded = wtool_binary::encode(&out);
            if let Err(e) = wtool_validate::validate(&out, Features::ALL) {
                panic!("seed {seed} -{level}: invalid after optimizing: {e}");
            }
            wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
                .validate_all(&encoded)
                .unwrap_or_else(|e| panic!("seed {seed} -{level}: wasmparser: {e}"));
            let after = run(&out);
            assert_eq!(before, after, "seed {seed} -{level}");
            compared += before.len();
        }
    }
    println!("{compared} calls compared over {n} seeds");
    assert!(compared > n as usize, "only {compared} calls compared");
}
