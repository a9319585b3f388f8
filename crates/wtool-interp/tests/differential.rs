//! Differential test against wasmi (the oracle): random valid WebAssembly
//! 2.0 modules without SIMD from wasm-smith (made terminating, NaNs canonicalised), every
//! export called with zero arguments in both engines; results (as bits) and
//! trap-or-not must agree, and so must instantiation failures.

use arbitrary::Unstructured;
use wtool_interp::{Extern, Imports, Store, Value};

fn config() -> wasm_smith::Config {
    wasm_smith::Config {
        // The workspace builds wasmi without its `simd` feature; SIMD is covered
        // by the spec suites instead.
        simd_enabled: false,
        relaxed_simd_enabled: false,
        tail_call_enabled: false,
        threads_enabled: false,
        memory64_enabled: false,
        gc_enabled: false,
        exceptions_enabled: false,
        extended_const_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        max_memories: 1,
        max_tables: 2,
        max_imports: 0,
        min_funcs: 1,
        export_everything: true,
        canonicalize_nans: true,
        max_memory32_bytes: 1 << 20,
        max_table_elements: 1000,
        ..wasm_smith::Config::default()
    }
}

fn wasmi_val(v: &wasmi::Val) -> Option<Value> {
    Some(match v {
        wasmi::Val::I32(x) => Value::I32(*x),
        wasmi::Val::I64(x) => Value::I64(*x),
        wasmi::Val::F32(x) => Value::F32(x.to_bits()),
        wasmi::Val::F64(x) => Value::F64(x.to_bits()),
        _ => return None, // references: only compared for null-ness below
    })
}

fn same(ours: &Value, theirs: &wasmi::Val) -> bool {
    match (ours, wasmi_val(theirs)) {
        (o, Some(t)) => *o == t,
        (Value::FuncRef(f), None) => {
            matches!(theirs, wasmi::Val::FuncRef(r) if r.is_null() == f.is_none())
        }
        (Value::ExternRef(e), None) => {
            matches!(theirs, wasmi::Val::ExternRef(r) if r.is_null() == e.is_none())
        }
        _ => false,
    }
}

fn zero_wasmi(t: &wasmi::ValType) -> wasmi::Val {
    wasmi::Val::default_for_ty(*t)
}

/// wasm-smith's configuration for the WebAssembly 3.0 features wasmi also
/// runs: tail calls, memory64, multi-memory, custom page sizes, wide
/// arithmetic (not threads or exceptions: wasmi has neither).
fn config_w3mem() -> wasm_smith::Config {
    wasm_smith::Config {
        tail_call_enabled: true,
        memory64_enabled: true,
        custom_page_sizes_enabled: true,
        wide_arithmetic_enabled: true,
        max_memories: 3,
        max_memory64_bytes: 1 << 20,
        ..config()
    }
}

/// wasmi with the features `config_w3mem` may use.
fn wasmi_engine(w3mem: bool) -> wasmi::Engine {
    let mut c = wasmi::Config::default();
    if w3mem {
        c.wasm_tail_call(true)
            .wasm_memory64(true)
            .wasm_multi_memory(true)
            .wasm_custom_page_sizes(true)
            .wasm_wide_arithmetic(true);
    }
    wasmi::Engine::new(&c)
}

fn run_one(seed: u64) -> usize {
    run_with(seed, false)
}

fn run_with(seed: u64, w3mem: bool) -> usize {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let mut u = Unstructured::new(&bytes);
    let cfg = if w3mem { config_w3mem() } else { config() };
    let Ok(mut m) = wasm_smith::Module::new(cfg, &mut u) else {
        return 0;
    };
    if m.ensure_termination(1_000).is_err() {
        return 0;
    }
    let wasm = m.to_bytes();
    if let Ok(dir) = std::env::var("WTOOL_DIFF_DUMP") {
        let _ = std::fs::write(format!("{dir}/seed{seed}.wasm"), &wasm);
    }

    let engine = wasmi_engine(w3mem);
    let module = wasmi::Module::new(&engine, &wasm).expect("wasmi accepts wasm-smith output");
    // Growing a table or memory may fail (the spec leaves the limit to the
    // implementation): give wasmi ours, so both fail at the same sizes.
    let limits = wasmi::StoreLimitsBuilder::new()
        .table_elements(wtool_interp::table::MAX_TABLE as usize)
        .memory_size((wtool_interp::memory::MAX_PAGES * 65536) as usize)
        .build();
    let mut wstore = wasmi::Store::new(&engine, limits);
    wstore.limiter(|l| l);
    let theirs = wasmi::Linker::<wasmi::StoreLimits>::new(&engine)
        .instantiate_and_start(&mut wstore, &module);

    let ast = wtool_binary::decode_with_features(&wasm, wtool_ast::Features::ALL).expect("decode");
    let mut store = Store::new();
    let ours = if seed % 2 == 1 {
        // Every other module has its bodies read straight from the binary
        // on first call, as `wtool run` does.
        let features = wtool_ast::Features::ALL;
        let (m, ranges) = wtool_binary::decode_lazy(&wasm, features).expect("decode");
        let has_data_count = m.data_count.is_some();
        let bodies = wtool_interp::BinaryBodies {
            bytes: Box::new(wasm.clone()),
            ranges,
            features,
            has_data_count,
        };
        let compiled = wtool_interp::CompiledModule::with_lazy_bodies(m, bodies);
        store.instantiate_compiled(&std::rc::Rc::new(compiled), &Imports::new())
    } else {
        store.instantiate(&ast, &Imports::new())
    };
    let (ours, theirs) = match (ours, theirs) {
        (Ok(o), Ok(t)) => (o, t),
        (Err(_), Err(_)) => return 0,
        (o, t) => panic!(
            "seed {seed}: instantiation differs: ours {:?} wasmi {:?}",
            o.err(),
            t.err()
        ),
    };
    let mut calls = 0;
    for (name, e) in store.exports(ours) {
        let Extern::Func(f) = e else { continue };
        let Some(ty) = store.func_type(f).cloned() else {
            continue;
        };
        let args: Vec<Value> = ty.params.iter().map(|&t| Value::default_for(t)).collect();
        let wf = theirs.get_func(&wstore, &name).expect("same exports");
        let wty = wf.ty(&wstore);
        let wargs: Vec<wasmi::Val> = wty.params().iter().map(zero_wasmi).collect();
        let mut wres: Vec<wasmi::Val> = wty.results().iter().map(zero_wasmi).collect();
        let r_theirs = wf.call(&mut wstore, &wargs, &mut wres);
        let r_ours = store.call(f, &args);
        let outcome = format!("ours {r_ours:?} wasmi {r_theirs:?}");
        calls += 1;
        match (r_ours.clone(), r_theirs) {
            (Ok(o), Ok(())) => {
                assert_eq!(o.len(), wres.len(), "seed {seed} {name}");
                for (a, b) in o.iter().zip(&wres) {
                    assert!(
                        same(a, b),
                        "seed {seed} export {name}: ours {a} wasmi {b:?}"
                    );
                }
            }
            (Err(_), Err(_)) => {}
            (o, t) => panic!("seed {seed} export {name}: ours {o:?} wasmi {t:?}"),
        }
        // Exported globals (the termination fuel among them) must agree too.
        for (gname, ge) in store.exports(ours) {
            let Extern::Global(g) = ge else { continue };
            let Some(a) = store.global_value(g) else {
                continue;
            };
            let b = theirs
                .get_global(&wstore, &gname)
                .expect("same exports")
                .get(&wstore);
            assert!(
                same(&a, &b),
                "seed {seed} after {name} ({outcome}): global {gname}: ours {a} wasmi {b:?}"
            );
        }
    }
    calls
}

#[test]
fn agrees_with_wasmi_on_random_modules() {
    let n: u64 = std::env::var("WTOOL_DIFF_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let first: u64 = std::env::var("WTOOL_DIFF_FIRST")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let calls: usize = (first..first + n).map(run_one).sum();
    println!("{n} modules, {calls} calls compared");
    assert!(calls > n as usize / 2, "too few calls compared: {calls}");
}

/// The same against wasmi with tail calls, memory64, multi-memory, custom
/// page sizes and wide arithmetic in the generated modules.
#[test]
fn agrees_with_wasmi_on_random_modules_with_3_0_memories() {
    let n: u64 = std::env::var("WTOOL_DIFF_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let calls: usize = (0..n).map(|seed| run_with(seed, true)).sum();
    println!("{n} modules, {calls} calls compared");
    assert!(calls > n as usize / 2, "too few calls compared: {calls}");
}

/// Modules whose function bodies may be invalid (wasm-smith's
/// `allow_invalid_funcs`), instantiated without validation: the compiler
/// must reject what it cannot run and nothing may panic.
#[test]
fn unvalidated_modules_never_panic() {
    unvalidated_runs(false);
}

/// The same with memory64, multi-memory, custom page sizes and wide
/// arithmetic (the stack-form paths and the 64-bit memory-0 forms).
#[test]
fn unvalidated_modules_with_3_0_memories_never_panic() {
    unvalidated_runs(true);
}

fn unvalidated_runs(w3mem: bool) {
    let n: u64 = std::env::var("WTOOL_DIFF_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let mut rejected = 0;
    for seed in 0..n {
        let mut state = seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let mut u = Unstructured::new(&bytes);
        let cfg = wasm_smith::Config {
            allow_invalid_funcs: true,
            ..if w3mem { config_w3mem() } else { config() }
        };
        let Ok(mut m) = wasm_smith::Module::new(cfg, &mut u) else {
            continue;
        };
        if m.ensure_termination(1_000).is_err() {
            continue;
        }
        let Ok(ast) = wtool_binary::decode_with_features(&m.to_bytes(), wtool_ast::Features::ALL)
        else {
            continue;
        };
        let mut store = Store::new();
        let Ok(inst) = store.instantiate(&ast, &Imports::new()) else {
            rejected += 1;
            continue;
        };
        for (_, e) in store.exports(inst) {
            let Extern::Func(f) = e else { continue };
            let Some(ty) = store.func_type(f).cloned() else {
                continue;
            };
            let args: Vec<Value> = ty.params.iter().map(|&t| Value::default_for(t)).collect();
            let _ = store.call(f, &args);
        }
    }
    println!("{n} possibly-invalid modules, {rejected} rejected at instantiation (others may trap at their first call)");
}
