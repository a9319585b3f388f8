//! Running a module's exports, in wtool's interpreter or in wasmi, as a list
//! of observations two runs can be compared by.
//!
//! Every export is called once, in the module's export order, with zero
//! arguments (both engines walk the same list of names); then
//! the exported globals and memories are read. Both engines run with fuel
//! and the same memory and table limits. Fuel is counted differently by the
//! two engines, and their call-depth limits differ, so running out of
//! either makes the rest of that run inconclusive: comparison stops there.

use wtool_interp::{Config, Extern, Imports, Store, TrapKind, Value};

/// Fuel for one whole run (both engines).
pub const FUEL: u64 = 10_000;
/// The most bytes one memory may take, in both engines.
pub const MEMORY_LIMIT: u64 = 16 << 20;
/// The most elements one table may hold, in both engines.
pub const TABLE_LIMIT: u64 = 10_000;
/// The GC heap limit: libFuzzer stops at 2 GB of allocation, and a giant
/// array must trap ("out of memory") before that.
pub const HEAP_LIMIT: u64 = 64 << 20;

/// What one step of a run gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Obs {
    /// Instantiation failed (or trapped).
    InstantiateFailed,
    /// An export returned these values (bits; a reference is 0 for null, 1
    /// otherwise).
    Returned(String, Vec<u128>),
    /// An export trapped.
    Trapped(String),
    /// A global's final value.
    Global(String, u128),
    /// A memory's final size and contents' hash.
    Memory(String, usize, u64),
}

/// A run: its observations, and whether it ended inconclusively (fuel,
/// call depth) so that later observations are missing.
#[derive(Debug, Default)]
pub struct Run {
    /// The observations, in order.
    pub obs: Vec<Obs>,
    /// Stopped early on fuel, stack or GC heap exhaustion (limits, not
    /// semantics: an optimizer may drop an allocation that would exceed one).
    pub inconclusive: bool,
}

fn hash(bytes: &[u8]) -> u64 {
    // FNV-1a: cheap, and any difference in a memory shows.
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn bits(v: &Value) -> u128 {
    match v {
        Value::I32(x) => *x as u32 as u128,
        Value::I64(x) => *x as u64 as u128,
        Value::F32(x) => *x as u128,
        Value::F64(x) => *x as u128,
        Value::V128(x) => *x,
        Value::FuncRef(f) => f.is_some() as u128,
        Value::ExternRef(e) => e.is_some() as u128,
        Value::ExnRef(e) => e.is_some() as u128,
        // Objects have no identity two runs could share (the optimizer may
        // drop an allocation), only a kind; `i31` and host values compare
        // by value.
        Value::AnyRef(None) => 0,
        Value::AnyRef(Some(a)) => any_bits(*a),
        Value::ExternAny(a) => 1 << 102 | any_bits(*a),
    }
}

fn any_bits(a: wtool_interp::AnyRef) -> u128 {
    match a {
        wtool_interp::AnyRef::Host(n) => n as u128 + 1,
        wtool_interp::AnyRef::I31(v) => 1 << 64 | v as u32 as u128,
        wtool_interp::AnyRef::Struct(_) => 1 << 100,
        wtool_interp::AnyRef::Array(_) => 1 << 101,
    }
}

/// Runs `module` (valid) in wtool's interpreter.
pub fn run_wtool(module: &wtool_ast::Module) -> Run {
    let mut store = Store::with_config(Config {
        fuel: Some(FUEL),
        max_memory_bytes: MEMORY_LIMIT,
        max_heap_bytes: HEAP_LIMIT,
        max_table_elements: TABLE_LIMIT,
        ..Config::default()
    });
    let mut run = Run::default();
    let inst = match store.instantiate(module, &Imports::new()) {
        Ok(i) => i,
        Err(wtool_interp::InstantiateError::Trap(t))
            if matches!(
                t.kind,
                TrapKind::OutOfFuel | TrapKind::CallStackExhausted | TrapKind::HeapExhausted
            ) =>
        {
            run.inconclusive = true;
            return run;
        }
        Err(_) => {
            run.obs.push(Obs::InstantiateFailed);
            return run;
        }
    };
    let exports: Vec<(String, Extern)> = module
        .exports
        .iter()
        .filter_map(|e| Some((e.name.to_string(), store.get_export(inst, &e.name)?)))
        .collect();
    for (name, e) in &exports {
        let Extern::Func(f) = *e else { continue };
        let Some(ty) = store.func_type(f).cloned() else {
            continue;
        };
        let args: Vec<Value> = ty.params.iter().map(|&t| Value::default_for(t)).collect();
        match store.call(f, &args) {
            Ok(vals) => run
                .obs
                .push(Obs::Returned(name.clone(), vals.iter().map(bits).collect())),
            Err(t)
                if matches!(
                    t.kind,
                    TrapKind::OutOfFuel | TrapKind::CallStackExhausted | TrapKind::HeapExhausted
                ) =>
            {
                run.inconclusive = true;
                return run;
            }
            Err(_) => run.obs.push(Obs::Trapped(name.clone())),
        }
    }
    for (name, e) in &exports {
        match *e {
            Extern::Global(g) => {
                if let Some(v) = store.global_value(g) {
                    run.obs.push(Obs::Global(name.clone(), bits(&v)));
                }
            }
            Extern::Memory(m) => {
                if let Some(b) = store.memory_data(m) {
                    run.obs.push(Obs::Memory(name.clone(), b.len(), hash(b)));
                }
            }
            _ => {}
        }
    }
    run
}

fn wasmi_bits(v: &wasmi::Val) -> u128 {
    match v {
        wasmi::Val::I32(x) => *x as u32 as u128,
        wasmi::Val::I64(x) => *x as u64 as u128,
        wasmi::Val::F32(x) => x.to_bits() as u128,
        wasmi::Val::F64(x) => x.to_bits() as u128,
        wasmi::Val::V128(x) => x.as_u128(),
        wasmi::Val::FuncRef(r) => !r.is_null() as u128,
        wasmi::Val::ExternRef(r) => !r.is_null() as u128,
    }
}

fn wasmi_inconclusive(e: &wasmi::Error) -> bool {
    matches!(
        e.as_trap_code(),
        Some(wasmi::TrapCode::OutOfFuel | wasmi::TrapCode::StackOverflow)
    ) || e.as_trap_code().is_none()
}

/// Runs `bytes` (valid; `module` is its decoding, for the export order) in wasmi.
pub fn run_wasmi(bytes: &[u8], ast: &wtool_ast::Module) -> Run {
    let mut config = wasmi::Config::default();
    config.consume_fuel(true);
    // The 3.0 features `Purpose::Oracle` modules may use.
    config
        .wasm_tail_call(true)
        .wasm_memory64(true)
        .wasm_multi_memory(true)
        .wasm_extended_const(true);
    let engine = wasmi::Engine::new(&config);
    let mut run = Run::default();
    let module = match wasmi::Module::new(&engine, bytes) {
        Ok(m) => m,
        Err(_) => {
            // wasmi rejects what it cannot compile (e.g. over its own
            // implementation limits): nothing to compare.
            run.inconclusive = true;
            return run;
        }
    };
    let limits = wasmi::StoreLimitsBuilder::new()
        .memory_size(MEMORY_LIMIT as usize)
        .table_elements(TABLE_LIMIT as usize)
        .build();
    let mut store = wasmi::Store::new(&engine, limits);
    store.limiter(|l| l);
    let _ = store.set_fuel(FUEL);
    let inst = match wasmi::Linker::<wasmi::StoreLimits>::new(&engine)
        .instantiate_and_start(&mut store, &module)
    {
        Ok(i) => i,
        Err(e) if e.as_trap_code().is_some() && wasmi_inconclusive(&e) => {
            run.inconclusive = true;
            return run;
        }
        Err(_) => {
            run.obs.push(Obs::InstantiateFailed);
            return run;
        }
    };
    let exports: Vec<(String, wasmi::ExternType)> = ast
        .exports
        .iter()
        .filter_map(|e| {
            let name: &str = &e.name;
            Some((name.to_string(), module.get_export(name)?))
        })
        .collect();
    for (name, ty) in &exports {
        let wasmi::ExternType::Func(fty) = ty else {
            continue;
        };
        let Some(f) = inst.get_func(&store, name) else {
            continue;
        };
        let args: Vec<wasmi::Val> = fty
            .params()
            .iter()
            .map(|t| wasmi::Val::default_for_ty(*t))
            .collect();
        let mut results: Vec<wasmi::Val> = fty
            .results()
            .iter()
            .map(|t| wasmi::Val::default_for_ty(*t))
            .collect();
        match f.call(&mut store, &args, &mut results) {
            Ok(()) => run.obs.push(Obs::Returned(
                name.clone(),
                results.iter().map(wasmi_bits).collect(),
            )),
            Err(e) if wasmi_inconclusive(&e) => {
                run.inconclusive = true;
                return run;
            }
            Err(_) => run.obs.push(Obs::Trapped(name.clone())),
        }
    }
    for (name, ty) in &exports {
        match ty {
            wasmi::ExternType::Global(_) => {
                if let Some(g) = inst.get_global(&store, name) {
                    run.obs
                        .push(Obs::Global(name.clone(), wasmi_bits(&g.get(&store))));
                }
            }
            wasmi::ExternType::Memory(_) => {
                if let Some(m) = inst.get_memory(&store, name) {
                    let b = m.data(&store);
                    run.obs.push(Obs::Memory(name.clone(), b.len(), hash(b)));
                }
            }
            _ => {}
        }
    }
    run
}

/// Compares two runs up to where either became inconclusive; `Err`
/// describes the first difference.
pub fn compare(a: &Run, b: &Run) -> Result<(), String> {
    let n = a.obs.len().min(b.obs.len());
    for i in 0..n {
        if a.obs[i] != b.obs[i] {
            return Err(format!(
                "observation {i} differs:\n  first:  {:?}\n  second: {:?}",
                a.obs[i], b.obs[i]
            ));
        }
    }
    // A conclusive run must not have more to say than the other when that
    // one was conclusive too.
    if !a.inconclusive && !b.inconclusive && a.obs.len() != b.obs.len() {
        return Err(format!(
            "runs differ in length: {} vs {} observations\n  first:  {:?}\n  second: {:?}",
            a.obs.len(),
            b.obs.len(),
            a.obs.get(n),
            b.obs.get(n)
        ));
    }
    Ok(())
}
